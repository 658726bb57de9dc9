"""The "how it learns" page: one training step's numbers against TensorFlow, the stepper, the chain rule, Adam.

TensorFlow is the oracle: the same network built by Keras from the same layer description, given the step's own
first weights and input, computes the loss, every gradient (GradientTape) and one step of a fresh Keras Adam; the
verified MNIST arrays are the oracle for the input. The page runs in headless Chromium (conftest.py's fixtures fail
a test on any console error or off-site request).
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
from test_steppers import tab_until
from zh_text import COLLECT_JS, DRAW_A_SEVEN_JS, problems

from lenet_explain.calculator.stacks import LECTURE, MODERN
from lenet_explain.site import train_data
from lenet_explain.walkthrough import mnist

PAGE = "learn/"
STACKS = {"lecture": LECTURE, "modern": MODERN}
STATUS = "#ll-stepper .lx-stepper-status"
SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
# One step per case: (seed, digit, learning rate); a drawing is tested with pixels of its own.
CASES = [(1, 0, 0.001), (7, 1234, 0.01)]


def open_learn(page: Any, url: str) -> Any:
    """Open the page at ``url`` and wait until its first step is drawn."""
    page.goto(url)
    page.wait_for_function("document.getElementById('ll-root').dataset.ready !== 'false'", timeout=60_000)
    assert page.evaluate("document.getElementById('ll-root').dataset.ready") == "true"
    return page


def shown_number(text: str) -> float:
    """A number as the page writes it ('−2.73×10⁻⁴', '0.0412', '2.30') as a float."""
    text = text.strip().replace("\u2212", "-")
    if "×10" in text:
        mantissa, power = text.split("×10")
        return float(mantissa) * 10.0 ** int(power.translate(SUPERSCRIPTS))
    return float(text)


def test_shown_number_reads_the_page_s_formats() -> None:
    assert shown_number("−2.73×10⁻⁴") == pytest.approx(-2.73e-4)
    assert shown_number("4.12×10⁵") == pytest.approx(4.12e5)
    assert shown_number("0.0412") == pytest.approx(0.0412)


@pytest.fixture(scope="module")
def mnist_test() -> tuple[np.ndarray, np.ndarray]:
    """MNIST's test digits and labels (verified), in the official order."""
    _, (x_test, y_test) = mnist.load_data()
    return x_test, y_test


def tensorflow_step(name: str, step: dict[str, Any]) -> dict[str, Any]:
    """The loss, every gradient and the weights after one fresh Keras Adam step, from the page's weights and input."""
    import tensorflow as tf

    from lenet_explain.models.keras_import import keras
    from lenet_explain.models.keras_model import build_model

    model = build_model(STACKS[name])
    by_name = {t["name"]: t for t in step["weights"]}
    names = [f"{v.path.split('/')[-2]}/{v.path.rsplit('/', 1)[-1]}" for v in model.trainable_weights]
    assert names == [t["name"] for t in step["weights"]]  # the contract: Keras' order of trainable_weights
    for variable, tensor in zip(model.trainable_weights, names, strict=True):
        assert list(variable.shape) == by_name[tensor]["shape"]
        variable.assign(np.asarray(by_name[tensor]["values"], dtype=np.float32).reshape(variable.shape))
    x = np.asarray(step["input"], dtype=np.float32).reshape(1, 28, 28, 1)
    y = np.eye(10, dtype=np.float32)[[step["label"]]]
    with tf.GradientTape() as tape:
        loss = keras.losses.CategoricalCrossentropy()(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer = keras.optimizers.Adam(learning_rate=step["learning_rate"])
    optimizer.apply_gradients(zip(grads, model.trainable_weights, strict=True))
    return {"loss": float(loss), "gradients": dict(zip(names, (np.asarray(g) for g in grads), strict=True)),
            "after": {n: np.asarray(v) for n, v in zip(names, model.trainable_weights, strict=True)}}


def assert_step_equals_tensorflow(name: str, step: dict[str, Any]) -> dict[str, Any]:
    """Every number of one step() against TensorFlow, within the page's stated tolerances; returns TensorFlow's."""
    want = tensorflow_step(name, step)
    assert step["loss"] == pytest.approx(want["loss"], abs=train_data.LOSS_TOLERANCE)
    assert [t["name"] for t in step["gradients"]] == [t["name"] for t in step["after"]] == list(want["gradients"])
    for got in step["gradients"]:
        tf_grad = want["gradients"][got["name"]]
        values = np.asarray(got["values"]).reshape(got["shape"])
        assert values.shape == tf_grad.shape
        scale = float(np.abs(tf_grad).max())
        assert scale > 0, got["name"]
        assert float(np.abs(values - tf_grad).max()) <= train_data.GRADIENT_TOLERANCE * scale, got["name"]
    for got in step["after"]:
        tf_after = want["after"][got["name"]]
        assert float(np.abs(np.asarray(got["values"]).reshape(got["shape"]) - tf_after).max()) <= \
            train_data.ADAM_TOLERANCE, got["name"]
    return want


@pytest.mark.tf
@pytest.mark.parametrize("name", ["lecture", "modern"])
def test_one_step_equals_tensorflow(page: Any, site_url: str, mnist_test: tuple[np.ndarray, np.ndarray],
                                    name: str) -> None:
    open_learn(page, site_url + PAGE)
    x_test, y_test = mnist_test
    for seed, digit, rate in CASES:
        step = page.evaluate("(o) => window.lenetLearn.step(o)",
                             {"model": name, "seed": seed, "digit": digit, "learning_rate": rate})
        assert np.array_equal(np.asarray(step["input"], dtype=np.float32),
                              x_test[digit].reshape(-1).astype(np.float32) / 255)
        assert step["label"] == int(y_test[digit])
        assert_step_equals_tensorflow(name, step | {"learning_rate": rate})
    # A drawing: the page's own pixels and a label of the reader's choosing (here a wrong one, 3 for a 7).
    pixels = np.clip(x_test[0].reshape(-1) / 255 * 0.8 + 0.1 * (np.arange(784) % 3 == 0), 0, 1).tolist()
    step = page.evaluate("(o) => window.lenetLearn.step(o)", {"model": name, "seed": 3, "pixels": pixels, "label": 3})
    assert np.allclose(step["input"], pixels, atol=1e-7) and step["label"] == 3
    assert_step_equals_tensorflow(name, step | {"learning_rate": train_data.ADAM["learning_rate"]})
    # What step() refuses, with a message that names the setting.
    for options, words in (({"model": "vgg"}, "no model"), ({"digit": 2000}, "digit"), ({"digit": -1}, "digit"),
                           ({"seed": 1.5}, "seed"), ({"learning_rate": 0}, "learning rate"),
                           ({"pixels": [2] * 784, "label": 1}, "pixels"), ({"pixels": pixels}, "label")):
        message = page.evaluate("(o) => window.lenetLearn.step(o).then(() => 'accepted', (e) => e.message)", options)
        assert words in message, (options, message)


def status(page: Any) -> str:
    """What the stepper's live region says now."""
    return str(page.locator(STATUS).text_content())


@pytest.mark.tf
def test_the_kernel_gradient_stepper_from_the_keyboard(page: Any, site_url: str, screenshot: Any) -> None:
    """Keyboard only: every cell of a C1 kernel's gradient, announced as TensorFlow computes it."""
    open_learn(page, site_url + PAGE)
    stepper = page.locator("#ll-stepper")
    assert stepper.get_attribute("tabindex") == "0" and stepper.get_attribute("data-stepper") == "kernel-gradient"
    live = stepper.locator("[aria-live]")
    assert live.count() == 1 and live.get_attribute("aria-live") == "polite"
    step = page.evaluate("() => window.lenetLearn.step({model: 'lecture', seed: 1, digit: 0})")
    want = tensorflow_step("lecture", step | {"learning_rate": train_data.ADAM["learning_rate"]})["gradients"]
    kernel = want["C1/kernel"]  # (5, 5, 1, 6)
    rows, cols = kernel.shape[:2]
    tab_until(page, "el.id === 'll-stepper'")
    for choice in (0, 3):
        if choice:  # Tab to filter 4's button and press Space; the focus stays in the stepper
            tab_until(page, f"el.dataset.choice === '{choice}' && el.closest('#ll-stepper') !== null")
            page.keyboard.press("Space")
            assert page.evaluate("document.activeElement.getAttribute('aria-pressed')") == "true"
            tab_until(page, "el.id === 'll-stepper'", back=True)
        page.keyboard.press("Home")
        said = [status(page)]
        for _ in range(rows * cols - 1):
            page.keyboard.press("ArrowRight")
            said.append(status(page))
        for i, text in enumerate(said):
            r, c = divmod(i, cols)
            match = re.fullmatch(rf"row {r + 1}, column {c + 1}: (\S+)", text)
            assert match, text
            value = float(kernel[r, c, 0, choice])
            # Three significant digits of TensorFlow's number (its own rounding is within the gradient tolerance).
            slack = train_data.GRADIENT_TOLERANCE * float(abs(kernel).max())
            assert shown_number(match.group(1)) == pytest.approx(value, rel=6e-3, abs=slack)
        page.keyboard.press("ArrowRight")  # past the last cell: back to the first, in reading order
        assert status(page) == said[0]
        page.keyboard.press("ArrowLeft")
        assert status(page) == said[-1]
        page.keyboard.press("ArrowUp")
        assert status(page) == said[-1 - cols]
        page.keyboard.press("End")
        assert status(page) == said[-1]
    screenshot(page, "learn-stepper-keyboard")


def table_rows(page: Any, table_id: str) -> list[list[str]]:
    """The body rows of one of the page's tables as text (header cell first)."""
    return page.evaluate(f"[...document.querySelectorAll('#{table_id} tbody tr')]"
                         ".map(tr => [...tr.children].map(td => td.textContent.trim()))")


@pytest.mark.tf
def test_chain_rule_finite_differences_and_adam_agree(page: Any, site_url: str) -> None:
    """The page's chain rule, its finite-difference check and its Adam table, for weights of F6 and the output."""
    open_learn(page, site_url + PAGE)
    step = page.evaluate("() => window.lenetLearn.step({model: 'lecture', seed: 1, digit: 0})")
    want = tensorflow_step("lecture", step | {"learning_rate": train_data.ADAM["learning_rate"]})
    for layer in ("F6", "output"):
        page.select_option("#ll-chain-layer", layer)
        page.fill("#ll-chain-from", "3")
        page.press("#ll-chain-from", "Enter")
        page.fill("#ll-chain-to", "2")
        page.press("#ll-chain-to", "Enter")
        page.wait_for_function("document.getElementById('ll-chain-from').value === '3'")
        tf_grad = float(want["gradients"][f"{layer}/kernel"][2, 1])
        formula = page.locator("#ll-chain-formula").text_content() or ""
        product = shown_number(formula.rsplit("=", 1)[1])
        assert product == pytest.approx(tf_grad, rel=6e-3), (layer, formula)
        rows = {r[0]: r[1] for r in table_rows(page, "ll-chain-table")}
        assert shown_number(rows["∂L/∂w by backpropagation"]) == pytest.approx(tf_grad, rel=6e-3)
        page.select_option("#ll-epsilon", str(1e-4))
        page.click("#ll-nudge")
        check = {r[0]: r[1] for r in table_rows(page, "ll-check")}
        estimate = shown_number(check["(L(w + ε) − L(w − ε)) / 2ε"])
        assert estimate == pytest.approx(tf_grad, rel=2e-3), (layer, check)
        assert shown_number(check["relative difference"]) < 1e-3
        adam = {r[0]: r[1] for r in table_rows(page, "ll-adam")}
        assert shown_number(adam["w after = w − step"]) == pytest.approx(
            float(want["after"][f"{layer}/kernel"][2, 1]), abs=train_data.ADAM_TOLERANCE)
        # On a first step Adam moves a weight by about the learning rate, whatever the size of its gradient.
        moved = shown_number(adam["m α / (√v + ε)"])
        assert moved == pytest.approx(math.copysign(train_data.ADAM["learning_rate"], tf_grad), rel=0.01)


@pytest.mark.tf
def test_the_chinese_twin_shows_the_same_numbers(page: Any, site_url: str, screenshot: Any) -> None:
    """The same step in both languages: the same numbers in the tables, the loss line and the stepper; and every word
    the Chinese page shows or gives a screen reader, after a reader's use of it, is written in Chinese."""
    numbers = {}
    for language, path in (("en", PAGE), ("zh", "zh/" + PAGE)):
        open_learn(page, site_url + path)
        page.focus("#ll-stepper")
        page.keyboard.press("End")
        page.click("#ll-nudge")
        texts = page.evaluate("[...document.querySelectorAll('#ll-probabilities td, #ll-chain-table td, #ll-adam td,"
                              " #ll-check td')].map(td => td.textContent)")
        texts += [page.locator("#ll-loss-line").inner_text(), status(page)]
        numbers[language] = [re.findall(r"−?\d+(?:[.,]\d+)*(?:×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?%?", text) for text in texts]
        assert page.evaluate("document.documentElement.lang").startswith(language)
    assert numbers["en"] == numbers["zh"]
    # The Chinese page after a drawing (a 7, labelled 7) and a bad setting: what a reader meets is Chinese.
    page.evaluate(DRAW_A_SEVEN_JS, "ll-pad")
    page.select_option("#ll-label", "7")
    assert page.text_content("#ll-source") == "在你写的数字上走一步，标签是 7。"
    page.fill("#ll-digit", "0")
    page.press("#ll-digit", "Enter")
    assert page.text_content("#ll-error") == f"测试数字的编号必须是 1 到 {train_data.TEST_SIZE:,} 之间的整数"
    found = problems(sorted(set(page.evaluate(COLLECT_JS, "article"))))
    assert not found, found
    screenshot(page, "learn-zh-drawn")
