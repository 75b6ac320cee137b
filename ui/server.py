"""The HTTP server: a small JSON API beside the gradio app, on one port.

- `POST /api/ask`: a question and the conversation so far (the server keeps no per-user state, so any number of
  clients can ask concurrently without seeing each other's history);
- `POST /api/notices`: add a notice, sent as the bytes of a multipart file field `file` (never a server path);
- `GET /api/health`: the notices served, the answering processes' state and the uploads being added; answered at
  once, even while answers are being computed or a notice is being embedded.

Bodies are bounded (413), JSON must be strict (400), and validation errors never echo the input (422).
"""

from __future__ import annotations

import ipaddress
import traceback
from pathlib import Path

from fastapi import FastAPI, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException

from assistant.batch import safe_ask
from assistant.models import Answer, ErrorReply
from assistant.settings import Settings
from assistant.uploads import in_progress
from documents.errors import AssistantError
from documents.files import notice_name
from ui import limits
from ui.handlers import AssistantLike


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=100_000)
    history: list[Answer] = Field(
        default_factory=list,
        description=f"earlier answers, oldest first; only the last {limits.MAX_HISTORY} are read",
    )

    @field_validator("history", mode="before")
    @classmethod
    def _last_answers(cls, value: object) -> object:
        return value[-limits.MAX_HISTORY :] if isinstance(value, list) else value


class NoticeAdded(BaseModel):
    doc_id: str
    message: str


class Problem(BaseModel):
    error: str


def exposure_warning(host: str) -> str | None:
    """A warning to print when the server listens beyond this machine (None on loopback)."""
    name = host.strip().strip("[]").lower()
    try:
        loopback = name == "localhost" or ipaddress.ip_address(name).is_loopback
    except ValueError:
        loopback = False
    if loopback:
        return None
    return (
        f"warning: listening on {host}, not on loopback: anyone who can reach it can ask questions, read every "
        "loaded notice and add notices (there is no login). Use --host 127.0.0.1, or put it behind a proxy that "
        "authenticates users."
    )


def create_api(assistant: AssistantLike, settings: Settings | None = None) -> FastAPI:
    """The JSON API; the gradio app is mounted beside it by `ui.app.create_server` (and shares its body limit)."""
    settings = settings or Settings()
    api = FastAPI(
        title="Tongbao QA", docs_url="/api/docs", openapi_url="/api/openapi.json", max_body_size=limits.MAX_JSON_BYTES
    )
    api.router.route_class = limits.StrictJSONRoute
    api.add_exception_handler(RequestValidationError, limits.validation_error)
    api.add_exception_handler(HTTPException, limits.http_error)
    problems = {code: {"model": Problem} for code in (400, 403, 413, 422)}

    @api.post("/api/ask", response_model=Answer | ErrorReply, responses=problems)
    def ask(request: AskRequest) -> Answer | ErrorReply:  # sync: FastAPI runs it in its thread pool
        return safe_ask(assistant, request.question, request.history)  # type: ignore[arg-type]

    upload_limit = settings.max_notice_bytes

    @api.post(
        "/api/notices",
        response_model=NoticeAdded,
        responses=problems,
        max_body_size=upload_limit + limits.UPLOAD_OVERHEAD_BYTES,
    )
    def add_notice(
        request: Request,
        file: UploadFile,
        place: str | None = Form(default=None, max_length=40),
        year: str | None = Form(default=None, max_length=4),
        period: str | None = Form(default=None, max_length=20),
    ) -> NoticeAdded | JSONResponse:
        if not limits.same_origin(request):
            return limits.error_response(403, "notices can be added from this app's own page only")
        name = file.filename or ""
        raw = file.file.read(upload_limit + 1)
        if len(raw) > upload_limit:
            return limits.error_response(413, f"{name}: larger than the {upload_limit:,} bytes a notice may be")
        try:
            profile = {k: v for k, v in (("place", place), ("year", year), ("period", period)) if v and v.strip()}
            message = assistant.add_notice(name, raw, profile) if profile else assistant.add_notice(name, raw)
        except AssistantError as exc:
            return limits.error_response(400, str(exc))
        except Exception as exc:  # noqa: BLE001 - the client gets a message, the server log the details
            traceback.print_exc()
            return limits.error_response(500, f"internal error while adding the notice ({exc.__class__.__name__})")
        return NoticeAdded(doc_id=notice_name(name).doc_id, message=message)

    @api.get("/api/health")
    async def health() -> dict[str, object]:  # async: answered on the event loop, never queued behind answers
        state = getattr(assistant, "state", None)  # an AnswerPool reports its workers
        workers = state() if callable(state) else {"configured": 0, "ready": 0, "processes": []}
        return {
            "status": "ok",
            "notices": [n.doc_id for n in assistant.notices],
            "answering": "workers" if workers["ready"] else "server",
            "workers": workers,
            "uploads": in_progress(Path(settings.documents)),
        }

    return api
