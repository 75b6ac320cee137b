"""Parse a notice's text into its title, header metadata and outline of cited paragraphs.

Every non-blank line is one paragraph, so paragraphs slice back to the file exactly. Headings:
level 1 `一、`, level 2 `(一)`/`（一）`, level 3 `1.`/`1．`/`1、`. A level may be skipped (a 1. right
under 一、). A numbered line is a heading when it is one short sentence; when content follows its first
sentence on the same line it is a body paragraph that also opens its own level-3 section.
A table row (a line given `cells`) is always a body paragraph, placed under the section it sits in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from documents.models import Cell, Notice, Paragraph, ParagraphKind, Section

_NUMERAL = "一二三四五六七八九十百零〇两"
_LEVEL_PATTERNS = (
    (1, re.compile(rf"^[{_NUMERAL}]+、(?![{_NUMERAL}]|季度)")),  # not 一、二季度…
    (2, re.compile(rf"^[(（][{_NUMERAL}]+[)）]、?")),
    (3, re.compile(r"^[0-9０-９]{1,2}(?:[.．、](?![0-9０-９])|[)）])")),
)
_META_KEY = re.compile(r"(?<!\S)([\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,4})\s*[:：]")
_SENTENCE_END = re.compile(r"[。!?！？]")
HEADING_MAX_CHARS = 60  # a numbered line longer than this with no sentence break is content, not a heading


@dataclass
class _Open:
    section: Section
    level: int
    crumbs: list[str] = field(default_factory=list)


def parse_metadata_line(line: str) -> dict[str, str] | None:
    """Split a header line of `key : value` pairs (irregular spacing, empty values) or return None."""
    matches = list(_META_KEY.finditer(line))
    if not matches or line[: matches[0].start()].strip():
        return None
    pairs: dict[str, str] = {}
    for i, match in enumerate(matches):
        key = re.sub(r"\s+", "", match.group(1))
        value_end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        pairs[key] = line[match.end() : value_end].strip()
    return pairs


def heading_level(line: str) -> tuple[int, str] | None:
    """The outline level and marker a line opens with, e.g. (2, '(一)'), or None."""
    for level, pattern in _LEVEL_PATTERNS:
        match = pattern.match(line)
        if match:
            return level, match.group(0)
    return None


def split_heading(body: str) -> tuple[str, str]:
    """Split the text after a marker into its first sentence and what follows on the line."""
    match = _SENTENCE_END.search(body)
    if not match:
        return body, ""
    return body[: match.end()], body[match.end() :]


TITLE_MAX_CHARS = 50
_REPORTS_FIGURE = re.compile(r"\d+(?:\.\d+)?\s?(?:%|万|亿|个|项|家|人|元|座|公里|亩|宗|件|所|条)")


def _reads_as_body(line: str) -> bool:
    """A first line that is a paragraph, not a title: long, with a sentence break inside (a notice stored without
    its title starts with its first paragraph)."""
    return len(line) > TITLE_MAX_CHARS and _SENTENCE_END.search(line[:-1]) is not None


def parse_notice(
    text: str,
    doc_id: str,
    path: str = "",
    sha256: str = "",
    warnings: list[str] | None = None,
    cells: dict[int, list[Cell]] | None = None,
) -> Notice:
    """Build the typed outline of a decoded notice. Pure: text in, Notice out.

    `cells` maps a 1-based line number to the table row that line renders (see documents.readers).
    """
    warnings = list(warnings or [])
    cells = cells or {}
    paragraphs: list[Paragraph] = []
    sections: list[Section] = []
    metadata: dict[str, str] = {}
    stack: list[_Open] = []
    title = ""
    in_header = True
    counters: dict[str, int] = {}
    offset = 0
    for line_no, line in enumerate(text.split("\n"), start=1):
        start, offset = offset, offset + len(line) + 1
        content = line.strip()
        if not content:
            continue
        lead = len(line) - len(line.lstrip())
        span = (start + lead, start + lead + len(content))
        pid = f"p{line_no:03d}"
        base = {"id": pid, "doc_id": doc_id, "text": content, "start": span[0], "end": span[1]}
        if not title and not paragraphs and line_no not in cells and not _reads_as_body(content):
            title = content
            paragraphs.append(Paragraph(kind=ParagraphKind.TITLE, **base))
            continue
        row = cells.get(line_no)
        pairs = parse_metadata_line(content) if in_header and row is None else None
        if pairs is not None:
            metadata.update(pairs)
            paragraphs.append(Paragraph(kind=ParagraphKind.META, **base))
            continue
        in_header = False
        found = heading_level(content) if row is None else None
        if found is None:
            owner = stack[-1] if stack else None
            paragraphs.append(
                Paragraph(
                    kind=ParagraphKind.BODY,
                    breadcrumb=list(owner.crumbs) if owner else [],
                    section_id=owner.section.id if owner else None,
                    cells=list(row or []),
                    **base,
                )
            )
            if owner:
                owner.section.paragraph_ids.append(pid)
            continue
        level, marker = found
        first, rest = split_heading(content[len(marker) :])
        # a numbered line that reports a figure (增长7.5%, 完成投资2.8亿元) is content even when it is short
        is_heading = not rest.strip() and len(content) <= HEADING_MAX_CHARS and not _REPORTS_FIGURE.search(first)
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1] if stack else None
        parent_key = parent.section.id if parent else "s"
        counters[parent_key] = counters.get(parent_key, 0) + 1
        section_id = f"{parent_key}{'.' if parent else ''}{counters[parent_key]}"
        heading_text = (marker + first).strip()
        section = Section(id=section_id, level=level, marker=marker, title=first.strip(), paragraph_id=pid)
        (parent.section.children if parent else sections).append(section)
        crumbs = [*(parent.crumbs if parent else []), heading_text]
        stack.append(_Open(section=section, level=level, crumbs=crumbs))
        section.paragraph_ids.append(pid)
        paragraphs.append(
            Paragraph(
                kind=ParagraphKind.HEADING if is_heading else ParagraphKind.BODY,
                breadcrumb=crumbs,
                section_id=section_id,
                marker=marker,
                heading=first.strip(),
                **base,
            )
        )
    if not title:
        title = doc_id
    if not sections:
        warnings.append(f"{doc_id}: no outline headings found; all paragraphs kept in one section")
        sections = [_fallback_section(paragraphs, title)]
    return Notice(
        doc_id=doc_id,
        path=path,
        sha256=sha256,
        title=title,
        metadata=metadata,
        text=text,
        paragraphs=paragraphs,
        sections=sections,
        warnings=warnings,
    )


def _fallback_section(paragraphs: list[Paragraph], title: str) -> Section:
    """One section holding every body paragraph, for a notice with no numbered headings."""
    body = [p for p in paragraphs if p.kind == ParagraphKind.BODY]
    for p in body:
        p.section_id = "s1"
        p.breadcrumb = [title]
    anchor = paragraphs[0].id if paragraphs else "p001"
    return Section(id="s1", level=1, marker="", title=title, paragraph_id=anchor, paragraph_ids=[p.id for p in body])
