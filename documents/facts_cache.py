"""Profiles and facts of a notice, cached on disk by what they are read from: the notice's text, its sidecar
profile and the source of the documents package (so any change to a reader, the vocabulary or the rules
invalidates every entry). Reading facts costs about half a second per notice; a cached entry, milliseconds."""

from __future__ import annotations

import contextlib
import hashlib
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ValidationError

from documents.atomic import write_file
from documents.facts import Fact
from documents.profile import NoticeProfile

_PACKAGE = Path(__file__).resolve().parent


class CachedFacts(BaseModel):
    profile: NoticeProfile
    facts: list[Fact]


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of every source and data file of the documents package."""
    digest = hashlib.sha256()
    for path in sorted([*_PACKAGE.rglob("*.py"), *_PACKAGE.glob("*.toml")]):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(text: str, sidecar: dict[str, object] | None) -> str:
    source = text + "\0" + repr(sorted((sidecar or {}).items())) + "\0" + code_version()
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def load_cached(folder: Path, key: str) -> CachedFacts | None:
    try:
        return CachedFacts.model_validate_json((folder / f"{key}.json").read_bytes())
    except (OSError, ValidationError, ValueError):
        return None  # absent, unreadable or from an older model: read the notice again


def store_cached(folder: Path, key: str, entry: CachedFacts) -> None:
    """Written whole (documents.atomic), so a reader never sees half an entry; failures are ignored."""
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        write_file(folder / f"{key}.json", entry.model_dump_json())
