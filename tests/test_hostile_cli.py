"""Hostile input, run as a user runs the CLI: a right answer or exactly one ``lenet-explain: error: …`` line,
exit status 2, no traceback, within seconds, with the peak memory of the process measured.

One test (or a parametrized family) per class of the hardening issue: special files and unbounded reads,
deep nesting, malformed .keras configs, huge numbers, narrow encodings, odd MNIST caches, training options,
outputs that cannot be written, and control characters in names. The oracles are Python's own integers,
``fractions``/``decimal`` and the package's limits module, never numbers typed here.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest
from cli_runner import NO_TF_LIMIT_MB, TF_LIMIT_MB, Run, assert_one_clean_line, run_cli
from conftest import write_stand_ins
from keras_archives import archive_with_directory, keras_archive

from lenet_explain import limits
from lenet_explain.calculator.arithmetic import summarize
from lenet_explain.calculator.formatting import total_lines
from lenet_explain.calculator.stackfile import stack_from_json_text, stack_from_keras_config
from lenet_explain.errors import LenetError
from lenet_explain.walkthrough import mnist, predict

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_CONFIG = json.loads(zipfile.ZipFile(predict.REFERENCE_MODEL).read("config.json"))
GIB = 1024**3
LECTURE_FILE = ROOT / "docs" / "examples" / "lenet5.json"


def stack_json(layers: list[dict[str, Any]], name: str = "hostile", shape: list[int] | None = None) -> str:
    """A stack file's text."""
    return json.dumps({"name": name, "input": shape or [28, 28, 1], "layers": layers})


def write(folder: Path, name: str, text: str) -> Path:
    """Write a text file and return its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A .keras archive of a few MB whose config.json inflates to 1 GiB (the issue's case)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.keras"
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("metadata.json", "{}")
        with archive.open("config.json", "w", force_zip64=True) as member:
            for _ in range(GIB // len(chunk)):
                member.write(chunk)
    return path


@pytest.fixture()
def digit(tmp_path: Path) -> Path:
    """A small black-on-white image file."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (60, 60), 255)
    ImageDraw.Draw(image).line([(30, 10), (30, 50)], fill=0, width=5)
    path = tmp_path / "one.png"
    image.save(path)
    return path


# --- special files and unbounded reads -------------------------------------------------------------


@pytest.fixture()
def special(tmp_path: Path) -> Iterator[dict[str, Path]]:
    """Special files named like stack files: a FIFO, a link to /dev/zero, a socket, a folder."""
    made = {}
    for suffix in (".json", ".toml", ".keras"):
        fifo = tmp_path / f"fifo{suffix}"
        os.mkfifo(fifo)
        made[f"fifo{suffix}"] = fifo
        link = tmp_path / f"zero{suffix}"
        link.symlink_to("/dev/zero")
        made[f"zero{suffix}"] = link
    (tmp_path / "folder.json").mkdir()
    made["folder.json"] = tmp_path / "folder.json"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "socket.json"))
    made["socket.json"] = tmp_path / "socket.json"
    yield made
    server.close()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("fifo.json", "is a named pipe (FIFO), not a regular file"),
        ("fifo.toml", "is a named pipe (FIFO), not a regular file"),
        ("fifo.keras", "is a named pipe (FIFO), not a regular file"),
        ("zero.json", "is a device, not a regular file"),
        ("zero.toml", "is a device, not a regular file"),
        ("zero.keras", "is a device, not a regular file"),
        ("socket.json", "is a socket, not a regular file"),
        ("folder.json", "is a folder, not a file"),
    ],
)
def test_special_files_are_refused_at_once(special: dict[str, Path], name: str, reason: str) -> None:
    """A FIFO with no writer, /dev/zero behind a link, a socket, a folder: refused without reading a byte."""
    run = run_cli("summary", "--model", str(special[name]), timeout=20)
    assert_one_clean_line(run, str(special[name]), reason)


def test_stdin_as_a_stack_file_is_refused(tmp_path: Path) -> None:
    """/dev/stdin is a pipe here: refused, never waited on."""
    with subprocess.Popen(["sleep", "30"], stdout=subprocess.PIPE) as writer:
        run = run_cli("summary", "--model", "/dev/stdin", stdin=writer.stdout, timeout=20)
        writer.kill()
    assert_one_clean_line(run, "/dev/stdin", "named pipe")


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_a_huge_stack_file_is_refused_by_its_size(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"huge{suffix}"
    with path.open("wb") as file:
        file.truncate(2 * GIB)  # sparse: costs no disk
    run = run_cli("summary", "--model", str(path), timeout=20)
    limit = limits.format_limit_bytes(limits.MAX_STACK_FILE_BYTES)
    assert_one_clean_line(run, f"is {2 * GIB:,} bytes", f"stack files are limited to {limit}")


def test_a_keras_archive_inflating_to_a_gigabyte_is_refused(bomb: Path, digit: Path) -> None:
    """summary reads at most MAX_KERAS_CONFIG_BYTES of config.json; predict refuses it before Keras sees it."""
    run = run_cli("summary", "--model", str(bomb), timeout=30)
    assert_one_clean_line(run, "config.json inflates to 1,073,741,824 bytes",
                          limits.format_limit_bytes(limits.MAX_KERAS_CONFIG_BYTES))
    run = run_cli("predict", str(digit), "--model", str(bomb), timeout=30)
    assert_one_clean_line(run, "cannot load the model", "inflates")
    assert run.stdout == ""


def test_an_archive_with_too_many_members_is_refused(tmp_path: Path) -> None:
    path = keras_archive(tmp_path / "many.keras", REFERENCE_CONFIG, members=limits.MAX_ARCHIVE_MEMBERS)
    run = run_cli("summary", "--model", str(path))
    assert_one_clean_line(run, f"has {limits.MAX_ARCHIVE_MEMBERS + 2} files inside",
                          f"at most {limits.MAX_ARCHIVE_MEMBERS}")


def test_special_model_and_image_files_never_hang_predict(special: dict[str, Path], digit: Path) -> None:
    """predict: a FIFO as the model is refused before anything runs."""
    run = run_cli("predict", str(digit), "--model", str(special["fifo.keras"]), timeout=20)
    assert_one_clean_line(run, "named pipe")


# --- deep nesting ------------------------------------------------------------------------------------


def deep_keras_config(depth: int) -> dict[str, Any]:
    """The reference config with a layer's config nested ``depth`` deep."""
    config = json.loads(json.dumps(REFERENCE_CONFIG))
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    config["config"]["layers"][1]["config"]["bias_initializer"] = value
    return config


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("arrays.json", "[" * 100_000),
        ("objects.json", '{"a": ' * 5000 + "1" + "}" * 5000),
        ("kernel.json", stack_json([{"type": "Conv2D", "filters": 1, "kernel_size": 0}]).replace(
            '"kernel_size": 0', '"kernel_size": ' + "[" * 3000 + "5" + "]" * 3000)),
        ("arrays.toml", "input = " + "[" * 5000 + "]" * 5000 + "\nlayers = []\n"),
        ("tables.toml", "input = " + "{a = " * 3000 + "1" + "}" * 3000 + "\nlayers = []\n"),
        ("dotted.toml", "input = [28, 28, 1]\n[[layers]]\ntype = \"Conv2D\"\nkernel_size." +
         ".".join(f"k{i}" for i in range(200)) + " = 5\n"),
    ],
)
def test_deep_nesting_is_refused_with_the_limit(tmp_path: Path, name: str, text: str) -> None:
    run = run_cli("summary", "--model", str(write(tmp_path, name, text)), timeout=20)
    assert_one_clean_line(run, f"nested more than {limits.MAX_DEPTH} levels deep")


def test_a_deep_keras_config_is_refused(tmp_path: Path) -> None:
    path = keras_archive(tmp_path / "deep.keras", config_bytes=json.dumps(deep_keras_config(10)).replace(
        '"a": 1', '"a": ' + "[" * 5000 + "1" + "]" * 5000).encode())
    run = run_cli("summary", "--model", str(path), timeout=20)
    assert_one_clean_line(run, "config.json", f"nested more than {limits.MAX_DEPTH} levels deep")


# --- malformed .keras layer entries ------------------------------------------------------------------


def broken_configs() -> list[tuple[str, Any]]:
    """Configs with one malformed part each (entries of the wrong type, missing arguments, …)."""

    def edit(change: Any) -> dict[str, Any]:
        config = json.loads(json.dumps(REFERENCE_CONFIG))
        change(config)
        return config

    return [
        ("entry not an object", edit(lambda c: c["config"]["layers"].insert(1, 7))),
        ("config a list", edit(lambda c: c["config"]["layers"][1].update(config=[1, 2]))),
        ("class_name a list", edit(lambda c: c["config"]["layers"][1].update(class_name=["Conv2D"]))),
        ("name a number", edit(lambda c: c["config"]["layers"][1]["config"].update(name=5))),
        ("Dense without units", edit(lambda c: c["config"]["layers"][-1]["config"].pop("units"))),
        ("activation config a list", edit(lambda c: c["config"]["layers"][1]["config"].update(
            activation={"class_name": "X", "config": [1]}))),
        ("batch_shape text", edit(lambda c: c["config"]["layers"][0]["config"].update(batch_shape="28x28"))),
        ("batch_shape a number", edit(lambda c: c["config"]["layers"][0]["config"].update(batch_shape=28))),
        ("layers an object", edit(lambda c: c["config"].update(layers={"a": 1}))),
        ("functional junk nodes", edit(lambda c: (c.update(class_name="Functional"),
                                                  c["config"]["layers"][1].update(inbound_nodes=[{"args": 5}])))),
        ("functional junk history", edit(lambda c: (c.update(class_name="Functional"),
                                                    c["config"]["layers"][1].update(inbound_nodes=[
                                                        {"args": [{"config": {"keras_history": 3}}]}])))),
        ("build_config junk", edit(lambda c: (c["config"]["layers"].pop(0), c.update(build_config=[1]),
                                              c["config"].update(build_input_shape="x")))),
        ("not JSON", b"{not json"),
        ("not UTF-8", b"\xff\xfe{}"),
    ]


@pytest.mark.parametrize(("case", "config"), broken_configs(), ids=[c for c, _ in broken_configs()])
def test_malformed_keras_entries_are_one_line(tmp_path: Path, case: str, config: Any) -> None:
    raw = config if isinstance(config, bytes) else None
    path = keras_archive(tmp_path / "broken.keras", config, config_bytes=raw)
    run = run_cli("summary", "--model", str(path))
    assert_one_clean_line(run, str(path))


def test_mutated_keras_configs_never_raise_anything_but_one_line_errors() -> None:
    """Every mutation of every value of the reference config: a stack or a LenetError, nothing else."""
    replacements: list[Any] = [None, 0, -1, 2.5, "x", [], {}, [1], {"a": 1}, True, 10**200, [[[]]]]
    config = REFERENCE_CONFIG
    paths: list[tuple[Any, ...]] = []

    def walk(value: Any, path: tuple[Any, ...]) -> None:
        paths.append(path)
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
        for key, item in items:
            walk(item, (*path, key))

    walk(config, ())
    outcomes = {"stack": 0, "error": 0}
    for path in paths:
        for replacement in replacements:
            mutated = json.loads(json.dumps(config))
            if not path:
                mutated = replacement
            else:
                parent = mutated
                for key in path[:-1]:
                    parent = parent[key]
                parent[path[-1]] = replacement
            try:
                stack_from_keras_config(mutated)
                outcomes["stack"] += 1
            except LenetError as error:
                assert "\n" not in str(error)
                outcomes["error"] += 1
    assert outcomes["stack"] > 100 and outcomes["error"] > 100  # both kinds happened


# --- huge numbers: exact, or refused with the stated limit -------------------------------------------


def exact_quotient(numerator: int, denominator: int) -> str:
    """numerator/denominator to 3 decimals (more when 3 would round to a whole number), by the decimal module."""
    with localcontext() as context:
        context.prec = 400
        for places in range(3, 400):
            text = str((Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1).scaleb(-places),
                                                                             rounding=ROUND_HALF_EVEN))
            if text.split(".")[1].strip("0"):
                return text.rstrip("0")
    raise AssertionError("unreachable")


@pytest.mark.parametrize("size", [10**20 + 1, 10**99 + 7, 10**100 - 1, 2**64 + 3])
def test_size_is_exact_for_any_whole_number_within_the_limit(size: int) -> None:
    run = run_cli("size", "--input", str(size), "--kernel", "2", "--stride", "2")
    assert run.returncode == 0, run.stderr
    output = (size - 2) // 2 + 1
    assert run.stdout.splitlines()[-1] == f"output size: {output}"
    if (size - 2) % 2:
        assert f"⌊{exact_quotient(size - 2, 2)}⌋ + 1 = {output}" in run.stdout
    run = run_cli("size", "--input", str(size), "--kernel", "2", "--stride", "2", "--json")
    assert json.loads(run.stdout)["output"] == output


@pytest.mark.parametrize(("digits", "option"), [(101, "--input"), (5000, "--input"), (5000, "--kernel"),
                                               (5000, "--stride"), (5000, "--padding"), (5000, "--dilation")])
def test_a_number_beyond_the_digit_limit_is_refused_with_the_limit(digits: int, option: str) -> None:
    args = {"--input": "28", "--kernel": "5", option: "7" * digits}
    run = run_cli("size", *[item for pair in args.items() for item in pair])
    what = option.lstrip("-")
    assert_one_clean_line(run, f"{what} has {digits:,} digits",
                          f"whole numbers of at most {limits.MAX_DIGITS} digits")


def test_summary_of_a_huge_stack_is_exact_in_every_column(tmp_path: Path) -> None:
    """Parameters, MACs and the bytes columns of numbers far beyond float range: Python's integers as oracle."""
    filters, units = 10**90 + 1, 3 * 10**95
    path = write(tmp_path, "huge.json", stack_json([{"type": "Conv2D", "filters": filters, "kernel_size": 3},
                                                   {"type": "GlobalMaxPooling2D"}, {"type": "Dense", "units": units}]))
    run = run_cli("summary", "--model", str(path))
    assert run.returncode == 0, run.stderr
    conv = 9 * filters + filters
    dense = filters * units + units
    total = conv + dense
    with localcontext() as context:
        context.prec = 400
        gb = (Decimal(total * 4) / Decimal(1024**3)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    assert f"Total params: {total:,} ({gb} GB)" in run.stdout
    assert f"{26 * 26 * filters * 9:,}" in run.stdout  # C1's MACs
    run = run_cli("summary", "--model", str(path), "--json")
    data = json.loads(run.stdout)
    assert data["total_params"] == total and data["param_bytes"] == 4 * total


def test_a_digit_limit_in_a_stack_file_names_the_place(tmp_path: Path) -> None:
    path = tmp_path / "long.json"
    path.write_text(stack_json([{"type": "Dense", "units": 3}]).replace('"units": 3', '"units": ' + "9" * 5000))
    run = run_cli("summary", "--model", str(path))
    assert_one_clean_line(run, "layer 1 units has 5,000 digits", f"at most {limits.MAX_DIGITS} digits")
    toml = write(tmp_path, "long.toml", "input = [28, 28, 1]\n[[layers]]\ntype = 'Dense'\nunits = " + "9" * 5000)
    assert_one_clean_line(run_cli("summary", "--model", str(toml)), "digits")


def test_too_many_layers_are_refused_with_the_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "long.json", stack_json([{"type": "Dropout"}] * (limits.MAX_LAYERS + 1)))
    run = run_cli("summary", "--model", str(path))
    assert_one_clean_line(run, f"{limits.MAX_LAYERS + 1:,} layers", f"at most {limits.MAX_LAYERS:,} layers")


# --- any encoding ------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp437", "utf-16"])
def test_output_is_printed_in_any_encoding(tmp_path: Path, encoding: str) -> None:
    env = {"PYTHONIOENCODING": encoding}
    run = run_cli("summary", "--model", "lecture32", env=env, encoding=encoding)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    size = run_cli("size", "--input", "7", "--kernel", "2", "--stride", "2", env=env, encoding=encoding)
    assert size.returncode == 0 and size.stdout.splitlines()[-1].endswith("output size: 3")
    if encoding == "ascii":
        assert "floor((7 - 2 + 0)/2) + 1 = floor(2.5) + 1 = 3" in size.stdout
        assert "1x(5x5)x6 + 6 = 156" in run.stdout
    as_json = run_cli("summary", "--model", "lecture32", "--json", env=env, encoding=encoding)
    assert json.loads(as_json.stdout)["layers"][0]["param_formula"] == "1×(5×5)×6 + 6 = 156"
    missing = tmp_path / "ünïcødé−×.json"
    assert_one_clean_line(run_cli("summary", "--model", str(missing), env=env, encoding=encoding), "no such file")


# --- the MNIST cache ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["under a file", "folder", "fifo", "device", "read-only place"])
def test_an_odd_mnist_cache_is_one_line_before_any_download(tmp_path: Path, kind: str) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    target = mnist.cache_path(cache)
    if kind == "under a file":
        (tmp_path / "file").write_text("x")
        cache = tmp_path / "file" / "cache"
    elif kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        target.symlink_to("/dev/zero")
    else:
        cache = Path("/proc/lenet-explain-cache")  # no one, root included, can create this folder
    run = run_cli("data", env={mnist.CACHE_ENV: str(cache)}, timeout=30)
    assert_one_clean_line(run, "MNIST")
    assert "fetching" not in run.stderr


def test_train_with_an_odd_cache_fails_before_training(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / mnist.CACHE_FILE)
    run = run_cli("train", "--out", str(tmp_path / "m.keras"), env={mnist.CACHE_ENV: str(tmp_path)}, timeout=30)
    assert_one_clean_line(run, "named pipe")


# --- train: options and outputs checked before training ----------------------------------------------


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--seed", "-1"], f"from 0 to {limits.MAX_SEED:,}"),
        (["--seed", str(2**66)], f"from 0 to {limits.MAX_SEED:,}, got {2**66:,}"),
        (["--seed", "9" * 5000], "a number of 5,000 digits"),
        (["--seed", "1.5"], "expected a whole number"),
        (["--epochs", str(10**30)], f"from 1 to {limits.MAX_EPOCHS:,}"),
        (["--batch-size", "0"], f"from 1 to {limits.MAX_BATCH_SIZE:,}"),
    ],
)
def test_train_options_out_of_range_are_one_line(args: list[str], fragment: str) -> None:
    assert_one_clean_line(run_cli("train", *args), fragment)


UNWRITABLE = ["under a file", "folder", "read-only place"]


def unwritable(tmp_path: Path, kind: str, name: str) -> Path:
    """An output path that cannot be written: under a regular file, an existing folder, or in /proc (even root
    cannot create files there)."""
    if kind == "under a file":
        (tmp_path / "file").write_text("x")
        return tmp_path / "file" / name
    if kind == "folder":
        (tmp_path / name).mkdir()
        return tmp_path / name
    return Path("/proc/lenet-explain") / name


@pytest.mark.parametrize("kind", UNWRITABLE)
def test_train_checks_its_outputs_before_loading_anything(tmp_path: Path, kind: str) -> None:
    out = unwritable(tmp_path, kind, "m.keras")
    run = run_cli("train", "--out", str(out), env={mnist.CACHE_ENV: str(tmp_path / "empty-cache")})
    assert_one_clean_line(run, str(out))
    assert "fetching" not in run.stderr and not (tmp_path / "empty-cache").exists()


# --- predict --show: checked before the first file ---------------------------------------------------


@pytest.mark.parametrize("kind", UNWRITABLE)
def test_predict_show_into_an_unwritable_place_fails_first(tmp_path: Path, digit: Path, kind: str) -> None:
    show = unwritable(tmp_path, kind, "steps.png")
    run = run_cli("predict", str(digit), "--show", str(show))
    assert_one_clean_line(run, str(show))
    assert run.stdout == ""  # nothing was predicted, so nothing is lost


# --- control characters in names ---------------------------------------------------------------------

HOSTILE_NAMES = ["C\n1", "\x1b[31mred\x1b[0m", "line\u2028sep", "\u202egnp.exe", "tab\there", "\x9bC1 csi"]


def assert_no_raw_controls(text: str) -> None:
    """No character that a terminal would act on (controls other than newline, separators, bidi marks)."""
    for char in text:
        code = ord(char)
        assert char == "\n" or not (code < 0x20 or 0x7F <= code <= 0x9F or char in "\u2028\u2029"
                                    or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069), repr(char)


def test_names_with_control_characters_stay_on_their_line(tmp_path: Path) -> None:
    layers = [{"type": "Conv2D", "filters": 2, "kernel_size": 3, "name": name} for name in HOSTILE_NAMES]
    path = write(tmp_path, "names.json", stack_json(layers, name="\x1b]0;pwned\x07model\nsecond line"))
    run = run_cli("summary", "--model", str(path))
    assert run.returncode == 0, run.stderr
    assert_no_raw_controls(run.stdout)
    table = run.stdout.splitlines()
    totals = len(total_lines(summarize(stack_from_json_text(path.read_text(encoding="utf-8"), "s", "s"))))
    assert len(table) == 4 + len(layers) + 1 + totals  # title, rule, header, rule, one row per layer, rule, totals
    assert sum(1 for line in table if "(Conv2D)" in line) == len(layers)
    as_json = run_cli("summary", "--model", str(path), "--json")
    assert_no_raw_controls(as_json.stdout)
    assert [layer["name"] for layer in json.loads(as_json.stdout)["layers"]] == HOSTILE_NAMES
    too_small = write(tmp_path, "small.json", stack_json(layers, shape=[5, 5, 1]))
    line = assert_one_clean_line(run_cli("summary", "--model", str(too_small)), "is larger than")
    assert_no_raw_controls(line)


def test_file_names_with_control_characters_stay_on_their_line(tmp_path: Path) -> None:
    name = str(tmp_path / "evil\n\x1b[2Jname.json")
    line = assert_one_clean_line(run_cli("summary", "--model", name), "no such file")
    assert_no_raw_controls(line)
    run = run_cli("predict", str(tmp_path / "a\nb.png"), str(tmp_path / "\x1b[31m.png"))
    assert run.returncode == 2 and len(run.error_lines) == 2, run.stderr
    assert_no_raw_controls(run.stderr)
    unknown = assert_one_clean_line(run_cli("summary", "--model", "lecture", "\x1b[31m\nextra"), "unrecognized")
    assert_no_raw_controls(unknown)


# --- --verify: refused up front when Keras would allocate what cannot exist -------------------------


def test_verify_refuses_a_model_too_big_to_build_before_importing_keras(tmp_path: Path) -> None:
    # Keras cannot be imported in these runs: the refusal must come before anything tries to.
    no_keras = {"PYTHONPATH": os.pathsep.join([str(write_stand_ins(tmp_path / "no-keras")), str(ROOT)])}
    path = write(tmp_path, "big.json", stack_json([{"type": "Conv2D", "filters": 10**12, "kernel_size": 3}]))
    run = run_cli("summary", "--model", str(path), "--verify", env=no_keras)
    assert_one_clean_line(run, f"{(9 + 1) * 10**12:,} parameters", f"limit of {limits.MAX_MODEL_PARAMS:,}")
    assert "Total params:" in run.stdout  # the table came out before the refusal
    huge = write(tmp_path, "huge.json", stack_json([{"type": "MaxPooling2D"}, {"type": "Flatten"}],
                                                   shape=[10**30, 10**30, 1]))
    run = run_cli("summary", "--model", str(huge), "--verify", env=no_keras)
    assert_one_clean_line(run, f"a size of {(10**30 // 2) ** 2:,}", f"2**53 = {limits.MAX_VERIFY_SIZE:,}")


# --- everything within the memory bound, as measured ---------------------------------------------------


def test_the_runner_measures_the_command_alone() -> None:
    """The measurement counts the command, not the test process that starts it (here made 400 MB larger)."""
    ballast = b"x" * (400 * 1024 * 1024)
    run: Run = run_cli("summary")
    assert run.returncode == 0 and 5 < run.peak_mb < NO_TF_LIMIT_MB / 4, run.peak_mb
    assert len(ballast) and run_cli("size", "--input", "0", "--kernel", "1").returncode == 2


# --- with Keras: verify maps the names Keras refuses; predict streams ---------------------------------


@pytest.mark.tf
def test_verify_takes_names_keras_refuses(tmp_path: Path) -> None:
    """'a/b', '5', 'input', a clash with a generated <name>_pad, spaces and control characters: all verified."""
    layers = [
        {"type": "Conv2D", "filters": 2, "kernel_size": 3, "padding": 1, "name": "a/b"},
        {"type": "Conv2D", "filters": 2, "kernel_size": 3, "name": "a/b_pad"},
        {"type": "Conv2D", "filters": 2, "kernel_size": 3, "name": "input"},
        {"type": "MaxPooling2D", "name": "5"},
        {"type": "Flatten", "name": "with space"},
        {"type": "Dense", "units": 3, "name": "x\x1b[31m\ny"},
    ]
    path = write(tmp_path, "names.json", stack_json(layers, name="a/b model", shape=[12, 12, 1]))
    run = run_cli("summary", "--model", str(path), "--verify", timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{len(layers)} layers' output shapes, parameter counts and connections" in run.stdout
    assert "all match" in run.stdout
    assert_no_raw_controls(run.stdout)


@pytest.fixture(scope="module")
def large_images(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """100 photos-to-be of 1000×1000 pixels: a dark stroke on light paper, each a little different.

    Enough to prove that memory does not grow with the number of files: four chunks of PREDICT_CHUNK (32), five
    times MAX_SHOW_ROWS (20), and a command that kept each file's preprocessing steps (8 MB of arrays per image)
    would hold 800 MB more than one that streams, past the 1 GB bound on top of TensorFlow's own ~600 MB.
    """
    import numpy as np
    from PIL import Image, ImageDraw

    folder = tmp_path_factory.mktemp("large")
    rng = np.random.default_rng(9)
    paths = []
    for i in range(100):
        image = Image.new("L", (1000, 1000), int(rng.integers(200, 255)))
        x, y = (int(v) for v in rng.integers(250, 750, 2))
        ImageDraw.Draw(image).line([(x, y - 200), (x + int(rng.integers(-80, 80)), y + 200)], fill=20, width=40)
        path = folder / f"large_{i:03d}.png"
        image.save(path, compress_level=1)
        paths.append(path)
    return paths


@pytest.mark.tf
@pytest.mark.slow
def test_predict_streams_100_large_images_in_bounded_memory(large_images: list[Path], tmp_path: Path) -> None:
    """100 images of 1000×1000 px (plus a FIFO and a link to /dev/zero among them) with --show: every file
    gets its entry, the figure draws the first MAX_SHOW_ROWS, and the process stays under 1 GB."""
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.png"
    zero.symlink_to("/dev/zero")
    files = [str(p) for p in large_images[:50]] + [str(fifo), str(zero)] + [str(p) for p in large_images[50:]]
    figure = tmp_path / "steps.png"
    run = run_cli("predict", "--json", "--show", str(figure), *files, timeout=1200)
    assert run.returncode == 2, run.stderr[-2000:]  # the two special files failed, alone
    entries = json.loads(run.stdout)
    assert [entry["file"] for entry in entries] == files
    failed = {entry["file"]: entry["error"] for entry in entries if "error" in entry}
    assert failed == {str(fifo): "is a named pipe (FIFO), not a regular file",
                      str(zero): "is a device, not a regular file"}
    assert all(entry["guess"] == 1 for entry in entries if "guess" in entry)  # a single stroke is a one
    assert f"the first {limits.MAX_SHOW_ROWS} of {len(files)} files" in run.stderr
    assert figure.stat().st_size > 10_000
    assert [line for line in run.error_lines if line.startswith("lenet-explain: error:")] == [
        f"lenet-explain: error: {fifo}: {failed[str(fifo)]}", f"lenet-explain: error: {zero}: {failed[str(zero)]}"]
    assert run.peak_mb < TF_LIMIT_MB, f"peak memory {run.peak_mb:.0f} MB"


def test_the_readme_states_every_limit_as_the_code_enforces_it() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Limits and errors", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and not cells[1].startswith("-"):
            rows[cells[0]] = cells[1]
    size = limits.format_limit_bytes
    assert rows == {
        "limit": "value",
        "digits of a whole number": f"{limits.MAX_DIGITS:,}",
        "digits of a result": f"{limits.MAX_RESULT_DIGITS:,}",
        "nesting of lists and objects": f"{limits.MAX_DEPTH:,}",
        "layers in a stack": f"{limits.MAX_LAYERS:,}",
        "stack file size": size(limits.MAX_STACK_FILE_BYTES),
        "`config.json` inflated size": size(limits.MAX_KERAS_CONFIG_BYTES),
        "files inside a `.keras` archive": f"{limits.MAX_ARCHIVE_MEMBERS:,}",
        "model file size, and its inflated contents": size(limits.MAX_MODEL_FILE_BYTES),
        "parameters Keras may build": f"{limits.MAX_MODEL_PARAMS:,}",
        "sizes `--verify` compares": f"{limits.MAX_VERIFY_SIZE:,} (2**53)",
        "pixels of one image": f"{limits.MAX_IMAGE_PIXELS:,}",
        "rows drawn by `--show`": f"{limits.MAX_SHOW_ROWS:,}",
        "`--seed`": f"0 to {limits.MAX_SEED:,}",
        "`--epochs`": f"1 to {limits.MAX_EPOCHS:,}",
        "`--batch-size`": f"1 to {limits.MAX_BATCH_SIZE:,}",
    }
    assert f"{limits.PREDICT_CHUNK} files at a time" in section
    named = set(re.findall(r"limits\.(MAX_\w+)", Path(__file__).read_text(encoding="utf-8").split(
        "def test_the_readme_states_every_limit_as_the_code_enforces_it", 1)[1].split("\n\n\n", 1)[0]))
    assert {name for name in dir(limits) if name.startswith("MAX_")} == named  # a new limit gets its README row


# --- field types, long results, unwritable output (hardening, round two) --------------------------------


def test_every_field_of_every_layer_type_takes_any_json_value_without_a_traceback() -> None:
    """Objects, lists, nested lists, floats, text, null, booleans and huge numbers in every field of every layer
    type the registry knows: each stack is read and summarised, or refused with a LenetError — nothing else."""
    from dataclasses import MISSING, fields

    from lenet_explain.calculator.registry import LAYER_TYPES
    from lenet_explain.calculator.stackfile import stack_from_dict

    hostile = [{"a": 1}, [{"a": 1}], [[1, 2], [3]], [], "x", 2.5, None, True, -1, 0, 10**50, ["relu"], [[]]]
    crashes = []
    for name, cls in sorted(LAYER_TYPES.items()):
        required = {f.name: 2 for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING}
        for field in fields(cls):
            for value in hostile:
                for shape in ([8, 8, 1], [8, 1], [8]):
                    layer = {"type": name, **required, field.name: value}
                    try:
                        total_lines(summarize(stack_from_dict({"input": shape, "layers": [layer]})))
                    except LenetError:
                        pass
                    except Exception as error:
                        crashes.append(f"{name}.{field.name} = {value!r}: {type(error).__name__}: {error}")
    assert crashes == []


@pytest.mark.parametrize("field", [{"activation": {"class_name": "relu"}}, {"activation": ["relu"]}])
def test_an_object_where_text_is_wanted_is_one_line(tmp_path: Path, field: dict[str, Any]) -> None:
    stack = write(tmp_path, "s.json", stack_json([{"type": "Dense", "units": 2, **field}], shape=[4]))
    assert_one_clean_line(run_cli("summary", "--model", str(stack)), "unknown activation")


def test_results_past_4300_digits_are_refused_with_the_limit(tmp_path: Path) -> None:
    """Python cannot print an int of more than 4,300 digits by default: the calculator refuses such results."""
    grow = [{"type": "UpSampling2D", "size": [10**99, 1]} for _ in range(50)]
    stack = write(tmp_path, "s.json", stack_json(grow, shape=[1, 1, 1]))
    assert_one_clean_line(run_cli("summary", "--model", str(stack)), "more than 4,300 digits")
    within = write(tmp_path, "t.json", stack_json(grow[:43], shape=[1, 1, 1]))
    run = run_cli("summary", "--model", str(within), "--json")
    assert run.returncode == 0 and len(str(json.loads(run.stdout)["activation_bytes"])) > 4200


@pytest.mark.parametrize("args", [["size", "--input", "28", "--kernel", "5"], ["summary", "--model", "lecture"],
                                  ["summary", "--model", "lecture", "--json"]])
def test_a_full_output_device_is_one_line(args: list[str]) -> None:
    """``> /dev/full``: the output cannot be written; one line on stderr, exit 2, no second complaint at exit."""
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "lenet_explain", *args], stdout=full, stderr=subprocess.PIPE,
                             text=True, timeout=60, cwd=ROOT)
    assert run.returncode == 2
    assert run.stderr.splitlines() == ["lenet-explain: error: cannot write the output: no space left on device"]


@pytest.mark.tf
def test_a_file_name_that_is_not_utf8_is_drawn_by_show(tmp_path: Path, digit: Path) -> None:
    """Under C.UTF-8 a name with byte 0xff holds a lone surrogate; --show draws it as \\xff, not a font error."""
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/d\xff.png"))
    odd.write_bytes(digit.read_bytes())
    show = Path(os.fsdecode(bytes(tmp_path) + b"/s\xff.png"))
    process = subprocess.run([sys.executable, "-m", "lenet_explain", "predict", os.fsencode(odd),
                              "--show", os.fsencode(show)], capture_output=True, timeout=120, cwd=ROOT,
                             env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert process.returncode == 0, process.stderr[-2000:]
    assert show.exists() and b"Traceback" not in process.stderr


# --- archives whose directory says one thing and holds another --------------------------------------------


@pytest.mark.parametrize("command", ["summary", "predict"])
def test_a_directory_larger_than_its_end_record_says_is_refused_at_once(tmp_path: Path, digit: Path,
                                                                         command: str) -> None:
    """200,000 entries behind an end record that declares 1: refused after reading two, not all of them."""
    path = archive_with_directory(tmp_path / "many.keras", entries=200_000, declared=1)
    args = ["summary", "--model", str(path)] if command == "summary" else ["predict", str(digit), "--model", str(path)]
    run = run_cli(*args)
    assert_one_clean_line(run, "more entries than the 1 its end record declares", peak_mb=300)


def test_the_directory_walk_stops_at_the_first_entry_too_many(tmp_path: Path) -> None:
    """What "at once" means: a handful of reads, whatever the directory holds (counted, not timed)."""
    from lenet_explain.safe_files import zip_directory

    class Counting(io.FileIO):
        reads = 0

        def read(self, size: int = -1) -> bytes:
            Counting.reads += 1
            return super().read(size)

    path = archive_with_directory(tmp_path / "many.keras", entries=200_000, declared=3)
    with Counting(path) as file, pytest.raises(LenetError, match="more entries than the 3"):
        zip_directory(file, 64)
    assert Counting.reads <= 3 + 2 * 4  # the end records, then a header and a name for each of four entries


def test_a_zip64_locator_pointing_anywhere_is_one_line(tmp_path: Path) -> None:
    path = archive_with_directory(tmp_path / "z64.keras", entries=1, declared=0xFFFF, zip64_offset=2**63 + 5)
    assert_one_clean_line(run_cli("summary", "--model", str(path)), "65,535 files inside", peak_mb=300)


# --- the parameter bound before Keras builds what a file describes ------------------------------------------


def sequential_config(*layers: dict[str, Any], shape: list[Any] | None = None) -> dict[str, Any]:
    """A Sequential model's config.json: an input of ``shape`` (batch first), then ``layers``."""
    first = {"class_name": "InputLayer", "config": {"batch_shape": shape or [None, 8], "name": "in"}}
    return {"class_name": "Sequential", "config": {"name": "hostile", "layers": [first, *layers]}}


@pytest.mark.parametrize(("case", "fragment"), [
    ("masking", f"describes a model of 1,001,000,000 parameters; models are limited to {limits.MAX_MODEL_PARAMS:,}"),
    ("build_config", f"describes a model of 1,001,000,000 parameters; models are limited to "
                     f"{limits.MAX_MODEL_PARAMS:,}"),
    ("unknown", "unsupported layer type 'LSTM'"),
])
def test_predict_bounds_what_keras_would_build_before_importing_it(tmp_path: Path, digit: Path, case: str,
                                                                   fragment: str) -> None:
    """The cap holds behind a layer without weights, against a build_config that lies about the input, and for a
    layer the calculator cannot count (refused): all decided without TensorFlow (Keras cannot even be imported)."""
    dense = {"class_name": "Dense", "config": {"name": "d", "units": 1_000_000}}
    layers = {
        "masking": [{"class_name": "Masking", "config": {"name": "m", "mask_value": 0.0}}, dense],
        "build_config": [{**dense, "build_config": {"input_shape": [None, 1000]}}],  # the graph gives it 8
        "unknown": [{"class_name": "LSTM", "config": {"name": "r", "units": 10**6}}],
    }[case]
    path = keras_archive(tmp_path / "m.keras", sequential_config(*layers, shape=[None, 1000 if case == "masking"
                                                                                  else 8]))
    no_keras = {"PYTHONPATH": os.pathsep.join([str(write_stand_ins(tmp_path / "no-keras")), str(ROOT)])}
    run = run_cli("predict", str(digit), "--model", str(path), env=no_keras)
    assert_one_clean_line(run, fragment, peak_mb=300)


# --- messages that say the right thing once -----------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["summary", "--model", ""], ["predict", ""], ["predict", "x.png", "--model", ""],
    ["predict", "x.png", "--show", ""], ["train", "--out", ""], ["evaluate", "--model", ""],
])
def test_an_empty_file_name_is_named_as_such(args: list[str]) -> None:
    assert_one_clean_line(run_cli(*args), "an empty name is not a file")


def test_an_archive_with_names_outside_it_is_refused_quietly(tmp_path: Path, digit: Path) -> None:
    """``../../evil.txt`` inside a .keras: one line (zipfile's warnings never reach the user), for both commands."""
    path = keras_archive(tmp_path / "m.keras", sequential_config({"class_name": "Dense", "config": {"name": "d",
                                                                                                   "units": 2}}))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("../../evil.txt", b"x")
    no_keras = {"PYTHONPATH": os.pathsep.join([str(write_stand_ins(tmp_path / "no-keras")), str(ROOT)])}
    for args in (["summary", "--model", str(path)], ["predict", str(digit), "--model", str(path)]):
        assert_one_clean_line(run_cli(*args, env=no_keras), "'../../evil.txt', a path outside the archive")


def test_a_model_file_is_named_once_in_its_error(tmp_path: Path, digit: Path) -> None:
    path = keras_archive(tmp_path / "m.keras", config_bytes=b"{bad")
    line = assert_one_clean_line(run_cli("predict", str(digit), "--model", str(path)), "not valid JSON")
    assert line.count(str(path)) == 1


def test_an_image_past_pillow_s_own_limit_states_the_project_s(tmp_path: Path) -> None:
    """90 million pixels is past Pillow's warning (89 million): the message gives the size and the project's limit."""
    from PIL import Image

    previous, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        Image.new("1", (10_000, 9_000)).save(tmp_path / "big.png")
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    run = run_cli("predict", str(tmp_path / "big.png"), timeout=120)
    assert_one_clean_line(run, f"90,000,000 pixels (the limit is {limits.MAX_IMAGE_PIXELS:,})", peak_mb=TF_LIMIT_MB)
    assert "89,478,485" not in run.stderr and "89478485" not in run.stderr
