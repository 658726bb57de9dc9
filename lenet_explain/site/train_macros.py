"""Macros for the train page (docs/train/index.md): its numbers, the lecture's printed history and the benchmark.

Loaded by mkdocs-macros next to :mod:`lenet_explain.site.macros`. The numbers come from
:mod:`lenet_explain.site.train_data` (what the trainer ships), :mod:`lenet_explain.walkthrough.lecture_history`
(what the lecture printed) and ``docs/train/benchmark.json`` (what ``scripts/bench_training.py`` measured).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from lenet_explain.calculator import arithmetic
from lenet_explain.calculator.stacks import LECTURE, MODERN
from lenet_explain.site import train_data
from lenet_explain.site.i18n import translate
from lenet_explain.site.macros import in_page_language
from lenet_explain.site.page_html import RawHTML, render_table
from lenet_explain.walkthrough.lecture_history import lecture_history

ROOT = Path(__file__).resolve().parents[2]
TRAIN_DIR = ROOT / "docs" / "train"
BENCHMARK_FILE = TRAIN_DIR / "benchmark.json"
OURS = "this page"  # the implementation name the benchmark gives the page's own engine (its default settings)
NATIVE = "TensorFlow"  # native TensorFlow's model.fit, the yardstick of every ratio


def read_benchmark(path: Path = BENCHMARK_FILE) -> dict[str, Any] | None:
    """Return the committed benchmark, or None before the first measurement."""
    return json.loads(path.read_text()) if path.is_file() else None


def benchmark_rows(bench: dict[str, Any]) -> list[dict[str, Any]]:
    """Return one row per implementation with its median samples/s per model and its ratio to native TensorFlow's."""
    native = {r["model"]: r["samples_per_second"] for r in bench["results"] if r["implementation"] == NATIVE}
    rows: dict[str, dict[str, Any]] = {}
    for result in bench["results"]:
        row = rows.setdefault(result["implementation"], {"implementation": result["implementation"],
                                                          "note": result.get("note", "")})
        speed = result["samples_per_second"]
        row[result["model"]] = speed
        yardstick = native.get(result["model"])  # None in a benchmark from before native TensorFlow was measured
        row[result["model"] + "_ratio"] = speed / yardstick if speed and yardstick else None
    return list(rows.values())


def _speed(value: float | None) -> str:
    """Samples per second as a whole number, or a dash when the library could not train."""
    return "–" if value is None else f"{value:,.0f}"


def _ratio(value: float | None) -> str:
    """A speed as a multiple of native TensorFlow's, or a dash."""
    return "–" if value is None else f"{value:.2f}×"


def benchmark_note(result: dict[str, Any], libraries: dict[str, str], language: str = "en") -> str:
    """An implementation's note in ``language``, from the template the benchmark filled (an unknown note: an error)."""
    values = {"tfjs": libraries["@tensorflow/tfjs"], "convnetjs": libraries["convnetjs"],
              "tf": libraries.get("tensorflow", "")}
    template = train_data.BENCHMARK_NOTES[result["implementation"]]
    english, note = template.format(**values), result["note"]
    error = None
    if note != english:
        start, end = english + train_data.CANNOT_TRAIN.split("{", 1)[0], train_data.CANNOT_TRAIN.rsplit("}", 1)[1]
        if not (note.startswith(start) and note.endswith(end)):
            raise ValueError(f"benchmark note {note!r} is not {template!r}: rerun scripts/bench_training.py")
        error = note[len(start):len(note) - len(end)]
    if language == "en":
        return note
    # The library's own error message stays as it printed it, as code.
    said = translate(template, language, **{k: html.escape(v) for k, v in values.items()})
    if error is not None:
        said += translate(train_data.CANNOT_TRAIN, language, error=html.escape(error))
    return RawHTML(said)


def machine_words(machine: str, language: str = "en") -> str:
    """The benchmark's machine, '<processor>, <n> cores' (scripts/bench_visualizer.py), in ``language``."""
    parts = re.fullmatch(r"(.*), (\d+) cores", machine)
    return translate("{name}, {cores} cores", language, name=parts[1], cores=parts[2]) if parts else machine


def train_benchmark_table(language: str = "en") -> str:
    """The benchmark as an HTML table: samples/s of each implementation for both models, and the ratios."""
    bench = read_benchmark()
    if bench is None:
        return "<p>" + translate("Not measured yet: run <code>scripts/bench_training.py</code>.", language) + "</p>"
    rows = [[translate(r["implementation"], language) if r["implementation"].startswith(OURS) else r["implementation"],
             _speed(r.get("lecture")), _ratio(r.get("lecture_ratio")),
             _speed(r.get("modern")), _ratio(r.get("modern_ratio")),
             benchmark_note(r, bench["libraries"], language)] for r in benchmark_rows(bench)]
    header = [translate(h, language) for h in ("Implementation", "lecture: digits/s", "÷ native TensorFlow",
                                               "modern: digits/s", "÷ native TensorFlow", "Note")]
    caption = translate(
        "Training speed, batch {batch}, forward + backward + Adam, median of {rounds} runs of {seconds} s each: native "
        "TensorFlow in Python, the others in {browser} (headless), on {machine}; {date}, load average {load}: other "
        "work on the machine slows every figure, so compare the ratios to native TensorFlow, measured in turn in the "
        "same run. The target for the lecture's model on this page: {target} of native TensorFlow's speed.", language,
        batch=bench["batch_size"], rounds=bench["rounds"], seconds=bench["seconds_per_run"], browser=bench["browser"],
        machine=machine_words(bench["machine"], language), date=bench["date"], load=bench["load_average"],
        target=f"{bench['target']['lecture_share_of_native']:.0%}")
    return render_table(rows, header=header, caption=caption, id="train-benchmark", wrap=(0, 5))


def train_responsiveness_table(language: str = "en") -> str:
    """The benchmark's frame gaps and Pause and Reset latency while the page trains, idle and with a core busy."""
    bench = read_benchmark()
    if bench is None or "responsiveness" not in bench:
        return "<p>" + translate("Not measured yet: run <code>scripts/bench_training.py</code>.", language) + "</p>"

    def ms(value: float) -> str:
        return translate("{ms} ms", language, ms=f"{value:.0f}")

    loads = {"idle": "idle", "busy": "one other process keeps a core busy"}
    rows = [[translate(words, language), _speed(r["lecture_samples_per_second"]), ms(r["frame_gap_max_ms"]),
             ms(r["frame_gap_p99_ms"]), ms(r["pause_ms"]), ms(r["reset_ms"])]
            for load, words in loads.items() for r in (bench["responsiveness"][load],)]
    header = [translate(h, language) for h in ("While it trains", "lecture: digits/s", "longest frame gap",
                                               "99th percentile", "Pause acts in", "Reset acts in")]
    target = bench["target"]
    caption = translate(
        "The lecture's model training on this page with its default settings, the page drawing as it goes, for "
        "{seconds} s in each of {rounds} runs: the gaps between two animation frames (requestAnimationFrame), and the "
        "time from pressing Pause until the training has stopped ({pauses} presses a run) and from pressing Reset "
        "until the next frame; the worst of the runs, with the median speed. Targets: no frame gap over {gap} ms "
        "idle and {gap_busy} ms with a core busy, the 99th percentile at most {p99} ms, Pause within {pause} ms.",
        language, seconds=bench["seconds_per_run"], rounds=bench["rounds"], pauses=bench["pauses"],
        gap=target["frame_gap_ms"], gap_busy=target["frame_gap_busy_ms"], p99=target["frame_gap_p99_ms"],
        pause=target["pause_ms"])
    return render_table(rows, header=header, caption=caption, id="train-responsiveness", wrap=(0,))


def train_accuracy_sentence(language: str = "en") -> str:
    """What the benchmark's last runs reached: each model's test accuracy after a minute of the page's defaults."""
    bench = read_benchmark()
    after = bench.get("accuracy_after") if bench else None
    if not after or any(after[m].get("test_accuracy") is None for m in ("lecture", "modern")):
        return ""
    target = bench["target"]  # type: ignore[index]
    return translate(
        "After {seconds} s of training with this page's defaults (seed 1, in the same run), the lecture's model "
        "reached a test accuracy of {lecture} on the {test} test digits, the modern one {modern} (the targets: "
        "{lecture_target} and {modern_target}).", language,
        seconds=f"{bench['accuracy_seconds']:.0f}", test=f"{train_data.TEST_SIZE:,}",  # type: ignore[index]
        lecture=f"{after['lecture']['test_accuracy']:.4f}", modern=f"{after['modern']['test_accuracy']:.4f}",
        lecture_target=target["lecture_accuracy"], modern_target=target["modern_accuracy"])


def lecture_history_table(language: str = "en") -> str:
    """The lecture's printed training history, one row per epoch."""
    h = lecture_history()
    rows = [[str(e + 1), translate("{seconds} s", language, seconds=h.seconds[e]), f"{h.loss[e]:.4f}",
             f"{h.accuracy[e]:.4f}", f"{h.val_loss[e]:.4f}", f"{h.val_accuracy[e]:.4f}"] for e in range(h.epochs)]
    header = [translate("Epoch", language), translate("Time", language),
              *(RawHTML(f"<code>{name}</code>") for name in ("loss", "acc", "val_loss", "val_acc"))]  # Keras' names
    caption = translate("The lecture's model.fit: {steps} steps of {batch} per epoch ({train} training digits), tested "
                        "on all {test} test digits after each epoch.", language, steps=f"{h.steps_per_epoch:,}",
                        batch=h.batch_size, train=f"{h.train_size:,}", test=f"{h.test_size:,}")
    return render_table(rows, header=header, caption=caption, id="lecture-history")


def train_numbers() -> dict[str, Any]:
    """The trainer's numbers for the page's sentences."""
    manifest = json.loads((TRAIN_DIR / train_data.MANIFEST_FILE).read_text())
    bench = read_benchmark()
    lecture = {r["model"]: r for r in bench["results"] if r["implementation"] == OURS} if bench else {}
    return {
        "train_size": train_data.TRAIN_SIZE, "test_size": train_data.TEST_SIZE,
        "data_mb": f"{manifest['data_bytes'] / 1e6:.1f}", "evaluate_every": train_data.EVALUATE_EVERY,
        "adam": train_data.ADAM, "history": lecture_history(),
        "tolerance": {"gradient": train_data.GRADIENT_TOLERANCE, "adam": train_data.ADAM_TOLERANCE,
                      "loss": train_data.LOSS_TOLERANCE},
        "c1": train_data.model_spec(LECTURE)["layers"][0],
        "params": {s.name: arithmetic.summarize(s).total_params for s in (LECTURE, MODERN)},
        "macs": {s.name: arithmetic.summarize(s).total_macs for s in (LECTURE, MODERN)},
        "measured": {model: r["samples_per_second"] for model, r in lecture.items()},
    }


def define_env(env: Any) -> None:
    """Register the train page's variables and macros with mkdocs-macros."""
    env.variables["train"] = train_numbers()
    for function in (train_benchmark_table, train_responsiveness_table, train_accuracy_sentence,
                     lecture_history_table):
        env.macro(in_page_language(function, env), function.__name__)
