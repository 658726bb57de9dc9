"""The fixed prototypes of LeNet-5's output layer: one 7×12 bitmap per digit, ink +1 and paper −1.

The paper (LeCun et al. 1998, section II.B and Figure 3) sets each output unit's 84 weights "to −1 or +1" from a
stylised image of its character drawn on a 7×12 bitmap, so that F6's 84 units are read as a 7×12 picture. The
paper prints the bitmaps of the whole ASCII set but does not list their values; these ten are drawn for this
project in the same spirit: a one-pixel stroke, the digit in rows 1–9 and the last rows left for descenders as in
a font cell. Rows are strings, ``#`` for ink (+1) and ``.`` for paper (−1).
"""

from __future__ import annotations

BITMAP_ROWS = 12
BITMAP_COLUMNS = 7
INK = "#"
PAPER = "."

DIGIT_BITMAPS: tuple[tuple[str, ...], ...] = (
    (  # 0
        ".......",
        "..###..",
        ".#...#.",
        "#.....#",
        "#.....#",
        "#.....#",
        "#.....#",
        "#.....#",
        ".#...#.",
        "..###..",
        ".......",
        ".......",
    ),
    (  # 1
        ".......",
        "...#...",
        "..##...",
        ".#.#...",
        "...#...",
        "...#...",
        "...#...",
        "...#...",
        "...#...",
        ".#####.",
        ".......",
        ".......",
    ),
    (  # 2
        ".......",
        ".#####.",
        "#.....#",
        "......#",
        ".....#.",
        "....#..",
        "...#...",
        "..#....",
        ".#.....",
        "#######",
        ".......",
        ".......",
    ),
    (  # 3
        ".......",
        "#######",
        ".....#.",
        "....#..",
        "...##..",
        ".....#.",
        "......#",
        "......#",
        "#....#.",
        ".####..",
        ".......",
        ".......",
    ),
    (  # 4
        ".......",
        "....##.",
        "...#.#.",
        "..#..#.",
        ".#...#.",
        "#....#.",
        "#######",
        ".....#.",
        ".....#.",
        ".....#.",
        ".......",
        ".......",
    ),
    (  # 5
        ".......",
        "#######",
        "#......",
        "#......",
        "######.",
        "......#",
        "......#",
        "......#",
        "#.....#",
        ".#####.",
        ".......",
        ".......",
    ),
    (  # 6
        ".......",
        "..####.",
        ".#.....",
        "#......",
        "#.####.",
        "##....#",
        "#.....#",
        "#.....#",
        "#.....#",
        ".#####.",
        ".......",
        ".......",
    ),
    (  # 7
        ".......",
        "#######",
        "......#",
        ".....#.",
        "....#..",
        "...#...",
        "...#...",
        "..#....",
        "..#....",
        "..#....",
        ".......",
        ".......",
    ),
    (  # 8
        ".......",
        ".#####.",
        "#.....#",
        "#.....#",
        ".#####.",
        "#.....#",
        "#.....#",
        "#.....#",
        "#.....#",
        ".#####.",
        ".......",
        ".......",
    ),
    (  # 9
        ".......",
        ".#####.",
        "#.....#",
        "#.....#",
        "#.....#",
        ".######",
        "......#",
        "......#",
        ".....#.",
        ".####..",
        ".......",
        ".......",
    ),
)


def bitmap_values(bitmap: tuple[str, ...]) -> list[float]:
    """Return a bitmap's rows, read left to right and top to bottom, as +1 (ink) and −1 (paper)."""
    return [1.0 if pixel == INK else -1.0 for row in bitmap for pixel in row]


def min_squared_distance(bitmaps: tuple[tuple[str, ...], ...]) -> int:
    """Return the smallest squared Euclidean distance between two bitmaps' ±1 values (4 per differing pixel)."""
    flat = ["".join(bitmap) for bitmap in bitmaps]
    return min(4 * sum(a != b for a, b in zip(one, other, strict=True))
               for i, one in enumerate(flat) for other in flat[i + 1:])
