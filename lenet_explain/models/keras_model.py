"""Build a Keras model from a layer description (imports Keras: never import this from the calculator)."""

from __future__ import annotations

from typing import Any

from lenet_explain.calculator.layers import (
    Activation,
    AveragePooling2D,
    BatchNormalization,
    Conv2D,
    Dense,
    Dropout,
    EuclideanRBF,
    Flatten,
    GlobalAveragePooling2D,
    GlobalMaxPooling2D,
    Layer,
    MaxPooling2D,
    SparseConv2D,
    Stack,
    Subsampling2D,
    ZeroPadding2D,
)
from lenet_explain.errors import LenetError
from lenet_explain.models import lenet1998_layers
from lenet_explain.models.keras_import import keras
from lenet_explain.models.lenet1998_layers import get_activation

PAD_SUFFIX = "_pad"


def keras_version() -> str:
    """Return the version of the Keras that builds the models."""
    return str(keras.__version__)


def build_model(stack: Stack, seed: int | None = None) -> keras.Sequential:
    """Return a ``keras.Sequential`` with one Keras layer per described layer, named alike.

    Explicit integer padding, which Keras' Conv2D and pooling layers lack, becomes a
    ``ZeroPadding2D`` named ``<layer name>_pad`` just before the layer. ``seed`` makes the
    initial weights reproducible.
    """
    if seed is not None:
        keras.utils.set_random_seed(seed)
    model = keras.Sequential(name=stack.name)
    model.add(keras.Input(shape=stack.input.shape, name="input"))
    for layer in stack.layers:
        for keras_layer in to_keras_layers(layer):
            model.add(keras_layer)
    return model


def to_keras_layers(layer: Layer) -> list[keras.layers.Layer]:
    """Return the Keras layer(s) that compute ``layer``."""
    layers: list[keras.layers.Layer] = []
    padding = getattr(layer, "padding", "valid")
    if isinstance(layer, (Conv2D, MaxPooling2D, AveragePooling2D)) and isinstance(padding, int):
        if padding:
            layers.append(keras.layers.ZeroPadding2D(padding, name=layer.name + PAD_SUFFIX))
        padding = "valid"
    layers.append(_to_keras_layer(layer, padding))
    return layers


def _to_keras_layer(layer: Layer, padding: Any) -> keras.layers.Layer:
    """Return the one Keras layer for ``layer`` with its padding already resolved to 'valid'/'same'."""
    name = layer.name
    if isinstance(layer, Conv2D):
        if max(layer.strides) > 1 and max(layer.dilation_rate) > 1:
            raise LenetError(
                f"{name}: Keras cannot combine strides {layer.strides} with dilation_rate {layer.dilation_rate}"
            )
        return keras.layers.Conv2D(
            layer.filters, layer.kernel_size, strides=layer.strides, padding=padding,
            dilation_rate=layer.dilation_rate, activation=get_activation(layer.activation), use_bias=layer.use_bias,
            name=name,
        )
    if isinstance(layer, (MaxPooling2D, AveragePooling2D)):
        if layer.ceil_mode:
            raise LenetError(f"{name}: Keras pooling has no ceil mode (use padding='same' instead)")
        if layer.dilation_rate != (1, 1):
            raise LenetError(f"{name}: Keras pooling has no dilation")
        cls = keras.layers.MaxPooling2D if isinstance(layer, MaxPooling2D) else keras.layers.AveragePooling2D
        return cls(layer.pool_size, strides=layer.strides, padding=padding, name=name)
    if isinstance(layer, ZeroPadding2D):
        return keras.layers.ZeroPadding2D(layer.padding, name=name)
    if isinstance(layer, Dense):
        return keras.layers.Dense(layer.units, activation=get_activation(layer.activation), use_bias=layer.use_bias,
                                  name=name)
    if isinstance(layer, Dropout):
        return keras.layers.Dropout(layer.rate, name=name)
    if isinstance(layer, Activation):
        return keras.layers.Activation(get_activation(layer.activation), name=name)
    if isinstance(layer, BatchNormalization):
        return keras.layers.BatchNormalization(center=layer.center, scale=layer.scale, name=name)
    simple = {
        Flatten: keras.layers.Flatten,
        GlobalAveragePooling2D: keras.layers.GlobalAveragePooling2D,
        GlobalMaxPooling2D: keras.layers.GlobalMaxPooling2D,
    }
    for described, cls in simple.items():
        if isinstance(layer, described):
            return cls(name=name)
    if isinstance(layer, (SparseConv2D, Subsampling2D, EuclideanRBF)):
        return _to_lenet1998_layer(layer)
    raise LenetError(f"{name}: no Keras layer for {layer.type}")


def _to_lenet1998_layer(layer: SparseConv2D | Subsampling2D | EuclideanRBF) -> keras.layers.Layer:
    """Return the custom Keras layer (lenet1998_layers) for a layer of the 1998 network."""
    if isinstance(layer, SparseConv2D):
        return lenet1998_layers.SparseConv2D(
            layer.filters, layer.kernel_size, [list(row) for row in layer.connections], activation=layer.activation,
            use_bias=layer.use_bias, name=layer.name,
        )
    if isinstance(layer, Subsampling2D):
        return lenet1998_layers.Subsampling2D(layer.pool_size, layer.strides, activation=layer.activation,
                                              name=layer.name)
    return lenet1998_layers.EuclideanRBF([list(bitmap) for bitmap in layer.prototypes], name=layer.name)
