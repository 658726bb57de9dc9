"""The invariance lab (docs/lab/): its committed data, its transforms, favourite digits and occlusion maps.

Oracles: numpy slicing for exact shifts and the 3×3 filters, Pillow for rotation and scaling, Keras (the committed
reference models) over the whole MNIST test set for each unit's top digits and for the occlusion maps. One page
load for every browser check.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from lenet_explain.site import lab_data
from lenet_explain.site.train_data import inflate_raw
from lenet_explain.site.weights_export import sha256_bytes, sha256_file
from lenet_explain.walkthrough import transforms
from lenet_explain.walkthrough.digit_models import NAMED_MODELS

ROOT = Path(__file__).resolve().parent.parent
LAB = ROOT / "docs" / "lab"
PAGE = "lab/"
OCCLUSION_TOLERANCE = 1e-4  # probabilities: the page's float32 pass against Keras'
SUM_TOLERANCE = 1e-4  # weighted sums: two units this close may be ranked either way


def read_data() -> dict[str, Any]:
    """The committed lab data."""
    return json.loads((LAB / lab_data.DATA_FILE).read_text())


def shipped_digits() -> tuple[np.ndarray, np.ndarray, list[int]]:
    """The shipped test digits (uint8 images, labels) and their indices, from the committed file."""
    entry = read_data()["digits"]
    raw = inflate_raw((LAB / entry["file"]).read_bytes())
    n = entry["count"]
    return np.frombuffer(raw[n:], np.uint8).reshape(n, 28, 28), np.frombuffer(raw[:n], np.uint8), entry["indices"]


# --- The committed data (no TensorFlow) -----------------------------------------------------------------------


def test_data_holds_what_it_was_computed_from_and_the_conventions() -> None:
    data = read_data()
    assert data["format"] == lab_data.FORMAT
    for name in lab_data.MODELS:  # a retrained model makes the data stale
        assert data["sources"]["models"][name]["sha256"] == sha256_file(NAMED_MODELS[name]), (
            "docs/lab is stale: run scripts/export_lab_data.py")
    assert data["conventions"] == json.loads(json.dumps(transforms.conventions()))
    assert data["test"]["shifts"] == list(transforms.TEST_SHIFTS)
    assert data["test"]["rotations"] == list(transforms.TEST_ROTATIONS)
    entry = data["digits"]
    compressed = (LAB / entry["file"]).read_bytes()
    assert len(compressed) == entry["bytes"] and sha256_bytes(compressed) == entry["sha256"]
    assert sha256_bytes(inflate_raw(compressed)) == entry["raw_sha256"]
    named = {e[0] for m in data["units"]["top"].values() for layer in m.values() for unit in layer for e in unit}
    assert sorted(named) == entry["indices"], "the file ships exactly the digits the page shows"
    for model in lab_data.MODELS:
        assert [len(data["units"]["top"][model][layer]) for layer in lab_data.UNIT_LAYERS] == [6, 16, 120, 84]


def pillow_rotate(image: np.ndarray, degrees: float, margin: int = 8) -> np.ndarray:
    """Pillow's rotation (counter-clockwise about the centre, bilinear) of a padded copy, so 0 is read outside."""
    big = Image.fromarray(np.pad(image, margin).astype(np.float32), "F")
    return np.asarray(big.rotate(degrees, resample=Image.Resampling.BILINEAR))[margin:-margin, margin:-margin]


def pillow_scale(image: np.ndarray, scale: float, margin: int = 8) -> np.ndarray:
    """Pillow's affine scaling about the centre (bilinear) of a padded copy."""
    big = np.pad(image, margin).astype(np.float32)
    c = big.shape[0] / 2  # Pillow's coordinates: pixel centres at i + 0.5
    data = (1 / scale, 0, c - c / scale, 0, 1 / scale, c - c / scale)
    out = Image.fromarray(big, "F").transform(big.shape[::-1], Image.Transform.AFFINE, data,
                                              resample=Image.Resampling.BILINEAR)
    return np.asarray(out)[margin:-margin, margin:-margin]


def test_python_transforms_equal_pillow_and_slicing() -> None:
    images = shipped_digits()[0][:6].astype(np.float32) / 255
    for degrees in (-45, -7, 30):
        want = np.stack([pillow_rotate(x, degrees) for x in images])
        assert np.abs(transforms.rotate(images, degrees) - want).max() <= transforms.TOLERANCE
    want = np.stack([pillow_scale(x, 1.3) for x in images])
    scaled = transforms.resample(images, transforms.forward_matrix(scale=1.3))
    assert np.abs(scaled - want).max() <= transforms.TOLERANCE
    moved = transforms.shift(images, 3, -2)
    assert np.array_equal(moved[:, :-2, 3:], images[:, 2:, :-3]) and not moved[:, -2:, :].any()


# --- Against Keras over the whole test set ------------------------------------------------------------------


@pytest.fixture(scope="module")
def mnist_test() -> tuple[np.ndarray, np.ndarray]:
    """MNIST's test images and labels."""
    from lenet_explain.walkthrough import mnist

    _, test = mnist.load_data()
    return test


@pytest.fixture(scope="module")
def digit_models() -> dict[str, Any]:
    """Both reference models, loaded by Keras."""
    from lenet_explain.walkthrough.digit_models import load_digit_model

    return {name: load_digit_model(name) for name in lab_data.MODELS}


@pytest.fixture(scope="module")
def keras_activity(digit_models: dict[str, Any], mnist_test: tuple[np.ndarray, np.ndarray]
                   ) -> dict[str, dict[str, lab_data.UnitActivity]]:
    """Every unit's activity over all 10,000 test digits, for both models, computed by Keras."""
    x_test = mnist_test[0]
    return {name: lab_data.unit_activity(m.model, m.inputs(x_test)) for name, m in digit_models.items()}


def check_top(indices: list[int], sums: np.ndarray, k: int) -> None:
    """``indices`` must be ``k`` distinct digits whose weighted sums are the k largest, largest first (ties aside)."""
    assert len(indices) == len(set(indices)) == k
    best = np.sort(sums)[::-1][:k]
    np.testing.assert_allclose(sums[indices], best, atol=SUM_TOLERANCE)


@pytest.mark.tf
@pytest.mark.slow
def test_committed_data_is_not_stale(digit_models: dict[str, Any], mnist_test: tuple[np.ndarray, np.ndarray],
                                     keras_activity: dict[str, dict[str, lab_data.UnitActivity]]) -> None:
    from lenet_explain.walkthrough import mnist

    x_test, y_test = mnist_test
    data = read_data()
    assert data["sources"]["mnist_test"] == {"x_test": mnist.array_sha256(x_test), "y_test": mnist.array_sha256(y_test)}
    images, labels, indices = shipped_digits()
    assert np.array_equal(images, x_test[indices]) and np.array_equal(labels, y_test[indices])
    for name, activity in keras_activity.items():
        assert data["units"]["top"][name] == lab_data.unit_entries(activity), f"{name}: run scripts/export_lab_data.py"
    # Two points of each curve, recomputed with the same code (the whole curve takes minutes).
    values = x_test.astype(np.float32) / 255
    shift, angle = transforms.TEST_SHIFTS[-2], transforms.TEST_ROTATIONS[1]
    for name, model in digit_models.items():
        for kind, images_moved, at in (
            ("shift_x", transforms.shift(values, shift, 0), transforms.TEST_SHIFTS.index(shift)),
            ("rotate", transforms.rotate(values, angle), transforms.TEST_ROTATIONS.index(angle)),
        ):
            outputs = model.raw_outputs(images_moved)
            guesses = outputs.argmin(axis=-1) if model.output == "penalties" else outputs.argmax(axis=-1)
            assert int(np.sum(guesses == y_test)) == data["test"]["correct"][name][kind][at], (name, kind)


# --- The page ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lab_page(browser: Any, site_url: str) -> Iterator[Any]:
    """The lab page, loaded once for the module, its networks and data checked; no console error, nothing off-site."""
    from conftest import is_local

    errors: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort())
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site_url + PAGE)
    page.wait_for_function("document.getElementById('lab-root').dataset.ready !== 'false'", timeout=60_000)
    assert page.evaluate("document.getElementById('lab-root').dataset.ready") == "true"
    yield page
    context.close()
    assert not errors, errors


def test_page_transforms_equal_slicing_pillow_and_filters(lab_page: Any) -> None:
    images = shipped_digits()[0][:4].astype(np.float32) / 255
    cases = [{"dx": dx, "dy": dy} for dx, dy in ((3, 0), (-6, 2), (0, -5), (6, 6))]
    cases += [{"rotate": a} for a in (-45, 12, 30)] + [{"scale": s} for s in (0.5, 1.35)]
    cases += [{"thickness": k} for k in (-2, -1, 1, 2)]
    cases += [{"noise": 0.3, "seed": 4}, {"noise": 0.3, "seed": 4}, {"noise": 0.3, "seed": 5},
              {"elastic": 34, "seed": 2}, {"elastic": 34, "seed": 2}, {"affine": 1, "seed": 3}]
    script = """([xs, cases]) => xs.flatMap((x) => cases.map((o) =>
      Array.from(window.lenetLab.transform(Float32Array.from(x), o))))"""
    got = np.asarray(lab_page.evaluate(script, [images.reshape(len(images), -1).tolist(), cases]),
                     np.float32).reshape(len(images), len(cases), 28, 28)
    for n, x in enumerate(images):
        for i, case in enumerate(cases):
            out = got[n, i]
            if "dx" in case:  # exact
                assert np.array_equal(out, transforms.shift(x[None], case["dx"], case["dy"])[0]), case
            elif "rotate" in case:
                assert np.abs(out - pillow_rotate(x, case["rotate"])).max() <= transforms.TOLERANCE, case
            elif "scale" in case:
                assert np.abs(out - pillow_scale(x, case["scale"])).max() <= transforms.TOLERANCE, case
            elif "thickness" in case:
                want = x
                for _ in range(abs(case["thickness"])):
                    padded = np.pad(want, 1)
                    windows = np.stack([padded[r:r + 28, c:c + 28] for r in range(3) for c in range(3)])
                    want = windows.max(axis=0) if case["thickness"] > 0 else windows.min(axis=0)
                assert np.array_equal(out, want), case
            else:
                assert out.min() >= 0 and out.max() <= 1 and not np.array_equal(out, x), case
        assert np.array_equal(got[n, -6], got[n, -5]) and not np.array_equal(got[n, -6], got[n, -4])  # seeded noise
        assert np.array_equal(got[n, -3], got[n, -2])  # seeded elastic distortion


def test_page_top_digits_are_keras_most_active(lab_page: Any, keras_activity: dict[str, dict[str, Any]]) -> None:
    answers = lab_page.evaluate("""(layers) => Object.fromEntries(["lecture", "lenet1998"].map((model) => [model,
        Object.fromEntries(layers.map((layer) => [layer,
          window.lenetLab.lab.data.units.top[model][layer].map((_, unit) =>
            window.lenetLab.topDigits({model: model, layer: layer, unit: unit}))]))]))""", list(lab_data.UNIT_LAYERS))
    for model, layers in keras_activity.items():
        for layer, activity in layers.items():
            assert len(answers[model][layer]) == activity.sums.shape[1]
            for unit, indices in enumerate(answers[model][layer]):
                check_top(indices, activity.sums[:, unit].astype(np.float64), lab_data.TOP_K)
    assert lab_page.evaluate("window.lenetLab.topDigits({model: 'lecture', layer: 'C3', unit: 2, k: 3})") == \
        answers["lecture"]["C3"][2][:3]


def test_page_occlusion_equals_keras(lab_page: Any, digit_models: dict[str, Any],
                                     mnist_test: tuple[np.ndarray, np.ndarray]) -> None:
    x_test, y_test = mnist_test
    for model, index, patch in (("lecture", 0, 4), ("lenet1998", 1, 4), ("lecture", 2, 7)):
        x = x_test[index].astype(np.float32) / 255
        cls = int(y_test[index])
        got = np.asarray(lab_page.evaluate("([x, o]) => window.lenetLab.occlusion(Float32Array.from(x), o)",
                                           [x.reshape(-1).tolist(), {"model": model, "patch": patch, "cls": cls}]))
        n = 29 - patch
        covered = np.repeat(x[None], n * n, axis=0)
        for r in range(n):
            for c in range(n):
                covered[r * n + c, r:r + patch, c:c + patch] = 0
        m = digit_models[model]
        p = m.probabilities(m.raw_outputs(np.concatenate([x[None], covered])))[:, cls]
        assert got.shape == (n * n,)
        np.testing.assert_allclose(got, p[0] - p[1:], atol=OCCLUSION_TOLERANCE)
        assert np.abs(got).max() > 0, "blanking part of the digit changes its class' probability somewhere"


def test_page_controls_update_the_network(lab_page: Any, screenshot: Any) -> None:
    images, labels, _ = shipped_digits()
    lab_page.evaluate("([x, label]) => window.lenetLab.ui.loadDigit(Float32Array.from(x), label)",
                      [(images[0].astype(np.float32) / 255).reshape(-1).tolist(), int(labels[0])])
    lab_page.fill("#lab-dx", "4")
    lab_page.dispatch_event("#lab-dx", "input")
    assert lab_page.text_content("#lab-dx-value") == "4 px"
    shown = np.asarray(lab_page.evaluate("Array.from(window.lenetLab.ui.state.shown)"))
    assert np.array_equal(shown.reshape(28, 28), transforms.shift(images[:1].astype(np.float32) / 255, 4, 0)[0])
    lab_page.click("#lab-sweep-run")
    assert lab_page.locator("#lab-sweep-chart svg polyline").count() == 10
    assert lab_page.locator(".lab-sweep-table tbody tr").count() == transforms.SWEEP_STEPS
    lab_page.click("#lab-occlusion-run")
    lab_page.wait_for_function("document.querySelector('.lab-occlusion-map canvas') !== null")
    assert lab_page.locator("#lab-unit-digits button").count() == lab_data.TOP_K
    screenshot(lab_page, "lab-desktop")
