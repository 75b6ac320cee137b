"""Old binary Office files (.doc, .xls) and encrypted Office files: refused with how to convert them."""

from __future__ import annotations

from pathlib import Path

from documents.errors import NoticeError

_TARGET = {".doc": "docx", ".xls": "xlsx", ".wps": "docx", ".et": "xlsx"}
LEGACY_SUFFIXES = tuple(_TARGET)


def refuse_legacy(name: str) -> NoticeError:
    """The message for an OLE2 (old Word/Excel, or password-protected Office) file."""
    suffix = Path(name).suffix.lower()
    if suffix in _TARGET:
        target = _TARGET[suffix]
        return NoticeError(
            f"{name}: an old binary Office file ({suffix}), which cannot be read here; convert it first, e.g. "
            f"`libreoffice --headless --convert-to {target} {Path(name).name}` "
            f"(or Save As .{target} in Word/WPS/Excel), then add the .{target}"
        )
    return NoticeError(
        f"{name}: a password-protected Office file (or an old .doc/.xls renamed); open it, remove the password or "
        "save it as .docx/.xlsx, then add that"
    )
