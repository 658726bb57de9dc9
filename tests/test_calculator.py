"""The pure calculator: sizes against independent window counting, receptive fields, formulas, errors.

These tests never import TensorFlow and run in well under a second; the Keras oracle tests are in
test_keras_oracle.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lenet_explain.calculator.arithmetic import output_size, summarize
from lenet_explain.calculator.formatting import (
    format_param_formula,
    format_size_formula,
    format_summary,
    summary_to_dict,
)
from lenet_explain.calculator.layers import (
    AveragePooling2D,
    Conv2D,
    Dense,
    Input,
    MaxPooling2D,
    Stack,
)
from lenet_explain.calculator.normalization import BatchNormalization
from lenet_explain.calculator.stackfile import load_stack, stack_from_dict
from lenet_explain.calculator.stacks import LECTURE, LECTURE32
from lenet_explain.errors import LenetError


def count_windows_floor(size: int, effective: int, stride: int, before: int, after: int) -> int:
    """Count window starts that fit wholly inside the padded axis, one by one."""
    return sum(1 for start in range(0, size + before + after) if start % stride == 0
               and start + effective <= size + before + after)


def count_windows_ceil(size: int, effective: int, stride: int, pad: int) -> int:
    """PyTorch's ceil mode, walked window by window: go on until a window reaches the end of the padded
    axis, but never start a window in the right padding."""
    padded, count, start = size + 2 * pad, 0, 0
    if effective > padded:
        return 0
    while start - pad < size:
        count += 1
        if start + effective >= padded:
            break
        start += stride
    return count


sizes = st.integers(1, 40)
kernels = st.integers(1, 7)
strides = st.integers(1, 4)
dilations = st.integers(1, 3)


@given(sizes, kernels, strides, dilations, st.integers(0, 4))
def test_floor_size_counts_the_windows_that_fit(size: int, kernel: int, stride: int, dilation: int, pad: int) -> None:
    effective = dilation * (kernel - 1) + 1
    expected = count_windows_floor(size, effective, stride, pad, pad)
    if expected == 0:
        with pytest.raises(LenetError, match="larger than"):
            output_size(size, kernel, stride, pad, dilation)
        return
    axis = output_size(size, kernel, stride, pad, dilation)
    assert axis.output == expected
    assert axis.numerator == size + 2 * pad - effective


@given(sizes, kernels, strides, dilations)
def test_same_padding_is_keras_rule_and_its_windows_fit(size: int, kernel: int, stride: int, dilation: int) -> None:
    axis = output_size(size, kernel, stride, "same", dilation)
    assert axis.output == -(-size // stride)
    assert axis.pad_after - axis.pad_before in (0, 1)  # the odd pixel goes at the end
    windows = count_windows_floor(size, axis.effective_kernel, stride, axis.pad_before, axis.pad_after)
    assert windows == axis.output


@given(sizes, kernels, strides, st.integers(0, 3), st.sampled_from(["maxpool", "avgpool"]))
def test_ceil_mode_matches_pytorch_rule_walked_window_by_window(
    size: int, kernel: int, stride: int, pad: int, op: str
) -> None:
    if pad > kernel // 2:
        with pytest.raises(LenetError, match="more than half the pool size"):
            output_size(size, kernel, stride, pad, op=op, ceil_mode=True)
        return
    expected = count_windows_ceil(size, kernel, stride, pad)
    if expected == 0:
        with pytest.raises(LenetError):
            output_size(size, kernel, stride, pad, op=op, ceil_mode=True)
        return
    axis = output_size(size, kernel, stride, pad, op=op, ceil_mode=True)
    assert axis.output == expected
    floor = output_size(size, kernel, stride, pad, op=op)
    assert floor.output <= axis.output <= floor.output + 1


def test_lecture_pooling_7_to_4_needs_ceil_mode_or_same() -> None:
    assert output_size(7, 2, 2, op="maxpool").output == 3
    assert output_size(7, 2, 2, op="maxpool", ceil_mode=True).output == 4
    assert output_size(7, 2, 2, "same", op="maxpool").output == 4


def test_pool_stride_defaults_to_pool_size_and_conv_stride_to_one() -> None:
    assert output_size(28, 2, op="avgpool").stride == 2
    assert output_size(28, 5).stride == 1


def receptive_field_brute_force(windows: list[tuple[int, int, int]]) -> int:
    """Span of input indices that reach one output index, following (kernel, stride, dilation) backwards."""
    reached = {0}
    for kernel, stride, dilation in reversed(windows):
        reached = {o * stride + dilation * t for o in reached for t in range(kernel)}
    return max(reached) - min(reached) + 1


@pytest.mark.parametrize("stack", [LECTURE, LECTURE32], ids=lambda s: s.name)
def test_receptive_fields_match_brute_force(stack: Stack) -> None:
    windows: list[tuple[int, int, int]] = []
    for row in summarize(stack).rows:
        if row.sizes is not None:
            axis = row.sizes[0]
            windows.append((axis.kernel, axis.stride, axis.dilation))
            assert row.receptive_field == (receptive_field_brute_force(windows),) * 2
    assert [w[0] for w in windows] == [5, 2, 5, 2, 5]


@given(st.lists(st.tuples(kernels, strides, dilations), min_size=1, max_size=5))
def test_receptive_field_of_random_chains(chain: list[tuple[int, int, int]]) -> None:
    layers = tuple(Conv2D(1, k, strides=s, dilation_rate=d, padding="same") for k, s, d in chain)
    rows = summarize(Stack("chain", Input(shape=(64, 64, 1)), layers)).rows
    assert rows[-1].receptive_field == (receptive_field_brute_force(chain),) * 2


def test_lecture_formulas_read_like_the_lecture() -> None:
    rows = {r.name: r for r in summarize(LECTURE32).rows}
    assert format_param_formula(rows["C1"]) == f"1×(5×5)×6 + 6 = {rows['C1'].params}"
    assert format_param_formula(rows["C3"]) == f"6×(5×5)×16 + 16 = {rows['C3'].params}"
    assert format_param_formula(rows["F6"]) == f"120×84 + 84 = {rows['F6'].params}"
    assert rows["C1"].sizes is not None
    assert format_size_formula(rows["C1"].sizes[0]) == "(32 − 5 + 0)/1 + 1 = 28"
    assert format_size_formula(output_size(6, 3)) == "(6 − 3 + 0)/1 + 1 = 4"
    assert format_size_formula(output_size(7, 2, 2, op="maxpool")) == "⌊(7 − 2 + 0)/2⌋ + 1 = ⌊2.5⌋ + 1 = 3"
    ceil = output_size(7, 2, 2, op="maxpool", ceil_mode=True)
    assert format_size_formula(ceil) == "⌈(7 − 2 + 0)/2⌉ + 1 = ⌈2.5⌉ + 1 = 4"


@given(sizes, kernels, strides, dilations, st.sampled_from(["valid", "same", 0, 1, 2]))
def test_formula_ends_in_the_output(size: int, kernel: int, stride: int, dilation: int, padding: str | int) -> None:
    try:
        axis = output_size(size, kernel, stride, padding, dilation)
    except LenetError:
        return
    text = format_size_formula(axis)
    assert text.endswith(f"= {axis.output}")
    assert ("⌊" in text) == (not axis.exact)


def test_kernel_depth_versus_number_of_kernels() -> None:
    # The lecture's example: two 3×3 kernels on a 3-channel input: (3×3×3 + 1)×2 parameters.
    row = summarize(Stack("rgb", Input(shape=(9, 9, 3)), (Conv2D(2, 3),))).rows[0]
    assert row.params == (3 * 3 * 3 + 1) * 2
    assert row.output_shape == (7, 7, 2)
    assert format_param_formula(row) == f"3×(3×3)×2 + 2 = {row.params}"


def test_batch_normalization_splits_trainable_and_not() -> None:
    rows = summarize(Stack("bn", Input(shape=(8, 8, 5)), (BatchNormalization(), BatchNormalization(center=False)))).rows
    assert (rows[0].params, rows[0].trainable_params, rows[0].non_trainable_params) == (20, 10, 10)
    assert (rows[1].params, rows[1].trainable_params, rows[1].non_trainable_params) == (15, 5, 10)


def test_dense_on_an_image_acts_on_the_last_axis() -> None:
    row = summarize(Stack("d", Input(shape=(4, 5, 3)), (Dense(7),))).rows[0]
    assert row.output_shape == (4, 5, 7)
    assert row.params == 3 * 7 + 7
    assert row.macs == 4 * 5 * 3 * 7


def test_totals_add_up_and_json_has_the_contract_keys() -> None:
    summary = summarize(LECTURE)
    assert summary.total_params == sum(r.params for r in summary.rows)
    assert summary.total_macs == sum(r.macs for r in summary.rows)
    data = summary_to_dict(summary)
    assert {"layers", "total_params", "trainable_params", "non_trainable_params", "total_macs"} <= set(data)
    first = data["layers"][0]
    assert {"name", "type", "output_shape", "params", "macs"} <= set(first)
    assert first["type"] == "Conv2D" and first["output_shape"] == [28, 28, 6]
    text = format_summary(summary)
    assert f"Total params: {summary.total_params:,}" in text


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: output_size(0, 3), "input must be a positive integer, got 0"),
        (lambda: output_size(5, -1), "kernel must be a positive integer, got -1"),
        (lambda: output_size(5, 3, 0), "stride must be a positive integer, got 0"),
        (lambda: output_size(5, 3, 1, "valid", 0), "dilation must be a positive integer, got 0"),
        (lambda: output_size(5.5, 3), "input must be a positive integer, got 5.5"),  # type: ignore[arg-type]
        (lambda: output_size(5, 3, 1, "full"), "padding must be 'valid', 'same' or a number of pixels >= 0, got 'full'"),  # noqa: E501
        (lambda: output_size(5, 7), "kernel 7 is larger than the input 5"),
        (lambda: output_size(3, 7, padding=1), "kernel 7 is larger than the padded input 5 (3 + 2×1)"),
        (lambda: output_size(5, 3, dilation=3), "dilated kernel 7 (kernel 3, dilation 3) is larger than the input 5"),
        (lambda: output_size(5, 3, op="pool"), "unknown operation 'pool'"),
        (lambda: output_size(5, 2, op="avgpool", dilation=2), "average pooling has no dilation"),
        (lambda: output_size(5, 2, ceil_mode=True), "ceil mode applies to pooling only"),
        (lambda: output_size(5, 2, padding="same", op="maxpool", ceil_mode=True), "not to 'same'"),
        (lambda: output_size(5, 3, padding=2, op="maxpool"), "padding 2 is more than half the pool size 3"),
    ],
)
def test_bad_settings_are_explained_in_one_line(call: object, message: str) -> None:
    with pytest.raises(LenetError) as caught:
        call()  # type: ignore[operator]
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_layer_errors_name_the_layer() -> None:
    tiny = Stack("tiny", Input(shape=(4, 4, 1)), (Conv2D(1, 3, name="c1"), Conv2D(1, 3, name="c2")))
    with pytest.raises(LenetError, match=r"^c2: kernel 3 is larger than the input 2 \(sizes: input 4×4 → c1 2×2\)$"):
        summarize(tiny)
    with pytest.raises(LenetError, match="Conv2D needs a \\(height, width, channels\\) input"):
        summarize(Stack("flat", Input(shape=(10,)), (Conv2D(1, 3),)))
    with pytest.raises(LenetError, match="Conv2D: filters must be a positive integer, got 0"):
        Conv2D(0, 3)
    with pytest.raises(LenetError, match="unknown activation 'sigmoidal'"):
        Dense(3, activation="sigmoidal")
    with pytest.raises(LenetError, match="two layers are named 'x'"):
        Stack("dup", Input(shape=(8, 8, 1)), (MaxPooling2D(name="x"), AveragePooling2D(name="x")))


def test_unnamed_layers_get_keras_style_names() -> None:
    stack = Stack("n", Input(shape=(8, 8, 1)), (Conv2D(1, 3), Conv2D(1, 3), MaxPooling2D(), Dense(2)))
    assert [layer.name for layer in stack.layers] == ["conv2d", "conv2d_1", "max_pooling2d", "dense"]


def test_stack_file_describes_a_graph() -> None:
    """A stack file's layers may say what they read ("inbound"); the rest read the layer before them."""
    from lenet_explain.calculator.formatting import format_summary

    stack = load_stack(str(Path(__file__).parent / "data" / "stacks" / "residual-block.json"))
    summary = summarize(stack)
    rows = {row.name: row for row in summary.rows}
    assert rows["residual"].inbound == ("stem", "conv_b")
    assert rows["conv_a"].inbound == ("stem",)
    assert rows["residual"].receptive_field == (7, 7)  # through conv_a and conv_b, not the shortcut's 3
    assert "Connected to" in format_summary(summary)


def test_shared_layers_may_read_their_own_or_a_later_layer_s_output() -> None:
    """``d(d(x))`` and ``d(e(d(x)))``, as Keras saves them: every call computed once its input exists."""
    dense = {"type": "Dense", "units": 8, "name": "d"}
    twice = stack_from_dict({"input": [8], "layers": [{**dense, "inbound": [["input"], ["d"]]}]})
    around = stack_from_dict({"input": [8], "layers": [{**dense, "inbound": [["input"], ["e"]]},
                                                       {"type": "Dense", "units": 4, "name": "e", "inbound": "d"}]})
    rows = {row.name: row for row in summarize(around).rows}
    assert summarize(twice).rows[0].macs == 2 * 8 * 8 and summarize(twice).total_params == 8 * 8 + 8
    assert rows["d"].macs == 8 * 8 + 4 * 8 and rows["d"].output_shape == (8,) and rows["e"].output_shape == (4,)


@pytest.mark.parametrize(("inbound", "message"), [
    (["nowhere"], "reads 'nowhere', which is not the input or a layer"),
    ([1], "inbound must be a name"),
    (["classes"], "'residual' is in a loop: what it reads depends on its own output"),  # classes reads … residual
])
def test_bad_graph_is_one_line(inbound: object, message: str) -> None:
    data = json.loads((Path(__file__).parent / "data" / "stacks" / "residual-block.json").read_text())
    data["layers"][3]["inbound"] = inbound
    with pytest.raises(LenetError, match=re.escape(message)):
        stack_from_dict(data)
