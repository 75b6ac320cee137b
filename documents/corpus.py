"""Load every notice of a folder, keeping the good ones and reporting the rest."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from documents.errors import NoticeError
from documents.loading import MAX_NOTICE_BYTES, NOTICE_SUFFIXES, doc_id_for, read_notice_file, text_fingerprint
from documents.models import Notice
from documents.parser import parse_notice

BUNDLED_NOTICES = Path(__file__).resolve().parent / "notices"


class Corpus(BaseModel):
    notices: list[Notice]
    problems: list[str] = Field(default_factory=list, description="files skipped, each with why")

    def notice(self, doc_id: str) -> Notice:
        for notice in self.notices:
            if notice.doc_id == doc_id:
                return notice
        raise KeyError(doc_id)


def load_notice(path: Path, max_bytes: int = MAX_NOTICE_BYTES) -> Notice:
    """Read and parse one notice file (NoticeError on a bad file)."""
    decoded = read_notice_file(path, max_bytes)
    return parse_notice(
        decoded.text, doc_id_for(path), path=str(path), sha256=decoded.sha256, warnings=list(decoded.warnings)
    )


def load_corpus(directory: Path, max_bytes: int = MAX_NOTICE_BYTES) -> Corpus:
    """Every notice file (NOTICE_SUFFIXES) in a folder, sorted by name; bad files and duplicates (the same text
    up to Unicode form and whitespace) are skipped with a reason."""
    if not directory.is_dir():
        raise NoticeError(f"{directory}: no such folder of notices")
    notices: list[Notice] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in sorted(p for p in directory.iterdir() if p.suffix in NOTICE_SUFFIXES):
        try:
            notice = load_notice(path, max_bytes)
        except NoticeError as exc:
            problems.append(str(exc))
            continue
        fingerprint = text_fingerprint(notice.text)
        if fingerprint in seen:
            problems.append(f"{path.name}: same text as {seen[fingerprint]}; skipped as a duplicate")
            continue
        seen[fingerprint] = path.name
        notices.append(notice)
    if not notices:
        detail = "; ".join(problems) if problems else f"no {' or '.join(NOTICE_SUFFIXES)} files"
        raise NoticeError(f"{directory}: no readable notice ({detail})")
    return Corpus(notices=notices, problems=problems)
