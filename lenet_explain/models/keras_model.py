"""Build a Keras model from a layer description (imports Keras: never import this from the calculator)."""

from __future__ import annotations

from typing import Any

from lenet_explain.calculator.activations import Activation
from lenet_explain.calculator.core import LayerScale
from lenet_explain.calculator.layers import (
    AveragePooling2D,
    Conv2D,
    Dense,
    EuclideanRBF,
    Flatten,
    GlobalAveragePooling2D,
    GlobalMaxPooling2D,
    Layer,
    MaxPooling2D,
    Model,
    SparseConv2D,
    Stack,
    Subsampling2D,
    ZeroPadding2D,
    call_name,
    call_order,
    layer_fields,
)
from lenet_explain.calculator.merging import TENSOR_OPS, Dot, TensorOp
from lenet_explain.calculator.normalization import BatchNormalization
from lenet_explain.calculator.registry import KERAS_TYPES, MERGE_TYPES
from lenet_explain.calculator.regularization import Dropout, StochasticDepth
from lenet_explain.errors import LenetError
from lenet_explain.models import lenet1998_layers
from lenet_explain.models.keras_import import keras
from lenet_explain.models.lenet1998_layers import get_activation

PAD_SUFFIX = "_pad"


def keras_version() -> str:
    """Return the version of the Keras that builds the models."""
    return str(keras.__version__)


def build_model(stack: Stack, seed: int | None = None) -> keras.Model:
    """Return a ``keras.Sequential`` with one Keras layer per described layer, named alike (a Functional model
    for a graph, or when a nested model or a tensor operation is in it).

    Explicit integer padding, which Keras' Conv2D and pooling layers lack, becomes a
    ``ZeroPadding2D`` named ``<layer name>_pad`` just before the layer. ``seed`` makes the
    initial weights reproducible.
    """
    if seed is not None:
        keras.utils.set_random_seed(seed)
    if stack.is_graph or any(isinstance(layer, (Model, TensorOp)) for layer in stack.layers):
        return build_graph(stack)
    model = keras.Sequential(name=stack.name)
    model.add(keras.Input(shape=stack.input.shape, name="input"))
    for layer in stack.layers:
        for keras_layer in to_keras_layers(layer):
            model.add(keras_layer)
    return model


def build_graph(stack: Stack) -> keras.Model:
    """Return a Functional model of ``stack``: every call of every layer on what it reads; the outputs are the
    tensors no layer reads."""
    inputs = keras.Input(shape=stack.input.shape, name=stack.input_name)
    tensors: dict[str, Any] = {stack.input_name: inputs}
    read: set[str] = set()
    calls = stack.calls()
    pieces: dict[int, list[Any]] = {}  # each layer's Keras layers, made once: a shared layer is one object
    for i, k in call_order(stack.input_name, stack.layers, calls):
        layer, call = stack.layers[i], calls[i][k]
        if i not in pieces:
            pieces[i] = [_nested_model(layer)] if isinstance(layer, Model) else (
                [] if isinstance(layer, TensorOp) else to_keras_layers(layer))
        read.update(call)
        values = [tensors[ref] for ref in call]
        if isinstance(layer, TensorOp):
            x = _tensor_op(layer, values)
        elif isinstance(layer, MERGE_TYPES):
            x = pieces[i][0](values)
        else:
            x = values[0]
            for piece in pieces[i]:
                x = piece(x)
        tensors[call_name(layer.name, k)] = x
    outputs = [tensor for name, tensor in tensors.items() if name not in read]
    return keras.Model(inputs, outputs[0] if len(outputs) == 1 else outputs, name=stack.name)


def _nested_model(layer: Model) -> keras.Model:
    """Return the Keras model of a nested model, named as the layer."""
    from dataclasses import replace

    return build_model(replace(layer.stack, name=layer.name))


def _tensor_op(layer: TensorOp, tensors: list[Any]) -> Any:
    """Apply a tensor operation (``keras.ops``) to its tensors and constants, in order."""
    given = iter(tensors)
    arguments = [next(given) if value is None else value for value in layer.operands]
    return getattr(keras.ops, TENSOR_OPS[layer.op])(*arguments)


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
            groups=layer.groups, name=name,
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
        return keras.layers.BatchNormalization(axis=layer.axis, center=layer.center, scale=layer.scale, name=name)
    if isinstance(layer, Flatten):
        return keras.layers.Flatten(name=name)
    if isinstance(layer, (GlobalAveragePooling2D, GlobalMaxPooling2D)):
        return getattr(keras.layers, layer.type)(keepdims=layer.keepdims, name=name)
    if isinstance(layer, (SparseConv2D, Subsampling2D, EuclideanRBF)):
        return _to_lenet1998_layer(layer)
    if isinstance(layer, KERAS_TYPES):
        return _generic_keras_layer(layer)
    raise LenetError(f"{name}: no Keras layer for {layer.type}")


def _generic_keras_layer(layer: Layer) -> keras.layers.Layer:
    """Return the Keras layer of the same class, built from the description's fields (its Keras arguments)."""
    arguments: dict[str, Any] = layer_fields(layer)
    if "activation" in arguments:
        arguments["activation"] = get_activation(arguments["activation"])
    for key in ("cropping", "padding"):  # 1-D: Keras takes the (before, after) pair itself
        if getattr(layer, "rank", 2) == 1 and isinstance(arguments.get(key), tuple):
            arguments[key] = arguments[key][0]
    if isinstance(layer, Dot) and len(layer.axes) == 1:
        arguments["axes"] = layer.axes[0]
    if isinstance(layer, (LayerScale, StochasticDepth)):
        from keras.src.applications import convnext

        return getattr(convnext, layer.type)(**arguments, name=layer.name)
    return getattr(keras.layers, layer.type)(**arguments, name=layer.name)


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
