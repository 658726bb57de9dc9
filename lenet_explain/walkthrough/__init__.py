"""The MNIST walkthrough: verified data, the lecture's training recipe, preprocessing and prediction.

- :mod:`~lenet_explain.walkthrough.mnist` — MNIST exactly as ``keras.datasets.mnist.load_data()`` returns it,
  verified, offline when it must be;
- :mod:`~lenet_explain.walkthrough.images` — an image file turned into a 28×28 MNIST-style digit (the preprocessing
  constants the browser pages copy are defined here), and the lecture's naive path for comparison;
- :mod:`~lenet_explain.walkthrough.paper` — pictures of digits on paper that owe nothing to MNIST;
- :mod:`~lenet_explain.walkthrough.lecture` and :mod:`~lenet_explain.walkthrough.lecture_history` — what the lecture
  printed (its training log, its prediction, its facts), as data; :mod:`~lenet_explain.walkthrough.paper_results`
  — the 1998 paper's MNIST results (its Fig. 9), as data;
- :mod:`~lenet_explain.walkthrough.training` — the lecture's recipe: preprocess, one-hot, compile, seeded fit, save,
  load; :mod:`~lenet_explain.walkthrough.training1998` — the 1998 network's own recipe;
- :mod:`~lenet_explain.walkthrough.digit_models` — digit models by name or file, with their input conventions;
- :mod:`~lenet_explain.walkthrough.predict` — the digit in image files, by the reference model or another;
- :mod:`~lenet_explain.walkthrough.transforms` — the invariance lab's transforms of a digit (shift, rotation, scale,
  thickness, noise, the 1998 paper's and Simard's distortions), in numpy;
- :mod:`~lenet_explain.walkthrough.cli` — the ``data``, ``train``, ``evaluate`` and ``predict`` commands.
"""
