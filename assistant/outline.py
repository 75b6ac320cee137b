"""Render a parsed notice's outline as text: every section with its paragraph ids and breadcrumbs."""

from __future__ import annotations

from documents.models import Notice, Section
from documents.profile import NoticeProfile
from documents.series import profile_of


def render_profile(profile: NoticeProfile) -> str:
    """One line: place and level, year, period, kind and issuer, each with where it was read."""
    fields = [
        ("place", f"{profile.place or profile.place_key or '?'} ({profile.level.value if profile.level else '?'})"),
        ("year", str(profile.year or "?")),
        ("period", profile.period.label if profile.period else "?"),
        ("kind", profile.kind or "?"),
        ("issuer", profile.issuer or "?"),
    ]
    shown = ", ".join(f"{k} {v}" + (f" [{profile.sources[k]}]" if k in profile.sources else "") for k, v in fields)
    return f"  profile: {shown}"


def render_outline(notice: Notice, show_paragraphs: bool = True) -> str:
    lines = [f"{notice.doc_id}: {notice.title}", render_profile(profile_of(notice))]
    lines += [f"  {key}: {value}" for key, value in notice.metadata.items()]
    for warning in notice.warnings:
        lines.append(f"  ! {warning}")
    by_id = {p.id: p for p in notice.paragraphs}

    def walk(section: Section, depth: int) -> None:
        indent = "  " * depth
        lines.append(
            f"{indent}[{section.id}] {section.marker}{section.title}  ({len(section.paragraph_ids)} paragraphs)"
        )
        if show_paragraphs:
            for pid in section.paragraph_ids:
                paragraph = by_id[pid]
                preview = paragraph.text if len(paragraph.text) <= 40 else paragraph.text[:40] + "…"
                lines.append(f"{indent}    {pid} {paragraph.kind.value:<7} {preview}")
                lines.append(f"{indent}         › {paragraph.breadcrumb_text}")
        for child in section.children:
            walk(child, depth + 1)

    for section in notice.sections:
        walk(section, 1)
    return "\n".join(lines)
