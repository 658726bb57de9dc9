"""A line break between two wide characters is dropped from a page's HTML (CSS Text 3's segment break rule), and
nowhere else: not in English, not beside Latin letters or digits, not in verbatim blocks, not in Korean."""

from __future__ import annotations

import pytest

from lenet_explain.site.segment_breaks import is_wide, remove_segment_breaks


@pytest.mark.parametrize(("html", "joined"), [
    ("小到每个数字都能用手算来核对；\n然后再进入", "小到每个数字都能用手算来核对；然后再进入"),
    ("中文 \n\t粗体", "中文粗体"),  # the spaces around the break go with it
    ("中文\n<strong>粗体</strong>", "中文<strong>粗体</strong>"),  # tags between the two characters
    ("<em>中</em>\n<a href='x'>文</a>", "<em>中</em><a href='x'>文</a>"),
    ("一\n二\n三\n四", "一二三四"),  # breaks one character apart
    ("（见图）\n「引号」", "（见图）「引号」"),  # full-width punctuation is wide too
])
def test_a_break_between_two_wide_characters_is_dropped(html: str, joined: str) -> None:
    assert remove_segment_breaks(html) == joined


@pytest.mark.parametrize("html", [
    "English\ntext",
    "中文\nLeNet-5",  # a Latin letter on one side: the space stays, as CSS Text 3 says
    "的 28×28\n输入",
    "中\n\n文",  # two breaks: a paragraph's end, not a segment break
    "<pre>中\n文</pre>",
    "<code class='x'>中\n文</code>",
    "<textarea>中\n文</textarea>",
    "한\n국",  # Hangul keeps its spaces
])
def test_every_other_break_stays(html: str) -> None:
    assert remove_segment_breaks(html) == html


def test_verbatim_blocks_are_kept_and_the_text_between_them_joined() -> None:
    html = "<pre>中\n文</pre>字\n字<code>中\n文</code>字\n字"
    assert remove_segment_breaks(html) == "<pre>中\n文</pre>字字<code>中\n文</code>字字"


def test_wide_means_east_asian_wide_full_or_half_width() -> None:
    assert all(is_wide(c) for c in "中文，。：；（）ｶ")
    assert not any(is_wide(c) for c in "aZ09 ,.한")
