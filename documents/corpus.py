"""Load every notice of a folder, keeping the good ones and reporting the rest."""

from __future__ import annotations

import stat
from pathlib import Path

from pydantic import BaseModel, Field

from documents.errors import NoticeError
from documents.limits import DEFAULT_LIMITS, ReadLimits
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
    path: Path,
    max_bytes: int = MAX_NOTICE_BYTES,
    cache: Path | None = None,
    doc_id: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Notice:
    """Read and parse one notice file of any supported format (NoticeError on a bad file)."""
    return read_notice_path(path, max_bytes, cache, limits).to_notice(doc_id or doc_id_for(path), path=str(path))


def leaves_folder(path: Path, directory: Path) -> bool:
    """Whether `path` is a symbolic link whose target (followed all the way) is outside `directory`."""
    if not path.is_symlink():
        return False
    try:
        return not path.resolve(strict=True).is_relative_to(directory.resolve(strict=True))
    except (OSError, RuntimeError):  # dangling, or a loop of links
        return True


def _notice_like(path: Path) -> bool:
    return path.suffix.lower() in NOTICE_SUFFIXES and not path.name.startswith((".", "~$"))


def notice_files(directory: Path, problems: list[str] | None = None) -> list[Path]:
    """The notice files of a folder (documents.readers.NOTICE_SUFFIXES), by name, a .txt before another format
    of it; hidden files and Word's `~$` lock files are not notices. A link leading out of the folder and anything
    but a regular file (a folder, a pipe, a device) is left out, with why in `problems`."""
    found = []
    for path in directory.iterdir():
        if not _notice_like(path) or path.is_dir():
            continue
        if leaves_folder(path, directory):
            if problems is not None:
                problems.append(f"{path.name}: a link to a file outside the documents folder; not followed")
            continue
        try:
            regular = stat.S_ISREG(path.stat().st_mode)
        except FileNotFoundError:  # deleted since the folder was listed, or a link to nothing
            if problems is not None:
                problems.append(f"{path.name}: file not found (was it moved or deleted?)")
            continue
        except OSError:
            regular = False
        if not regular:
            if problems is not None:
                problems.append(f"{path.name}: not a regular file (a pipe or a device); skipped")
            continue
        found.append(path)
    return sorted(found, key=file_order)


def file_order(path: Path) -> tuple[str, bool, str]:
    """The order notices are read and indexed in: by name, a .txt before another format of it."""
    return (path.stem, path.suffix.lower() not in (".txt", ".md"), path.name)


def load_corpus(
    directory: Path,
    max_bytes: int = MAX_NOTICE_BYTES,
    cache: Path | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Corpus:
    """Every notice in a folder (.txt .md .html .htm .docx .pdf .xlsx); bad files, files past `limits`
    (documents.limits) and duplicates (the same text up to Unicode form and whitespace) are skipped with a
    reason. `cache`: a folder for conversions (None: convert every time)."""
    if not directory.is_dir():
        raise NoticeError(f"{directory}: no such folder of notices")
    notices: list[Notice] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    ids: set[str] = set()
    for path in notice_files(directory, problems):
        doc_id = doc_id_for(path)
        if doc_id in ids:  # report.docx beside report.txt: both kept, told apart by format
            doc_id = f"{doc_id}-{path.suffix.lower().lstrip('.')}"
        try:
            notice = load_notice(path, max_bytes, cache, doc_id, limits)
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
