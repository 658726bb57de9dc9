"""Turn an image file into a 28×28 MNIST-style digit, and the lecture's naive path for comparison.

MNIST digits are white ink on black, scaled so the longer side fits a 20×20 box (aspect ratio
kept, anti-aliased) and centred by their centre of mass in a 28×28 field. A photo or scan is black
ink on white paper, off-centre, any size. :func:`preprocess_image` bridges the two:
read (any format Pillow reads, EXIF rotation applied) → gray → invert a light background →
crop to the ink → longest side to 20 px → centre of mass to the middle of 28×28.
The lecture's path (:func:`preprocess_naive`) is: read gray → resize to 28×28 → /255.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from lenet_explain.errors import LenetError
from lenet_explain.limits import MAX_IMAGE_PIXELS
from lenet_explain.safe_files import open_regular

FIELD = 28  # MNIST's image side
BOX = 20  # MNIST's digits fit a 20×20 box
CENTRE = 14.0  # MNIST's mean centre of mass, in pixel-index coordinates (measured: 14.0, 14.0)
MAX_PIXELS = MAX_IMAGE_PIXELS  # anything bigger is refused as absurdly large
WORK_SIZE = 1024  # larger images are first reduced (area average) to about this longer side
MIN_CONTRAST = 0.12  # ink must differ from the background by this much (0..1 scale)
INK_LEVEL = 0.15  # pixels this bright (after stretching) count as ink for the crop
MIN_INK_MASS = 0.10  # mean ink per pixel of the 20×20 box; MNIST's 1st percentile is about 0.10
LUMA = np.array([0.299, 0.587, 0.114])  # ITU-R 601 weights, as Pillow's convert("L")
BORDER_FRACTION = 0.05  # the outer frame read as background: this share of the shorter side
NOISE_PERCENTILE = 99  # the frame's ink at this percentile is the paper's noise
MAX_NOISE_FLOOR = 0.5  # never treat more than this as noise
SPECK_FILTER_MIN_SIDE = 64  # images at least this big lose single-pixel specks before the crop
MAX_THICKEN_PASSES = 2  # at most this many 1-pixel thickening passes
ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}
SIXTEEN_BIT_MODES = {"I;16", "I;16L", "I;16B", "I;16N", "I"}


@dataclass(frozen=True)
class Preprocessed:
    """Every step of the MNIST-style preprocessing of one image, for display and for tests."""

    gray: np.ndarray  # (H, W) float32 in [0, 1]: the image in gray, original polarity (big ones reduced)
    background: float  # the background's gray level before any inversion
    inverted: bool  # True when the background was light, so the image was inverted
    ink: np.ndarray  # (H, W) float32 in [0, 1]: white ink on black, background removed
    bbox: tuple[int, int, int, int]  # (top, left, bottom, right) of the ink, bottom/right exclusive
    scaled: np.ndarray  # (h, w) float32, max(h, w) == 20: the cropped ink scaled into the 20×20 box
    thickened: int  # how many 1-pixel thickening passes thin strokes needed
    shift: tuple[int, int]  # (rows, columns) moved to put the centre of mass in the middle
    image: np.ndarray  # (28, 28) float32 in [0, 1]: the model's input

    @property
    def centre_of_mass(self) -> tuple[float, float]:
        """The (row, column) centre of mass of the final 28×28 image."""
        return centre_of_mass(self.image)


def open_image(path: Path | str) -> Image.Image:
    """Open and fully decode an image file, EXIF rotation applied; refuse broken or absurd files."""
    file = open_regular(path)  # a FIFO, a device or a folder is refused at once, never read
    pillows_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own check (in open, before the size is known) at the project's
    try:
        if os.fstat(file.fileno()).st_size == 0:
            raise LenetError("empty file")
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(file)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise LenetError(f"absurdly large: {width}×{height} pixels (the limit is {MAX_PIXELS:,})")
            image.load()
            image = ImageOps.exif_transpose(image)
    except LenetError:
        raise
    except UnidentifiedImageError:
        raise LenetError("not an image that Pillow can read") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        size = re.search(r"\((\d+) pixels\)", str(exc))
        told = f"{int(size.group(1)):,} pixels" if size else "more pixels than that"
        raise LenetError(f"absurdly large: {told} (the limit is {MAX_PIXELS:,})") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise LenetError(f"truncated or corrupt image ({exc})") from None
    finally:
        Image.MAX_IMAGE_PIXELS = pillows_limit
        file.close()
    if image.width < 1 or image.height < 1:
        raise LenetError("the image has no pixels")
    return image


def reduce_large(image: Image.Image, limit: int = WORK_SIZE) -> Image.Image:
    """Shrink an 8-bit image by a whole factor (area average) so its longer side is about ``limit``."""
    factor = -(-max(image.size) // limit)
    if factor < 2 or image.mode in SIXTEEN_BIT_MODES or image.mode == "F":
        return image  # 16-bit and float images are reduced after the gray conversion
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode == "PA":
        image = image.convert("RGBA")
    elif image.mode == "1":
        image = image.convert("L")
    elif image.mode in ("L", "RGB") and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA"):  # average colours weighted by opacity (premultiplied alpha)
        premultiplied = image.mode[0 : len(image.mode) - 1] + "a"
        return image.convert(premultiplied).reduce(factor).convert(image.mode)
    return image.reduce(factor)


def reduce_gray(gray: np.ndarray, limit: int = WORK_SIZE) -> np.ndarray:
    """Shrink a large gray array by a whole factor (area average)."""
    factor = -(-max(gray.shape) // limit)
    if factor < 2:
        return gray
    return np.asarray(Image.fromarray(gray.astype(np.float32)).reduce(factor), dtype=np.float32)


def to_gray(image: Image.Image) -> np.ndarray:
    """Return the image as gray levels in [0, 1]; transparency is laid over the background it needs."""
    if image.mode in SIXTEEN_BIT_MODES:
        values = np.array(image, dtype=np.float32)  # in place from here on: big 16-bit scans stay affordable
        top = 65535.0 if image.mode.startswith("I;16") or values.max() > 255 else 255.0
        values /= top
        return np.clip(values, 0, 1, out=values)  # (H, W)
    if image.mode == "F":
        values = np.nan_to_num(np.array(image, dtype=np.float32), copy=False)
        values /= max(1.0, float(values.max()))
        return np.clip(values, 0, 1, out=values)
    if image.mode in ALPHA_MODES or "transparency" in image.info:
        rgba = np.asarray(image.convert("RGBA"), dtype=np.float32) / 255  # (H, W, 4)
        gray, alpha = rgba[..., :3] @ LUMA.astype(np.float32), rgba[..., 3]
        if alpha.min() < 1:
            over_white, over_black = gray * alpha + (1 - alpha), gray * alpha
            # Dark ink on a transparent sheet shows over white; light ink only over black.
            use_white = np.ptp(over_white) >= 0.5 * np.ptp(over_black)
            return (over_white if use_white else over_black).astype(np.float32)
        return gray.astype(np.float32)
    rgb = np.asarray(image.convert("RGB"), dtype=np.float32) / 255  # (H, W, 3)
    return (rgb @ LUMA.astype(np.float32)).astype(np.float32)  # (H, W)


def border_pixels(gray: np.ndarray) -> np.ndarray:
    """Return the pixels of the outer frame (about 5% of the shorter side, at least 1 pixel)."""
    height, width = gray.shape
    k = max(1, round(BORDER_FRACTION * min(height, width)))
    if 2 * k >= min(height, width):
        return gray.ravel()
    parts = [gray[:k], gray[-k:], gray[k:-k, :k], gray[k:-k, -k:]]
    return np.concatenate([part.ravel() for part in parts])


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """Return the intensity-weighted (row, column) centre of a 2-D array."""
    total = float(image.sum())
    if total <= 0:
        raise LenetError("no ink: the image is blank")
    rows, cols = np.indices(image.shape)
    return float((rows * image).sum() / total), float((cols * image).sum() / total)


def extract_ink(gray: np.ndarray) -> tuple[np.ndarray, float, bool]:
    """Return (white-on-black ink in [0, 1], background level, inverted) for a gray image."""
    background = float(np.median(border_pixels(gray)))
    inverted = background > 0.5
    ink = 1 - gray if inverted else gray.copy()
    level = 1 - background if inverted else background
    top = float(ink.max())
    if top - level < MIN_CONTRAST:
        raise LenetError(f"no ink: the image is blank (contrast {top - level:.2f})")
    stretched = np.clip((ink - level) / (top - level), 0, 1)
    floor = float(np.percentile(border_pixels(stretched), NOISE_PERCENTILE))  # the paper's noise, if any
    floor = min(floor, MAX_NOISE_FLOOR)
    return np.clip((stretched - floor) / (1 - floor), 0, 1).astype(np.float32), background, inverted


def ink_bbox(ink: np.ndarray) -> tuple[int, int, int, int]:
    """Return (top, left, bottom, right) around the ink, ignoring isolated specks on big images."""
    mask = ink > INK_LEVEL
    if min(ink.shape) >= SPECK_FILTER_MIN_SIDE:
        cleaned = np.asarray(Image.fromarray(mask.astype(np.uint8) * 255).filter(ImageFilter.MedianFilter(3)))
        if cleaned.any():
            mask = cleaned > 0
    if not mask.any():
        raise LenetError("no ink: the image is blank")
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1


def resize_array(array: np.ndarray, width: int, height: int) -> np.ndarray:
    """Resize a float array with area averaging when shrinking and bilinear when enlarging."""
    shrinking = width <= array.shape[1] and height <= array.shape[0]
    method = Image.Resampling.BOX if shrinking else Image.Resampling.BILINEAR
    resized = Image.fromarray(array.astype(np.float32)).resize((width, height), method)
    return np.clip(np.asarray(resized, dtype=np.float32), 0, 1)


def scale_to_box(cropped: np.ndarray, box: int = BOX) -> np.ndarray:
    """Scale so the longer side is ``box`` pixels, keeping the aspect ratio; brightest pixel becomes 1."""
    height, width = cropped.shape
    factor = box / max(height, width)
    new_height, new_width = max(1, round(height * factor)), max(1, round(width * factor))
    scaled = resize_array(cropped, new_width, new_height)  # (≤20, ≤20)
    top = float(scaled.max())
    return scaled / top if top > 0 else scaled


def thicken(scaled: np.ndarray, min_mass: float = MIN_INK_MASS, box: int = BOX) -> tuple[np.ndarray, int]:
    """Widen hairline strokes (a pen on a big sheet) by 1-pixel passes until MNIST-like; return passes."""
    passes = 0
    while scaled.sum() / (box * box) < min_mass and passes < MAX_THICKEN_PASSES:
        padded = np.pad(scaled, 1)
        widened = Image.fromarray(padded).filter(ImageFilter.MaxFilter(3))
        scaled = np.asarray(widened, dtype=np.float32)[1:-1, 1:-1]
        passes += 1
    return scaled, passes


def centre_in_field(
    scaled: np.ndarray, field: int = FIELD, centre: float = CENTRE
) -> tuple[np.ndarray, tuple[int, int]]:
    """Place the digit in a field×field image with its centre of mass moved to ``centre`` (whole pixels)."""
    height, width = scaled.shape
    top, left = (field - height) // 2, (field - width) // 2
    row, col = centre_of_mass(scaled)
    d_row = int(np.clip(round(centre - (top + row)), -top, field - height - top))
    d_col = int(np.clip(round(centre - (left + col)), -left, field - width - left))
    image = np.zeros((field, field), dtype=np.float32)  # (28, 28)
    image[top + d_row : top + d_row + height, left + d_col : left + d_col + width] = scaled
    return image, (d_row, d_col)


def preprocess_gray(gray: np.ndarray) -> Preprocessed:
    """Run the MNIST-style steps on a gray image in [0, 1]."""
    ink, background, inverted = extract_ink(gray)
    top, left, bottom, right = ink_bbox(ink)
    scaled, passes = thicken(scale_to_box(ink[top:bottom, left:right]))
    image, shift = centre_in_field(scaled)
    return Preprocessed(
        gray=gray,
        background=background,
        inverted=inverted,
        ink=ink,
        bbox=(top, left, bottom, right),
        scaled=scaled,
        thickened=passes,
        shift=shift,
        image=image,
    )


def preprocess_image(path: Path | str) -> Preprocessed:
    """Read an image file and turn it into an MNIST-style 28×28 digit (white on black, centred)."""
    return preprocess_gray(reduce_gray(to_gray(reduce_large(open_image(path)))))


def preprocess_naive(path: Path | str) -> np.ndarray:
    """The lecture's path: read as gray, resize to 28×28 (bilinear), divide by 255."""
    gray = open_image(path).convert("L")
    return np.asarray(gray.resize((FIELD, FIELD), Image.Resampling.BILINEAR), dtype=np.float32) / 255


def as_batch(images: list[np.ndarray]) -> np.ndarray:
    """Stack 28×28 images into the model's input: (N, 28, 28) -> (N, 28, 28, 1)."""
    return np.stack(images).astype(np.float32)[..., np.newaxis]  # (N, 28, 28, 1)
