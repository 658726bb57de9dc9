"""The calculator: one description of a layer stack and its arithmetic, in pure Python (never TensorFlow).

- :mod:`~lenet_explain.calculator.basics` — the basic data: an axis through a window, the receptive field, parameter
  and connection terms, one call's result (imports nothing of the package);
- :mod:`~lenet_explain.calculator.windows` — one axis through a window (``output_size``) and the input checks;
- :mod:`~lenet_explain.calculator.base` — the base layer dataclass, its field checks and the activations;
- the layer families, each layer's description and its arithmetic side by side, grouped as Keras groups them:
  :mod:`~lenet_explain.calculator.core` (Input, Dense, Embedding, …),
  :mod:`~lenet_explain.calculator.convolutional`, :mod:`~lenet_explain.calculator.pooling`,
  :mod:`~lenet_explain.calculator.reshaping`, :mod:`~lenet_explain.calculator.normalization`,
  :mod:`~lenet_explain.calculator.activations`, :mod:`~lenet_explain.calculator.regularization`,
  :mod:`~lenet_explain.calculator.preprocessing`, :mod:`~lenet_explain.calculator.merging` and
  :mod:`~lenet_explain.calculator.lenet1998` (the 1998 network's own layers);
- :mod:`~lenet_explain.calculator.registry` — every layer type by its Keras class name;
- :mod:`~lenet_explain.calculator.keras_bound` — the parameters Keras allocates when it loads a config (each layer
  built at its ``build_config`` shape), counted before it does;
- :mod:`~lenet_explain.calculator.layers` — a stack (:class:`Stack`), a nested model, and the lecture's layer classes;
- :mod:`~lenet_explain.calculator.bitmaps` — the 1998 network's digit bitmaps (its RBF prototypes);
- :mod:`~lenet_explain.calculator.stacks` — the built-in stacks (the lecture's LeNet-5, its 32×32 table, a modern
  variant and the 1998 network);
- :mod:`~lenet_explain.calculator.arithmetic` — every layer's row and a stack's totals (``summarize``), as data;
- :mod:`~lenet_explain.calculator.formatting` — that data as formulas, text tables, Markdown and JSON;
- :mod:`~lenet_explain.calculator.safe_data` — checks on untrusted numbers and nesting in stack files;
- :mod:`~lenet_explain.calculator.stackfile` — stacks read from JSON/TOML files and ``.keras`` archives.
"""
