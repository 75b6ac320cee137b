"""Event handlers of the web UI as plain functions (no gradio import), so they are testable without a browser.

The per-session conversation lives in a `ChatState` held by gr.State: never in a global.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from assistant.batch import safe_ask
from assistant.models import Answer, ErrorReply
from documents.ledger import format_pct
from documents.models import Notice, Target
from ui import render


def examples(assistant: AssistantLike) -> list[str]:
    """Example questions made from the loaded notices' own facts (see assistant.examples)."""
    from assistant.examples import example_questions

    pipeline = getattr(assistant, "pipeline", None)
    if pipeline is None:
        return []
    return example_questions(pipeline.library, pipeline.pairs)


ALL_STATUSES = "全部状态"
_PARAGRAPH_ID = re.compile(r"^\s*[pP]?0*(\d{1,4})\s*$")


class AssistantLike(Protocol):
    """What the UI needs from `assistant.core.Assistant` (tests pass a small fake)."""

    ledger: list[Target]

    @property
    def notices(self) -> list[Notice]: ...

    def ask(self, question: str, history: list[Answer] | None = None) -> Answer: ...

    def add_notice(self, name: str, raw: bytes, profile: dict[str, str] | None = None) -> str: ...


Reply = Answer | ErrorReply


@dataclass
class ChatState:
    turns: list[tuple[str, Reply]] = field(default_factory=list)
    selected: int | None = None  # the turn whose citations the side panel shows

    @property
    def history(self) -> list[Answer]:
        return [reply for _, reply in self.turns if isinstance(reply, Answer)]


# ---------------------------------------------------------------- chat


def pending_messages(state: ChatState | None, message: str) -> list[dict[str, str]]:
    """The conversation with the new question shown while its answer is computed."""
    turns = (state or ChatState()).turns
    shown = render.chat_messages(turns)
    if message and message.strip():
        shown.append({"role": "user", "content": render.esc(message)})
    return shown


def respond(
    assistant: AssistantLike, message: str, state: ChatState | None, doc_ids: list[str] | None = None
) -> tuple[list[dict[str, str]], ChatState, str]:
    """Ask (follow-ups see this session's previous answers; `doc_ids` scopes the chat to chosen notices); errors
    become a friendly message, never a traceback."""
    state = state or ChatState()
    if not isinstance(message, str) or not message.strip():
        return render.chat_messages(state.turns), state, panel_for(state)
    chosen = [d for d in doc_ids or [] if isinstance(d, str)] or None
    reply = safe_ask(assistant, message, state.history, chosen)  # type: ignore[arg-type]
    turns = [*state.turns, (message, reply)]
    new_state = ChatState(turns=turns, selected=len(turns) - 1)
    return render.chat_messages(turns), new_state, panel_for(new_state)


def panel_for(state: ChatState | None, index: int = 0) -> str:
    if state is None or state.selected is None or not state.turns:
        return render.empty_panel()
    return render.citation_panel(state.selected, state.turns[state.selected][1], index)


def show_citation(state: ChatState | None, index: object, turn: object = None) -> str:
    """The panel for citation `index` of answer `turn` (default: the answer shown now)."""
    if state is None or not state.turns:
        return render.empty_panel()
    chosen = _as_int(turn, state.selected if state.selected is not None else len(state.turns) - 1)
    chosen = min(max(chosen, 0), len(state.turns) - 1)
    state.selected = chosen
    return render.citation_panel(chosen, state.turns[chosen][1], _as_int(index, 0))


def select_message(state: ChatState | None, message_index: object) -> str:
    """Clicking a message in the chat shows that answer's citations (two messages per turn)."""
    if isinstance(message_index, list | tuple):
        message_index = message_index[0] if message_index else 0
    return show_citation(state, 0, _as_int(message_index, 0) // 2)


def clear_chat() -> tuple[list[dict[str, str]], ChatState, str]:
    return [], ChatState(), render.empty_panel()


def _as_int(value: object, default: int) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


# ---------------------------------------------------------------- targets

COLUMNS = ["通报", "时期", "编号", "指标", "目标", "方向", "完成", "进度%", "进度条", "状态"]


def _actual(row: Target) -> str:
    if row.parts:
        return "+".join(p.quantity.text for p in row.parts)
    if row.actual:
        return row.actual.quantity.text
    return f"(计划 {row.plan.quantity.text})" if row.plan else ""


def ledger_table(assistant: AssistantLike, query: str = "", status: str = "") -> list[dict[str, object]]:
    """Ledger rows matching a text filter (indicator, figures, ids) and a status (key or Chinese label)."""
    wanted = _status_key(status)
    needle = (query or "").strip().lower()
    rows: list[dict[str, object]] = []
    for row in assistant.ledger:
        progress = float(row.progress_pct) if row.progress_pct is not None else None
        flat: dict[str, object] = {
            "通报": row.doc_id,
            "时期": row.period,
            "编号": row.id,
            "指标": row.indicator,
            "目标": row.target.quantity.text if row.target else "",
            "方向": render.DIRECTION_LABELS.get(row.direction.value, row.direction.value) if row.target else "",
            "完成": _actual(row),
            "进度%": round(progress, 1) if progress is not None else None,
            "进度条": render.table_bar(progress, row.status.value),
            "状态": render.STATUS_LABELS.get(row.status.value, row.status.value) + (" ⚠" if row.rate_check else ""),
            "状态码": row.status.value,
            "说明": row.status_text,
            "所属": row.context,
        }
        if wanted and row.status.value != wanted:
            continue
        if needle and needle not in " ".join(str(v) for v in flat.values()).lower():
            continue
        rows.append(flat)
    return rows


def status_choices() -> list[str]:
    return [ALL_STATUSES, *render.STATUS_LABELS.values()]


def _status_key(status: str | None) -> str:
    if not status or status == ALL_STATUSES:
        return ""
    for key, label in render.STATUS_LABELS.items():
        if status in (key, label):
            return key
    return status


def ledger_summary(rows: list[dict[str, object]]) -> str:
    counts = Counter(str(r["状态码"]) for r in rows)
    ordered = {k: counts[k] for k in render.STATUS_LABELS if counts[k]}
    return render.summary_html(ordered, len(rows))


def ledger_source(assistant: AssistantLike, doc_id: str, row_id: str) -> str:
    """The source paragraph(s) of one ledger row with its target and actual figures marked."""
    row = next((r for r in assistant.ledger if r.doc_id == doc_id and r.id == row_id), None)
    notice = _notice(assistant, doc_id)
    if row is None or notice is None:
        return '<div class="cite-panel empty"><p>选择表格中的一行,查看它的来源段落。</p></div>'
    refs = [r for r in (row.target, row.actual, row.stated_rate, row.plan, *row.parts) if r]
    pids = sorted({r.paragraph_id for r in refs})
    paragraphs = []
    for pid in pids:
        p = notice.paragraph(pid)
        paragraphs.append((pid, p.breadcrumb_text, p.text))
    progress = f" {format_pct(row.progress_pct)}" if row.progress_pct is not None else ""
    status = render.STATUS_LABELS.get(row.status.value, row.status.value)
    title = f"{row.indicator}({row.period})· {status}{progress}"
    return render.source_html(doc_id, title, paragraphs, [r.quantity.text for r in refs], note=row.status_text)


# ---------------------------------------------------------------- notices


def notice_choices(assistant: AssistantLike) -> list[tuple[str, str]]:
    """Each notice by its place and period (its profile), then its title and id."""
    from documents.series import profile_of

    return [(f"{profile_of(n).label()} · {n.title[:24]}({n.doc_id})", n.doc_id) for n in assistant.notices]


def default_notice(assistant: AssistantLike) -> str | None:
    """The fullest notice (most paragraphs) opens first: digests and extracts are shorter."""
    return max(assistant.notices, key=lambda n: len(n.paragraphs)).doc_id if assistant.notices else None


def _notice(assistant: AssistantLike, doc_id: str | None) -> Notice | None:
    return next((n for n in assistant.notices if n.doc_id == doc_id), None)


def notice_html(assistant: AssistantLike, doc_id: str | None, find: str = "") -> str:
    """A notice with metadata and outline; `find` is a paragraph id (p013, 13) or words to look for."""
    notice = _notice(assistant, doc_id)
    if notice is None:
        return '<div class="notice empty"><p>请选择一份通报。</p></div>'
    find = (find or "").strip()
    if not find:
        return render.notice_html(notice)
    match = _PARAGRAPH_ID.match(find)
    if match:
        pid = f"p{int(match.group(1)):03d}"
        if any(p.id == pid for p in notice.paragraphs):
            return render.notice_html(notice, [pid], message=f"已定位到段落 {pid}")
        return render.notice_html(notice, message=f"这份通报没有段落 {pid}(共 {len(notice.paragraphs)} 段)")
    hits = [p.id for p in notice.paragraphs if find.lower() in p.text.lower()]
    message = f"找到 {len(hits)} 段包含「{find}」" if hits else f"没有找到「{find}」"
    return render.notice_html(notice, hits, needle=find, message=message)


def notice_ids(assistant: AssistantLike) -> tuple[str, ...]:
    return tuple(n.doc_id for n in assistant.notices)
