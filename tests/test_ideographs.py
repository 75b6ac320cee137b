"""Radical and compatibility code points in text layers read as ordinary characters (documents.ideographs)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from documents.ideographs import BLOCKS, _table, has_radicals, unify_ideographs
from documents.numerals import simplified_char
from documents.readers.dispatch import read_notice_path

CHROMIUM_PDF = Path(__file__).parent / "data" / "chromium" / "chromium-noto.pdf"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("⼆、其他重点⼯作完成情况", "二、其他重点工作完成情况"),  # Kangxi radicals ⼆ ⼯
        ("咸宁市⼈⺠政府", "咸宁市人民政府"),  # ⼈ Kangxi, ⺠ radicals supplement
        ("增⻓58.3%", "增长58.3%"),  # ⻓ U+2EBB, the simplified radical
        ("⻔⼾", "门户"),  # ⼾'s unified equivalent is 戶; a simplified font draws 户 with it
        ("金\uf90a山", "金金山"),  # a CJK compatibility ideograph (U+F90A 金)
        ("①⑴，％（一）", "①⑴，％（一）"),  # what NFKC would rewrite is left alone
        ("", ""),
    ],
)
def test_unify_ideographs(text: str, expected: str) -> None:
    assert unify_ideographs(text) == expected
    assert len(unify_ideographs(text)) == len(text)  # offsets into the text still hold


def test_the_table_agrees_with_unicode_where_unicode_decomposes() -> None:
    """Every Kangxi radical is mapped as NFKC maps it, every compatibility ideograph as NFC does (then simplified)."""
    table = _table()
    kangxi = list(range(0x2F00, 0x2FD6))
    assert all(table[cp] == simplified_char(unicodedata.normalize("NFKC", chr(cp))) for cp in kangxi)
    compat = [cp for cp in table if cp >= 0xF900]
    assert len(compat) > 400
    assert all(table[cp] == simplified_char(unicodedata.normalize("NFC", chr(cp))) for cp in compat)
    supplement = [cp for cp in table if cp < 0x2F00]
    assert len(supplement) > 100  # NFKC maps only two of these (⺟ ⻳): the reason for the table
    assert all(any(lo <= cp <= hi for lo, hi in BLOCKS) for cp in table)
    assert all("\u3400" <= c <= "\u9fff" or c >= "\U00020000" for c in table.values())


def test_a_pdf_printed_by_chromium_in_noto_cjk_reads_as_ordinary_characters() -> None:
    import pdfplumber

    with pdfplumber.open(CHROMIUM_PDF) as pdf:
        layer = "".join(page.extract_text() or "" for page in pdf.pages)
    assert has_radicals(layer), "the fixture no longer shows the problem it tests"
    notice = read_notice_path(CHROMIUM_PDF).to_notice("chromium")
    assert not any(has_radicals(p.text) or has_radicals(" ".join(p.breadcrumb)) for p in notice.paragraphs)
    headings = [p.breadcrumb[-1] for p in notice.paragraphs if p.breadcrumb and p.text == p.breadcrumb[-1]]
    assert "二、其他重点工作完成情况" in headings and "(一)积极融入新发展格局,筑牢发展基石。" in headings
    source = Path(CHROMIUM_PDF.with_suffix(".html")).read_text(encoding="utf-8")
    printed = [re.sub("<[^>]+>", "", p) for p in re.findall(r"<p>(.*?)</p>", source)]
    body = [p.text for p in notice.paragraphs][5:]  # after the title and the four header-field lines
    assert body == printed[4:]
