"""Macros of the trained models: the lecture's reference run and the LeNet-5 of 1998 (docs/lenet1998.md)."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from lenet_explain.calculator import arithmetic as calc
from lenet_explain.calculator import formatting as fmt
from lenet_explain.calculator.stacks import get_stack
from lenet_explain.site.i18n import translate
from lenet_explain.site.page_html import render_table
from lenet_explain.site.size_macros import shape_text
from lenet_explain.walkthrough.lecture import PAPER_YEAR


def reference_metrics() -> dict[str, Any]:
    """Return the committed reference run's metrics (lenet_explain/data/lenet5_mnist_metrics.json)."""
    return model_metrics("lecture")


def paper_example(name: str = "") -> Any:
    """Return a committed example picture read both ways by the reference model (imports Keras)."""
    from lenet_explain.site import model_answers

    return model_answers.run_example(name or model_answers.PREDICT_EXAMPLE)


def gray_bit_depth() -> int:
    """Return the deepest gray level ``predict`` reads, in bits: Pillow's 'I;16' modes, 16."""
    from lenet_explain.walkthrough.images import SIXTEEN_BIT_MODES

    return max(int(found[1]) for mode in SIXTEEN_BIT_MODES if (found := re.match(r"I;(\d+)", mode)))


def visualizer_answers() -> Any:
    """Return the reference model's answers for the visualizer's example digits (imports Keras)."""
    from lenet_explain.site import model_answers

    return model_answers.visualizer_answers()


def guess_words(probabilities: Any, language: str = "en") -> str:
    """Return a model's first guess with its probability in ``language``: '3 (99.9%)', '3（99.9%）'."""
    values = [float(p) for p in probabilities]
    digit = values.index(max(values))
    return translate("{digit} ({percent})", language, digit=digit, percent=f"{values[digit]:.1%}")


def percent(value: float, places: int = 0) -> str:
    """Return a fraction as a percentage: 0.09 → '9%'."""
    return f"{value:.{places}%}"


def model_metrics(model: str = "lenet1998") -> dict[str, Any]:
    """Return the committed metrics of a trained model: ``lecture`` or ``lenet1998``."""
    import json

    from lenet_explain.walkthrough.digit_models import LENET1998_METRICS
    from lenet_explain.walkthrough.predict import REFERENCE_METRICS

    path = {"lecture": REFERENCE_METRICS, "lenet1998": LENET1998_METRICS}[model]
    return dict(json.loads(path.read_text(encoding="utf-8")))


def percent_text(value: float, decimals: int = 2) -> str:
    """Return a fraction as a percentage with two decimals by default, e.g. 0.9905 -> '99.05%'."""
    return percent(value, decimals)


def signed_text(value: float) -> str:
    """Return a number with a typographic minus sign: -0.1 -> '−0.1'."""
    return f"{value:g}".replace("-", "−")


def plain_number(value: float, digits: int = 2) -> str:
    """Return a small number without an exponent, to ``digits`` significant digits: 2.06e-05 -> '0.000021'."""
    from decimal import Decimal

    return format(Decimal(f"{value:.{digits}g}"), "f")


def lenet1998_facts() -> dict[str, Any]:
    """Return the 1998 network's constants and training recipe, as the package defines them."""
    from lenet_explain.calculator.bitmaps import BITMAP_COLUMNS, BITMAP_ROWS, DIGIT_BITMAPS, min_squared_distance
    from lenet_explain.calculator.layers import SCALED_TANH_A, SCALED_TANH_S
    from lenet_explain.walkthrough import training1998 as t

    s_fraction = Fraction(SCALED_TANH_S).limit_denominator(10)
    return {
        "A": SCALED_TANH_A, "S": f"{s_fraction.numerator}/{s_fraction.denominator}",
        "background": t.BACKGROUND, "full_ink": t.FULL_INK, "pad": t.PAD, "init_limit": t.INIT_LIMIT,
        "epochs": t.EPOCHS, "batch_size": t.BATCH_SIZE, "learning_rate": plain_number(t.LEARNING_RATE),
        "decay": t.DECAY_PER_EPOCH,
        "final_rate": plain_number(t.LEARNING_RATE * t.DECAY_PER_EPOCH ** (t.EPOCHS - 1)),
        "seed": t.SEED, "bitmap_rows": BITMAP_ROWS, "bitmap_columns": BITMAP_COLUMNS,
        "min_distance": min_squared_distance(DIGIT_BITMAPS), "min_pixels": min_squared_distance(DIGIT_BITMAPS) // 4,
        "validation_size": t.VALIDATION_SIZE, "paper_passes": t.PAPER_PASSES,
        "paper_rates": [plain_number(r) for r in t.PAPER_RATES],
        "paper_accuracy": percent_text(1 - t.PAPER_TEST_ERROR), "paper_error": percent_text(t.PAPER_TEST_ERROR),
        "paper_train_accuracy": percent_text(1 - t.PAPER_TRAIN_ERROR), "background_text": signed_text(t.BACKGROUND),
        "mse_equation": t.PAPER_MSE_EQUATION, "map_equation": t.PAPER_MAP_EQUATION,
    }


LEDGER_HEADER = ["layer", "output", "trainable", "fixed", "connections", "how they add up", "per parameter"]


def ledger_rows(stack: str = "lenet1998", language: str = "en") -> list[list[str]]:
    """Return each layer's parameters beside its connections (weight sharing made visible)."""
    rows = []
    for row in calc.summarize(get_stack(stack)).rows:
        per = f"{row.connections / row.params:,.0f}" if row.params else "—"
        rows.append([row.name, shape_text(row.output_shape), f"{row.trainable_params:,}",
                     f"{row.non_trainable_params:,}", f"{row.connections:,}",
                     fmt.format_connection_formula(row.connection_terms) or "—", per])
    summary = calc.summarize(get_stack(stack))
    rows.append([translate("total", language), "", f"{summary.trainable_params:,}", f"{summary.non_trainable_params:,}",
                 f"{summary.total_connections:,}", "", ""])
    return rows


def ledger_table(stack: str = "lenet1998", id: str = "", language: str = "en") -> str:
    """Return the parameters-versus-connections ledger of a built-in stack as HTML."""
    header = [translate(h, language) for h in LEDGER_HEADER]
    return render_table(ledger_rows(stack, language), header=header, id=id or f"ledger-{stack}", numeric=True,
                        classes="lx-layers", wrap=(5,))


# The comparison of the lecture's model with the 1998 network: (row, the lecture's model, the 1998 network, why it
# matters) as English templates; their Chinese is in words_zh.py, the values come from the package.
COMPARISON_TEMPLATES: tuple[tuple[str, str, str, str], ...] = (
    ("input", "{side}×{side} MNIST digit, pixels 0 (paper) to 1 (ink); C1 pads 'same'",
     "the digit padded to {paper_side}×{paper_side}, paper {background} and ink {ink}",
     "a mean near 0 and a variance near 1 speed up learning; the padding lets C1 see strokes near the edge"),
    ("squashing", "sigmoid, 0 to 1", "scaled tanh {A}·tanh({S}·a), −{A} to {A}",
     "outputs centred on 0; f(±1) = ±1, the RBF targets, where the curve bends most"),
    ("S2, S4", "average pooling, {pool_params} parameters",
     "trainable subsampling: a coefficient and a bias per map, squashed ({s2_params} and {s4_params} parameters)",
     "each map learns how much its blurred copy should count, and the squash can turn it into an OR or an AND"),
    ("C3", "every map reads all {s2_maps} S2 maps ({c3_params} parameters)",
     "maps read {c3_reads} S2 maps through Table I ({paper_c3_params} parameters, {c3_connections} connections)",
     "fewer connections (the paper's reason in {year}), and different inputs break the symmetry between maps"),
    ("output", "dense, softmax over {classes} ({output_params} trainable parameters)",
     "{classes} Euclidean RBF units, fixed ±1 weights from {columns}×{rows} bitmaps ({rbf_trainable} trainable, "
     "{rbf_fixed} fixed): lowest penalty wins",
     "F6 learns to draw the digit's bitmap; a digit that looks like no bitmap gets high penalties everywhere"),
    ("loss", "categorical cross-entropy", "the MAP criterion (eq. {map_equation}), j = {j}",
     "pulls the right class' penalty down, and a wrong one up only when it comes close"),
    ("training", "{lecture_optimizer}, {lecture_epochs} epochs, batch {lecture_batch}",
     "{paper_optimizer}, learning rate {rate} falling ×{decay} a pass, {paper_epochs} epochs, batch {paper_batch}",
     "the paper's per-weight step sizes (SDLM) in today's usual form"),
    ("parameters", "{lecture_params}", "{paper_params} trainable + {paper_fixed} fixed", ""),
    ("connections", "{lecture_connections}", "{paper_connections}",
     "one weight use per connection: the work per image"),
    ("test accuracy", "{lecture_accuracy}", "{paper_accuracy}", "on the same {test_size} MNIST test digits"),
)


OPTIMIZER_NAMES = {"adam": "Adam"}  # Keras' string for an optimizer → its name in a sentence


def optimizer_name(keras_name: str) -> str:
    """Return an optimizer's name as a sentence writes it: 'adam' → 'Adam'."""
    return OPTIMIZER_NAMES.get(keras_name, keras_name)


def comparison_rows(language: str = "en") -> list[list[str]]:
    """Return the lecture's model beside the 1998 network, what changed and why it matters, from the package."""
    from lenet_explain.calculator.stacks import C3_TABLE

    lecture, paper = calc.summarize(get_stack("lecture")), calc.summarize(get_stack("lenet1998"))
    f = lenet1998_facts()
    row = {name: {r.name: r for r in s.rows} for name, s in (("lecture", lecture), ("paper", paper))}
    lm, pm = model_metrics("lecture"), model_metrics("lenet1998")
    reads = sorted({len(maps) for maps in C3_TABLE})
    values = {
        "side": lecture.input_shape[0], "paper_side": paper.input_shape[0], "background": f["background_text"],
        "ink": f["full_ink"], "A": f["A"], "S": f["S"], "pool_params": row["lecture"]["S2"].params,
        "s2_params": row["paper"]["S2"].params, "s4_params": row["paper"]["S4"].params,
        "s2_maps": row["lecture"]["C3"].input_shape[2], "c3_params": f"{row['lecture']['C3'].params:,}",
        "c3_reads": translate("{first} or {last}", language, last=reads[-1],
                              first=("、" if language == "zh" else ", ").join(map(str, reads[:-1]))),
        "paper_c3_params": f"{row['paper']['C3'].params:,}", "c3_connections": f"{row['paper']['C3'].connections:,}",
        "year": PAPER_YEAR, "classes": lecture.output_shape[0], "output_params": f"{row['lecture']['output'].params:,}",
        "columns": f["bitmap_columns"], "rows": f["bitmap_rows"],
        "rbf_trainable": row["paper"]["output"].trainable_params,
        "rbf_fixed": row["paper"]["output"].non_trainable_params,
        "map_equation": f["map_equation"], "j": f"{pm['map_j']:g}",
        "lecture_optimizer": optimizer_name(lm["optimizer"]), "lecture_epochs": lm["epochs"],
        "lecture_batch": lm["batch_size"], "paper_optimizer": optimizer_name(pm["optimizer"]),
        "rate": f["learning_rate"], "decay": f["decay"],
        "paper_epochs": pm["epochs"], "paper_batch": pm["batch_size"],
        "lecture_params": f"{lecture.trainable_params:,}", "paper_params": f"{paper.trainable_params:,}",
        "paper_fixed": f"{paper.non_trainable_params:,}", "lecture_connections": f"{lecture.total_connections:,}",
        "paper_connections": f"{paper.total_connections:,}", "lecture_accuracy": percent_text(lm["test_accuracy"]),
        "paper_accuracy": percent_text(pm["test_accuracy"]), "test_size": f"{pm['test_size']:,}",
    }
    return [[(translate(cell, language) if re.search("[A-Za-z]", re.sub(r"\{\w+\}", "", cell)) else cell)
             .format(**values) for cell in cells] for cells in COMPARISON_TEMPLATES]


def c3_groups() -> list[dict[str, Any]]:
    """Return the rows of the paper's Table I in runs, as the paper describes them: how many C3 maps (``count``) read
    how many S2 maps each (``reads``), and whether those are neighbours (``neighbours``, around the circle of maps)."""
    from lenet_explain.calculator.stacks import C3_TABLE

    inputs = 1 + max(m for maps in C3_TABLE for m in maps)
    groups: list[dict[str, Any]] = []
    for maps in C3_TABLE:
        neighbours = any({(start + i) % inputs for i in range(len(maps))} == set(maps) for start in range(inputs))
        if groups and (groups[-1]["reads"], groups[-1]["neighbours"]) == (len(maps), neighbours):
            groups[-1]["count"] += 1
        else:
            groups.append({"count": 1, "reads": len(maps), "neighbours": neighbours})
    return groups


COMPARISON_HEADER = ["", "the lecture's model", f"the {PAPER_YEAR} network", "why it matters"]
VALIDATION_HEADER = ["j", "optimiser", "batch", "passes", "seed", "validation accuracy after the last pass"]


def validation_rows() -> list[list[str]]:
    """Return the recorded validation runs (how the MAP constant j was chosen), best last."""
    import json

    from lenet_explain.walkthrough.digit_models import LENET1998_VALIDATION

    runs = json.loads(LENET1998_VALIDATION.read_text(encoding="utf-8"))["runs"]
    runs = sorted(runs, key=lambda run: run["final_val_accuracy"])
    return [[f"{run['map_j']:g}", optimizer_name(run["optimizer"]), str(run["batch_size"]), str(run["epochs"]),
             str(run["seed"]), percent_text(run["final_val_accuracy"])] for run in runs]
