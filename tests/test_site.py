"""The built site: every page exists and its numbers are the package's (parsed from the HTML and compared)."""

from __future__ import annotations

import importlib.util
import re
from fractions import Fraction
from pathlib import Path

import yaml
from bs4 import BeautifulSoup, Tag
from formulas import weighted_sum

from lenet_explain.calculator import arithmetic as calc
from lenet_explain.calculator import formatting as fmt
from lenet_explain.calculator.stacks import get_stack
from lenet_explain.site import explainer as ex
from lenet_explain.site import mathml
from lenet_explain.site.page_html import render_table
from lenet_explain.site.size_macros import VARIANT_LABELS, layer_rows, size_rows

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["", "history/", "convolution/", "pooling/", "activation/", "output-size/", "parameters/", "lenet1998/",
         "predict/", "glossary/", "made/", "references/"]


def load(site: Path, page: str) -> BeautifulSoup:
    """Return the parsed HTML of a built page."""
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


def table_cells(soup: BeautifulSoup, table_id: str) -> list[list[str]]:
    """Return the body cells of the table with ``table_id`` as text."""
    table = soup.find("table", id=table_id)
    assert isinstance(table, Tag), f"no table #{table_id}"
    body = table.find("tbody")
    assert isinstance(body, Tag)
    return [[td.get_text() for td in tr.find_all("td")] for tr in body.find_all("tr")]


def feature_map(feature: str, image: str = "X") -> list[list]:
    """Return the package's exact feature map."""
    return ex.feature_map_exact(ex.vote_inputs()[image], ex.draw_features()[feature])


def test_every_page_is_built(built_site: Path) -> None:
    """Every page of the nav (mkdocs.yml) exists with its title, and no template text is left over."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    titles = {next(iter(item)): next(iter(item.values())) for item in config["nav"]}
    for source in titles.values():
        page = "" if source == "index.md" else source.rsplit(".", 1)[0].removesuffix("/index") + "/"
        assert (built_site / page / "index.html").exists(), source
    for page in PAGES:
        soup = load(built_site, page)
        assert soup.find("h1") is not None, page
        source = page or "index"
        text = str(soup)
        assert "{{" not in text and "{%" not in text, f"unrendered macro on {source}"
        assert 'class="arithmatex"' not in text, f"unconverted math on {source}"
        assert "_Macro Rendering Error_" not in text


def test_convolution_page_has_the_package_maps(built_site: Path) -> None:
    """The lecture-form and exact maps, the three maps, the images and the worked step are the package's."""
    soup = load(built_site, "convolution/")
    backslash = feature_map("backslash")
    assert table_cells(soup, "map-backslash-lecture") == ex.lecture_table(backslash)
    for name in ex.FEATURE_NAMES:
        if name != "backslash":
            assert table_cells(soup, f"map-{name}") == ex.lecture_table(feature_map(name))
    # The '\' map is shown once as a table (and once in the figure of the three maps), not again and again.
    bodies = [[[td.get_text() for td in tr.find_all("td")] for tr in body.find_all("tr")]
              for body in soup.find_all("tbody")]
    assert bodies.count(ex.lecture_table(backslash)) == 1
    signs = {1: "+1", -1: f"{ex.MINUS}1"}
    assert table_cells(soup, "image-x") == [[signs[v] for v in row] for row in ex.draw_x().tolist()]
    assert table_cells(soup, "image-o") == [[signs[v] for v in row] for row in ex.draw_o().tolist()]
    for name, feature in ex.draw_features().items():
        assert table_cells(soup, f"feature-{name}") == [[signs[v] for v in row] for row in feature.tolist()]
    step = ex.match_step(ex.draw_x(), ex.draw_features()["backslash"], 0, 0)
    assert table_cells(soup, "step-products") == [[signs[v] for v in row] for row in step.products.tolist()]
    wanted = re.escape(f"= \\frac{{{step.total}}}{{{step.count}}}")
    assert soup.find("math", attrs={"alttext": re.compile(wanted)}) is not None
    # The lecture's printed values really are the package's cut values, not rounded ones.
    cut_vs_round = table_cells(soup, "cut-vs-round")
    assert ["7/9", "0.7777…", "0.77", "0.78"] in cut_vs_round


def test_the_convolution_formula_gives_the_map_as_written(built_site: Path) -> None:
    """map(r, c) as the page writes it (M_{r,c} on the Chinese page, as a Chinese textbook names it), rows and columns
    from 1, gives every cell of the package's maps."""
    image = ex.draw_x().tolist()
    for page, name in (("convolution/", r"\\text\{map\}\(r, c\)"), ("zh/convolution/", r"M_\{r,c\}")):
        formula = load(built_site, page).find("math", attrs={"alttext": re.compile(name + " =")})
        assert isinstance(formula, Tag), f"no map(r, c) formula on {page}"
        latex = str(formula["alttext"])
        for name, feature in ex.draw_features().items():
            k = len(feature)
            exact = ex.feature_map_exact(ex.draw_x(), feature)
            for r, c in [(r, c) for r in range(1, len(exact) + 1) for c in range(1, len(exact) + 1)]:
                total = weighted_sum(latex, ("F", feature.tolist()), ("I", image), {"r": r, "c": c, "k": k})
                assert Fraction(total, k * k) == exact[r - 1][c - 1], (page, name, r, c)


def test_pooling_page_has_the_package_pooled_maps(built_site: Path) -> None:
    """The pooled 4×4, the floor 3×3, the other maps pooled and average pooling are the package's."""
    soup = load(built_site, "pooling/")
    backslash = feature_map("backslash")
    assert table_cells(soup, "pooled-backslash") == ex.lecture_table(ex.max_pool_exact(backslash))
    assert table_cells(soup, "pooled-floor") == ex.lecture_table(ex.max_pool_exact(backslash, ceil_mode=False))
    for name in ex.FEATURE_NAMES:
        assert table_cells(soup, f"pooled-all-{name}") == ex.lecture_table(ex.max_pool_exact(feature_map(name)))
    averaged = ex.average_pool_exact(backslash)
    assert table_cells(soup, "average-backslash-exact") == [[ex.format_fraction(v) for v in r] for r in averaged]
    windows = table_cells(soup, "pool-windows")
    assert [int(r[2]) for r in windows] == [stop - start for start, stop in ex.pool_windows(7)]
    kept = len(ex.max_pool_exact(backslash))
    floor = calc.output_size(len(backslash), 2, 2, op="maxpool")
    assert f"Why {kept}×{kept} and not {floor.output}×{floor.output}?" in soup.get_text()


def test_activation_page_votes_are_the_package_votes(built_site: Path) -> None:
    """The vote weights, the voting values and the votes on the page are the package's."""
    soup = load(built_site, "activation/")
    weights = ex.vote_weights()
    rows = table_cells(soup, "vote-weights")
    assert [r[0] for r in rows] == ex.vote_labels()
    for i, row in enumerate(rows):
        assert [float(c.replace(ex.MINUS, "-")) for c in row[1:]] == [
            round(float(weights[c][i]), 2) for c in ex.IMAGE_NAMES
        ]
    votes = table_cells(soup, "votes")
    assert [r[0] for r in votes] == list(ex.vote_inputs())
    for row, image in zip(votes, ex.vote_inputs().values(), strict=True):
        scores = ex.vote_scores(image)
        assert row[1:3] == [f"{float(scores[c]):.2f}" for c in ex.IMAGE_NAMES]
        assert row[3] == ex.vote_winner(scores)
    relu = table_cells(soup, "relu-after")
    assert relu == ex.lecture_table(ex.relu_exact(feature_map("backslash")))


def test_output_size_page_formulas_come_from_the_calculator(built_site: Path) -> None:
    """The lecture's (6 − 3 + 0)/1 + 1 = 4 and every LeNet layer's formula are the calculator's."""
    soup = load(built_site, "output-size/")
    example = calc.output_size(6, 3)
    assert fmt.format_size_formula(example) in soup.get_text()
    assert example.output == 4
    cells = table_cells(soup, "sizes-lecture")  # the Keras model, with the lecture's table where it differs
    tables: dict[str, list[list[str]]] = {"lecture": [], "lecture32": []}
    for row in cells:
        if row[0].endswith(f", in {VARIANT_LABELS['lecture32']}"):
            tables["lecture32"][-1] = [row[0].rsplit(", in ", 1)[0], *row[1:]]
        else:
            tables["lecture"].append(row)
            tables["lecture32"].append(row)
    for stack, rows in tables.items():
        assert rows == size_rows(stack), stack
        summary = calc.summarize(get_stack(stack))
        formulas = {r.name: fmt.size_formula_text(r) for r in summary.rows if r.sizes}
        assert {r[0]: r[3] for r in rows} == formulas
    maths = soup.find_all("math")
    assert len(maths) >= 6 and all(m.find("mfrac") or m.find("mi") for m in maths)


def test_parameters_page_table_and_keras_summary_agree(built_site: Path) -> None:
    """The lecture's table is the calculator's, and the real Keras summary on the page agrees with it."""
    soup = load(built_site, "parameters/")
    cells = table_cells(soup, "layers-lecture32")  # the lecture's table, with the Keras model's rows that differ
    tables = {"lecture32": [], "lecture": []}
    for row in cells:
        if row[0].endswith(f", in {VARIANT_LABELS['lecture']}"):
            tables["lecture"][-1] = [row[0].rsplit(", in ", 1)[0], *row[1:]]  # replaces the row above it
        else:
            tables["lecture32"].append(row)
            tables["lecture"].append(row)
    for stack, rows in tables.items():
        assert rows == layer_rows(stack), stack
        summary = calc.summarize(get_stack(stack))
        assert [int(r[4].replace(",", "")) for r in rows[1:]] == [r.params for r in summary.rows]
        assert sum(int(r[4].replace(",", "")) for r in rows) == summary.total_params
        for row, layer in zip(rows[1:], summary.rows, strict=True):  # the lecture's formula next to each count
            assert row[5] == (fmt.format_param_formula(layer) if layer.params else "—")
    assert len(cells) < len(tables["lecture32"]) + len(tables["lecture"])  # merged: shared rows shown once
    lecture = calc.summarize(get_stack("lecture"))
    computed = table_cells(soup, "summary-lecture")
    pre = soup.find("pre", class_="lx-keras")
    assert isinstance(pre, Tag), "no Keras summary on the page"
    keras_text = pre.get_text()
    keras_rows = re.findall(r"│\s*(\S+) \((\w+)\)\s*│\s*(\([^)]*\))\s*│\s*([\d,]+)\s*│", keras_text)
    assert len(keras_rows) == len(lecture.rows) == len(computed)
    for (name, kind, shape, params), row, cells in zip(keras_rows, lecture.rows, computed, strict=True):
        assert (name, kind) == (row.name, row.type)
        assert shape == fmt.format_shape(row.output_shape, batch=True) == cells[1]
        assert int(params.replace(",", "")) == row.params == int(cells[2].replace(",", ""))
    totals = dict(re.findall(r"(Total|Trainable|Non-trainable) params: ([\d,]+)", keras_text))
    assert int(totals["Total"].replace(",", "")) == lecture.total_params
    assert int(totals["Trainable"].replace(",", "")) == lecture.trainable_params
    assert int(totals["Non-trainable"].replace(",", "")) == lecture.non_trainable_params
    macs = table_cells(soup, "macs-lecture")
    assert [int(r[2].replace(",", "")) for r in macs] == [r.macs for r in lecture.rows]
    param_example = soup.find("math", attrs={"alttext": re.compile(r"\(3 \\times 3 \\times 3 \+ 1\) \\times 2 = ")})
    assert param_example is not None and param_example["alttext"].endswith(f"= {(3 * 3 * 3 + 1) * 2}")


def test_home_page_glance_table(built_site: Path) -> None:
    """The home page's table lists every layer of the lecture's model with the calculator's shapes."""
    soup = load(built_site, "")
    cells = table_cells(soup, "glance")
    summary = calc.summarize(get_stack("lecture"))
    assert [r[0] for r in cells] == ["input"] + [r.name for r in summary.rows]
    assert [r[2] for r in cells[1:]] == ["×".join(map(str, r.output_shape)) for r in summary.rows]


def test_figures_exist_with_alt_text(built_site: Path) -> None:
    """Every image on every page points to an existing file and has alt text; the figures are SVG."""
    count = 0
    for page in PAGES:
        soup = load(built_site, page)
        for img in soup.find_all("img"):
            src = img["src"]
            assert not src.startswith(("http:", "https:", "//")), src
            assert (built_site / page / src).resolve().exists(), f"{page}: {src}"
            assert len(img.get("alt", "")) > 20, f"{page}: {src} has no real alt text"
            count += src.endswith(".svg")
            for source in img.find_parent("picture").find_all("source") if img.find_parent("picture") else []:
                assert (built_site / page / source["srcset"]).resolve().exists(), f"{page}: {source['srcset']}"
    assert count >= 8
    for svg in (built_site / "figures").glob("*.svg"):
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_site_is_offline(built_site: Path) -> None:
    """No page, stylesheet or script loads anything from another host; no web fonts."""
    for path in built_site.rglob("*"):
        if path.suffix not in (".html", ".css"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        soup_like = re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*?(?:src|href)=\"(https?:)?//", text)
        assert not soup_like, f"{path}: remote resource"
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
        if path.suffix == ".html":  # nor a script that imports code from a CDN (nbconvert's Mermaid loader)
            assert not re.search(r"import\(\s*[\"']https?://", text), f"{path}: imports a remote module"


def test_theme_configuration() -> None:
    """mkdocs.yml: material with no web font, a light/dark toggle, search, macros failing on errors."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["name"] == "material" and config["theme"]["font"] is False
    schemes = [p["scheme"] for p in config["theme"]["palette"]]
    assert schemes == ["default", "slate"] and all("toggle" in p for p in config["theme"]["palette"])
    plugins = {next(iter(p)) if isinstance(p, dict) else p: p for p in config["plugins"]}
    assert "search" in plugins
    macros = plugins["macros"]["macros"]
    assert macros["on_undefined"] == "strict" and macros["on_error_fail"] is True
    assert config["strict"] is True


def test_math_conversion_is_mathml() -> None:
    """arithmatex's wrappers become MathML, notebook dollars too, code stays untouched."""
    page = '<p><span class="arithmatex">\\(a^2\\)</span></p><div class="arithmatex">\\[\\frac{1}{2}\\]</div>'
    out = mathml.convert_math_html(page)
    assert out.count("<math") == 2 and "arithmatex" not in out and "<mfrac>" in out
    notebook = '<p>cost $x_1$ and</p><p>$$\\frac{a}{b}$$</p><pre>echo $HOME $PATH</pre><script src=""> </script>'
    out = mathml.convert_notebook_math(notebook)
    assert out.count("<math") == 2 and "<pre>echo $HOME $PATH</pre>" in out and 'src=""' not in out


def test_render_table_escapes_and_marks_cells() -> None:
    """Tables escape their cells, right-align numbers and shade +1 pixels."""
    out = render_table([["<b>", "1,234", "+1"]], header=["a", "b", "c"], id="t")
    assert "&lt;b&gt;" in out and '<td class="lx-num">1,234</td>' in out and '<td class="lx-ink">+1</td>' in out
    assert '<th scope="col">a</th>' in out and 'id="t"' in out


def test_the_readme_gives_the_theme_s_end_of_life_date_once() -> None:
    """The notice the set-up turns off announces a date; the README says that date, once, with the plan."""
    spec = importlib.util.find_spec("material")
    assert spec is not None and spec.origin is not None
    notice = (Path(spec.origin).parent / "templates" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r"reaches end of life on (\w+ \d{1,2}, \d{4})", notice)
    assert found, "the installed mkdocs-material no longer announces an end-of-life date: update the README"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count(found.group(1)) == 1
