"""A notice's profile as its uploader or editor states it: the `NAME.profile.toml` sidecar beside the notice.

Written by one function and checked by one: a value is a plain line of text. A control character (a DEL typed
into a form, an escaped \\u0007 in the file) would make the file invalid TOML, or put an invisible character into
every answer naming the place, so it is refused with a message naming the field.
"""

from __future__ import annotations

import json
import unicodedata

from documents.errors import NoticeError

FIELDS = ("place", "level", "year", "period", "issuer", "kind")


def field_problem(key: str, value: object) -> str | None:
    """Why `value` cannot be the profile field `key`, or None when it can."""
    if not isinstance(value, str | int):
        return f"{key} must be text"
    text = str(value)
    bad = [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")]
    if bad:
        codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(bad))
        return f"{key} holds control or invisible characters ({codes}); give plain text"
    return None


def check_fields(fields: dict[str, object], where: str) -> None:
    """NoticeError naming `where` and the field, for the first field that is not plain text."""
    for key, value in fields.items():
        problem = field_problem(key, value)
        if problem:
            raise NoticeError(f"{where}: {problem}")


def sidecar_text(fields: dict[str, str], where: str) -> str:
    """The TOML of a sidecar holding `fields` (checked first; JSON strings are TOML basic strings)."""
    check_fields(fields, where)
    return "".join(f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in fields.items())
