"""HTML and chat text for the web UI. Pure functions, no gradio: every notice or user string is escaped here."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from decimal import Decimal

from assistant.models import Answer, Citation, ErrorReply
from documents.models import Notice, Section

STATUS_LABELS: dict[str, str] = {
    "exceeded": "超额完成",
    "met": "已完成",
    "within_ceiling": "控制在目标内",
    "above_ceiling": "超出上限",
    "below_target": "低于目标",
    "in_progress": "推进中",
    "plan_only": "仅有计划",
    "no_actual": "未报告完成数",
}
DIRECTION_LABELS: dict[str, str] = {
    "increase": "↑ 增长/达到",
    "reduce": "↓ 下降",
    "ceiling": "≤ 上限",
    "floor": "≥ 下限",
    "range": "区间",
}
_GOOD = {"exceeded", "met", "within_ceiling"}
_BAD = {"above_ceiling", "below_target"}


def esc(text: object) -> str:
    """Escape anything for HTML text and attribute values (quotes included)."""
    return html.escape("" if text is None else str(text), quote=True)


def status_class(status: str) -> str:
    status = status.split()[0] if status else ""
    if status in _GOOD:
        return "good"
    return "bad" if status in _BAD else "neutral" if status in {"plan_only", "no_actual"} else "progress"


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def highlight(text: str, needles: Iterable[str]) -> str:
    """Escape `text`, wrapping every occurrence of each needle in <mark> (longest match wins on overlap)."""
    spans: list[tuple[int, int]] = []
    for needle in sorted({n for n in needles if n}, key=len, reverse=True):
        start = text.find(needle)
        while start != -1:
            end = start + len(needle)
            if all(end <= s or start >= e for s, e in spans):
                spans.append((start, end))
            start = text.find(needle, start + 1)
    out, pos = [], 0
    for start, end in sorted(spans):
        out.append(esc(text[pos:start]) + "<mark>" + esc(text[start:end]) + "</mark>")
        pos = end
    return "".join(out) + esc(text[pos:])


# ---------------------------------------------------------------- chat


def chip_label(citation: Citation, limit: int = 16) -> str:
    """Short label for a citation: the innermost heading and the paragraph id."""
    crumbs = [c for c in citation.breadcrumb.split(" › ") if c]
    last = crumbs[-1] if crumbs else citation.doc_id
    return f"{shorten(last, limit)} · {citation.paragraph_id}"


def reply_text(reply: Answer | ErrorReply) -> str:
    """The assistant's chat message as plain text (escaped by `chat_messages`)."""
    if isinstance(reply, ErrorReply):
        return f"⚠️ 这个问题没法回答:{reply.error}\n换个说法试试,例如「5G基站建设进度」。"
    english = reply.language == "en"
    lines = [reply.answer]
    if reply.citations:
        lines.append("")
        label = "Sources" if english else "来源"
        lines += [f"{label} [{i}] {chip_label(c, 30)}" for i, c in enumerate(reply.citations, start=1)]
    for derived in reply.derived:
        lines.append(("How computed: " if english else "计算方式:") + derived.formula)
    return "\n".join(lines)


def chat_messages(turns: Sequence[tuple[str, Answer | ErrorReply]]) -> list[dict[str, str]]:
    """gr.Chatbot messages; the content is HTML-escaped because the Chatbot inserts it as (sanitized) HTML."""
    messages: list[dict[str, str]] = []
    for question, reply in turns:
        messages.append({"role": "user", "content": esc(question)})
        messages.append({"role": "assistant", "content": esc(reply_text(reply))})
    return messages


def examples_html(questions: Sequence[str]) -> str:
    buttons = "".join(f'<button class="example" data-q="{esc(q)}">{esc(q)}</button>' for q in questions)
    return f'<div class="examples"><span class="examples-label">试试这些问题:</span>{buttons}</div>'


def empty_panel() -> str:
    return (
        '<div class="cite-panel empty"><div class="panel-title">引用原文</div>'
        "<p>提问后,这里会显示答案引用的通报段落,数字已用<mark>高亮</mark>标出。</p>"
        "<p>点击编号 <span class='chip demo'>[1]</span> 切换引用;点击对话中较早的回答可查看它的引用。</p></div>"
    )


def citation_panel(turn: int, reply: Answer | ErrorReply | None, index: int = 0) -> str:
    """Chips for every citation of one answer and the cited paragraph of chip `index`, figures in <mark>."""
    if reply is None:
        return empty_panel()
    if isinstance(reply, ErrorReply) or not reply.citations:
        note = (
            "这个回答没有引用段落。"
            if isinstance(reply, ErrorReply) or not reply.refused
            else "通报中没有找到相关段落。"
        )
        return f'<div class="cite-panel empty"><div class="panel-title">引用原文</div><p>{esc(note)}</p></div>'
    index = index if 0 <= index < len(reply.citations) else 0
    chips = "".join(
        f'<button class="chip{" active" if i == index else ""}" data-turn="{turn}" data-cite="{i}" '
        f'title="{esc(c.breadcrumb)}"><b>[{i + 1}]</b> {esc(chip_label(c))}</button>'
        for i, c in enumerate(reply.citations)
    )
    cited = reply.citations[index]
    figures = [f.text for f in reply.figures if f.paragraph_id == cited.paragraph_id]
    derived = "".join(
        f'<div class="derived">🧮 {"How computed: " if reply.language == "en" else "计算方式:"}{esc(d.formula)}</div>'
        for d in reply.derived
    )
    return (
        f'<div class="cite-panel" data-turn="{turn}">'
        f'<div class="panel-title">引用原文 · {esc(shorten(reply.question, 24))}</div>'
        f'<div class="chips">{chips}</div>'
        f'<div class="cite-card" data-cite="{index}"><div class="crumb">{esc(cited.breadcrumb)}</div>'
        f'<p class="para">{highlight(cited.text, figures)}</p>{derived}'
        f'<div class="cite-foot"><span class="pid">{esc(cited.doc_id)} · {esc(cited.paragraph_id)}</span>'
        f'<button class="jump" data-doc="{esc(cited.doc_id)}" data-pid="{esc(cited.paragraph_id)}">'
        "在通报全文中查看 →</button></div></div></div>"
    )


# ---------------------------------------------------------------- targets


def progress_bar(progress: Decimal | float | None, status: str) -> str:
    if progress is None:
        return f'<span class="tag {status_class(status)}">{esc(STATUS_LABELS.get(status.split()[0], status))}</span>'
    width = max(0.0, min(float(progress), 100.0))
    return (
        f'<div class="bar {status_class(status)}"><span style="width:{width:.1f}%"></span></div>'
        f'<span class="bar-label">{float(progress):.1f}%</span>'
    )


def table_bar(progress: float | None, status: str) -> str:
    """A progress bar for a Dataframe cell of datatype "html" (inline styles: cells are not in our CSS scope)."""
    if progress is None:
        return ""
    colour = {"good": "#22c55e", "bad": "#ef4444"}.get(status_class(status), "#3b82f6")
    width = max(0.0, min(progress, 100.0))
    return (
        '<div style="background:#e5e7eb;border-radius:5px;height:10px;min-width:60px;overflow:hidden">'
        f'<div style="width:{width:.1f}%;background:{colour};height:10px;border-radius:5px"></div></div>'
    )


def ledger_html(rows: Sequence[dict[str, object]]) -> str:
    """Progress by target: one horizontal bar per row that has a computed progress (capped at 100% wide)."""
    with_progress = [r for r in rows if r.get("进度%") is not None]
    if not with_progress:
        return '<div class="chart empty">没有可计算完成率的目标(增速类指标见上表状态)。</div>'
    items = "".join(
        f'<div class="chart-row" title="{esc(r["指标"])}: {esc(r["完成"])} / {esc(r["目标"])}">'
        f'<div class="chart-label">{esc(shorten(str(r["指标"]), 16))}<span class="period">{esc(r["时期"])}</span></div>'
        f'<div class="chart-bar">{progress_bar(r["进度%"], str(r["状态码"]))}</div></div>'  # type: ignore[arg-type]
        for r in sorted(with_progress, key=lambda r: -float(r["进度%"]))  # type: ignore[arg-type]
    )
    caption = (
        '<div class="chart-caption">按进度排序(完成数 ÷ 目标,或通报自述的完成率);'
        "超过 100% 的按满格显示。增速类指标见上表状态。</div>"
    )
    return f'<div class="chart"><div class="panel-title">各目标完成进度</div>{caption}{items}</div>'


def source_html(
    doc_id: str, title: str, paragraphs: Sequence[tuple[str, str, str]], marks: Iterable[str], note: str = ""
) -> str:
    """The source paragraphs of a ledger row: (paragraph id, breadcrumb, text) with its figures marked."""
    marks = list(marks)
    body = "".join(
        f'<div class="cite-card"><div class="crumb">{esc(crumb)}</div><p class="para">{highlight(text, marks)}</p>'
        f'<div class="cite-foot"><span class="pid">{esc(doc_id)} · {esc(pid)}</span>'
        f'<button class="jump" data-doc="{esc(doc_id)}" data-pid="{esc(pid)}">在通报全文中查看 →</button></div></div>'
        for pid, crumb, text in paragraphs
    )
    heading = f'<div class="panel-title" title="{esc(note)}">来源段落 · {esc(title)}</div>'
    return f'<div class="cite-panel">{heading}{body}</div>'


def summary_html(counts: dict[str, int], total: int) -> str:
    tags = "".join(
        f'<span class="tag {status_class(s)}">{esc(STATUS_LABELS.get(s, s))} {n}</span>' for s, n in counts.items()
    )
    return f'<div class="summary">共 <b>{total}</b> 项目标 {tags}</div>'


# ---------------------------------------------------------------- notices


def _toc(sections: Sequence[Section], anchor: str) -> str:
    if not sections:
        return ""
    items = "".join(
        f'<li><a href="#{esc(anchor)}-{esc(s.paragraph_id)}">{esc(shorten(s.marker + s.title, 40))}</a>'
        f'<span class="pid">{esc(s.paragraph_id)}</span>{_toc(s.children, anchor)}</li>'
        for s in sections
    )
    return f"<ul>{items}</ul>"


def _levels(sections: Sequence[Section], out: dict[str, int]) -> dict[str, int]:
    for s in sections:
        out[s.paragraph_id] = s.level
        _levels(s.children, out)
    return out


_SOURCE_ZH = {"header": "发文单位", "title": "标题", "file name": "文件名", "sidecar": "说明文件", "body": "正文",
              "place name": "地名", "issuer": "发文机关", "byline": "来源行", "body (全…/我…)": "正文用语",
              "header date": "发布日期", "body (spelled as the file name)": "正文"}  # fmt: skip


def profile_html(notice: Notice) -> str:
    """What the notice says about itself: place and level, year, period, kind, each with where it was read."""
    from documents.series import profile_of

    profile = profile_of(notice)
    place = profile.place or (profile.place_key or "").title() or "未知"
    fields = [
        ("地区", f"{place}({profile.level.value if profile.level else '级别未知'})", "place"),
        ("年份", str(profile.year) if profile.year else "未知", "year"),
        ("期间", profile.period.label if profile.period else "未知", "period"),
        ("类型", profile.kind or "未知", "kind"),
    ]
    items = "".join(
        f'<span class="profile-field"><span class="profile-key">{name}</span> {esc(value)}'
        f"<small>{esc(_SOURCE_ZH.get(profile.sources.get(key, ''), profile.sources.get(key, '')))}</small></span>"
        for name, value, key in fields
    )
    return f'<div class="profile" id="notice-profile">{items}</div>'


def notice_html(notice: Notice, hits: Iterable[str] = (), needle: str = "", message: str = "") -> str:
    """Metadata, outline and every paragraph anchored as `<p id="{doc_id}-{paragraph_id}">` with its id shown."""
    hits = set(hits)
    levels = _levels(notice.sections, {})
    meta = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v) or '—'}</dd></div>" for k, v in notice.metadata.items())
    paragraphs = []
    for p in notice.paragraphs:
        classes = ["para", f"kind-{p.kind.value}"]
        if p.id in levels:
            classes.append(f"level-{levels[p.id]}")
        if p.id in hits:
            classes.append("hit")
        text = highlight(p.text, [needle]) if needle and p.id in hits else esc(p.text)
        anchor = esc(f"{notice.doc_id}-{p.id}")
        paragraphs.append(
            f'<p id="{anchor}" class="{" ".join(classes)}" title="{esc(p.breadcrumb_text)}">'
            f'<a class="pid" href="#{anchor}">{esc(p.id)}</a>{text}</p>'
        )
    note = f'<div class="find-note">{esc(message)}</div>' if message else ""
    return (
        f'<div class="notice" data-doc="{esc(notice.doc_id)}"><h2 class="notice-title">{esc(notice.title)}</h2>'
        f"{profile_html(notice)}"
        f'<dl class="meta">{meta}</dl>{note}<div class="notice-grid">'
        f'<nav class="toc"><div class="toc-title">目录 · 点击跳转</div>{_toc(notice.sections, notice.doc_id)}</nav>'
        f'<div class="notice-body">{"".join(paragraphs)}</div></div></div>'
    )


def series_html(series: Sequence[dict[str, object]]) -> str:
    """Targets followed across periods: one line per target, a bar per period (一季度 → 上半年 …)."""
    if not series:
        return '<div class="chart empty">只有一份通报报告了各个目标,暂无跨期进度。</div>'
    lines = []
    for item in series:
        cells = "".join(
            f'<div class="series-point" title="{esc(p["period"])}: {esc(p["actual"] or "未报告")}">'
            f'<span class="period">{esc(p["period"])}</span> <b>{esc(p["actual"] or "—")}</b> '
            f"{progress_bar(p['progress_value'], str(p['status']))}</div>"  # type: ignore[arg-type]
            for p in item["points"]  # type: ignore[attr-defined]
        )
        lines.append(
            f'<div class="series-row"><div class="chart-label">{esc(shorten(str(item["indicator"]), 18))}'
            f' <span class="period">目标 {esc(item["target"])}</span></div>'
            f'<div class="series-points">{cells}</div></div>'
        )
    caption = '<div class="chart-caption">同一目标在不同时期通报中的完成情况,按时间先后排列。</div>'
    return f'<div class="chart" id="series"><div class="panel-title">跨期进度</div>{caption}{"".join(lines)}</div>'


def upload_html(suffixes: tuple[str, ...]) -> str:
    """The upload control: the browser sends the chosen file's bytes to POST /api/notices (see style.UPLOAD_JS)."""
    accept = ",".join(suffixes)
    kinds = " / ".join(suffixes)
    return (
        f'<div class="upload"><label class="upload-pick">选择 {esc(kinds)} 通报文件'
        f'<input type="file" accept="{esc(accept)}"></label>'
        '<div class="upload-profile">可选,通报里没写时填写:'
        '<input name="place" placeholder="地区,如 宁都县"><input name="year" placeholder="年份,如 2023">'
        '<input name="period" placeholder="期间,如 1-11月 / 一季度"></div>'
        '<div class="upload-message" role="status" aria-live="polite"></div></div>'
    )
