"""What the JSON API accepts from browsers: uploads from this app's own pages only."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import JSONResponse


def error_response(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def same_origin(request: Request) -> bool:
    """False for a browser request sent by another site's page (it carries that site's Origin)."""
    origin = request.headers.get("origin")
    if origin is None:  # not a browser (curl, a script): nothing to forge
        return True
    return urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()
