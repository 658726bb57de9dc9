"""The Keras side: models built from the one description and checked against Keras.

Every module here but one imports Keras (quietly, through :mod:`~lenet_explain.models.keras_import`); the calculator
never imports them.

- :mod:`~lenet_explain.models.startup_notices` — TensorFlow's C++ start-up notices and the filter that keeps them off
  stderr (imports no TensorFlow);
- :mod:`~lenet_explain.models.keras_import` — import Keras with those notices filtered, on any CPU;
- :mod:`~lenet_explain.models.keras_model` — build a Keras model from a layer stack (``build_model``);
- :mod:`~lenet_explain.models.lenet1998_layers` — Keras twins of the 1998 network's pieces (scaled tanh, sparse C3,
  trainable subsampling, the RBF output, the MAP loss);
- :mod:`~lenet_explain.models.keras_check` — the calculator checked against the model Keras builds (shapes,
  parameters, the summary text): ``--verify`` and the tests.
"""
