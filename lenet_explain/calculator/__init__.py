"""The calculator: one description of a layer stack and its arithmetic, in pure Python (never TensorFlow).

- :mod:`~lenet_explain.calculator.layers` — the frozen dataclasses that describe layers and stacks;
- :mod:`~lenet_explain.calculator.stacks` — the built-in stacks (the lecture's LeNet-5 and its 32×32 table);
- :mod:`~lenet_explain.calculator.arithmetic` — output sizes, parameters, MACs, receptive fields, as data;
- :mod:`~lenet_explain.calculator.formatting` — that data as formulas, text tables, Markdown and JSON;
- :mod:`~lenet_explain.calculator.stackfile` — stacks read from JSON/TOML files and ``.keras`` archives.
"""
