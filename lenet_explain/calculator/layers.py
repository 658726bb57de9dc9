"""One description of a layer stack: :class:`Stack`, a nested :class:`Model`, and the lecture's and the 1998
network's layer classes.

Every layer is a frozen dataclass named and shaped like a Keras layer, described and computed by family (``core``,
``convolutional``, ``pooling``, ``reshaping``, ``normalization``, ``activations``, ``regularization``,
``preprocessing``, ``merging``, ``lenet1998``) and looked up by name in :mod:`~lenet_explain.calculator.registry`;
the ones the lecture and the 1998 network use are importable from here too. The calculator, the Keras builder, the
tables and the figures all read these. Field names follow Keras' constructor arguments, so a saved model's config
maps onto them directly. Two additions that Keras lacks are explicit integer padding (zero pixels per side, as in
PyTorch) and pooling ``ceil_mode`` (PyTorch's rule).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TypeAlias

from lenet_explain.calculator.base import SCALED_TANH, SCALED_TANH_A, SCALED_TANH_S, Layer
from lenet_explain.calculator.convolutional import Conv2D
from lenet_explain.calculator.core import Dense, Input
from lenet_explain.calculator.lenet1998 import EuclideanRBF, SparseConv2D, Subsampling2D
from lenet_explain.calculator.pooling import AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, MaxPooling2D
from lenet_explain.calculator.reshaping import Flatten, ZeroPadding2D
from lenet_explain.errors import LenetError

__all__ = [
    "SCALED_TANH", "SCALED_TANH_A", "SCALED_TANH_S", "AveragePooling2D", "Call", "Conv2D", "Dense", "EuclideanRBF",
    "Flatten", "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Input", "Layer", "MaxPooling2D", "Model",
    "SparseConv2D", "Stack", "Subsampling2D", "ZeroPadding2D", "keras_base_name", "layer_fields",
]

_KERAS_BASE_NAMES = {  # the names of the lecture's layers, without importing re (a quicker cold start)
    "Conv2D": "conv2d",
    "MaxPooling2D": "max_pooling2d",
    "AveragePooling2D": "average_pooling2d",
    "ZeroPadding2D": "zero_padding2d",
    "Flatten": "flatten",
    "Dense": "dense",
    "Dropout": "dropout",
    "Activation": "activation",
    "BatchNormalization": "batch_normalization",
    "GlobalAveragePooling2D": "global_average_pooling2d",
    "GlobalMaxPooling2D": "global_max_pooling2d",
    "SparseConv2D": "sparse_conv2d",
    "Subsampling2D": "subsampling2d",
    "EuclideanRBF": "euclidean_rbf",
}


_FAMILY_OF = {"Activation": "activations", "BatchNormalization": "normalization", "Dropout": "regularization"}


def __getattr__(name: str) -> object:
    """The lecture's other layer classes, loaded from their families on first use (no built-in stack needs them)."""
    if name in _FAMILY_OF:
        from importlib import import_module

        return getattr(import_module(f"lenet_explain.calculator.{_FAMILY_OF[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def keras_base_name(layer_type: str) -> str:
    """Return the name Keras gives the first unnamed layer of a class: ``Conv2DTranspose`` → ``conv2d_transpose``."""
    if layer_type in _KERAS_BASE_NAMES:
        return _KERAS_BASE_NAMES[layer_type]
    import re

    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", layer_type)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def layer_fields(layer: Layer) -> dict[str, object]:
    """Return a layer's arguments as a dict (without ``name``), in declaration order."""
    return {f.name: getattr(layer, f.name) for f in fields(layer) if f.name != "name"}


Call: TypeAlias = tuple[str, ...]  # the names one call of a layer reads: layers, or the input ("name#k": k-th call)


@dataclass(frozen=True)
class Stack:
    """A named input plus an ordered tuple of layers; unnamed layers get Keras-style names.

    ``inbound`` makes it a graph: for each layer, its calls, each the names of the layers (or the input) it reads,
    all named before it; a layer called more than once is shared (its weights counted once) and ``name#1`` is the
    output of its second call. Empty, each layer reads the one before it (a plain chain).
    """

    name: str
    input: Input
    layers: tuple[Layer, ...]
    inbound: tuple[tuple[Call, ...], ...] = ()

    def __post_init__(self) -> None:
        counts: dict[str, int] = {}
        named: list[Layer] = []
        for layer in self.layers:
            if isinstance(layer, Input):
                raise LenetError("an Input layer may only come first in a stack")
            if layer.name:
                named.append(layer)
                continue
            base = keras_base_name(layer.type)
            n = counts.get(base, 0)
            counts[base] = n + 1
            named.append(_renamed(layer, base if n == 0 else f"{base}_{n}"))
        seen: set[str] = set()
        for layer in named:
            if layer.name in seen or (self.inbound and layer.name == self.input_name):
                raise LenetError(f"two layers are named {layer.name!r}")
            seen.add(layer.name)
        object.__setattr__(self, "layers", tuple(named))
        if self.inbound:
            object.__setattr__(self, "inbound", _checked_inbound(self))

    @property
    def input_name(self) -> str:
        """The name layers use to read the input."""
        return self.input.name or "input"

    @property
    def is_graph(self) -> bool:
        """True when some layer does not simply read the one before it."""
        return bool(self.inbound)

    def calls(self) -> tuple[tuple[Call, ...], ...]:
        """Return every layer's calls (a plain chain: each reads the one before it)."""
        if self.inbound:
            return self.inbound
        names = [self.input_name, *(layer.name for layer in self.layers)]
        return tuple(((names[i],),) for i in range(len(self.layers)))


def _checked_inbound(stack: Stack) -> tuple[tuple[Call, ...], ...]:
    """Return ``stack.inbound`` as tuples, or explain which layer reads what is not there (yet)."""
    inbound = stack.inbound
    if not isinstance(inbound, (tuple, list)) or len(inbound) != len(stack.layers):
        raise LenetError("inbound must list the calls of every layer")
    result = []
    for layer, calls in zip(stack.layers, inbound, strict=True):
        if not isinstance(calls, (tuple, list)) or not calls:
            raise LenetError(f"layer {layer.name!r}: inbound must list what it reads")
        for call in calls:
            if not isinstance(call, (tuple, list)) or not call or not all(isinstance(ref, str) for ref in call):
                raise LenetError(f"layer {layer.name!r}: inbound must be names of layers, got {call!r}")
        result.append(tuple(tuple(call) for call in calls))
    checked = tuple(result)
    call_order(stack.input_name, stack.layers, checked)  # every call can be reached, and none reads itself
    return checked


def call_name(layer_name: str, k: int) -> str:
    """Return the name of a layer's ``k``-th call's output: the layer's name, then ``name#1``, ``name#2``, …"""
    return layer_name if k == 0 else f"{layer_name}#{k}"


def call_order(input_name: str, layers: Sequence[Layer], inbound: tuple[tuple[Call, ...], ...]
               ) -> list[tuple[int, int]]:
    """Return the (layer index, call index) pairs in an order where each call comes after everything it reads.

    A shared layer's later call may read a layer listed after it (``d(e(d(x)))``) or its own earlier call
    (``d(d(x))``); a call that reads nothing there, or a loop of calls, is refused.
    """
    made = {call_name(layer.name, k): (i, k) for i, (layer, calls) in enumerate(zip(layers, inbound, strict=True))
            for k in range(len(calls))}
    for layer, calls in zip(layers, inbound, strict=True):
        for call in calls:
            for ref in call:
                if ref != input_name and ref not in made:
                    raise LenetError(f"layer {layer.name!r} reads {ref!r}, which is not the input or a layer")
    waiting: dict[str, list[tuple[int, int]]] = {}  # an output → the calls that still wait for it
    missing: dict[tuple[int, int], int] = {}  # a call → how many of its reads are not made yet
    ready: list[tuple[int, int]] = []
    for i, calls in enumerate(inbound):
        for k, call in enumerate(calls):
            reads = {ref for ref in call if ref != input_name}
            missing[(i, k)] = len(reads)
            for ref in reads:
                waiting.setdefault(ref, []).append((i, k))
            if not reads:
                ready.append((i, k))
    heapq.heapify(ready)  # among the calls that can run, the first listed first: a chain keeps its order
    order: list[tuple[int, int]] = []
    while ready:
        i, k = heapq.heappop(ready)
        order.append((i, k))
        for waiter in waiting.pop(call_name(layers[i].name, k), []):
            missing[waiter] -= 1
            if missing[waiter] == 0:
                heapq.heappush(ready, waiter)
    if len(order) < len(missing):
        i, k = min(pair for pair, count in missing.items() if count)
        which = f"its call {k + 1}" if len(inbound[i]) > 1 else "it"
        raise LenetError(f"layer {layers[i].name!r} is in a loop: what {which} reads depends on its own output")
    return order


def _renamed(layer: Layer, name: str) -> Layer:
    """Return a copy of ``layer`` with another name."""
    return type(layer)(**layer_fields(layer), name=name)


@dataclass(frozen=True, repr=False, eq=False)
class Model(Layer):
    """A model used as a layer inside another (ConvNeXt's stem and downsampling blocks): ``kind`` is Keras' class
    name, Sequential or Functional."""

    stack: Stack
    kind: str = "Functional"

    def __post_init__(self) -> None:
        if self.kind not in ("Sequential", "Functional"):
            raise LenetError(f"Model: kind must be Sequential or Functional, got {self.kind!r}")

    @property
    def type(self) -> str:
        """Keras prints a nested model's class: Sequential or Functional."""
        return self.kind
