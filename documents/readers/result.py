"""What every reader yields (blocks of text and table rows) and the one decoded notice they all become."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pydantic import BaseModel, Field

from documents.columns import column_role
from documents.errors import NoticeError
from documents.ideographs import unify_ideographs
from documents.models import Cell, ColumnRole, Notice
from documents.parser import parse_notice

_ASCII_WORD_END = re.compile(r"[A-Za-z]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z]")
_SPACE = re.compile(r"\s+")


class Block(BaseModel):
    """One paragraph of a source document, or one table row (`cells` set; `text` is then derived from them)."""

    text: str
    cells: list[Cell] = Field(default_factory=list)


class Extracted(BaseModel):
    """A reader's output: the document's blocks in reading order, plus what it says outside its text."""

    blocks: list[Block]
    title: str = Field(default="", description="a title the source states apart from its text (HTML <title>…)")
    metadata: dict[str, str] = Field(default_factory=dict, description="发布日期, 发文单位 … found outside the text")
    warnings: list[str] = Field(default_factory=list)


class DecodedNotice(BaseModel):
    """A notice file decoded to text, whatever its format: what `parse_notice` turns into a `Notice`.

    `text` is what Notice.text becomes. For a .txt whose tables were regrouped into rows, and for every
    converted format, it is not the file's bytes: paragraph offsets index this text, not the file.
    """

    name: str = Field(description="the file name as given, used in every message")
    format: str = Field(description="txt, md, html, docx, pdf or xlsx")
    text: str
    sha256: str = Field(description="sha256 of `text` (UTF-8): what duplicates and the index compare")
    source_sha256: str = Field(description="sha256 of the file's bytes: the conversion cache key")
    title: str = ""
    metadata: dict[str, str] = Field(default_factory=dict)
    rows: dict[int, list[Cell]] = Field(default_factory=dict, description="1-based line number → that row's cells")
    warnings: list[str] = Field(default_factory=list)

    def to_notice(self, doc_id: str, path: str = "") -> Notice:
        """Parse into the outline; metadata the source gave apart from its text fills keys the text lacks. Radical
        code points a PDF printer wrote for characters (⼯ for 工) become the characters, and pinyin glosses a
        mirror site wrote after characters (發(fā)展) are dropped, before anything reads the text."""
        text = unify_ideographs(self.text)
        rows = {
            n: [c.model_copy(update={"text": strip_glosses(unify_ideographs(c.text))}) for c in cells]
            for n, cells in self.rows.items()
        }
        notice = parse_notice(
            strip_glosses(text), doc_id, path=path, sha256=self.sha256, warnings=list(self.warnings), cells=rows
        )
        raw_lines = text.split("\n")
        for paragraph in notice.paragraphs:  # a citation shows the line as published, glosses and all
            line = raw_lines[int(paragraph.id[1:]) - 1].strip()
            if line != paragraph.text:
                paragraph.source = line
        notice.metadata = {**{k: unify_ideographs(v) for k, v in self.metadata.items()}, **notice.metadata}
        return notice

    def renamed(self, name: str) -> DecodedNotice:
        """The same conversion under another file name (a cache hit for a copy of a file)."""
        if name == self.name:
            return self
        warnings = [w.replace(f"{self.name}: ", f"{name}: ", 1) for w in self.warnings]
        return self.model_copy(update={"name": name, "warnings": warnings})


_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_GLOSS = re.compile(rf"(?<=[\u3400-\u9fff])[(（](?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}[)）]")


def strip_glosses(text: str) -> str:
    """經(jīng)濟(jì) → 經濟: a pinyin gloss in brackets after a character, with a tone mark, is not notice text."""
    return _GLOSS.sub("", text)


def join_fragments(parts: list[str]) -> str:
    """Join pieces of one paragraph or cell that a layout wrapped: no space between Chinese, one between words."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and _ASCII_WORD_END.search(out) and _ASCII_WORD_START.search(part):
            out += " "
        out += part
    return out


def one_line(text: str) -> str:
    """A cell's text on one line: its own line breaks are wrapping, joined like a paragraph's."""
    return join_fragments(text.splitlines()) if "\n" in text else _SPACE.sub(" ", text).strip()


def row_text(cells: list[Cell]) -> str:
    """`header:cell` pairs joined by ';', empty cells and the 序号 column left out (it stays in `cells`)."""
    parts = []
    for cell in cells:
        if not cell.text or column_role(cell.header) == ColumnRole.INDEX:
            continue
        parts.append(f"{cell.header}:{cell.text}" if cell.header else cell.text)
    return ";".join(parts)


def row_block(headers: list[str], texts: list[str]) -> Block | None:
    """A table row as a block, or None when every cell is empty."""
    cells = [Cell(header=h, text=one_line(t)) for h, t in zip(headers, texts, strict=True)]
    text = row_text(cells)
    if not text:
        index = next((c.text for c in cells if c.text), "")
        if not index:
            return None
        text = index  # a row holding only its number: keep it, never drop text
    return Block(text=text, cells=cells)


def assemble(extracted: Extracted, name: str, fmt: str, raw: bytes) -> DecodedNotice:
    """Lay the blocks out one per line and record which lines are table rows; NoticeError when nothing is left."""
    lines: list[str] = []
    rows: dict[int, list[Cell]] = {}
    for block in extracted.blocks:
        if block.cells:
            if not lines:  # a notice opens with its title, never with a row
                lines.append(extracted.title or Path(name).stem)
            lines.append(_SPACE.sub(" ", block.text).strip())
            rows[len(lines)] = block.cells
            continue
        lines += [line.strip() for line in block.text.splitlines() if line.strip()]
    if extracted.title and lines and lines[0] != extracted.title:
        lines.insert(0, extracted.title)
        rows = {n + 1: cells for n, cells in rows.items()}
    if not any(block.text.strip() for block in extracted.blocks):
        raise NoticeError(f"{name}: no text found in this {fmt} file (nothing to read)")
    text = "\n".join(lines)
    return DecodedNotice(
        name=name,
        format=fmt,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source_sha256=hashlib.sha256(raw).hexdigest(),
        title=extracted.title,
        metadata=extracted.metadata,
        rows=rows,
        warnings=extracted.warnings,
    )
