"""Receptive fields as places on the input: which pixels one unit of a layer sees, from the calculator's numbers.

The calculator (:func:`lenet_explain.calculator.arithmetic.summarize`) gives each layer's receptive field size
and jump (how far apart neighbouring units' fields are, in input pixels). To put a field *on* the input, one more
number is needed: where the field of the layer's first unit starts. Padding moves it: a layer that pads its input
by ``p`` starts ``p`` of its input's steps earlier, so a field can reach past the picture into the padding (the
lecture's C1 pads by 2 on each side). Rows and columns here count from 0; a negative one is padding.
"""

from __future__ import annotations

from dataclasses import dataclass

from lenet_explain.calculator.arithmetic import summarize
from lenet_explain.calculator.layers import Stack, ZeroPadding2D
from lenet_explain.errors import LenetError


@dataclass(frozen=True)
class FieldLayer:
    """One windowed layer's receptive field, per axis (height, width)."""

    name: str
    type: str
    output: tuple[int, int]  # the layer's output height and width
    kernel: tuple[int, int]  # the window (kernel or pool) with its dilation
    stride: tuple[int, int]
    pad: tuple[int, int]  # padding before the first row and column
    previous_size: tuple[int, int]  # the receptive field of the layer's input
    previous_jump: tuple[int, int]
    size: tuple[int, int]  # the calculator's receptive field
    jump: tuple[int, int]  # the calculator's jump
    first: tuple[int, int]  # where the first unit's field starts on the input (negative: in the padding)

    def window(self, row: int, col: int) -> tuple[int, int, int, int]:
        """Return the input rows and columns unit (``row``, ``col``) sees: (top, left, bottom, right), stop excluded."""
        if not (0 <= row < self.output[0] and 0 <= col < self.output[1]):
            raise LenetError(f"{self.name} has no unit at row {row + 1}, column {col + 1}")
        top = self.first[0] + row * self.jump[0]
        left = self.first[1] + col * self.jump[1]
        return top, left, top + self.size[0], left + self.size[1]

    def starts(self, axis: int) -> list[int]:
        """Return where the field of every unit along ``axis`` (0: rows, 1: columns) starts on the input."""
        return [self.first[axis] + i * self.jump[axis] for i in range(self.output[axis])]


def field_layers(stack: Stack) -> list[FieldLayer]:
    """Return every convolution and pooling layer of ``stack`` up to the first that mixes the whole input."""
    summary = summarize(stack)
    size, jump, first = (1, 1), (1, 1), (0, 0)
    out = []
    for layer, row in zip(stack.layers, summary.rows, strict=True):
        if row.receptive_field is None or row.jump is None:
            break  # Flatten or a global pooling: every unit sees the whole input
        if isinstance(layer, ZeroPadding2D):
            (top, _), (left, _) = layer.padding
            first = (first[0] - top * jump[0], first[1] - left * jump[1])
            continue
        if row.sizes is None:
            continue  # an element-wise layer: the field does not change
        pad = (row.sizes[0].pad_before, row.sizes[1].pad_before)
        kernel = (row.sizes[0].effective_kernel, row.sizes[1].effective_kernel)
        grown = tuple(s + (k - 1) * j for s, k, j in zip(size, kernel, jump, strict=True))
        if grown != row.receptive_field:
            raise LenetError(f"{row.name}: receptive field {row.receptive_field} does not follow from {grown}")
        first = (first[0] - pad[0] * jump[0], first[1] - pad[1] * jump[1])
        field = (int(row.receptive_field[0]), int(row.receptive_field[1]))  # whole pixels in a 2D stack
        row_jump = (int(row.jump[0]), int(row.jump[1]))
        out.append(FieldLayer(row.name, row.type, (row.output_shape[0], row.output_shape[1]), kernel,
                              (row.sizes[0].stride, row.sizes[1].stride), pad, size, jump, field, row_jump, first))
        size, jump = field, row_jump
    return out


def span_text(start: int, count: int, length: int, axis: str, language: str = "en") -> str:
    """Return input lines ``start`` … ``start + count − 1`` counted from 1, with the padding said in words.

    ``axis`` is "row" or "column"; ``span_text(-2, 5, 28, "row")`` is '1 to 3 and 2 padding rows above'.
    """
    from lenet_explain.site.words import say

    first, last = max(start, 0), min(start + count, length) - 1
    before, after = first - start, start + count - 1 - last
    sides = ("above", "below") if axis == "row" else ("on_left", "on_right")

    def padding(k: int, side: str) -> str:
        key = f"pad_{axis}s" if k > 1 else f"pad_{axis}"
        return say(language, key, n=k, side=say(language, side)) if k else ""

    inside = say(language, "span", first=first + 1, last=last + 1) if last > first else f"{first + 1}"
    return inside + padding(before, sides[0]) + padding(after, sides[1])
