"""The layers of the LeNet-5 of 1998 that Keras lacks, and their arithmetic (LeCun, Bottou, Bengio and Haffner,
section II.B and appendix A): a convolution with a connection table, trainable subsampling, and Euclidean RBF
units. Their Keras twins live in :mod:`lenet_explain.models.lenet1998_layers`.

Connections as the paper counts them: a sparse convolution unit reads ``kernel × its input maps`` plus its bias;
a subsampling unit one per input of its window (they share the map's coefficient) plus its bias; an RBF unit one
per input (no bias).
"""

from __future__ import annotations

from dataclasses import dataclass

from lenet_explain.calculator.base import Layer, check_field
from lenet_explain.calculator.basics import (
    EVERYTHING,
    Computed,
    ConnectionTerms,
    Field,
    Pair,
    ParamTerms,
    Shape,
    grow_field,
)
from lenet_explain.calculator.bitmaps import DIGIT_BITMAPS, INK, PAPER
from lenet_explain.calculator.windows import split_channels, window_sizes
from lenet_explain.errors import LenetError


def _check_table(layer: SparseConv2D) -> None:
    """Normalise the connection table to sorted tuples; reject empty rows, repeats and negative maps."""
    table = layer.connections
    if not isinstance(table, (tuple, list)) or len(table) != layer.filters:
        raise LenetError(f"{layer.type}: connections must list the input maps of each of the {layer.filters} "
                         f"filters, got {table!r}")
    rows = []
    for number, row in enumerate(table):
        maps = row if isinstance(row, (tuple, list)) else ()
        if not maps or not all(isinstance(m, int) and not isinstance(m, bool) and m >= 0 for m in maps):
            raise LenetError(f"{layer.type}: connections[{number}] must be input map numbers >= 0, got {row!r}")
        if len(set(maps)) != len(maps):
            raise LenetError(f"{layer.type}: connections[{number}] names a map twice: {row!r}")
        rows.append(tuple(sorted(maps)))
    object.__setattr__(layer, "connections", tuple(rows))


def table_groups(table: tuple[tuple[int, ...], ...]) -> tuple[tuple[int, int], ...]:
    """Return (filters, input maps each reads) for each size of row in a connection table, in order of appearance."""
    reads: dict[int, int] = {}
    for row in table:
        reads[len(row)] = reads.get(len(row), 0) + 1
    return tuple((count, maps) for maps, count in reads.items())


@dataclass(frozen=True, repr=False, eq=False)
class SparseConv2D(Layer):
    """A 'valid', stride-1 convolution whose filter ``i`` reads only the input maps in ``connections[i]``."""

    filters: int
    kernel_size: Pair
    connections: tuple[tuple[int, ...], ...]
    activation: str | None = None
    use_bias: bool = True

    def __post_init__(self) -> None:
        check_field(self, "filters", "positive")
        check_field(self, "kernel_size", "pair")
        _check_table(self)
        check_field(self, "activation", "activation")
        check_field(self, "use_bias", "bool")

    def compute(self, shape: Shape, field: Field) -> Computed:
        """Each filter's kernel over the maps its table row names."""
        spatial, channels = split_channels(self, shape, 2)
        highest = max(max(row) for row in self.connections)
        if highest >= channels:
            raise LenetError(f"{self.name}: connections name input map {highest} but the input has {channels} maps")
        sizes = window_sizes(self, spatial, self.kernel_size, (1, 1), "valid", (1, 1), "conv")
        out_spatial = (sizes[0].output, sizes[1].output)
        kh, kw = self.kernel_size
        links = sum(len(row) for row in self.connections)
        bias = self.filters if self.use_bias else 0
        groups = table_groups(self.connections)
        return Computed(
            out=(*out_spatial, self.filters), field=grow_field(field, sizes), trainable=kh * kw * links + bias,
            macs=out_spatial[0] * out_spatial[1] * kh * kw * links,
            terms=ParamTerms("sparse_conv", channels, self.kernel_size, self.filters, bias, groups=groups),
            sizes=sizes,
            connections=ConnectionTerms(out_spatial, tuple((count, kh * kw * maps, int(self.use_bias))
                                                           for count, maps in groups)),
        )


@dataclass(frozen=True, repr=False, eq=False)
class Subsampling2D(Layer):
    """LeNet's trainable subsampling: a window's sum times one coefficient per map, plus one bias per map."""

    _checks = (("pool_size", "pair"), ("strides", "pool_strides"), ("activation", "activation"))
    pool_size: Pair = (2, 2)
    strides: Pair = None  # type: ignore[assignment]  # None becomes pool_size
    activation: str | None = None

    def compute(self, shape: Shape, field: Field) -> Computed:
        """One coefficient and one bias per map."""
        spatial, channels = split_channels(self, shape, 2)
        sizes = window_sizes(self, spatial, self.pool_size, self.strides, "valid", (1, 1), "avgpool")
        out_spatial = (sizes[0].output, sizes[1].output)
        return Computed(
            out=(*out_spatial, channels), field=grow_field(field, sizes), trainable=2 * channels,
            macs=out_spatial[0] * out_spatial[1] * channels,
            terms=ParamTerms("subsampling", channels, self.pool_size, channels, channels), sizes=sizes,
            connections=ConnectionTerms(out_spatial, ((channels, self.pool_size[0] * self.pool_size[1], 1),)),
        )


def _check_prototypes(layer: EuclideanRBF) -> None:
    """Reject prototypes that are not bitmaps of one size drawn with ``#`` (ink) and ``.`` (paper)."""
    value = layer.prototypes
    bitmaps = value if isinstance(value, (tuple, list)) else ()
    sizes: set[tuple[int, ...] | None] = set()
    for bitmap in bitmaps:
        rows = bitmap if isinstance(bitmap, (tuple, list)) else ()
        if not rows or not all(isinstance(r, str) and r and set(r) <= {INK, PAPER} for r in rows):
            sizes.add(None)
        else:
            sizes.add((len(rows), *(len(r) for r in rows)))
    shape = next(iter(sizes)) if len(sizes) == 1 else None
    if not bitmaps or shape is None or len(set(shape[1:])) != 1:
        raise LenetError(f"{layer.type}: prototypes must be bitmaps of one size, each a list of equally long rows "
                         f"of '{INK}' (ink, +1) and '{PAPER}' (paper, −1)")
    object.__setattr__(layer, "prototypes", tuple(tuple(rows) for rows in bitmaps))


@dataclass(frozen=True, repr=False, eq=False)
class EuclideanRBF(Layer):
    """Euclidean RBF units, y_i = Σ_j (x_j − w_ij)², one per prototype bitmap; the weights w are fixed ±1."""

    prototypes: tuple[tuple[str, ...], ...] = DIGIT_BITMAPS  # the ten 7×12 digit bitmaps

    def __post_init__(self) -> None:
        _check_prototypes(self)

    @property
    def units(self) -> int:
        """One unit per prototype."""
        return len(self.prototypes)

    @property
    def inputs(self) -> int:
        """The number of pixels of each prototype, which must be the number of inputs."""
        return sum(len(row) for row in self.prototypes[0])

    def compute(self, shape: Shape, field: Field) -> Computed:
        """Each unit's distance to its prototype: one fixed weight per input."""
        if len(shape) != 1 or shape[0] != self.inputs:
            raise LenetError(f"{self.name}: EuclideanRBF needs {self.inputs} inputs (one per prototype pixel), "
                             f"got {shape}")
        fixed = self.units * self.inputs
        return Computed(out=(self.units,), field=EVERYTHING, fixed=fixed, macs=fixed,
                        terms=ParamTerms("rbf", self.inputs, None, self.units),
                        connections=ConnectionTerms((), ((self.units, self.inputs, 0),)))
