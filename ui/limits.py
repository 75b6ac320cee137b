"""What the JSON API accepts: strict JSON (valid UTF-8, no NaN or Infinity, no lone surrogates), bounded bodies,
and validation errors that name the field without echoing the input back."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

MAX_JSON_BYTES = 1024 * 1024  # a question with a long conversation is ~100 kB; the body limit of every route
MAX_HISTORY = 20  # earlier answers read per question; older ones are ignored (a follow-up needs the last one)
UPLOAD_OVERHEAD_BYTES = 64 * 1024  # multipart boundaries and headers around the file


class _NotJSON(ValueError):
    pass


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _NotJSON(f"{text[:20]} is out of range for a number")
    return value


def _no_constant(name: str) -> None:
    raise _NotJSON(f"{name} is not a JSON number; send finite numbers only")


def json_problem(raw: bytes) -> str | None:
    """Why `raw` is not a body this API reads as JSON, or None when it is fine."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"the body is not valid UTF-8 (at byte {exc.start})"
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except _NotJSON as exc:
        return str(exc)
    except json.JSONDecodeError as exc:
        return f"the body is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
    except RecursionError:
        return "the body is nested too deeply"
    except ValueError:
        return "the body holds a number too long to read"
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return "the body holds invalid Unicode (a lone surrogate such as \\ud800); send whole characters"
    except RecursionError:
        return "the body is nested too deeply"
    return None


class StrictJSONRoute(APIRoute):
    """Checks a JSON body with `json_problem` before FastAPI parses it: a bad one gets 400 and a message."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            if "json" in request.headers.get("content-type", "").lower():
                problem = json_problem(await request.body())
                if problem:
                    return error_response(400, problem)
            return await handler(request)

        return strict


def error_response(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def validation_error(_: Request, exc: Exception) -> JSONResponse:
    """422 naming each bad field and what is wrong with it; never the value sent (it may be huge)."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    parts = []
    for error in errors[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {str(error.get('msg', 'invalid'))[:200]}")
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return error_response(422, "invalid request: " + "; ".join(parts) + more)


async def http_error(_: Request, exc: Exception) -> JSONResponse:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "internal error"
    return error_response(status, str(detail))


def same_origin(request: Request) -> bool:
    """False for a browser request sent by another site's page (it carries that site's Origin)."""
    origin = request.headers.get("origin")
    if origin is None:  # not a browser (curl, a script): nothing to forge
        return True
    return urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()
