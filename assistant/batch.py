"""Ask one question or a JSONL batch; every line of output is an answer or an error object, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from assistant.core import Assistant, ensure_ready
from assistant.models import Answer, ErrorReply
from assistant.settings import Settings
from documents.errors import AssistantError, QuestionError


def safe_ask(assistant: Assistant, question: object, history: list[Answer] | None = None) -> Answer | ErrorReply:
    """Ask, turning a bad question or an unexpected failure into an ErrorReply with a message."""
    if not isinstance(question, str):
        return ErrorReply(error="the question must be a string", question=None)
    try:
        return assistant.ask(question, history)
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


def answer_one(settings: Settings, question: str, as_json: bool, out: TextIO) -> None:
    assistant = ensure_ready(settings)
    reply = safe_ask(assistant, question)
    if as_json:
        out.write(reply.model_dump_json() + "\n")
    elif isinstance(reply, ErrorReply):
        raise AssistantError(reply.error)
    else:
        out.write(format_answer(reply) + "\n")


def answer_batch(settings: Settings, path: Path, out: TextIO) -> None:
    """One JSON object per input line, carrying the line's id; the model loads once."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AssistantError(f"{path}: cannot read the batch file ({exc})") from None
    assistant = ensure_ready(settings)
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
        reply = safe_ask(assistant, item.get("question"))
        payload = json.loads(reply.model_dump_json())
        out.write(json.dumps({"id": item.get("id"), **payload}, ensure_ascii=False) + "\n")
        out.flush()
