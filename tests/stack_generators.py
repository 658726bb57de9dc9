"""Random layer stacks for checking the calculator against Keras (valid by construction, checked by the calculator)."""

from __future__ import annotations

import random

from lenet_explain.calculator.activations import Activation
from lenet_explain.calculator.arithmetic import summarize
from lenet_explain.calculator.layers import (
    AveragePooling2D,
    Conv2D,
    Dense,
    Flatten,
    GlobalAveragePooling2D,
    GlobalMaxPooling2D,
    Input,
    Layer,
    MaxPooling2D,
    Stack,
    ZeroPadding2D,
)
from lenet_explain.calculator.normalization import BatchNormalization
from lenet_explain.calculator.regularization import Dropout
from lenet_explain.errors import LenetError

ACTIVATIONS = (None, "relu", "sigmoid", "tanh", "softmax", "gelu")


def _padding(rng: random.Random, limit: int) -> str | int:
    """Return 'valid', 'same' or an explicit number of pixels up to ``limit``."""
    choice = rng.random()
    if choice < 0.4:
        return "valid"
    if choice < 0.75:
        return "same"
    return rng.randint(0, limit)


def random_conv(rng: random.Random) -> Conv2D:
    """Return a convolution with rectangular kernels, strides or dilation now and then."""
    kernel = (rng.randint(1, 5), rng.randint(1, 5)) if rng.random() < 0.3 else rng.randint(1, 5)
    strides: int | tuple[int, int] = 1
    dilation: int | tuple[int, int] = 1
    if rng.random() < 0.35:
        strides = (rng.randint(1, 3), rng.randint(1, 3)) if rng.random() < 0.3 else rng.randint(1, 3)
    elif rng.random() < 0.3:
        dilation = rng.randint(2, 3)
    return Conv2D(
        rng.randint(1, 12), kernel, strides=strides, padding=_padding(rng, 3), dilation_rate=dilation,
        activation=rng.choice(ACTIVATIONS), use_bias=rng.random() < 0.85,
    )


def random_pool(rng: random.Random) -> Layer:
    """Return a max or average pooling layer, stride defaulting to the pool now and then."""
    pool = rng.randint(1, 3)
    strides = None if rng.random() < 0.5 else rng.randint(1, 3)
    padding = _padding(rng, pool // 2)
    cls = MaxPooling2D if rng.random() < 0.5 else AveragePooling2D
    return cls(pool, strides=strides, padding=padding)


def random_image_layer(rng: random.Random) -> Layer:
    """Return one layer that keeps an image an image."""
    roll = rng.random()
    if roll < 0.45:
        return random_conv(rng)
    if roll < 0.7:
        return random_pool(rng)
    if roll < 0.8:
        return BatchNormalization(center=rng.random() < 0.8, scale=rng.random() < 0.8)
    if roll < 0.87:
        return ZeroPadding2D(((rng.randint(0, 2), rng.randint(0, 2)), (rng.randint(0, 2), rng.randint(0, 2))))
    if roll < 0.93:
        return Dropout(round(rng.random() * 0.5, 2))
    if roll < 0.97:
        return Activation(rng.choice(("relu", "tanh", "sigmoid")))
    return Dense(rng.randint(1, 8), activation=rng.choice(ACTIVATIONS))  # Dense on the last axis of an image


def random_head(rng: random.Random) -> list[Layer]:
    """Return the end of a network: flatten or global pooling, then dense layers."""
    head: list[Layer] = [rng.choice((Flatten(), GlobalAveragePooling2D(), GlobalMaxPooling2D()))]
    for _ in range(rng.randint(0, 2)):
        head.append(Dense(rng.randint(1, 64), activation=rng.choice(ACTIVATIONS), use_bias=rng.random() < 0.9))
        if rng.random() < 0.2:
            head.append(BatchNormalization())
        if rng.random() < 0.2:
            head.append(Dropout(0.25))
    head.append(Dense(rng.randint(2, 10), activation="softmax"))
    return head


def random_stack(rng: random.Random, index: int) -> Stack:
    """Return a random stack that the calculator accepts (layers that do not fit are drawn again)."""
    size = (rng.randint(8, 40), rng.randint(8, 40))
    stack = Stack(f"random_{index}", Input(shape=(*size, rng.choice((1, 3)))), ())
    layers: list[Layer] = []
    for _ in range(rng.randint(1, 7)):
        for _attempt in range(10):
            candidate = random_image_layer(rng)
            try:
                summarize(Stack(stack.name, stack.input, (*layers, candidate)))
            except LenetError:
                continue
            layers.append(candidate)
            break
    layers += random_head(rng)
    return Stack(stack.name, stack.input, tuple(layers))
