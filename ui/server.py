"""The HTTP server: a small JSON API (`POST /api/ask`, `GET /api/health`) beside the gradio app, on one port.

The API takes the conversation so far from the client, so the server keeps no per-user state: any number of
clients (or app replicas) can ask concurrently without seeing each other's history.
"""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel, Field

from assistant.batch import safe_ask
from assistant.models import Answer, ErrorReply
from ui.handlers import AssistantLike


class AskRequest(BaseModel):
    question: str = Field(max_length=100_000)
    history: list[Answer] = Field(default_factory=list, max_length=50, description="earlier answers, oldest first")


def create_api(assistant: AssistantLike) -> FastAPI:
    """The JSON API; the gradio app is mounted beside it by `ui.app.create_server`."""
    api = FastAPI(title="Tongbao QA", docs_url="/api/docs", openapi_url="/api/openapi.json")

    @api.post("/api/ask", response_model=Answer | ErrorReply)
    def ask(request: AskRequest) -> Answer | ErrorReply:  # sync: FastAPI runs it in its thread pool
        return safe_ask(assistant, request.question, request.history)  # type: ignore[arg-type]

    @api.get("/api/health")
    def health() -> dict[str, object]:
        return {"status": "ok", "notices": [n.doc_id for n in assistant.notices]}

    return api
