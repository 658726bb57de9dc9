"""The built-in layer stacks: the lecture's Keras model, the lecture's 32×32 table and a modern variant."""

from __future__ import annotations

from lenet_explain.calculator.layers import AveragePooling2D, Conv2D, Dense, Flatten, Input, MaxPooling2D, Stack
from lenet_explain.errors import LenetError


def lenet5(name: str, size: int, first_padding: str, activation: str = "sigmoid",
           pooling: type[AveragePooling2D | MaxPooling2D] = AveragePooling2D) -> Stack:
    """Return LeNet-5 as the lecture builds it (or with another activation and pooling) on a ``size``×``size`` input."""
    return Stack(
        name=name,
        input=Input(shape=(size, size, 1)),
        layers=(
            Conv2D(6, (5, 5), padding=first_padding, activation=activation, name="C1"),
            pooling((2, 2), name="S2"),
            Conv2D(16, (5, 5), activation=activation, name="C3"),
            pooling((2, 2), name="S4"),
            Conv2D(120, (5, 5), activation=activation, name="C5"),
            Flatten(name="flatten"),
            Dense(84, activation=activation, name="F6"),
            Dense(10, activation="softmax", name="output"),
        ),
    )


# The lecture's Keras model: 28×28 MNIST digits, the first convolution 'same' so C1 stays 28×28.
LECTURE = lenet5("lecture", 28, "same")
# The lecture's table (and the 1998 paper): a 32×32 input, every convolution 'valid'.
LECTURE32 = lenet5("lecture32", 32, "valid")
# The lecture's model as it is usually trained today: ReLU instead of sigmoid, max instead of average pooling.
MODERN = lenet5("modern", 28, "same", activation="relu", pooling=MaxPooling2D)

BUILTIN_STACKS: dict[str, Stack] = {LECTURE.name: LECTURE, LECTURE32.name: LECTURE32, MODERN.name: MODERN}


def get_stack(name: str) -> Stack:
    """Return the built-in stack called ``name``."""
    try:
        return BUILTIN_STACKS[name]
    except KeyError:
        known = ", ".join(sorted(BUILTIN_STACKS))
        raise LenetError(f"no built-in stack {name!r} (built-ins: {known})") from None
