"""MNIST-style preprocessing of images generated here from real MNIST test digits."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from lenet_explain.errors import LenetError
from lenet_explain.walkthrough import images, mnist


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    """MNIST's test images and labels (fetched and verified on first use)."""
    _, (x_test, y_test) = mnist.load_data()
    return x_test, y_test


def full_box_digit(x_test: np.ndarray, start: int = 0) -> np.ndarray:
    """Return the first test digit from ``start`` whose ink box is exactly 20 pixels tall and < 20 wide."""
    for digit in x_test[start:]:
        rows, cols = np.flatnonzero(digit.any(axis=1)), np.flatnonzero(digit.any(axis=0))
        if rows[-1] - rows[0] + 1 == 20 and cols[-1] - cols[0] + 1 < 20:
            return digit
    raise AssertionError("no such digit")


def crop(image: np.ndarray) -> np.ndarray:
    """The smallest rectangle holding every non-zero pixel."""
    rows, cols = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
    return image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def reference(digit: np.ndarray) -> np.ndarray:
    """The MNIST digit itself, with its centre of mass moved to the middle as the pipeline does."""
    return images.preprocess_gray(digit.astype(np.float32) / 255).image


def on_paper(digit: np.ndarray, size: int, canvas: tuple[int, int], at: tuple[int, int]) -> Image.Image:
    """Draw an MNIST digit as black ink on white paper: scaled to ``size`` px, pasted at ``at``."""
    ink = Image.fromarray(255 - digit).resize((size, size), Image.Resampling.BICUBIC)
    paper = Image.new("L", canvas, 255)
    paper.paste(ink, at)
    return paper


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of two images softened by a 1-pixel blur (so half-pixel offsets barely count)."""

    def soften(image: np.ndarray) -> np.ndarray:
        for _ in range(2):  # two 3×3 box blurs
            padded = np.pad(image, 1)
            image = sum(padded[r : r + 28, c : c + 28] for r in range(3) for c in range(3)) / 9
        return image

    return float(np.corrcoef(soften(a).ravel(), soften(b).ravel())[0, 1])


def check_mnist_like(result: images.Preprocessed) -> None:
    """White ink on a black field, longer side 20 px, centre of mass in the middle of 28×28."""
    image = result.image
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert image.min() == 0 and image.max() == pytest.approx(1)
    border = np.concatenate([image[:2].ravel(), image[-2:].ravel(), image[:, :2].ravel(), image[:, -2:].ravel()])
    assert border.mean() < 0.02  # a black background, ink inside
    rows, cols = np.flatnonzero(image.max(axis=1) > 0.05), np.flatnonzero(image.max(axis=0) > 0.05)
    assert max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1) in (20, 21, 22)
    row, col = images.centre_of_mass(image)
    assert abs(row - images.CENTRE) <= 0.5 + 1e-6 and abs(col - images.CENTRE) <= 0.5 + 1e-6


def test_mnist_centre_of_mass_is_the_field_middle(digits: tuple[np.ndarray, np.ndarray]) -> None:
    x_test, _ = digits
    sample = x_test[:2000].astype(np.float64)
    rows, cols = np.indices((28, 28))
    mass = sample.sum(axis=(1, 2))
    mean_row = float(((sample * rows).sum(axis=(1, 2)) / mass).mean())
    mean_col = float(((sample * cols).sum(axis=(1, 2)) / mass).mean())
    assert abs(mean_row - images.CENTRE) < 0.1 and abs(mean_col - images.CENTRE) < 0.1


def test_an_mnist_digit_passes_unchanged_but_for_a_shift(digits: tuple[np.ndarray, np.ndarray]) -> None:
    digit = full_box_digit(digits[0])
    result = images.preprocess_gray(digit.astype(np.float32) / 255)
    assert not result.inverted and result.thickened == 0
    np.testing.assert_allclose(crop(result.image), crop(digit.astype(np.float32) / digit.max()), atol=1e-6)
    check_mnist_like(result)


@pytest.mark.parametrize("start", [0, 100, 200, 300, 400])
def test_black_ink_on_white_off_centre_is_inverted_and_centred(
    digits: tuple[np.ndarray, np.ndarray], tmp_path: Path, start: int
) -> None:
    digit = full_box_digit(digits[0], start)
    path = tmp_path / "paper.png"
    on_paper(digit, 280, (900, 640), (560, 30)).save(path)
    result = images.preprocess_image(path)
    assert result.inverted and result.background == pytest.approx(1)
    check_mnist_like(result)
    assert similarity(result.image, reference(digit)) > 0.9


def ink_on_transparent(digit: np.ndarray, ink_side: int, sheet: tuple[int, int],
                       sheet_rgb: tuple[int, int, int], ink_rgb: tuple[int, int, int],
                       at: tuple[int, int]) -> Image.Image:
    """Strokes of colour ``ink_rgb`` whose opacity is the digit, pasted on a fully transparent sheet."""
    alpha = Image.fromarray(digit).resize((ink_side, ink_side), Image.Resampling.BICUBIC)
    image = Image.new("RGBA", sheet, (*sheet_rgb, 0))
    ink = Image.new("RGBA", alpha.size, (*ink_rgb, 255))
    ink.putalpha(alpha)
    image.paste(ink, at)
    return image


def rgba_black_on_transparent(digit: np.ndarray) -> Image.Image:
    """Black strokes whose opacity is the digit, on a fully transparent sheet."""
    return ink_on_transparent(digit, 140, (300, 200), (0, 0, 0), (0, 0, 0), (20, 40))


def rgba_white_on_transparent(digit: np.ndarray) -> Image.Image:
    """White strokes on a transparent sheet (visible only over a dark background)."""
    return ink_on_transparent(digit, 84, (100, 120), (255, 255, 255), (255, 255, 255), (10, 30))


def huge_rgba(digit: np.ndarray) -> Image.Image:
    """A large transparent sheet with black strokes (reduced with premultiplied alpha before use)."""
    # Transparent red must not tint the ink.
    return ink_on_transparent(digit, 1400, (2600, 2100), (255, 0, 0), (0, 0, 0), (900, 300))


def palette_with_transparency(digit: np.ndarray) -> Image.Image:
    """A palette image whose background colour index is transparent."""
    paper = on_paper(digit, 56, (90, 70), (5, 7)).convert("RGB").quantize(colors=16)
    background_index = paper.getpixel((0, 0))
    paper.info["transparency"] = background_index
    return paper


def sixteen_bit(digit: np.ndarray) -> Image.Image:
    """A 16-bit gray PNG: black ink (0) on white paper (65535)."""
    paper = np.asarray(on_paper(digit, 112, (200, 150), (60, 20)), dtype=np.uint16) * 257
    return Image.fromarray(paper)


CASES = {
    "rgba_black_on_transparent": (rgba_black_on_transparent, "png", True),
    "rgba_white_on_transparent": (rgba_white_on_transparent, "png", False),
    "palette": (lambda d: on_paper(d, 56, (90, 70), (5, 7)).convert("RGB").quantize(colors=16), "png", True),
    "palette_transparent": (palette_with_transparency, "png", True),
    "sixteen_bit": (sixteen_bit, "png", True),
    "rgb_jpeg": (lambda d: on_paper(d, 200, (400, 300), (150, 60)).convert("RGB"), "jpg", True),
    "tiny": (lambda d: on_paper(d, 12, (14, 14), (1, 1)), "png", True),
    "huge": (lambda d: on_paper(d, 1800, (3000, 2200), (200, 300)), "png", True),
    "huge_rgba": (huge_rgba, "png", True),
    "huge_palette": (lambda d: on_paper(d, 1500, (2400, 1800), (600, 100)).quantize(colors=8), "gif", True),
    "white_on_black": (lambda d: Image.fromarray(d).resize((60, 60)), "bmp", False),
    "gray_photo": (None, "jpg", True),
}


def photo_like(digit: np.ndarray) -> Image.Image:
    """Gray ink on off-white paper with a lighting gradient and sensor noise."""
    rng = np.random.default_rng(0)
    ink = np.asarray(Image.fromarray(digit).resize((160, 160), Image.Resampling.BICUBIC), dtype=np.float64) / 255
    paper = np.full((260, 320), 215.0) + np.linspace(-20, 20, 320)[np.newaxis, :]
    paper[50:210, 90:250] -= ink * 150
    paper += rng.normal(0, 4, paper.shape)
    return Image.fromarray(np.clip(paper, 0, 255).astype(np.uint8)).convert("RGB")


@pytest.mark.parametrize("case", sorted(CASES))
def test_generated_images_land_centred_with_the_right_polarity(
    digits: tuple[np.ndarray, np.ndarray], tmp_path: Path, case: str
) -> None:
    make, suffix, light_background = CASES[case]
    digit = full_box_digit(digits[0], 1000)
    image = photo_like(digit) if make is None else make(digit)
    path = tmp_path / f"{case}.{suffix}"
    image.save(path)
    result = images.preprocess_image(path)
    assert result.inverted is light_background
    check_mnist_like(result)
    threshold = 0.6 if case == "tiny" else 0.85  # a 12-pixel digit keeps only its rough shape
    assert similarity(result.image, reference(digit)) > threshold, case


def test_sixteen_bit_png_is_read_with_its_full_range(digits: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    path = tmp_path / "deep.png"
    sixteen_bit(full_box_digit(digits[0])).save(path)
    with Image.open(path) as opened:
        assert opened.mode.startswith("I")  # really 16-bit on disk
    gray = images.to_gray(images.open_image(path))
    assert gray.max() == pytest.approx(1) and gray.min() == pytest.approx(0)


def test_exif_rotation_is_applied(digits: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    digit = full_box_digit(digits[0], 2000)
    upright = on_paper(digit, 140, (300, 200), (120, 30)).convert("RGB")
    # Orientation 6: the camera stored the picture turned; viewers rotate it 90° clockwise to show it.
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "rotated.jpg"
    stored.save(path, exif=exif.tobytes(), quality=95)
    result = images.preprocess_image(path)
    assert result.gray.shape == (200, 300)  # shown upright: as tall and wide as the upright page
    assert similarity(result.image, reference(digit)) > 0.9
    ignored = images.preprocess_gray(images.to_gray(Image.open(path)))
    assert similarity(ignored.image, reference(digit)) < 0.6  # without EXIF the digit lies on its side


def test_hairline_strokes_are_thickened(tmp_path: Path) -> None:
    paper = Image.new("L", (600, 800), 255)
    # a "7" written with a fine pen: strokes 4 px wide on a digit 500 px tall
    ImageDraw.Draw(paper).line([(150, 150), (450, 150), (250, 650)], fill=0, width=4)
    path = tmp_path / "hairline.png"
    paper.save(path)
    result = images.preprocess_image(path)
    assert result.inverted and result.thickened >= 1
    assert result.scaled.sum() / 400 >= images.MIN_INK_MASS * 0.8
    check_mnist_like(result)


def test_naive_path_keeps_the_paper_white(digits: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    digit = full_box_digit(digits[0])
    path = tmp_path / "paper.png"
    on_paper(digit, 280, (900, 640), (560, 30)).save(path)
    naive = images.preprocess_naive(path)
    assert naive.shape == (28, 28) and naive.dtype == np.float32
    assert naive.mean() > 0.8  # mostly white: the opposite of what the network was trained on
    expected = np.asarray(Image.open(path).convert("L").resize((28, 28), Image.Resampling.BILINEAR)) / 255
    np.testing.assert_allclose(naive, expected, atol=1e-6)


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims width×height gray pixels but whose data is one short row."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b"")
    )


def truncated_png(tmp_path: Path) -> bytes:
    """The first half of a valid PNG."""
    buffer = io.BytesIO()
    Image.fromarray(np.random.default_rng(1).integers(0, 255, (64, 64), dtype=np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()[: len(buffer.getvalue()) // 2]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"not an image at all\n", "not an image"),
        ("empty.png", b"", "empty file"),
        ("truncated.png", None, "truncated or corrupt"),
        ("large.png", png_claiming(10_000, 10_000), "absurdly large"),
        ("bomb.png", png_claiming(100_000, 100_000), "absurdly large"),
        ("blank.png", "blank", "no ink"),
        ("gray.png", "gray", "no ink"),
    ],
)
def test_broken_files_raise_one_line_errors(tmp_path: Path, name: str, content: object, message: str) -> None:
    path = tmp_path / name
    if content is None:
        path.write_bytes(truncated_png(tmp_path))
    elif content == "blank":
        Image.new("RGB", (300, 200), "white").save(path)
    elif content == "gray":
        rng = np.random.default_rng(2)
        Image.fromarray((200 + rng.normal(0, 3, (100, 100))).clip(0, 255).astype(np.uint8)).save(path)
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    with pytest.raises(LenetError, match=message) as info:
        images.preprocess_image(path)
    assert "\n" not in str(info.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(LenetError, match="no such file"):
        images.preprocess_image(tmp_path / "missing.png")
    with pytest.raises(LenetError, match="is a folder"):
        images.preprocess_image(tmp_path)


def test_as_batch_adds_the_channel_axis() -> None:
    batch = images.as_batch([np.zeros((28, 28)), np.ones((28, 28))])
    assert batch.shape == (2, 28, 28, 1) and batch.dtype == np.float32
    assert batch[1].sum() == 28 * 28
