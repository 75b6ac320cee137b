"""Load every notice of a folder, keeping the good ones and reporting the rest."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from documents.errors import NoticeError
from documents.loading import MAX_NOTICE_BYTES, doc_id_for, text_fingerprint
from documents.models import Notice
from documents.readers import NOTICE_SUFFIXES, read_notice_path

BUNDLED_NOTICES = Path(__file__).resolve().parent / "notices"


class Corpus(BaseModel):
    notices: list[Notice]
    problems: list[str] = Field(default_factory=list, description="files skipped, each with why")

    def notice(self, doc_id: str) -> Notice:
        for notice in self.notices:
            if notice.doc_id == doc_id:
                return notice
        raise KeyError(doc_id)


def load_notice(
    path: Path, max_bytes: int = MAX_NOTICE_BYTES, cache: Path | None = None, doc_id: str | None = None
) -> Notice:
    """Read and parse one notice file of any supported format (NoticeError on a bad file)."""
    return read_notice_path(path, max_bytes, cache).to_notice(doc_id or doc_id_for(path), path=str(path))


def notice_files(directory: Path) -> list[Path]:
    """The notice files of a folder (documents.readers.NOTICE_SUFFIXES), by name, a .txt before another format
    of it; hidden files and Word's `~$` lock files are not notices."""
    found = [
        p
        for p in directory.iterdir()
        if p.suffix.lower() in NOTICE_SUFFIXES and not p.name.startswith((".", "~$")) and not p.is_dir()
    ]
    return sorted(found, key=lambda p: (p.stem, p.suffix.lower() not in (".txt", ".md"), p.name))


def load_corpus(directory: Path, max_bytes: int = MAX_NOTICE_BYTES, cache: Path | None = None) -> Corpus:
    """Every notice in a folder (.txt .md .html .htm .docx .pdf .xlsx); bad files and duplicates (the same text
    up to Unicode form and whitespace) are skipped with a reason. `cache`: a folder for conversions (None:
    convert every time)."""
    if not directory.is_dir():
        raise NoticeError(f"{directory}: no such folder of notices")
    notices: list[Notice] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    ids: set[str] = set()
    for path in notice_files(directory):
        doc_id = doc_id_for(path)
        if doc_id in ids:  # report.docx beside report.txt: both kept, told apart by format
            doc_id = f"{doc_id}-{path.suffix.lower().lstrip('.')}"
        try:
            notice = load_notice(path, max_bytes, cache, doc_id)
        except NoticeError as exc:
            problems.append(str(exc))
            continue
        fingerprint = text_fingerprint(notice.text)
        if fingerprint in seen:
            problems.append(f"{path.name}: same text as {seen[fingerprint]}; skipped as a duplicate")
            continue
        seen[fingerprint] = path.name
        ids.add(notice.doc_id)
        notices.append(notice)
    if not notices:
        detail = "; ".join(problems) if problems else f"no notice files ({' '.join(NOTICE_SUFFIXES)})"
        raise NoticeError(f"{directory}: no readable notice ({detail})")
    return Corpus(notices=notices, problems=problems)
