"""Read a .pdf notice with pdfplumber: its text layer re-joined into paragraphs, and its ruled tables as rows.

A scanned PDF (pages that are images, no text layer) and a password-protected one are refused with a
message saying what to do; so is one of more pages, or whose streams inflate to more, than the budget
(documents.limits). Lost: images, page headers/footers and page numbers (dropped on purpose),
footnote placement, and tables drawn without ruling lines (their cells read as ordinary lines).
"""

from __future__ import annotations

import itertools
import logging
import statistics
from io import BytesIO

from documents.errors import NoticeError
from documents.limits import DEFAULT_LIMITS, ReadLimits
from documents.readers.budget import inflating
from documents.readers.pdf_lines import Line, drop_page_furniture, layout_of, paragraphs
from documents.readers.result import Block, Extracted
from documents.readers.tables import last_header, table_blocks

# pdfminer logs a warning for every glyph of a font without a FontBBox (as Chromium writes them): thousands of
# lines for one notice, none of them about the text, which reads fine.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _page_count(pdf, most: int) -> int:
    """Pages in the page tree, counted up to one past `most` (a tree of thousands is not walked to its end)."""
    from pdfminer.pdfpage import PDFPage

    return sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc), most + 1))


def _open(raw: bytes, name: str, limits: ReadLimits):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(BytesIO(raw))
        pages = _page_count(pdf, limits.max_pdf_pages)
    except Exception as exc:  # pdfplumber wraps pdfminer's errors (PdfminerException), which are many
        causes = [exc, *exc.args, exc.__context__]
        if any(isinstance(c, PDFPasswordIncorrect | PDFEncryptionError) for c in causes):
            raise NoticeError(
                f"{name}: the PDF is password-protected (encrypted); save a copy without the password and add that"
            ) from None
        detail = next((repr(c) for c in causes[1:] if isinstance(c, Exception)), f"{type(exc).__name__}: {exc}")
        raise NoticeError(f"{name}: not a readable PDF (corrupt or truncated?): {detail}") from None
    if pages > limits.max_pdf_pages:
        pdf.close()
        raise limits.refuse(name, f"a PDF of more than {limits.max_pdf_pages:,} pages", "max_pdf_pages", "pages")
    return pdf


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _lead(chars: list[dict], size: float) -> float:
    """Width of a line's first word: its characters up to the first space or visible gap."""
    end = chars[0]["x1"] if chars else 0.0
    for prev, char in zip(chars, chars[1:], strict=False):
        if char["text"].isspace() or char["x0"] - prev["x1"] > 0.25 * size:
            break
        end = char["x1"]
    return end - chars[0]["x0"] if chars else 0.0


def _page_items(page, number: int) -> tuple[list[tuple[float, Line | list]], int]:
    """(top, line or table rows) in reading order, and how many characters the page's text layer has."""
    # a frame around the page or a one-row box is drawn lines, not a table: its text stays text
    tables = [t for t in page.find_tables() if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
    boxes = [t.bbox for t in tables]
    text_part = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes)) if boxes else page
    items: list[tuple[float, Line | list]] = []
    for found in text_part.extract_text_lines(return_chars=True, strip=True):
        chars = found["chars"]
        size = statistics.median(c["size"] for c in chars) if chars else 0.0
        line = Line(found["text"], found["x0"], found["x1"], found["top"], size, number, _lead(chars, size))
        items.append((found["top"], line))
    items += [(t.bbox[1], t.extract()) for t in tables]
    return sorted(items, key=lambda item: item[0]), len(page.chars)


def read_pdf(raw: bytes, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> Extracted:
    with inflating(raw, name, limits), _open(raw, name, limits) as pdf:
        try:
            pages = [_page_items(page, i) for i, page in enumerate(pdf.pages, start=1)]
        except Exception as exc:  # a damaged content stream fails only when its page is read
            raise NoticeError(f"{name}: not a readable PDF (a damaged page): {type(exc).__name__}: {exc}") from None
        heights = {i: float(page.height) for i, page in enumerate(pdf.pages, start=1)}
    if not any(chars for _, chars in pages):
        raise NoticeError(
            f"{name}: this PDF has no text layer (a scanned image?); run OCR on it first "
            "(e.g. `ocrmypdf in.pdf out.pdf`) or add the notice as .docx or .txt"
        )
    warnings = []
    blank = [str(i) for i, (_, chars) in enumerate(pages, start=1) if not chars]
    if blank:
        warnings.append(f"{name}: page(s) {', '.join(blank)} have no text layer (scanned?); their content is missing")
    items = [item for page_items, _ in pages for _, item in page_items]
    lines = drop_page_furniture([i for i in items if isinstance(i, Line)], heights)
    kept = {id(line) for line in lines}
    layout = layout_of(lines) if lines else None
    blocks: list[Block] = []
    run: list[Line] = []
    for item in items:
        if isinstance(item, Line):
            if id(item) in kept:
                run.append(item)
            continue
        blocks += [Block(text=p) for p in paragraphs(run, layout)]
        run = []
        header = last_header(blocks)  # a table running over a page break continues the one before
        blocks += table_blocks(item, header=header)
    blocks += [Block(text=p) for p in paragraphs(run, layout)]
    return Extracted(blocks=blocks, warnings=warnings)
