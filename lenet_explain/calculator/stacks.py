"""The built-in layer stacks: the lecture's Keras model, its 32×32 table, a modern variant and the LeNet-5 of 1998."""

from __future__ import annotations

from lenet_explain.calculator.layers import (
    SCALED_TANH,
    AveragePooling2D,
    Conv2D,
    Dense,
    EuclideanRBF,
    Flatten,
    Input,
    MaxPooling2D,
    SparseConv2D,
    Stack,
    Subsampling2D,
)
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


# Table I of the paper: which of S2's six maps each of C3's sixteen maps reads. Maps 0–5 read three neighbouring
# maps, 6–11 four neighbouring maps, 12–14 four maps that are not all neighbours, and 15 reads all six.
C3_TABLE: tuple[tuple[int, ...], ...] = (
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (4, 5, 0), (5, 0, 1),
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (3, 4, 5, 0), (4, 5, 0, 1), (5, 0, 1, 2),
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),
    (0, 1, 2, 3, 4, 5),
)


def lenet1998() -> Stack:
    """Return LeNet-5 as LeCun, Bottou, Bengio and Haffner describe it in 1998 (section II.B)."""
    return Stack(
        name="lenet1998",
        input=Input(shape=(32, 32, 1)),
        layers=(
            Conv2D(6, (5, 5), activation=SCALED_TANH, name="C1"),
            Subsampling2D((2, 2), activation=SCALED_TANH, name="S2"),
            SparseConv2D(16, (5, 5), connections=C3_TABLE, activation=SCALED_TANH, name="C3"),
            Subsampling2D((2, 2), activation=SCALED_TANH, name="S4"),
            Conv2D(120, (5, 5), activation=SCALED_TANH, name="C5"),
            Flatten(name="flatten"),
            Dense(84, activation=SCALED_TANH, name="F6"),
            EuclideanRBF(name="output"),  # fixed ±1 prototypes: the 7×12 digit bitmaps
        ),
    )


# The paper's network: 32×32 input, sparse C3, trainable subsampling, scaled tanh, RBF output.
LENET1998 = lenet1998()

BUILTIN_STACKS: dict[str, Stack] = {LECTURE.name: LECTURE, LECTURE32.name: LECTURE32, MODERN.name: MODERN,
                                   LENET1998.name: LENET1998}


def get_stack(name: str) -> Stack:
    """Return the built-in stack called ``name``."""
    try:
        return BUILTIN_STACKS[name]
    except KeyError:
        known = ", ".join(sorted(BUILTIN_STACKS))
        raise LenetError(f"no built-in stack {name!r} (built-ins: {known})") from None
