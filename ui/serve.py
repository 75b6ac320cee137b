"""`serve(settings)`: the JSON API answers at once; the gradio chat is mounted at / once gradio has loaded.

Importing gradio takes 6 s on a 2-core machine, twice the rest of a cold start. So the server starts with the
API (FastAPI, no gradio) and a holding page at / (503, reloading itself each second), and imports gradio and
builds the chat in a background thread, then starts it on the server's event loop and puts it in place. The
thread starts once a first question has been answered, or after FIRST_ANSWER_WAIT seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
from typing import Any

import uvicorn
from fastapi import FastAPI

from assistant.settings import Settings
from ui.handlers import AssistantLike
from ui.server import create_api, exposure_warning

HOLDING_PAGE = (
    b'<!doctype html><html lang="zh"><head><meta charset="utf-8"><meta http-equiv="refresh" content="1">'
    b"<title>\xe9\x80\x9a\xe6\x8a\xa5\xe9\x97\xae\xe7\xad\x94 Tongbao QA</title></head><body>"
    b"<p>\xe6\xad\xa3\xe5\x9c\xa8\xe5\x8a\xa0\xe8\xbd\xbd\xe2\x80\xa6 loading the chat, one moment\xe2\x80\xa6</p>"
    b"<p>The JSON API already answers: POST /api/ask</p></body></html>"
)


FIRST_ANSWER_WAIT = 2.0  # seconds the chat waits for a first question to be answered before loading anyway


class AfterFirstAnswer:
    """ASGI wrapper: once the first POST /api/ask has been answered, the chat starts loading."""

    def __init__(self, app: Any, chat: DeferredChat) -> None:
        self.app, self.chat, self._done = app, chat, False

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)
        if not self._done and scope["type"] == "http" and scope.get("path") == "/api/ask":
            self._done = True
            self.chat.kick()


class DeferredChat:
    """An ASGI app at /: a holding page until the gradio chat is ready, then the chat."""

    def __init__(self, assistant: AssistantLike, settings: Settings | None = None) -> None:
        self._assistant, self._settings = assistant, settings
        self._app: Any = None
        self._failed: str | None = None
        self._stack = contextlib.AsyncExitStack()
        self._kicked = threading.Event()

    @property
    def ready(self) -> bool:
        return self._app is not None

    def start_loading(self, loop: asyncio.AbstractEventLoop) -> None:
        threading.Thread(target=self._load, args=(loop,), name="load-chat", daemon=True).start()

    def kick(self) -> None:
        """Start loading now (the first question has been answered) instead of after FIRST_ANSWER_WAIT."""
        self._kicked.set()

    def _load(self, loop: asyncio.AbstractEventLoop) -> None:
        # gradio's import holds the GIL for seconds: a first question asked at start would wait behind it.
        self._kicked.wait(FIRST_ANSWER_WAIT)
        try:
            from ui.app import create_server  # imports gradio

            inner = create_server(self._assistant, self._settings, with_api=False)
            asyncio.run_coroutine_threadsafe(self._start(inner), loop).result()
        except Exception as exc:  # noqa: BLE001 - the API keeps answering; the page says what failed
            self._failed = f"{exc.__class__.__name__}: {exc}"
            print(
                f"Tongbao QA: the web chat could not start ({self._failed}); the JSON API still answers",
                file=sys.stderr,
            )

    async def _start(self, inner: FastAPI) -> None:
        await self._stack.enter_async_context(inner.router.lifespan_context(inner))  # gradio's startup events
        self._app = inner

    async def stop(self) -> None:
        await self._stack.aclose()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if self._app is not None:
            await self._app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1013})
            return
        body = HOLDING_PAGE if self._failed is None else b"the web chat could not start; see the server's log"
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"retry-after", b"1")],
            }
        )
        await send({"type": "http.response.body", "body": body})


def build(assistant: AssistantLike, settings: Settings | None = None) -> tuple[FastAPI, DeferredChat]:
    """The API with the deferred chat mounted at /; the chat starts loading when the server starts."""
    api = create_api(assistant, settings)
    chat = DeferredChat(assistant, settings)
    previous = api.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        async with previous(app) as state:
            chat.start_loading(asyncio.get_running_loop())
            try:
                yield state
            finally:
                await chat.stop()

    api.router.lifespan_context = lifespan
    api.mount("/", chat)
    return api, chat


def serve(settings: Settings) -> None:
    """Load the notices, model and index (building what is missing, with progress on the console) and serve."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    from assistant.core import ensure_ready

    warning = exposure_warning(settings.host)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    print(
        "Tongbao QA: loading notices, model and index (the first run converts the model and builds the index)…",
        flush=True,
    )
    from documents.readers.isolated import stop_spare

    assistant: AssistantLike = ensure_ready(settings)
    pool = None
    if settings.workers:
        from assistant.workers import AnswerPool

        # started by a fork server after the first answer (assistant.workers), never forked from this process
        assistant = pool = AnswerPool(assistant, settings.workers)
    api, chat = build(assistant, settings)
    print(f"Tongbao QA: open http://{settings.host}:{settings.port}  (JSON API: POST /api/ask)", flush=True)
    try:
        uvicorn.run(AfterFirstAnswer(api, chat), host=settings.host, port=settings.port, log_level="warning")
    finally:
        stop_spare()
        if pool is not None:
            pool.close()
