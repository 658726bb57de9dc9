"""The calculator page's arithmetic (docs/calculator/*.js, run in Node) against the Python calculator, on
generated settings and stacks, broken and hostile files, typed numbers and a saved model's config: the same
answer, or both refuse. No browser (the fast tier); tests/test_calculator_page.py keeps a few cases in Chromium.

Refusals are compared by what they say, not word for word: the page writes values as JSON does ("x", true, null)
where the command line writes Python's ('x', True, None), and says in its own words what is wrong with a JSON
text; so a one-axis refusal must have the same wording once the values are left out (the same rule, the same
field), and a stack file's must name the same layer. The oracle is ``lenet_explain``; nothing here compares
against numbers typed into the test.
"""

from __future__ import annotations

import functools
import html
import json
import random
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from node_calculator import (
    CJK_CHARACTER,
    CODE_TOKEN,
    KEPT_IN_REFUSALS,
    TUPLE,
    as_case,
    code_words,
    english_left,
    latin_words,
    run_cases,
    run_kind,
    same_answer,
    same_refusal,
)
from stack_generators import random_stack
from test_calculator_hostile import hostile_texts, python_result, typed_numbers
from test_calculator_keras_node import OPEN, config_cases, hostile_archives, mutated_configs
from test_calculator_page import (
    EXAMPLES,
    broken_files,
    edge_settings,
    generated_settings,
    page_message,
    page_total_lines,
    python_call,
    python_size,
    python_summary,
    stack_file,
    typeable,
    without_connections,
)

from lenet_explain import limits
from lenet_explain.calculator.arithmetic import output_size, summarize
from lenet_explain.calculator.formatting import NOTE_WORDS, format_size_formula, summary_to_dict
from lenet_explain.calculator.layers import Dense, Input, Stack, ZeroPadding2D
from lenet_explain.calculator.normalization import BatchNormalization
from lenet_explain.calculator.regularization import Dropout
from lenet_explain.calculator.stackfile import load_stack, stack_from_dict, stack_from_keras_config
from lenet_explain.calculator.stacks import LECTURE, LECTURE32, get_stack
from lenet_explain.cli import main
from lenet_explain.errors import LenetError
from lenet_explain.site import size_macros as sizes
from lenet_explain.site.i18n import translate

ROOT = Path(__file__).resolve().parent.parent
SAVED_MODEL = ROOT / "lenet_explain" / "data" / "lenet5_mnist.keras"


def node_results(kind: str, items: list[Any]) -> list[dict[str, Any]]:
    """The page's answers: its result, or {"error": message}; every refusal is the calculator's own error."""
    results = []
    for answer in run_kind(kind, items):
        if "error" in answer:
            assert answer["lenet"], answer["error"]  # never a JavaScript TypeError or RangeError
            results.append({"error": answer["error"]})
        else:
            results.append(answer["ok"])
    return results


def test_size_matches_python_on_generated_settings() -> None:
    """Generated one-axis settings and the rounding corners: identical results, identical rejections."""
    settings = generated_settings(1200, seed=6) + edge_settings()
    expected = [python_size(python_call(s)) for s in settings]
    got = node_results("size", settings)
    mismatches = [(s, e, g) for s, e, g in zip(settings, expected, got, strict=True) if not same_answer(e, g)]
    assert not mismatches, f"{len(mismatches)} mismatches, first: {mismatches[:3]}"
    errors = [e["error"] for e in expected if "error" in e]
    for fragment in ("is larger than", "is more than half the pool size", "ceil mode applies to pooling only",
                     "not to 'same'", "average pooling has no dilation", "must be a positive integer",
                     "padding must be", "unknown operation"):
        assert any(fragment in m for m in errors), fragment
    accepted = [e for e in expected if "error" not in e]
    assert len(accepted) >= 500
    assert any(e["dropped_last"] for e in accepted)
    assert any(e["ceil_mode"] and not e["exact"] for e in accepted)
    assert any(e["padding"] == "same" and not e["exact"] for e in accepted)
    assert any(re.search(r"\.\d{3}", e["formula"]) for e in accepted)  # three-decimal quotients (and ties)


def test_size_agrees_with_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    """Every setting that can be typed on the command line: the CLI's JSON, or both refuse with one message."""
    settings = [s for s in generated_settings(2000, seed=61) if all(
        typeable(s[k]) for k in ("input", "kernel", "dilation", "padding")
    ) and isinstance(s["op"], str) and (s["stride"] is None or typeable(s["stride"]))]
    assert len(settings) >= 500
    got = node_results("size", settings)
    rejected = 0
    for setting, result in zip(settings, got, strict=True):
        argv = ["size", "--input", str(setting["input"]), "--kernel", str(setting["kernel"]),
                "--padding", str(setting["padding"]), "--dilation", str(setting["dilation"]), "--op", setting["op"],
                "--json"]
        if setting["stride"] is not None:
            argv += ["--stride", str(setting["stride"])]
        if setting["ceilMode"]:
            argv.append("--ceil-mode")
        status = main(argv)
        captured = capsys.readouterr()
        if status == 0:
            assert "error" not in result, (setting, result)
            assert json.loads(captured.out) == result
        else:
            rejected += 1
            cli = captured.err.strip().removeprefix("lenet-explain: error: ")
            assert same_answer({"error": cli}, result), (setting, cli, result)
    assert rejected >= 100


def test_summary_matches_python_for_lenet_examples_and_generated_stacks() -> None:
    """summarize: the lecture's stacks, the example files and generated stacks, field by field, and the totals."""
    rng = random.Random(7)
    files = [stack_file(LECTURE), stack_file(LECTURE32)]
    files += [json.loads(p.read_text()) for p in sorted(EXAMPLES.glob("*.json"))]
    files += [stack_file(random_stack(rng, i)) for i in range(300)]
    expected = [python_summary(f) for f in files]
    assert not [e for e in expected if "error" in e]
    got = node_results("stack", files)
    for data, e, g in zip(files, expected, got, strict=True):
        assert g["summary"] == e, data["name"]
        assert g["totals"] == page_total_lines(summarize(stack_from_dict(data))), data["name"]


def test_the_pages_built_in_stacks_are_the_packages() -> None:
    builtins = node_results("builtins", [None])[0]
    assert [python_summary(b) for b in builtins] == [python_summary(stack_file(s)) for s in (LECTURE, LECTURE32)]
    assert [b["name"] for b in builtins] == [LECTURE.name, LECTURE32.name]


@pytest.mark.parametrize("layer", [Dropout(0.3), ZeroPadding2D(((1, 0), (0, 2))), Dense(7, use_bias=False),
                                   BatchNormalization(axis=1), BatchNormalization(axis=-2, center=False)])
def test_single_extra_layers_match(layer: Any) -> None:
    """Dropout, ZeroPadding2D, a bias-less Dense and BatchNormalization on another axis than the last, on the
    lecture's C1 output, against Python."""
    data = stack_file(Stack("one", Input((28, 26, 6)), (layer, BatchNormalization(scale=False))))
    assert node_results("stack", [data])[0]["summary"] == python_summary(data)


@pytest.mark.parametrize("axis", [0, 4, -4, 1.0, "1", [1], [1, 2]])
def test_a_batch_normalization_axis_outside_the_input_is_refused_by_both(axis: Any) -> None:
    data = {"name": "bn", "input": [28, 26, 6], "layers": [{"type": "BatchNormalization", "axis": axis}]}
    expected, got = python_summary(data), node_results("stack", [data])[0]
    assert "error" in expected and "error" in got, (expected, got)


def test_rejected_stacks_are_refused_as_python_refuses_them() -> None:
    """A broken stack file or an impossible stack: both refuse, naming the same layer."""
    files = broken_files()
    expected = [python_summary(f) if isinstance(f, dict) else {"error": error_of(f)} for f in files]
    assert all("error" in e for e in expected), [e for e in expected if "error" not in e]
    got = node_results("stack", files)
    mismatches = [(f, e, g) for f, e, g in zip(files, expected, got, strict=True) if not same_refusal(e, g)]
    assert not mismatches, mismatches[:3]


def error_of(data: Any) -> str:
    """The message stack_from_dict raises for ``data``."""
    try:
        stack_from_dict(data)
    except LenetError as error:
        return page_message(str(error))
    raise AssertionError(f"{data!r} was accepted")


def test_hostile_stack_files_get_the_clis_answer_or_both_refuse() -> None:
    """Huge integers, 5.0 against 5, deep nesting, junk layers, odd keys, broken JSON: as the CLI reads them."""
    texts = hostile_texts()
    expected = [python_result(text) for text in texts]
    got = [g if "error" in g else {"summary": g["summary"], "totals": g["totals"]}
           for g in node_results("stackText", texts)]
    mismatches = [(text[:80], e, g) for text, e, g in zip(texts, expected, got, strict=True)
                  if not same_refusal(e, g)]
    assert not mismatches, mismatches[:3]
    summaries = [e["summary"] for e in expected if "summary" in e]
    assert any(s["total_params"] > 10**150 for s in summaries)  # exact far beyond float range
    assert len(summaries) >= 6


def test_typed_numbers_get_the_clis_answer_or_both_refuse(capsys: pytest.CaptureFixture[str]) -> None:
    """Each text as --input, --kernel and --stride of ``lenet-explain size``, and as the page reads it typed."""
    cases = [[option, text] for text in typed_numbers() for option in ("input", "kernel", "stride")]
    got = node_results("typed", [json.dumps(case) for case in cases])
    for (option, text), result in zip(cases, got, strict=True):
        values = {"input": str(40**15), "kernel": "3", "stride": "2", option: text}
        status = main(["size", "--op", "maxpool", "--json", *[f"--{k}={v}" for k, v in values.items()]])
        captured = capsys.readouterr()
        if status == 0:
            assert result == json.loads(captured.out), (option, text, result)
        else:
            cli = captured.err.strip().removeprefix("lenet-explain: error: ")
            assert same_answer({"error": cli}, result), (option, text, cli, result)


def test_the_page_shares_the_clis_limits() -> None:
    assert node_results("limits", [None])[0] == [limits.MAX_DIGITS, limits.MAX_DEPTH, limits.MAX_LAYERS,
                                                 limits.MAX_STACK_FILE_BYTES, limits.MAX_RESULT_DIGITS]


def test_a_saved_models_config_gives_the_clis_summary() -> None:
    """The lecture's saved model (config.json of the .keras archive, read without Keras) and broken variants."""
    with zipfile.ZipFile(SAVED_MODEL) as archive:
        config = json.loads(archive.read("config.json"))
    broken = json.loads(json.dumps(config))
    broken["config"]["layers"][1]["config"]["kernel_size"] = [5, 0]
    odd = json.loads(json.dumps(config))
    odd["config"]["layers"][1]["config"]["unread"] = [float("nan"), float("inf")]  # Python's json writes NaN
    configs = [config, odd, broken, {"class_name": "Sequential", "config": {"layers": "no"}}, []]
    got = node_results("kerasConfig", [json.dumps(c) for c in configs])
    expected: list[dict[str, Any]] = []
    for data in configs:
        try:
            expected.append(without_connections(summary_to_dict(summarize(stack_from_keras_config(data, "model")))))
        except LenetError:
            expected.append({"error": "refused"})
    assert "error" not in expected[0] and got[0]["summary"] == got[1]["summary"] == expected[0] == expected[1]
    for e, g in zip(expected[2:], got[2:], strict=True):
        assert ("error" in e, "error" in g) == (True, True), (e, g)


def test_a_saved_keras_archive_is_read_as_the_cli_reads_it(tmp_path: Path) -> None:
    """The .keras archive itself (zip, inflated by the runtime's DecompressionStream), and files that are not one."""
    not_zip = tmp_path / "not-zip.keras"
    not_zip.write_bytes(b"PK but not a zip")
    cut = tmp_path / "cut.keras"
    cut.write_bytes(SAVED_MODEL.read_bytes()[:-30])
    no_config = tmp_path / "no-config.keras"
    with zipfile.ZipFile(no_config, "w") as archive:
        archive.writestr("metadata.json", "{}")
    paths = [SAVED_MODEL, not_zip, cut, no_config]
    got = node_results("kerasFile", [json.dumps(str(path)) for path in paths])
    expected = without_connections(summary_to_dict(summarize(load_stack(str(SAVED_MODEL)))))
    assert got[0]["summary"] == expected
    for path, answer in zip(paths[1:], got[1:], strict=True):
        with pytest.raises(LenetError):
            load_stack(str(path))
        assert answer["error"].startswith(path.name + ": not a readable .keras archive"), answer


@functools.cache
def mutated_files(count: int, seed: int) -> tuple[str, ...]:
    """Generated stack files with one value (or key) replaced by something odd: the text each side reads (made once,
    for the English and the Chinese test)."""
    rng = random.Random(seed)
    odd: list[Any] = [0, -1, 1, 2, 5.0, 2.5, 1e400, -0.0, True, False, None, "x", "same", "valid", [], [3],
                      [3, 0], [2, 2.0], [[1, 1], [1]], {}, {"a": 1}, 10**30, 10**101, "relu", "sigmoidal"]
    texts = []
    for i in range(count):
        data = stack_file(random_stack(rng, i))
        target: Any = data
        if rng.random() < 0.8 and data["layers"]:
            target = rng.choice(data["layers"])
        key = rng.choice([*sorted(target), "extra", "type", "name"])
        target[key] = rng.choice(odd)
        text = json.dumps(data).replace("Infinity", "1e400")
        if rng.random() < 0.1:  # a repeated key: the last one counts
            text = text.replace('"name": ', '"name": "first", "name": ', 1)
        texts.append(text)
    return tuple(texts)


def test_mutated_stack_files_get_the_same_answer_or_both_refuse() -> None:
    texts = mutated_files(600, seed=12)
    expected = [python_result(text) for text in texts]
    got = [g if "error" in g else {"summary": g["summary"], "totals": g["totals"]}
           for g in node_results("stackText", texts)]
    mismatches = [(text, e, g) for text, e, g in zip(texts, expected, got, strict=True) if not same_refusal(e, g)]
    assert not mismatches, f"{len(mismatches)} mismatches, first: {mismatches[:2]}"
    assert 100 <= sum("error" in e for e in expected) <= 550  # both kinds of answer are well represented


def cli_file_result(tmp_path: Path, data: bytes) -> dict[str, Any]:
    """What ``lenet-explain summary --model FILE.json`` makes of a file's bytes: the summary, or the refusal."""
    path = tmp_path / "stack.json"
    path.write_bytes(data)
    try:
        summary = summarize(load_stack(str(path)))
    except LenetError as error:
        return {"error": page_message(str(error))}
    return {"summary": without_connections(json.loads(json.dumps(summary_to_dict(summary)))),
            "totals": page_total_lines(summary)}


def test_a_loaded_files_bytes_are_decoded_as_the_cli_decodes_them(tmp_path: Path) -> None:
    """Not UTF-8, a byte order mark before the JSON, UTF-8 names (and a BOM inside a name): the CLI's answer."""
    good = '{"name": "réseau ✓", "input": [28, 28, 1], "layers": [{"type": "Flatten", "name": "\ufeffa"}]}'
    latin = good.replace(" ✓", "").replace("\ufeff", "").encode("latin-1")
    files = [good.encode(), "\ufeff".encode() + good.encode(), good.encode("utf-16"), latin,
             b'{"input": [28, 28, 1], "layers": [], "name": "\xff"}', b"\xef\xbb\xbf{}", b"\xed\xa0\x80{}",
             b"\xc0\xaf{}"]
    expected = [cli_file_result(tmp_path, data) for data in files]
    got = [g if "error" in g else {"summary": g["summary"], "totals": g["totals"]}
           for g in node_results("stackBytes", [json.dumps(data.hex()) for data in files])]
    for data, e, g in zip(files, expected, got, strict=True):
        assert ("error" in e) == ("error" in g), (data, e, g)
        if "error" not in e:
            assert e == g
    assert [("error" in e) for e in expected] == [False, True, True, True, True, True, True, True]
    assert "not UTF-8" in got[3]["error"] and "byte order mark" in got[1]["error"]


def pooling_chain(count: int, window: int = 10**99) -> dict[str, Any]:
    """A stack whose jump is 10**(99 × layers), strides of 10**99; with windows of 10**99 so is its receptive
    field, with windows of 2 the receptive field is a layer behind."""
    layer = {"type": "MaxPooling2D", "pool_size": window, "strides": 10**99, "padding": "same"}
    return {"name": "wide", "input": [2, 2, 1], "layers": [dict(layer) for _ in range(count)]}


def test_results_past_the_digit_limit_are_refused_by_both() -> None:
    """A receptive field just below and just past MAX_RESULT_DIGITS digits, and a refused one in a graph."""
    files = [pooling_chain(count) for count in (42, 43, 44, 45)] + [pooling_chain(44, 2)]
    expected = [python_summary(f) for f in files]
    refused = [("error" in e) for e in expected]
    assert False in refused and True in refused, expected  # both sides of the limit
    assert "error" in expected[-1]  # its jump alone has too many digits (it would not print as JSON)
    got = node_results("stack", files)
    for data, e, g in zip(files, expected, got, strict=True):
        if "error" in e:
            assert same_refusal(e, g) and same_answer(e, g), (len(data["layers"]), e, g)
        else:
            assert g["summary"] == e


GRAPHS: list[dict[str, Any]] = [
    {"input": [8, 8, 1], "layers": [
        {"type": "Conv2D", "filters": 1, "kernel_size": 3, "padding": "same", "name": "c"},
        {"type": "Activation", "activation": "relu", "name": "r"},
        {"type": "Conv2D", "filters": 1, "kernel_size": 3, "padding": "same", "name": "d", "inbound": "input"},
        {"type": "Activation", "activation": "sigmoid", "name": "s", "inbound": ["r"]}]},
    # a shared layer whose later call reads a layer listed after it, d(e(d(x))), and its own earlier call d(d(x))
    {"input": [8, 8, 2], "layers": [
        {"type": "Conv2D", "filters": 2, "kernel_size": 3, "padding": "same", "name": "d",
         "inbound": [["input"], ["e"], ["d#1"]]},
        {"type": "MaxPooling2D", "pool_size": 1, "name": "e", "inbound": "d"}]},
    {"input": [8, 8, 1], "layers": [{"type": "Activation", "name": "a", "inbound": "b"},
                                    {"type": "Activation", "name": "b", "inbound": "a"}]},
    {"input": [8, 8, 1], "layers": [{"type": "Dense", "units": 2, "name": "a", "inbound": [["input"], ["a#1"]]}]},
    {"input": [8, 8, 1], "layers": [{"type": "Dense", "units": 2, "name": "a", "inbound": "nowhere"}]},
    {"input": [8, 8, 1], "layers": [{"type": "Dense", "units": 2, "name": "input", "inbound": "input"}]},
    {"input": [8, 8, 1], "layers": [{"type": "Dense", "units": 2, "inbound": []}]},
    {"input": [8, 8, 1], "layers": [{"type": "Dense", "units": 2, "inbound": [["input"], []]}]},
    {"input": [8, 8, 1], "layers": [{"type": "Dense", "units": 2, "inbound": 3}]},
    {"input": [8, 8, 1], "layers": [{"type": "Dense", "units": "x"}, {"type": "Dense", "units": 2, "inbound": 3}]},
    {"input": [8, 8, 1], "layers": [{"type": "Flatten", "name": "f"},
                                    {"type": "Dense", "units": 3, "inbound": [["f"], ["f"], ["dense"]]}]},
    {"input": [8, 8, 1], "layers": [{"type": "Flatten", "inbound": "input"}]},
    {"input": [8, 8, 1], "layers": [{"type": "Conv2D", "filters": 1, "kernel_size": 9, "inbound": "input"}]},
]


def test_graph_stack_files_get_the_clis_answer_or_both_refuse() -> None:
    """Branches, a shared layer read before it is listed and its own earlier call, loops, unknown names."""
    expected = [python_summary(f) for f in GRAPHS]
    got = node_results("stack", GRAPHS)
    for data, e, g in zip(GRAPHS, expected, got, strict=True):
        if "error" in e:
            assert same_refusal(e, g) and same_answer(e, g), (data, e, g)
        else:
            assert g["summary"] == e, data
    assert [("error" in e) for e in expected[:3]] == [False, False, True]
    assert expected[1]["layers"][0]["connected_to"] == ["input", "e", "d#1"]


def test_a_graph_stack_file_survives_the_pages_round_trip() -> None:
    """The page writes a graph back with its "inbound" keys: the CLI reads that file as it read the first."""
    got = node_results("roundTrip", [json.dumps(f) for f in GRAPHS[:2]])
    for data, text in zip(GRAPHS[:2], got, strict=True):
        assert python_summary(json.loads(text)) == python_summary(data)


# --- the same cases on a Chinese page ---------------------------------------------------------------------------

SETTING_KEYS = ("input", "kernel", "stride", "padding", "dilation", "op", "ceilMode")  # output_size's order


def chinese_cases(tmp_path: Path) -> list[tuple[tuple[str, str], frozenset[str]]]:
    """The parity cases above and in test_calculator_keras_node.py (each with the Latin words its input holds),
    plus what the exported Keras code refuses."""
    texts = [*hostile_texts(), *mutated_files(600, seed=12)]
    stacks: list[Any] = [*broken_files(), *GRAPHS, *(pooling_chain(count) for count in (45, 44)), stack_file(LECTURE)]
    stacks.append({"input": [28, 28, 1], "layers": [{"type": "BatchNormalization"}, {"type": "Flatten"}]})
    conv = {"type": "Conv2D", "filters": 2, "kernel_size": 3}
    code = [{"input": [8, 8, 1], "layers": [layer]} for layer in (
        {"type": "MaxPooling2D", "pool_size": 2, "ceil_mode": True},
        {"type": "AveragePooling2D", "pool_size": 2, "dilation_rate": 2, "padding": "same"},
        {**conv, "strides": 2, "dilation_rate": 2}, {**conv, "name": "a/b"})]
    code.append({"input": [8, 8, 1], "layers": [{**conv, "padding": 1, "name": "c"}, {**conv, "name": "c_pad"}]})
    cases = [as_case("size", s) for s in generated_settings(1200, seed=6) + edge_settings()]
    cases += [as_case("typed", [option, text]) for text in typed_numbers() for option in ("input", "kernel")]
    cases += [as_case("stackText", text) for text in texts] + [as_case("stack", data) for data in stacks]
    cases += [as_case("kerasCode", data) for data in code]
    cases += [as_case("kerasConfig", c) for c in [*config_cases().values(), *mutated_configs(800, seed=4)]]
    cases += [as_case("kerasConfigSized", [OPEN, sizes]) for sizes in ([28, 28], [28, 28, 1], [2, 2, 3])]
    (tmp_path / "not-zip.keras").write_bytes(b"PK but not a zip")
    archives = [*hostile_archives(tmp_path).values(), tmp_path / "not-zip.keras"]
    files = []
    for path in archives:
        try:
            inside = zipfile.ZipFile(path).read("config.json").decode("utf-8", "replace")
        except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError, ValueError):
            inside = ""
        files.append((as_case("kerasFile", json.dumps(str(path))), latin_words(inside + path.name)))
    return [(case, frozenset(latin_words(case[1]))) for case in cases] + files


def test_the_refusals_and_totals_read_in_chinese_on_a_chinese_page(tmp_path: Path) -> None:
    """Every refusal of the parity cases, as a Chinese page words it: Chinese, with no English but the file's own
    words and code, no half-width punctuation beside Chinese, the terminology table's terms; and the totals, the
    notes and the formulas of what is accepted. The same cases in English are the command line's (above)."""
    cases = chinese_cases(tmp_path)
    kept = KEPT_IN_REFUSALS | code_words()
    answers = run_cases([case for case, _ in cases], "zh")
    refusals, accepted = 0, 0
    for (case, own), answer in zip(cases, answers, strict=True):
        if "error" in answer:
            refusals += 1
            assert answer["lenet"], answer  # the calculator's own refusal, never a TypeError
            assert not english_left(answer["error"], kept | own), (case[0], answer["error"], case[1][:200])
            continue
        accepted += 1
        result = answer["ok"]
        if case[0] == "size":  # the notes Python writes on the Chinese pages (size_macros) are the page's own
            axis = output_size(*(python_call(json.loads(case[1]))[key] for key in SETTING_KEYS))
            assert (result["formula"], result["note"]) == (
                format_size_formula(axis, sizes.note_words("zh")), sizes.axis_note(axis, "zh")), case[1]
        texts = [result["note"]] if case[0] == "size" and result["note"] else []
        if case[0] != "size" and isinstance(result, dict) and "totals" in result:
            texts += result["totals"]
            for row in result["summary"]["layers"]:
                texts += [axis["note"] for axis in row["size"] or [] if axis["note"]]
                texts += [row["param_formula"]] if CJK_CHARACTER.search(row["param_formula"]) else []
        for text in texts:
            assert not english_left(text, kept), (case[0], text)
    assert refusals >= 1500 and accepted >= 500, (refusals, accepted)


def test_the_chinese_words_of_the_calculator_are_written_in_chinese() -> None:
    """The Chinese tables of the calculator's words ("calculator", "errors") have every English key, each Chinese
    string passes the checks above, and the notes Python writes on the site are the page's, word for word."""
    script = "import(process.argv[1]).then(m => process.stdout.write(JSON.stringify(m.STRINGS)))"
    tables = json.loads(subprocess.run(["node", "-e", script, (ROOT / "docs" / "i18n" / "i18n.js").as_uri()],
                                       capture_output=True, text=True, check=True).stdout)
    kept = KEPT_IN_REFUSALS | code_words()
    code_only = {"arg_center", "arg_scale"}  # two BatchNormalization flags, shown by their Keras names
    for section in ("calculator", "errors"):
        english, chinese = tables["en"][section], tables["zh"][section]
        assert set(chinese) == set(english), (section, set(english) ^ set(chinese))
        for key, text in chinese.items():
            words = re.sub(r"\{\w+\}", "", text)
            if key in code_only:
                assert words in code_words(), key
            elif re.search(r"[A-Za-z\u3400-\u9fff]", words.replace("和", "")):  # not punctuation alone (colon, …)
                assert not english_left(words, kept), (section, key, text)
    for key, template in NOTE_WORDS.items():
        assert tables["en"]["errors"][key] == template, key
        assert tables["zh"]["errors"][key] == translate(template, "zh"), key
    shared = {"Layer (type)": "head_layer", "Output Shape": "head_shape", "Param #": "head_params", "all": "all",
              "H: {h}; W: {w}": "size_hw"}
    for text, key in shared.items():
        assert tables["en"]["calculator"][key] == text and tables["zh"]["calculator"][key] == translate(text, "zh")


def test_the_calculators_tables_on_the_chinese_pages_are_chinese() -> None:
    """What Python writes on /zh/parameters/, /zh/lenet1998/ and /zh/output-size/ from the calculator (its summary,
    the size and layer tables, the MACs and the totals): a cell with Chinese passes the checks above, a cell without
    has only code (layer names and types, shapes)."""
    kept = KEPT_IN_REFUSALS | code_words() | {layer.name for s in (LECTURE, LECTURE32) for layer in s.layers}
    tables = [sizes.summary_table_html(name, language="zh") for name in ("lecture", "lenet1998")]
    tables += [sizes.size_table(language="zh"), sizes.layer_table(language="zh")]
    rows = [*sizes.macs_rows(language="zh"), *sizes.totals_rows(language="zh")]
    cells = [html.unescape(re.sub(r"<[^>]+>", "", cell)) for table in tables
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table, flags=re.S)]
    cells += [str(cell) for row in rows for cell in row]
    kept |= {layer.name for layer in get_stack("lenet1998").layers}
    for cell in cells:
        if CJK_CHARACTER.search(cell):
            assert not english_left(cell, kept), cell
        else:
            assert latin_words(TUPLE.sub(" ", CODE_TOKEN.sub(" ", cell))) <= kept, cell
