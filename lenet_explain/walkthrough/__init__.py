"""The MNIST walkthrough: verified data, the lecture's training recipe, preprocessing and prediction.

The ``data``, ``train`` and ``predict`` commands live in :mod:`~lenet_explain.walkthrough.cli`.
"""
