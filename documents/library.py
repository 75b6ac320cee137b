"""The loaded notices with everything read from them once: profiles, the fact table and the place gazetteer."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from documents.corpus import leaves_folder
from documents.errors import NoticeError
from documents.fact_reader import read_facts
from documents.facts import Fact
from documents.facts_cache import CachedFacts, cache_key, load_cached, store_cached
from documents.gazetteer import Gazetteer
from documents.models import Notice
from documents.profile import SIDECAR_SUFFIX, NoticeProfile, build_profile, read_sidecar
from documents.reporting import Period
from documents.sidecar import check_fields


class NoticeFacts(BaseModel):
    """One notice, its profile, its facts, and the periods and scopes its facts cover."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    notice: Notice
    profile: NoticeProfile
    facts: list[Fact]
    periods: list[Period]


def profile_and_facts(
    notice: Notice, sidecar: dict[str, object] | None, cache: Path | None, problems: list[str] | None = None
) -> tuple[NoticeProfile, list[Fact]]:
    """A notice's profile (its sidecar applied) and facts, from `cache` when read before, else read and kept
    there (documents.facts_cache). Reading facts is the slow part of taking a notice in: an upload does it in
    its reader's child process, so that the server finds them in the cache."""
    key = cache_key(notice.text + "\0" + notice.doc_id + "\0" + notice.title, sidecar) if cache else ""
    cached = load_cached(cache, key) if cache else None
    if cached is not None:
        return cached.profile, cached.facts
    clean = True
    try:
        profile = build_profile(notice, sidecar)
    except NoticeError as exc:
        if problems is not None:
            problems.append(str(exc))
        profile, clean = build_profile(notice), False
    facts = read_facts(notice, profile)
    if cache and clean:  # a bad sidecar is reported at every start, so never cached
        store_cached(cache, key, CachedFacts(profile=profile, facts=facts))
    return profile, facts


class Library:
    """Notices keyed by id, with their profiles and facts (facts also by paragraph, for matching)."""

    def __init__(self, entries: list[NoticeFacts], problems: list[str] | None = None) -> None:
        self.entries = {e.notice.doc_id: e for e in entries}
        self.problems = problems or []
        self.gazetteer = Gazetteer.of([e.profile for e in entries])
        self._by_paragraph: dict[tuple[str, str], list[Fact]] = defaultdict(list)
        for entry in entries:
            for fact in entry.facts:
                self._by_paragraph[(fact.doc_id, fact.paragraph_id)].append(fact)

    @classmethod
    def of(cls, notices: list[Notice], cache: Path | None = None) -> Library:
        """Profiles (with any sidecar file next to a notice) and facts of every notice; `cache`: a folder where
        they are kept by the notice's text and the reading code (documents.facts_cache)."""
        entries, problems = [], []
        for notice in notices:
            sidecar = None
            if notice.path:
                side = Path(notice.path).with_name(Path(notice.path).stem + SIDECAR_SUFFIX)
                if leaves_folder(side, side.parent):
                    problems.append(f"{side.name}: a link to a file outside the documents folder; not followed")
                elif side.is_file():
                    try:
                        sidecar = read_sidecar(side)
                        check_fields(sidecar, side.name)
                    except NoticeError as exc:
                        problems.append(str(exc))
                        sidecar = None
            profile, facts = profile_and_facts(notice, sidecar, cache, problems)
            periods = list({p.label: p for f in facts if (p := f.period) is not None}.values())
            entries.append(NoticeFacts(notice=notice, profile=profile, facts=facts, periods=periods))
        return cls(entries, problems)

    @property
    def profiles(self) -> list[NoticeProfile]:
        return [e.profile for e in self.entries.values()]

    def facts_of(self, doc_id: str, paragraph_id: str) -> list[Fact]:
        return self._by_paragraph.get((doc_id, paragraph_id), [])

    def notice(self, doc_id: str) -> Notice:
        return self.entries[doc_id].notice

    def profile(self, doc_id: str) -> NoticeProfile:
        return self.entries[doc_id].profile
