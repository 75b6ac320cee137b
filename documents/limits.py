"""How much a notice file may make a reader do: inflate, fill, page through, and hold in paragraphs.

A file of a few kilobytes can declare a sheet of 17 billion cells or a stream that inflates to gigabytes, so
every reader checks these before it builds anything, and every notice, whatever its format and wherever it
comes from (an upload, the documents folder at start, --documents), is held to the same paragraph bounds.
A refusal is a NoticeError naming the file, what it holds and the setting that bounds it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from documents.errors import NoticeError

SETTING_PREFIX = "TONGBAO_"  # the environment variables that change these (assistant.settings)
MIB = 1024 * 1024


class ReadLimits(BaseModel):
    """The bounds every reader applies; the defaults are far past any real notice (the largest seen: 119
    paragraphs, 740 characters in one, 17k in all; a few hundred kB unzipped)."""

    model_config = ConfigDict(frozen=True)

    max_inflated_bytes: int = Field(
        default=64 * MIB, ge=MIB, description="bytes a .docx/.xlsx may unzip to, or a PDF's streams inflate to"
    )
    max_inflate_ratio: int = Field(
        default=100, ge=2, description="times its own size a .docx/.xlsx/.pdf may inflate to (past the first MiB)"
    )
    max_sheet_cells: int = Field(
        default=200_000, ge=100, description="cells a workbook's sheets may span, merged ranges counted whole"
    )
    max_pdf_pages: int = Field(default=300, ge=1, description="pages a PDF may have")
    max_paragraphs: int = Field(default=1_000, ge=10, description="paragraphs (lines, table rows) a notice may have")
    # Reading a paragraph's facts takes time that grows with the square of its length when it is dense with
    # figures (a 5,000-character one: 8 s), so these two also bound the time an upload's facts take.
    max_paragraph_chars: int = Field(default=3_000, ge=100, description="characters one paragraph may have")
    max_notice_chars: int = Field(default=100_000, ge=1_000, description="characters a notice may have in all")

    def refuse(self, name: str, found: str, setting: str, unit: str = "") -> NoticeError:
        """The refusal of file `name`, which holds `found`, past the limit `setting` (a field of this model)."""
        limit = getattr(self, setting)
        shown = f"{limit / MIB:,.0f} MiB" if unit == "bytes" else f"{limit:,}{' ' + unit if unit else ''}"
        return NoticeError(f"{name}: {found}; the limit is {shown} ({SETTING_PREFIX}{setting.upper()})")


DEFAULT_LIMITS = ReadLimits()
RATIO_FLOOR_BYTES = MIB  # a small file may inflate to this much whatever its ratio (a 3 kB sheet to 40 kB is fine)


def check_paragraphs(text: str, name: str, limits: ReadLimits) -> None:
    """Refuse a notice text over the paragraph bounds (one paragraph per non-empty line, as the parser reads it).

    Everything after this (the parser, the fact reader, the index) then runs on bounded windows."""
    count = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        count += 1
        if len(line) > limits.max_paragraph_chars:
            found = f"paragraph {count} (line {number}) has {len(line):,} characters"
            raise limits.refuse(name, found, "max_paragraph_chars", "characters")
    if len(text) > limits.max_notice_chars:
        raise limits.refuse(name, f"{len(text):,} characters of text", "max_notice_chars", "characters")
    if count > limits.max_paragraphs:
        raise limits.refuse(name, f"{count:,} paragraphs", "max_paragraphs", "paragraphs")
