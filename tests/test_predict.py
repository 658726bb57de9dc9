"""``lenet-explain predict`` on black-on-white digits made here from MNIST test digits, and every error path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from lenet_explain import cli
from lenet_explain.walkthrough import images, mnist, predict, training

pytestmark = pytest.mark.tf


@pytest.fixture(scope="module")
def model() -> Any:
    """The committed reference model."""
    return training.load_model(predict.REFERENCE_MODEL)


@pytest.fixture(scope="module")
def chosen(model: Any) -> list[tuple[int, np.ndarray]]:
    """For each digit 0–9, the first MNIST test image the model reads right with confidence on MNIST itself."""
    _, (x_test, y_test) = mnist.load_data()
    probabilities = model.predict(training.prepare_images(x_test[:500]), verbose=0)
    picked = []
    for digit in range(10):
        index = next(
            i
            for i in range(500)
            if y_test[i] == digit and probabilities[i].argmax() == digit and probabilities[i].max() > 0.95
        )
        picked.append((digit, x_test[index]))
    return picked


def write_black_on_white(digit: int, pixels: np.ndarray, folder: Path) -> Path:
    """Draw an MNIST digit as dark ink on white paper, in a different size, place and format per digit."""
    size = [60, 90, 140, 200, 300, 420, 75, 110, 250, 500][digit]
    ink = Image.fromarray(255 - pixels).resize((size, size), Image.Resampling.BICUBIC)
    paper = Image.new("L", (size * 2 + 37, size + 2 * digit + 40), 255)
    paper.paste(ink, (size // 3 + 5 * digit, 20 + digit))
    kind = digit % 4
    if kind == 0:
        path = folder / f"digit{digit}.png"
        paper.save(path)
    elif kind == 1:
        path = folder / f"digit{digit}.jpg"
        paper.convert("RGB").save(path, quality=90)
    elif kind == 2:  # blue ink on a transparent sheet
        rgba = Image.new("RGBA", paper.size, (20, 40, 160, 0))
        rgba.putalpha(Image.eval(paper, lambda v: 255 - v))
        path = folder / f"digit{digit}.png"
        rgba.save(path)
    else:
        path = folder / f"digit{digit}.webp"
        paper.convert("RGB").save(path, quality=95)
    return path


def write_broken(folder: Path) -> dict[str, str]:
    """Write one file per failure and return {path as given: expected error words}."""
    (folder / "notes.txt").write_text("not a picture\n")
    (folder / "empty.png").write_bytes(b"")
    buffer = folder / "whole.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (80, 80), dtype=np.uint8)).save(buffer)
    data = buffer.read_bytes()
    (folder / "truncated.png").write_bytes(data[: len(data) // 2])
    Image.new("RGB", (200, 150), "white").save(folder / "blank.png")
    Image.new("L", (9000, 6000), 255).save(folder / "large.png")  # 54 megapixels of white
    return {
        str(folder / "notes.txt"): "not an image",
        str(folder / "empty.png"): "empty file",
        str(folder / "truncated.png"): "truncated or corrupt",
        str(folder / "blank.png"): "no ink",
        str(folder / "large.png"): "absurdly large",
        str(folder / "missing.png"): "no such file",
    }


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``lenet-explain`` as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "lenet_explain", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )


def test_predict_names_black_on_white_digits_and_reports_broken_files(
    chosen: list[tuple[int, np.ndarray]], model: Any, tmp_path: Path
) -> None:
    (tmp_path / "pics").mkdir()
    good = [write_black_on_white(digit, pixels, tmp_path / "pics") for digit, pixels in chosen]
    broken = write_broken(tmp_path / "pics")
    given = [f"pics/{p.name}" for p in good[:5]] + list(broken) + [f"./pics/../pics/{p.name}" for p in good[5:]]
    result = run_cli("predict", "--json", *given, cwd=tmp_path)
    assert result.returncode == 2  # some files failed
    assert "Traceback" not in result.stderr
    entries = json.loads(result.stdout)
    assert [entry["file"] for entry in entries] == given
    digits = [digit for digit, _ in chosen]
    expected_digits = iter(digits[:5] + digits[5:])
    for entry in entries:
        if entry["file"] in broken:
            assert set(entry) == {"file", "error"}
            assert broken[entry["file"]] in entry["error"], entry
            continue
        assert set(entry) == {"file", "guess", "second", "probabilities"}
        probabilities = np.array(entry["probabilities"])
        assert probabilities.shape == (10,) and probabilities.sum() == pytest.approx(1, abs=1e-5)
        order = np.argsort(-probabilities)
        assert (entry["guess"], entry["second"]) == (order[0], order[1])
        assert entry["guess"] == next(expected_digits), entry["file"]
        # Keras itself, on the same preprocessing, gives the same probabilities
        oracle = model.predict(images.preprocess_image(tmp_path / entry["file"]).image[None, :, :, None], verbose=0)
        np.testing.assert_allclose(probabilities, oracle[0], rtol=1e-4, atol=1e-6)
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("lenet-explain: error:")]
    assert len(error_lines) == len(broken)
    for path, words in broken.items():
        assert any(path in line and words in line for line in error_lines)


def test_naive_path_misreads_what_mnist_style_reads(chosen: list[tuple[int, np.ndarray]], tmp_path: Path) -> None:
    paths = [write_black_on_white(digit, pixels, tmp_path) for digit, pixels in chosen]
    truth = [digit for digit, _ in chosen]
    mnist_style = predict.predict_files([str(p) for p in paths])
    naive = predict.predict_files([str(p) for p in paths], method="naive")
    mnist_right = sum(entry["guess"] == digit for entry, digit in zip(mnist_style, truth, strict=True))
    naive_right = sum(entry["guess"] == digit for entry, digit in zip(naive, truth, strict=True))
    assert mnist_right == 10
    assert naive_right <= 3  # white paper looks like nothing the network was trained on


def test_text_output_and_show_figure(
    chosen: list[tuple[int, np.ndarray]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [str(write_black_on_white(digit, pixels, tmp_path)) for digit, pixels in chosen[2:4]]
    figure = tmp_path / "steps.png"
    status = cli.main(["predict", *paths, str(tmp_path / "nothing.png"), "--show", str(figure)])
    out, err = capsys.readouterr()
    assert status == 2
    lines = out.splitlines()
    assert lines[0].startswith(f"{paths[0]}: 2 (") and "second guess" in lines[0]
    assert lines[1].startswith(f"{paths[1]}: 3 (")
    assert err.strip() == f"lenet-explain: error: {tmp_path / 'nothing.png'}: no such file"
    with Image.open(figure) as shown:
        assert shown.format == "PNG" and shown.height > 300 and shown.width > 1000


def test_a_legacy_h5_model_predicts_the_same(
    chosen: list[tuple[int, np.ndarray]], model: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    h5 = training.save_model(model, tmp_path / "mnist.h5")
    path = str(write_black_on_white(7, chosen[7][1], tmp_path))
    assert cli.main(["predict", "--json", path]) == 0
    from_keras = json.loads(capsys.readouterr().out)
    assert cli.main(["predict", "--json", "--model", str(h5), path]) == 0
    from_h5 = json.loads(capsys.readouterr().out)
    np.testing.assert_allclose(from_h5[0]["probabilities"], from_keras[0]["probabilities"], rtol=1e-5, atol=1e-7)
    assert from_h5[0]["guess"] == 7


@pytest.mark.parametrize(
    ("make", "message"),
    [
        ("missing", "no model file"),
        ("garbage", "cannot load the model"),
        ("wrong_shape", "a digit model maps"),
    ],
)
def test_bad_models_are_one_line_errors(
    make: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import keras

    image = tmp_path / "one.png"
    Image.fromarray(np.pad(np.full((10, 4), 255, np.uint8), 9)).save(image)
    model_path = tmp_path / "model.keras"
    if make == "garbage":
        model_path.write_bytes(b"PK\x03\x04 not really a zip")
    elif make == "wrong_shape":
        other = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
        other.save(model_path)
    status = cli.main(["predict", str(image), "--model", str(model_path)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("lenet-explain: error:") and message in err and len(err.strip().splitlines()) == 1


def test_show_needs_an_image_suffix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["predict", str(tmp_path / "x.png"), "--show", str(tmp_path / "out.txt")]) == 2
    assert "--show writes .png" in capsys.readouterr().err
