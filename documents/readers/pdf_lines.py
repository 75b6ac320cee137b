"""Re-join a PDF's printed lines into the paragraphs they wrap (pure: positioned lines in, paragraphs out).

A PDF has no paragraphs, only lines, and a line may end mid-sentence. A new paragraph starts where
- the font size changes (a title above the body),
- the line opens with an outline marker (一、 (一) 1.) and the line before does not run on (、 , 《 …),
- the line is indented (首行缩进) or follows a wider gap than the usual line pitch;
- the line before stops short of the right margin (the last line of a paragraph, a heading, a header field),
  unless the document marks paragraphs by indents or gaps, that line does not end a sentence, and this line's
  first word would not have fitted in the space left (a layout that wraps at spaces moved it down whole);
- in a document that shows neither indents nor gaps, the line before ends a sentence (。！？：；).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from documents.parser import heading_level
from documents.readers.result import join_fragments

_SENTENCE_END = re.compile(r"[。！？!?:：；;]$")
_RUNS_ON = re.compile(r"[,，、(（“‘《\-—]$")
_FIELD = re.compile(r"^[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,4}\s*[:：]")  # a header field: 发布日期:
_OPEN_FIELD = re.compile(r"(?:^|\s)[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,4}\s*[:：]$")  # …通报 发布日期:
_PAGE_NUMBER = re.compile(r"^(?:[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")
MARGIN_BAND = 0.07  # top and bottom share of a page where running headers and page numbers sit


def _wrapped_at_space(prev: str, cur: str) -> bool:
    """Whether a short line and the next were one line broken at a space: only between two Latin-script runs.
    Chinese has no spaces between words; a short line there was broken before a run that may not be split
    (…播种三叶草 / 7500平方米, …涨 / 幅-0.9%, …和 / 《2021年…》)."""
    prev, cur = prev.rstrip(), cur.lstrip()
    return bool(prev and cur and prev[-1].isascii() and cur[0].isascii())


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    x1: float
    top: float
    size: float  # median character size
    page: int
    lead: float = 0.0  # width of the line's first word (up to a space), to tell a wrap at a space


@dataclass(frozen=True)
class Layout:
    left: float
    right: float
    size: float
    pitch: float  # usual distance from one line's top to the next one's within a paragraph
    styled: bool  # paragraphs are marked by indents or gaps (else: by sentence ends)


def layout_of(lines: list[Line]) -> Layout:
    size = statistics.median(round(line.size, 1) for line in lines)
    body = [line for line in lines if abs(line.size - size) < 0.5] or lines
    left = min(line.x0 for line in body)
    # where full lines end; with many lines read at the 95th percentile, so that one overlong line (a long URL)
    # does not make every other line look short
    ends = sorted((line.x1 for line in body), reverse=True)
    right = ends[len(ends) // 20]
    steps = [b.top - a.top for a, b in zip(body, body[1:], strict=False) if b.page == a.page and b.top > a.top]
    pitch = statistics.median(steps) if steps else size * 1.5
    indents = sum(line.x0 > left + 1.5 * size for line in body)
    gaps = sum(step > 1.4 * pitch for step in steps)
    return Layout(left=left, right=right, size=size, pitch=pitch, styled=indents >= 2 or gaps >= 2)


def starts_paragraph(prev: Line, cur: Line, layout: Layout) -> bool:
    """Whether `cur` opens a new paragraph rather than continuing `prev`."""
    if abs(cur.size - prev.size) >= 0.5:
        return True
    if heading_level(cur.text) and not _RUNS_ON.search(prev.text):
        return True
    room = layout.right - prev.x1
    short = room > 2 * layout.size
    if cur.size > layout.size + 0.5:
        return short  # a title in a larger font, wrapped and centred: its lines belong together
    if cur.x0 > layout.left + 1.5 * layout.size:
        return True
    if cur.page == prev.page and cur.top - prev.top > 1.4 * layout.pitch:
        return True
    if short:
        ended = (_SENTENCE_END.search(prev.text) and not _OPEN_FIELD.search(prev.text)) or _FIELD.match(cur.text)
        return bool(ended) or not layout.styled or cur.lead < room
    return not layout.styled and bool(_SENTENCE_END.search(prev.text))


def drop_page_furniture(lines: list[Line], heights: dict[int, float]) -> list[Line]:
    """Lines minus page numbers and running headers/footers (the same text in the margin band of many pages)."""

    def in_band(line: Line) -> bool:
        height = heights.get(line.page, 0.0)
        return bool(height) and (line.top < MARGIN_BAND * height or line.top > (1 - MARGIN_BAND) * height)

    banded = [line.text for line in lines if in_band(line)]
    repeated = {text for text in banded if banded.count(text) >= 2 and len(heights) >= 2}
    return [
        line
        for line in lines
        if not (in_band(line) and (_PAGE_NUMBER.match(line.text.strip()) or line.text in repeated))
    ]


def paragraphs(lines: list[Line], layout: Layout | None = None) -> list[str]:
    """The lines re-joined into paragraphs, in order (`layout`: measured over the whole document)."""
    lines = [line for line in lines if line.text.strip()]
    if not lines:
        return []
    layout = layout or layout_of(lines)
    groups: list[list[str]] = [[lines[0].text]]
    for prev, cur in zip(lines, lines[1:], strict=False):
        if starts_paragraph(prev, cur, layout):
            groups.append([cur.text])
        elif layout.right - prev.x1 > 2 * layout.size and _wrapped_at_space(prev.text, cur.text):
            groups[-1][-1] += " " + cur.text.strip()  # the space was there
        else:
            groups[-1].append(cur.text)
    return [join_fragments(group) for group in groups]
