"""Read a notice saved from a government web page: the article without the site around it (trafilatura).

trafilatura finds the article body and drops navigation, 字号/打印/关闭 bars, 相关文章 and the 版权/备案
footer; a few such lines it sometimes keeps are dropped here too. The page title and the fields that sit in
the page's info box (索引号, 发文单位, 发布日期 …) become the notice's title and metadata. Lost: images,
links' targets, and a table's merged cells (their text is kept once).
"""

from __future__ import annotations

import re

from documents.errors import NoticeError
from documents.limits import DEFAULT_LIMITS, ReadLimits
from documents.readers.result import Block, Extracted
from documents.readers.tables import table_blocks

_KEYS = (
    "索引号|文号|发文字号|主题分类|发文单位|发文机关|发布机构|发布单位|名称|标题|发布日期|发布时间|成文日期|"
    "发文日期|有效性|来源|信息来源"
)
_SPACED_KEYS = "|".join(r"\s*".join(key) for key in _KEYS.split("|"))  # 文  号 is 文号 padded to width
_KEY = re.compile(r"(?<![\u4e00-\u9fff])(" + _SPACED_KEYS + r")\s*[:：]")
_ANY_KEY = re.compile(r"(?:^|(?<=\s))([\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,5})\s*[:：]")  # 浏览次数: ends a value
_CHROME = re.compile(
    r"^(?:字号[:：]|【?\s*(?:打印|关闭|收藏|返回顶部|打印本页|关闭窗口)|分享到|扫一扫|上一篇|下一篇|版权所有|主办[:：]|"
    r"承办[:：]|网站标识码|当前位置[:：]|浏览次数|访问量)|ICP备|公网安备"
)
_SENTENCE_END = re.compile(r"[。！？；;]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
PROSE_MIN_CHARS = 8  # a sentence: a Chinese character, at least this many more, then its end; navigation has none
INFO_MAX_CHARS = 160  # an element holding info-box fields is short; longer ones are article text


def is_prose(text: str) -> bool:
    """Whether the text holds a sentence (a Chinese character, PROSE_MIN_CHARS more, then 。！？；;), in one pass.

    The pattern `[\u4e00-\u9fff][^。！？；;]{8,}[。！？；;]` says the same, but searched over a block with no
    sentence end it runs in time quadratic in the block's length (a 96k-character block froze the server)."""
    *closed, _ = _SENTENCE_END.split(text)  # the pieces that a sentence end closes
    for piece in closed:
        first = _HAN.search(piece)
        if first is not None and len(piece) - first.start() - 1 >= PROSE_MIN_CHARS:
            return True
    return False


def _text(element) -> str:
    for lb in element.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    return "".join(element.itertext()).strip()


def _blocks(main) -> list[Block]:
    blocks: list[Block] = []
    for element in main:
        if element.tag == "table":
            rows = [[_text(cell) for cell in row.iter("cell")] for row in element.iter("row")]
            blocks += table_blocks(rows)
        elif element.tag == "list":
            blocks += [Block(text=_text(item)) for item in element.iter("item")]
        elif element.tag != "graphic":
            blocks.append(Block(text=_text(element)))
    return [b for b in blocks if b.cells or not _is_chrome(b.text.strip())]


def _is_chrome(text: str) -> bool:
    """A line of site furniture: a 字号/打印 bar, a 版权/备案 footer, a row of links split by '|'."""
    return len(text) < 80 and bool(_CHROME.search(text)) or text.count("|") >= 3 and not is_prose(text)


def _short_text(element) -> str | None:
    """The element's text with its cells apart (通报 发布日期, not 通报发布日期), or None past INFO_MAX_CHARS.

    Read piece by piece and given up early: every element of the page is asked, so reading each one's whole
    text would cost the page's size times its depth."""
    pieces, size, visible = [], 0, 0
    for piece in element.itertext():
        pieces.append(piece)
        size, visible = size + len(piece), visible + len("".join(piece.split()))
        if visible > INFO_MAX_CHARS or size > 64 * INFO_MAX_CHARS:
            return None
    text = " ".join(" ".join(pieces).split())
    return text if len(text) <= INFO_MAX_CHARS else None


def page_fields(tree) -> dict[str, str]:
    """The info-box fields of a page (索引号, 发文单位, 发布日期 …), first occurrence of each, in page order."""
    fields: dict[str, str] = {}
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "head", "title"):
            continue
        text = _short_text(element)
        if text is None:
            continue
        known = list(_KEY.finditer(text))
        ends = sorted({m.start() for m in _ANY_KEY.finditer(text)} | {m.start() for m in known} | {len(text)})
        for match in known:
            key = re.sub(r"\s+", "", match.group(1))
            value = text[match.end() : next(e for e in ends if e >= match.end())].strip()
            if not value and match is known[-1] and element.getnext() is not None:
                following = " ".join(" ".join(element.getnext().itertext()).split())
                value = "" if _KEY.match(following) else following[:INFO_MAX_CHARS]
            fields.setdefault(key, value)
    return fields


def read_html(raw: bytes, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> Extracted:
    import trafilatura  # imported here: only web pages need it
    from lxml import etree
    from trafilatura.settings import use_config

    config = use_config()
    for setting in ("MIN_EXTRACTED_SIZE", "MIN_OUTPUT_SIZE"):  # a cover note is short; below trafilatura's
        config.set("DEFAULT", setting, "1")  # default (250 characters) it would fall back to the whole page
    try:
        tree = trafilatura.load_html(raw)
        xml = trafilatura.extract(
            raw, output_format="xml", include_tables=True, include_comments=False, with_metadata=True, config=config
        )
    except Exception as exc:  # a broken page can fail anywhere inside lxml
        raise NoticeError(f"{name}: not a readable web page ({type(exc).__name__}: {exc})") from None
    if tree is None:
        raise NoticeError(f"{name}: not a readable web page (no HTML found)")
    doc = etree.fromstring(xml.encode("utf-8")) if xml else None
    main = doc.find("main") if doc is not None else None
    blocks = _blocks(main) if main is not None else []
    if not any(b.cells or is_prose(b.text) for b in blocks):  # lists of links and headings are no notice
        raise NoticeError(f"{name}: no article found in this web page (only navigation, links or a footer)")
    metadata = page_fields(tree)
    if doc is not None and doc.get("date") and not metadata.get("发布日期"):
        metadata["发布日期"] = doc.get("date")
    title = (doc.get("title") or "").strip() if doc is not None else ""
    title = title or metadata.get("标题", "") or metadata.get("名称", "")
    return Extracted(blocks=blocks, title=title, metadata=metadata)
