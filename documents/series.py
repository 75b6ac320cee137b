"""A notice's place in time, read from its profile: for labelling and ordering notices of several periods."""

from __future__ import annotations

from documents.models import Notice
from documents.profile import NoticeProfile, build_profile

_PROFILES: dict[tuple[str, str, str], NoticeProfile] = {}


def profile_of(notice: Notice) -> NoticeProfile:
    """The notice's profile (cached by id, path and content hash)."""
    key = (notice.doc_id, notice.path, notice.sha256)
    if key not in _PROFILES:
        _PROFILES[key] = build_profile(notice)
    return _PROFILES[key]


def notice_period(notice: Notice) -> tuple[int | None, str | None]:
    """(year, period label such as 一季度 or 1-11月) of a notice."""
    profile = profile_of(notice)
    return profile.year, profile.period.label if profile.period else None


def period_label(notice: Notice, english: bool = False) -> str:
    """'咸宁市 2021年一季度' or 'Xianning, Q1 2021': which notice something came from."""
    return profile_of(notice).label(english)


def chronology(notice: Notice) -> tuple[int, int, str]:
    """Sort key: year, then the period's last month (一季度 < 上半年 < 前三季度 < 全年)."""
    profile = profile_of(notice)
    return (profile.year or 0, profile.period.end if profile.period else 13, notice.doc_id)
