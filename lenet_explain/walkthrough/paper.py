"""Pictures of digits on paper that owe nothing to MNIST: typeset, in dark ink, on a sheet photographed in uneven light.

The walkthrough and the predict page test both preprocessing paths on pictures like a reader's: dark ink on a
light, slightly grey and unevenly lit sheet, larger than 28×28, off-centre and a little turned. Each digit is
drawn with one of the fonts that ship with matplotlib (so every machine draws the same pixels), which also means
the shapes are typeset, not handwritten: a fair test of the preprocessing, a harder one for a network that has
only seen handwriting.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# Fonts bundled with matplotlib (matplotlib/mpl-data/fonts/ttf), one per digit in digit order.
FONTS = ("DejaVuSans.ttf", "DejaVuSerif.ttf", "DejaVuSansMono.ttf", "STIXGeneral.ttf", "cmss10.ttf",
         "DejaVuSans-Bold.ttf", "DejaVuSerif-Italic.ttf", "STIXGeneralItalic.ttf", "DejaVuSans-Oblique.ttf",
         "cmr10.ttf")
PAPER = (238, 233, 220)  # off-white
INK = (28, 36, 84)  # blue-black


@dataclass(frozen=True)
class PaperStyle:
    """How one digit is put on paper: font, glyph height, sheet size, where, how turned, how unevenly lit."""

    font: str
    height: int  # glyph height in pixels
    sheet: tuple[int, int]  # (width, height)
    at: tuple[float, float]  # the glyph's centre, as fractions of the sheet's width and height
    angle: float  # degrees, counter-clockwise
    shade: float  # how much darker the sheet's far corner is than its lit corner (0..1)


def font_path(name: str) -> Path:
    """Return the path of a font that ships with matplotlib."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


def paper_styles(seed: int = 0) -> list[PaperStyle]:
    """Return one style per digit 0–9: a different font, size, sheet, place and turn for each (seeded)."""
    rng = np.random.default_rng(seed)
    styles = []
    for font in FONTS:
        width = int(rng.integers(220, 420))
        height = int(width * rng.uniform(0.7, 1.1))
        glyph = int(min(width, height) * rng.uniform(0.3, 0.6))
        at = (float(rng.uniform(0.3, 0.7)), float(rng.uniform(0.35, 0.65)))
        styles.append(PaperStyle(font, glyph, (width, height), at, float(rng.uniform(-8, 8)),
                                 float(rng.uniform(0.1, 0.3))))
    return styles


def ink_mask(digit: int, style: PaperStyle) -> np.ndarray:
    """Return the digit's ink as a (height, width) array in [0, 1], placed, turned and slightly soft."""
    font = ImageFont.truetype(str(font_path(style.font)), size=style.height)
    text = str(digit)
    left, top, right, bottom = font.getbbox(text)
    scale = style.height / max(bottom - top, 1)  # fonts differ in how tall their digits are for one size
    font = ImageFont.truetype(str(font_path(style.font)), size=max(8, round(style.height * scale)))
    left, top, right, bottom = (round(v) for v in font.getbbox(text))
    glyph = Image.new("L", (right - left + 8, bottom - top + 8), 0)
    ImageDraw.Draw(glyph).text((4 - left, 4 - top), text, fill=255, font=font)
    glyph = glyph.rotate(style.angle, resample=Image.Resampling.BICUBIC, expand=True)
    sheet = Image.new("L", style.sheet, 0)
    x = round(style.at[0] * style.sheet[0] - glyph.width / 2)
    y = round(style.at[1] * style.sheet[1] - glyph.height / 2)
    sheet.paste(glyph, (x, y))
    sheet = sheet.filter(ImageFilter.GaussianBlur(0.8))  # a camera's slight blur
    return np.asarray(sheet, dtype=np.float64) / 255  # (h, w)


def paper_digit(digit: int, style: PaperStyle, seed: int = 0) -> Image.Image:
    """Return an RGB picture of ``digit`` in dark ink on an unevenly lit, slightly noisy sheet."""
    mask = ink_mask(digit, style)  # (h, w)
    h, w = mask.shape
    yy, xx = np.mgrid[0:h, 0:w]
    light = 1 - style.shade * (xx / w + yy / h) / 2  # (h, w): lit top-left, darker bottom-right
    noise = np.random.default_rng(seed + digit).normal(0, 3.0, (h, w))  # (h, w): the paper's grain
    paper = np.asarray(PAPER, dtype=np.float64)[None, None, :] * light[..., None] + noise[..., None]  # (h, w, 3)
    ink = np.asarray(INK, dtype=np.float64)[None, None, :]
    picture = paper * (1 - mask[..., None]) + ink * mask[..., None]  # (h, w, 3)
    return Image.fromarray(np.clip(np.rint(picture), 0, 255).astype(np.uint8), "RGB")


def paper_digits(seed: int = 0) -> dict[int, Image.Image]:
    """Return the ten digits 0–9, each in its own font and place on its own sheet."""
    return {digit: paper_digit(digit, style, seed) for digit, style in enumerate(paper_styles(seed))}
