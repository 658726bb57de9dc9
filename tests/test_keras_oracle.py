"""Keras is the oracle: built-ins, 100+ random stacks and the size function against real Keras."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stack_generators import random_stack

from lenet_explain.calculator.arithmetic import output_size, summarize
from lenet_explain.calculator.stacks import LECTURE, LECTURE32
from lenet_explain.errors import LenetError

pytestmark = pytest.mark.tf
keras = pytest.importorskip("keras")

from lenet_explain.models.keras_check import (  # noqa: E402
    keras_layer_facts,
    keras_summary_text,
    parse_summary_totals,
    verify_stack,
)
from lenet_explain.models.keras_model import build_model  # noqa: E402

RANDOM_STACKS = 100  # as the README says; about 8 s since the loop no longer collects garbage per stack


@pytest.mark.parametrize("stack", [LECTURE, LECTURE32], ids=lambda s: s.name)
def test_builtin_stacks_match_keras_layer_by_layer(stack: object) -> None:
    summary = summarize(stack)  # type: ignore[arg-type]
    model = build_model(stack)  # type: ignore[arg-type]
    facts = keras_layer_facts(model)
    assert list(facts) == [row.name for row in summary.rows]
    for row in summary.rows:
        shape, params, trainable = facts[row.name]
        assert row.output_shape == shape, row.name
        assert row.params == params, row.name
        assert row.trainable_params == trainable, row.name
    totals = parse_summary_totals(keras_summary_text(model))
    assert totals == {
        "total": summary.total_params,
        "trainable": summary.trainable_params,
        "non-trainable": summary.non_trainable_params,
    }
    report = verify_stack(stack)  # type: ignore[arg-type]
    assert report.ok, report.mismatches
    assert report.layers_checked == len(summary.rows)


def test_random_stacks_match_keras() -> None:
    rng = random.Random(20261128)
    failures = []
    kinds: set[str] = set()
    for index in range(RANDOM_STACKS):
        stack = random_stack(rng, index)
        kinds.update(layer.type for layer in stack.layers)
        try:
            report = verify_stack(stack)
        except LenetError as error:  # Keras cannot express this stack (e.g. strides with dilation)
            assert "Keras" in str(error)
            continue
        if not report.ok:
            failures.append((stack, report.mismatches))
        keras.backend.clear_session(free_memory=False)  # no gc.collect per stack (Keras' advice for a short loop)
    assert not failures, failures[:3]
    # The generator really exercised every kind of layer the calculator knows.
    assert kinds >= {"Conv2D", "MaxPooling2D", "AveragePooling2D", "ZeroPadding2D", "Flatten", "Dense",
                     "Dropout", "Activation", "BatchNormalization", "GlobalAveragePooling2D", "GlobalMaxPooling2D"}


def keras_conv_size(size: int, kernel: int, stride: int, padding: str | int, dilation: int) -> int:
    """Ask Keras for the output width of a convolution (explicit padding as ZeroPadding2D first)."""
    shape: tuple[int | None, ...] = (None, 1, size, 1)
    if isinstance(padding, int):
        shape = keras.layers.ZeroPadding2D((0, padding)).compute_output_shape(shape)
        padding = "valid"
    layer = keras.layers.Conv2D(1, (1, kernel), strides=(1, stride), padding=padding, dilation_rate=(1, dilation))
    return int(layer.compute_output_shape(shape)[2])


def keras_pool_size(size: int, pool: int, stride: int, padding: str, op: str) -> int:
    """Ask Keras for the output width of a pooling layer."""
    cls = keras.layers.MaxPooling2D if op == "maxpool" else keras.layers.AveragePooling2D
    return int(cls((1, pool), strides=(1, stride), padding=padding).compute_output_shape((None, 1, size, 1))[2])


@given(
    st.integers(1, 64), st.integers(1, 9), st.integers(1, 5), st.integers(1, 4),
    st.sampled_from(["valid", "same", 0, 1, 2, 3]),
)
def test_conv_size_matches_keras_compute_output_shape(
    size: int, kernel: int, stride: int, dilation: int, padding: str | int
) -> None:
    if stride > 1 and dilation > 1:
        dilation = 1  # Keras refuses strides > 1 with dilation > 1
    try:
        ours: int | None = output_size(size, kernel, stride, padding, dilation).output
    except LenetError:
        ours = None
    try:
        theirs: int | None = keras_conv_size(size, kernel, stride, padding, dilation)
    except ValueError:
        theirs = None
    assert ours == theirs


@given(st.integers(1, 64), st.integers(1, 6), st.integers(1, 6), st.sampled_from(["valid", "same"]),
       st.sampled_from(["maxpool", "avgpool"]))
def test_pool_size_matches_keras_compute_output_shape(size: int, pool: int, stride: int, padding: str, op: str) -> None:
    try:
        ours: int | None = output_size(size, pool, stride, padding, op=op).output
    except LenetError:
        ours = None
    try:
        theirs: int | None = keras_pool_size(size, pool, stride, padding, op)
    except ValueError:
        theirs = None
    assert ours == theirs
