"""Ask one question or a JSONL batch; every line of output is an answer or an error object, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from assistant.core import Assistant, ensure_ready
from assistant.models import Answer, ErrorReply
from assistant.settings import Settings
from documents.errors import AssistantError, QuestionError


def safe_ask(
    assistant: Assistant, question: object, history: list[Answer] | None = None, doc_ids: list[str] | None = None
) -> Answer | ErrorReply:
    """Ask, turning a bad question or an unexpected failure into an ErrorReply with a message."""
    if not isinstance(question, str):
        return ErrorReply(error="the question must be a string", question=None)
    try:
        return assistant.ask(question, history) if doc_ids is None else assistant.ask(question, history, doc_ids)
    except QuestionError as exc:
        return ErrorReply(error=str(exc), question=question[:200])
    except AssistantError as exc:
        return ErrorReply(error=str(exc), question=question[:200])
    except Exception as exc:  # noqa: BLE001 - the batch must go on; the message names the failure
        return ErrorReply(
            error=f"internal error while answering ({exc.__class__.__name__}); please report it",
            question=question[:200],
        )


def format_answer(answer: Answer) -> str:
    lines = [answer.answer]
    for i, c in enumerate(answer.citations, start=1):
        lines.append(f"  [{i}] {c.doc_id} {c.paragraph_id} · {c.breadcrumb}")
    for d in answer.derived:
        lines.append(f"  computed: {d.formula}")
    return "\n".join(lines)


def answer_one(
    settings: Settings,
    question: str,
    as_json: bool,
    out: TextIO,
    doc_ids: list[str] | None = None,
    explain: bool = False,
) -> None:
    assistant = ensure_ready(settings)
    _check_docs(assistant, doc_ids)
    reply = safe_ask(assistant, question, doc_ids=doc_ids)
    if isinstance(reply, Answer) and not explain:
        reply = reply.model_copy(update={"trace": None})
    if as_json:
        out.write(reply.model_dump_json(exclude_none=isinstance(reply, Answer) and not explain) + "\n")
    elif isinstance(reply, ErrorReply):
        raise AssistantError(reply.error)
    else:
        out.write(format_answer(reply) + "\n")
        if explain and reply.trace:
            out.write(format_trace(reply.trace) + "\n")


def _check_docs(assistant: Assistant, doc_ids: list[str] | None) -> None:
    known = {n.doc_id for n in assistant.notices}
    unknown = [d for d in doc_ids or [] if d not in known]
    if unknown:
        raise AssistantError(f"no notice {', '.join(unknown)}; the notices are: {', '.join(sorted(known))}")


def format_trace(trace: dict) -> str:
    """The stages' decisions, one block each: what was understood, routed, retrieved, matched and rejected."""
    import json

    lines = ["trace:"]
    for stage in ("spec", "route", "hits", "matches", "rejected"):
        if stage in trace:
            lines.append(f"  {stage}:")
            value = trace[stage]
            items = value if isinstance(value, list) else [value]
            lines += [f"    {json.dumps(item, ensure_ascii=False)}" for item in items[:20]]
    return "\n".join(lines)


def answer_batch(settings: Settings, path: Path, out: TextIO, doc_ids: list[str] | None = None) -> None:
    """One JSON object per input line, carrying the line's id; the model loads once."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AssistantError(f"{path}: cannot read the batch file ({exc})") from None
    assistant = ensure_ready(settings)
    _check_docs(assistant, doc_ids)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("not an object")
        except ValueError as exc:
            out.write(
                json.dumps({"id": None, "line": number, "error": f"line {number}: not a JSON object ({exc})"}) + "\n"
            )
            continue
        reply = safe_ask(assistant, item.get("question"), doc_ids=doc_ids)
        payload = json.loads(reply.model_dump_json(exclude={"trace"} if isinstance(reply, Answer) else None))
        out.write(json.dumps({"id": item.get("id"), **payload}, ensure_ascii=False) + "\n")
        out.flush()
