"""The Keras side: models built from the one description and checked against Keras.

Every module here imports Keras (quietly, through :mod:`~lenet_explain.models.keras_import`); the calculator
never imports them.
"""
