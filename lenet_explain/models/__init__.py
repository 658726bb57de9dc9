"""The Keras side: models built from the one description, checked against Keras, exported for the browser.

Every module here imports Keras (quietly, through :mod:`~lenet_explain.models.keras_import`); the calculator
never imports them.
"""
