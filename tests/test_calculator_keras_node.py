"""The calculator page reads saved Keras models (config.json, and the .keras archive itself) as the command line
does, in Node (fast tier): the same table, or both refuse. Hostile archives and configs are made at test time."""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path
from typing import Any

from keras_archives import (
    archive_of,
    archive_with_directory,
    deflate_bomb,
    dense,
    functional,
    keras_archive,
    layer,
    mutated_archives,
    patched,
    with_bad_crc,
    with_directory_size,
    with_zip64_end,
)
from node_calculator import run_kind
from test_calculator_page import without_connections

from lenet_explain.calculator.arithmetic import summarize
from lenet_explain.calculator.formatting import summary_to_dict
from lenet_explain.calculator.stackfile import load_stack, stack_from_keras_config
from lenet_explain.errors import LenetError

ROOT = Path(__file__).resolve().parents[1]
SAVED_MODEL = ROOT / "lenet_explain" / "data" / "lenet5_mnist.keras"


def page_answers(kind: str, items: list[Any]) -> list[dict[str, Any]]:
    """The page's answers ({"summary": …} or {"error": …}); every refusal is the calculator's own error."""
    answers = run_kind(kind, items)
    for answer in answers:
        assert "ok" in answer or answer["lenet"], answer  # never a TypeError: the page is never stuck
    return [{"summary": a["ok"]["summary"]} if "ok" in a else a for a in answers]


def cli_config(config: Any, sizes: list[int] | None = None) -> dict[str, Any]:
    """The command line's answer for a config (``sizes`` as ``--input``)."""
    try:
        stack = stack_from_keras_config(config, "model", input_size=tuple(sizes) if sizes else None)
        return {"summary": without_connections(summary_to_dict(summarize(stack)))}
    except LenetError as error:
        return {"error": str(error)}


def cli_file(path: Path) -> dict[str, Any]:
    """The command line's answer for a .keras file (``summary --model``)."""
    try:
        return {"summary": without_connections(summary_to_dict(summarize(load_stack(str(path)))))}
    except LenetError as error:
        return {"error": str(error)}


def assert_agree(cases: list[Any], expected: list[dict[str, Any]], got: list[dict[str, Any]]) -> None:
    """Each case: the same summary, or both refuse."""
    for case, e, g in zip(cases, expected, got, strict=True):
        assert ("error" in e) == ("error" in g), (case, e, g)
        if "summary" in e:
            assert e["summary"] == g["summary"], case


LENET = json.loads(zipfile.ZipFile(SAVED_MODEL).read("config.json"))
OPEN = functional([layer("Conv2D", "c", [["x"]], filters=2, kernel_size=[3, 3], strides=[1, 1], padding="valid",
                         activation="relu", use_bias=True)], shape=[None, None, None, 3])


def with_first_layer(config: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of a Functional config with keys of its first layer (after the input) replaced."""
    copy = json.loads(json.dumps(config))
    copy["config"]["layers"][1].update(changes)
    return copy


def config_cases() -> dict[str, Any]:
    """Configs each side must decide the same way."""
    two_outputs = functional([dense("d", [["x"]])])
    two_outputs["config"]["layers"][1]["inbound_nodes"][0]["args"][0]["config"]["keras_history"][2] = 1
    numeric = functional([dense("d", [["x"]])])
    numeric["config"]["layers"][1]["config"]["name"] = 7
    malformed = functional([dense("d", [["x"]])])
    node = malformed["config"]["layers"][1]["inbound_nodes"][0]
    return {
        "shared d(d(x))": functional([dense("d", [["x"], ["d"]])]),
        "shared d(e(d(x)))": functional([dense("d", [["x"], ["e"]]), dense("e", [["d"]])]),
        "shared d(e(d(x))) then f": functional([dense("d", [["x"], ["e"]]), dense("e", [["d"]]),
                                                layer("Add", "f", [["d#1", "e"]])]),
        "a loop": functional([dense("d", [["e"]]), dense("e", [["d"]])]),
        "reads nothing there": functional([dense("d", [["nowhere"]])]),
        "tensor index 1": two_outputs,
        "unknown module": functional([layer("MyLayer", "m", [["x"]], module="my_package.layers")]),
        "unknown keras class": functional([layer("Frobnicate", "m", [["x"]])]),
        "numeric name": numeric,
        "not connected": with_first_layer(malformed, inbound_nodes=[]),
        "one node as an object": with_first_layer(malformed, inbound_nodes=node),
        "inbound nodes a number": with_first_layer(malformed, inbound_nodes=5),
        "args an object": with_first_layer(malformed, inbound_nodes=[{"args": node["args"][0]}]),
        "input left open": OPEN,
        "input not a shape": functional([dense("d", [["x"]])], shape=[None, 4.5, 4, 3]),
        "input shape text": functional([dense("d", [["x"]])], shape="(None, 4, 4, 3)"),
        "two inputs": {**malformed, "config": {**malformed["config"], "input_layers": [["x", 0, 0], ["y", 0, 0]]}},
    }


def test_saved_configs_get_the_clis_decision() -> None:
    cases = config_cases()
    expected = [cli_config(c) for c in cases.values()]
    got = page_answers("kerasConfig", list(cases.values()))
    assert_agree(list(cases), expected, got)
    answers = dict(zip(cases, got, strict=True))
    for name in ("shared d(d(x))", "shared d(e(d(x)))", "shared d(e(d(x))) then f"):
        assert "summary" in answers[name], answers[name]
    for name, words in (("a loop", "in a loop"), ("tensor index 1", "reads output 1 of"),
                        ("unknown module", "from my_package.layers; "), ("numeric name", "name must be text"),
                        ("input left open", "left open (None, None, 3)"), ("reads nothing there", "nowhere")):
        assert words in answers[name]["error"], (name, answers[name])
    assert "command line reads it" not in answers["unknown keras class"]["error"]  # it does not
    assert answers["input left open"]["openShape"] == [None, None, 3]  # the page asks for the sizes


def test_an_open_input_is_filled_as_summary_input_fills_it() -> None:
    sizes = [[28, 28, 3], [8, 5, 3], [28, 28, 1], [28, 28], [28, 28, 3, 1], [2, 2, 3]]
    expected = [cli_config(OPEN, s) for s in sizes]
    got = page_answers("kerasConfigSized", [[OPEN, s] for s in sizes])
    assert_agree(sizes, expected, got)
    assert ["error" in g for g in got] == [False, False, True, True, True, True]
    assert "fixed at 3" in got[2]["error"]
    sized_lenet = [cli_config(LENET, [28, 28, 1]), cli_config(LENET, [32, 32, 1])]
    assert_agree(["lenet 28", "lenet 32"], sized_lenet,
                 page_answers("kerasConfigSized", [[LENET, [28, 28, 1]], [LENET, [32, 32, 1]]]))


def at_entry(offset: int, value: bytes) -> Any:
    """A change writing ``value`` at ``offset`` in config.json's central directory entry (for :func:`patched`)."""
    return lambda data, central, local: data[: central + offset] + value + data[central + offset + len(value) :]


def hostile_archives(folder: Path) -> dict[str, Path]:
    """.keras files each side must decide the same way."""
    good, bad = json.dumps(LENET).encode(), b'{"class_name": "Sequential"}'
    good_last, bad_last = [("config.json", bad), ("config.json", good)], [("config.json", good), ("config.json", bad)]
    return {
        "duplicate, the last good": archive_of(folder / "dup-last.keras", good_last),
        "duplicate, the last bad": archive_of(folder / "dup-first.keras", bad_last),
        "bad crc": with_bad_crc(folder / "crc.keras", LENET),
        "traversal": archive_of(folder / "dots.keras", [("../evil.txt", b""), ("config.json", good)]),
        "absolute": archive_of(folder / "abs.keras", [("/etc/evil", b""), ("config.json", good)]),
        "drive": archive_of(folder / "drive.keras", [("C:evil", b""), ("config.json", good)]),
        "backslash": archive_of(folder / "back.keras", [("a\\b", b""), ("config.json", good)]),
        "huge directory": with_directory_size(folder / "huge-dir.keras", LENET, 10**9),
        "more entries than declared": archive_with_directory(folder / "more.keras", entries=3, declared=1),
        "65 members": keras_archive(folder / "many.keras", LENET, members=63),
        "64 members": keras_archive(folder / "sixty-four.keras", LENET, members=62),
        "zip64 end record": with_zip64_end(folder / "zip64.keras", LENET),
        "not utf-8": keras_archive(folder / "latin.keras", config_bytes=json.dumps(LENET).encode() + b" \xe9"),
        "bom": keras_archive(folder / "bom.keras", config_bytes=b"\xef\xbb\xbf" + good),
        "input left open": keras_archive(folder / "open.keras", OPEN),
        "shared": keras_archive(folder / "shared.keras", config_cases()["shared d(e(d(x)))"]),
        "no config": archive_of(folder / "none.keras", [("metadata.json", b"{}")]),
        "zip64 locator alone": archive_with_directory(folder / "loc.keras", entries=1, declared=1, zip64_offset=5),
        "stored": patched(folder / "stored.keras", LENET, lambda d, c, h: d, stored=True),
        "a comment": patched(folder / "comment.keras", LENET, lambda d, c, h: d[:-2] + b"\x05\x00hello"),
        "patched data flag": patched(folder / "flag.keras", LENET, at_entry(8, b"\x20\x00")),
        "strong encryption flag": patched(folder / "strong.keras", LENET, at_entry(8, b"\x41\x00")),
        "encrypted": patched(folder / "enc.keras", LENET, at_entry(8, b"\x01\x00")),
        "local name differs": patched(folder / "name.keras", LENET, lambda d, c, h: d[:h + 30] + b"C" + d[h + 31:]),
        "local header gone": patched(folder / "local.keras", LENET, lambda d, c, h: d[:h] + b"XX" + d[h + 2:]),
        "cut data": patched(folder / "cut.keras", LENET, at_entry(20, b"\x10\x00\x00\x00")),
        "stored cut": patched(folder / "scut.keras", LENET, at_entry(20, b"\x10\x00\x00\x00"), stored=True),
        "bzip2 declared on deflated bytes": patched(folder / "bz.keras", LENET, at_entry(10, b"\x0c\x00")),
    }


def test_hostile_archives_get_the_clis_decision(tmp_path: Path) -> None:
    archives = hostile_archives(tmp_path)
    expected = [cli_file(p) for p in archives.values()]
    got = page_answers("kerasFile", [json.dumps(str(p)) for p in archives.values()])
    assert_agree(list(archives), expected, got)
    answers = dict(zip(archives, got, strict=True))
    for name in ("duplicate, the last good", "64 members", "zip64 end record", "shared", "stored", "a comment"):
        assert "summary" in answers[name], (name, answers[name])
    for name, words in (("bad crc", "CRC-32"), ("traversal", "outside the archive"), ("drive", "outside"),
                        ("huge directory", "larger than the file"), ("65 members", "at most 64"),
                        ("more entries than declared", "more entries than the 1"), ("not utf-8", "not UTF-8"),
                        ("bom", "byte order mark"), ("input left open", "left open")):
        assert words in answers[name]["error"], (name, answers[name])
        assert answers[name]["error"].startswith(archives[name].name + ": "), answers[name]


def test_an_inflation_bomb_is_cut_at_its_declared_size(tmp_path: Path) -> None:
    """64 MiB of spaces (8 times the config limit) behind a header declaring 100 bytes: the page stops at 100 (the
    CRC-32 or the JSON reader refuses those; had it inflated on, it would say the config is too big), and one
    declaring more than the limit is refused before anything is inflated."""
    small = deflate_bomb(tmp_path / "bomb.keras", inflated=64 << 20, declared=100)
    big = deflate_bomb(tmp_path / "big.keras", inflated=1 << 20, declared=2**32 - 2)
    got = page_answers("kerasFile", [json.dumps(str(small)), json.dumps(str(big))])
    for path, answer in zip((small, big), got, strict=True):
        assert "error" in cli_file(path) and "error" in answer, answer
    assert "not valid JSON" in got[0]["error"] or "CRC-32" in got[0]["error"], got[0]
    assert "is more than" in got[1]["error"], got[1]


def value_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in JSON data (keys and indexes from the top), the top left out."""
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    found = [path] if path else []
    for key, item in children:
        found += value_paths(item, (*path, key))
    return found


def mutated_configs(count: int, seed: int) -> list[Any]:
    """The configs above with one or two values (anywhere: names, inbound nodes, keras_history, shapes, modules)
    replaced by something odd."""
    rng = random.Random(seed)
    odd: list[Any] = [0, 1, -1, 2, 0.0, 1.5, True, False, None, "x", "d", "e", "d#1", [], [0], {}, {"a": 1},
                      [["x", 0, 0]], "None", [None, 4, 4, 3], [None, None, 4, 3], "input", "Dense",
                      "keras.src.ops.numpy", [[]], [{"args": []}], "f", "Add", [3, 3], "same", 3]
    bases = [*config_cases().values(), LENET]
    configs = []
    for _ in range(count):
        config = json.loads(json.dumps(rng.choice(bases)))
        for _ in range(rng.choice([1, 1, 2])):
            *parents, last = rng.choice(value_paths(config))
            target = config
            for key in parents:
                target = target[key]
            target[last] = json.loads(json.dumps(rng.choice(odd)))
        configs.append(config)
    return configs


def test_mutated_configs_get_the_clis_decision() -> None:
    configs = mutated_configs(800, seed=4)
    expected = [cli_config(c) for c in configs]
    assert_agree(configs, expected, page_answers("kerasConfig", configs))
    assert 100 <= sum("summary" in e for e in expected) <= 700  # both kinds of answer are well represented


def test_mutated_archives_get_the_clis_decision(tmp_path: Path) -> None:
    """Bytes changed anywhere zipfile looks: the CLI never fails with a traceback, and the page decides the same."""
    paths = mutated_archives(tmp_path, LENET, 300, seed=2)
    expected = [cli_file(p) for p in paths]
    assert_agree([p.name for p in paths], expected, page_answers("kerasFile", [json.dumps(str(p)) for p in paths]))
    assert 50 <= sum("summary" in e for e in expected) <= 250
