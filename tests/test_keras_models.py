"""The models people really have: sixteen saved by Keras itself (keras.applications with weights=None and small
Sequential builders, made here, never committed), read without TensorFlow and checked with ``summary --verify``."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lenet_explain.calculator.arithmetic import summarize
from lenet_explain.calculator.stackfile import load_stack

pytestmark = pytest.mark.tf
keras = pytest.importorskip("keras")

from saved_models import saved_model, shared_folder  # noqa: E402

from lenet_explain.models.keras_check import verify_stack  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
L = keras.layers


def lenet_relu() -> Any:
    """LeNet-5 as tutorials write it: ReLU() layers, max pooling, a Softmax() layer."""
    return keras.Sequential([
        keras.Input((28, 28, 1)), L.Conv2D(6, 5, padding="same"), L.ReLU(), L.MaxPooling2D(), L.Conv2D(16, 5),
        L.ReLU(), L.MaxPooling2D(), L.Flatten(), L.Dense(120), L.ReLU(), L.Dense(84), L.ReLU(), L.Dense(10),
        L.Softmax()], name="lenet_relu")


def autoencoder() -> Any:
    """A convolutional autoencoder: pooling down, transposed convolutions and upsampling back up."""
    return keras.Sequential([
        keras.Input((28, 28, 1)), L.Conv2D(16, 3, padding="same", activation="relu"), L.MaxPooling2D(padding="same"),
        L.Conv2D(8, 3, padding="same", activation="relu"), L.MaxPooling2D(padding="same"),
        L.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu"), L.UpSampling2D(),
        L.ZeroPadding2D(2), L.Cropping2D(((1, 1), (2, 0))), L.Conv2DTranspose(16, 3, activation="relu"),
        L.Conv2D(1, 5, activation="sigmoid")], name="autoencoder")


def audio_conv1d() -> Any:
    """A Conv1D audio net on one second of 8 kHz sound."""
    return keras.Sequential([
        keras.Input((8000, 1)), L.Normalization(), L.Conv1D(16, 9, strides=4, padding="causal"),
        L.BatchNormalization(), L.ReLU(), L.MaxPooling1D(4), L.SeparableConv1D(32, 5, padding="same"),
        L.DepthwiseConv1D(3, depth_multiplier=2), L.Conv1D(32, 3, dilation_rate=2, groups=4),
        L.SpatialDropout1D(0.1), L.AveragePooling1D(2), L.Conv1DTranspose(8, 4, strides=2),
        L.GlobalAveragePooling1D(), L.Dense(10, activation="softmax")], name="audio_conv1d")


def mlp_reshape() -> Any:
    """An MLP on 28×28 images that reshapes them itself."""
    return keras.Sequential([
        keras.Input((28, 28)), L.Reshape((784,)), L.Dense(128), L.LeakyReLU(0.1), L.Dropout(0.2),
        L.LayerNormalization(), L.Dense(64, activation="elu"), L.RepeatVector(2), L.Permute((2, 1)),
        L.Flatten(), L.UnitNormalization(), L.Dense(10), L.Activation("softmax")], name="mlp_reshape")


def zoo() -> Any:
    """Every other layer the calculator knows, in one small Functional graph (a shared layer too)."""
    image = keras.Input((20, 20, 3))
    x = L.Rescaling(1 / 255)(image)
    x = L.RandomFlip()(x)
    for layer in (L.RandomRotation(0.1), L.RandomZoom(0.1), L.RandomTranslation(0.1, 0.1), L.RandomContrast(0.1),
                  L.RandomBrightness(0.1), L.GaussianNoise(0.1), L.GaussianDropout(0.1), L.AlphaDropout(0.1)):
        x = layer(x)
    x = L.Resizing(24, 24)(x)
    x = L.CenterCrop(22, 22)(x)
    x = L.RandomCrop(20, 20)(x)
    a = L.Conv2D(8, 3, padding="same", groups=1)(x)
    b = L.SeparableConv2D(8, 3, padding="same", depth_multiplier=2)(x)
    shared = L.Conv2D(8, 1, name="shared")
    a, b = shared(a), shared(b)
    merged = [L.Subtract()([a, b]), L.Multiply()([a, b]), L.Average()([a, b]), L.Maximum()([a, b]),
              L.Minimum()([a, b])]
    x = L.Concatenate()(merged)
    x = L.PReLU(shared_axes=[1, 2])(x)
    x = L.GroupNormalization(groups=4)(x)
    x = L.SpatialDropout2D(0.1)(x)
    x = L.ELU()(x)
    x = L.Identity()(x)
    x = L.Reshape((20, 20, 4, 10))(x)
    x = L.Conv3D(4, 3, padding="same")(x)
    x = L.ZeroPadding3D(1)(x)
    x = L.Cropping3D(1)(x)
    x = L.MaxPooling3D((2, 2, 1))(x)
    x = L.AveragePooling3D((1, 1, 2), padding="same")(x)
    x = L.UpSampling3D((1, 1, 2))(x)
    x = L.Conv3DTranspose(2, 2, strides=2)(x)
    x = L.SpatialDropout3D(0.1)(x)
    y = L.GlobalMaxPooling3D()(x)
    z = L.GlobalAveragePooling3D(keepdims=True)(x)
    z = L.Flatten()(z)
    d = L.Dot(axes=1, normalize=True)([y, z])
    w = L.Dense(6)(L.Concatenate()([y, z, d]))
    w = L.UpSampling1D(3)(L.Reshape((3, 2))(w))
    w = L.ZeroPadding1D(2)(w)
    w = L.Cropping1D((1, 0))(w)
    w = L.MaxPooling1D(2)(w)
    w = L.GlobalMaxPooling1D()(w)
    return keras.Model(image, L.Dense(3)(w), name="zoo")


def embedding_text() -> Any:
    """A Conv1D text classifier on 40 tokens."""
    return keras.Sequential([
        keras.Input((40,)), L.Embedding(1000, 16), L.Conv1D(32, 5, activation="relu"), L.GlobalMaxPooling1D(),
        L.Dense(1, activation="sigmoid")], name="embedding_text")


# VGG16 without its top: its whole convolutional stack, a tenth of its 138 M weights (Flatten and Dense, which hold
# the rest, are read in lenet_relu, mlp_reshape and zoo); a weights=None model's weights are random and only the
# archive's config.json is read, but writing them is most of this module's time.
APPLICATIONS = {
    "VGG16": {"include_top": False, "input_shape": (224, 224, 3)},
    "ResNet50": {}, "ResNet50V2": {}, "MobileNet": {}, "MobileNetV2": {},
    "MobileNetV3Small": {"input_shape": (224, 224, 3)},  # its default input size is open
    "DenseNet121": {}, "InceptionV3": {}, "Xception": {}, "EfficientNetB0": {}, "NASNetMobile": {},
    "ConvNeXtTiny": {},
}
BUILDERS: dict[str, Callable[[], Any]] = {
    **{name: (lambda name=name, kw=kw: getattr(keras.applications, name)(weights=None, **kw))
       for name, kw in APPLICATIONS.items()},
    "lenet_relu": lenet_relu, "autoencoder": autoencoder, "audio_conv1d": audio_conv1d, "mlp_reshape": mlp_reshape,
    "zoo": zoo, "embedding_text": embedding_text,
}


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Each model built once per test run and saved as a .keras file, with Keras' own facts about its layers and
    totals (tests/saved_models.py: test_calculator_keras_page.py reads some of the same files)."""
    folder = shared_folder(tmp_path_factory)
    found = {name: saved_model(folder, name, build) for name, build in BUILDERS.items()}
    gc.collect()  # once, after the loop
    return found


@pytest.mark.parametrize("name", list(BUILDERS))
def test_model_is_read_and_verified(saved: dict[str, tuple[Path, dict[str, Any]]], name: str) -> None:
    """Every layer's shape and parameters, read from the file, match the model Keras saved; --verify agrees."""
    path, facts = saved[name]
    stack = load_stack(str(path))
    summary = summarize(stack)
    assert summary.total_params == facts["total"]
    rows = {row.name: row for row in summary.rows}
    for layer, (shape, params, trainable) in facts["layers"].items():
        assert (rows[layer].output_shape, rows[layer].params, rows[layer].trainable_params) == (
            shape, params, trainable), layer
    report = verify_stack(stack, summary)
    assert report.ok, report.mismatches
    assert report.layers_checked == len(facts["layers"])
    assert report.totals["total"] == facts["total"]


@pytest.mark.parametrize(("name", "paper"), [("MobileNet", 569_000_000), ("MobileNetV2", 300_000_000)])
def test_mobilenet_macs_match_the_papers(saved: dict[str, tuple[Path, dict[str, Any]]], name: str,
                                         paper: int) -> None:
    """Howard et al. 2017: 569 M multiply-adds at 224×224; Sandler et al. 2018: 300 M (within 2%)."""
    macs = summarize(load_stack(str(saved[name][0]))).total_macs
    assert abs(macs - paper) <= 0.02 * paper, f"{name}: {macs:,} MACs, the paper says {paper:,}"


def test_graph_rows_say_what_they_read(saved: dict[str, tuple[Path, dict[str, Any]]]) -> None:
    """ResNet50's first residual add reads its shortcut and its main path; the receptive field is the larger."""
    rows = {row.name: row for row in summarize(load_stack(str(saved["ResNet50"][0]))).rows}
    add = rows["conv2_block1_add"]
    assert add.inbound == ("conv2_block1_0_bn", "conv2_block1_3_bn")
    assert add.receptive_field == rows["conv2_block1_2_conv"].receptive_field  # the 3×3 path, not the 1×1
    assert add.output_shape == (56, 56, 256)


def test_shared_layer_counts_its_weights_once(saved: dict[str, tuple[Path, dict[str, Any]]]) -> None:
    rows = {row.name: row for row in summarize(load_stack(str(saved["zoo"][0]))).rows}
    shared = rows["shared"]
    assert shared.params == 8 * 8 + 8
    assert shared.macs == 2 * 20 * 20 * 8 * 8  # two calls, each 20×20 positions of 8×8 products


def test_cli_verifies_a_graph_and_expands_nested_models(saved: dict[str, tuple[Path, dict[str, Any]]]) -> None:
    """As a user runs it: summary --verify on a saved graph; --expand-nested lists ConvNeXt's stem layers."""
    path = saved["MobileNetV2"][0]
    run = subprocess.run([sys.executable, "-m", "lenet_explain", "summary", "--model", str(path), "--verify"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr
    assert "Connected to" in run.stdout and "all match" in run.stdout
    convnext = saved["ConvNeXtTiny"][0]
    collapsed = subprocess.run([sys.executable, "-m", "lenet_explain", "summary", "--model", str(convnext)],
                               capture_output=True, text=True, cwd=ROOT)
    expanded = subprocess.run([sys.executable, "-m", "lenet_explain", "summary", "--model", str(convnext),
                               "--expand-nested"], capture_output=True, text=True, cwd=ROOT)
    assert collapsed.returncode == expanded.returncode == 0, collapsed.stderr + expanded.stderr
    assert "convnext_tiny_stem (Sequential)" in collapsed.stdout
    assert "convnext_tiny_stem_conv (Conv2D)" not in collapsed.stdout
    assert "└ convnext_tiny_stem_conv (Conv2D)" in expanded.stdout
    totals = [line for line in collapsed.stdout.splitlines() if line.startswith("Total params")]
    assert totals == [line for line in expanded.stdout.splitlines() if line.startswith("Total params")]


def test_reading_a_large_graph_never_imports_tensorflow(saved: dict[str, tuple[Path, dict[str, Any]]]) -> None:
    """summary of ResNet50's .keras file stays a light command (principle 7)."""
    code = ("import sys; from lenet_explain.cli import main; code = main(['summary', '--model', sys.argv[1]]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'numpy')))")
    run = subprocess.run([sys.executable, "-c", code, str(saved["ResNet50"][0])], capture_output=True, text=True,
                         cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[]"
