"""The `fit` command's work: gather the open notices and gold sets, prepare them, fit or cross-validate, report.

The open sets and their notices live outside the product (../shared/eval, ../shared/notices) and in tests/data;
they are copied into one folder under the cache so that every question is answered with all of them loaded,
as a user with many notices would.
"""

from __future__ import annotations

import shutil
import sys
from collections import defaultdict
from pathlib import Path

from assistant.fitting import RANKER_C, Example, cross_validate, fit_scorer, prepare_examples
from assistant.grading import Grade, load_items
from assistant.pipeline import Pipeline
from assistant.ranker import MODEL_FILE
from assistant.settings import PROJECT_ROOT, Settings
from documents.corpus import BUNDLED_NOTICES

SHARED = PROJECT_ROOT.parent / "shared"
BUNDLED = (BUNDLED_NOTICES,)
REAL = (BUNDLED_NOTICES, SHARED / "notices", SHARED / "notices" / "real")
WRITTEN = (*REAL, PROJECT_ROOT / "tests" / "data" / "written-notices")
# (gold set, the notices it is asked of)
GOLD_SETS: tuple[tuple[Path, tuple[Path, ...]], ...] = (
    (SHARED / "eval" / "dev.jsonl", BUNDLED),
    (SHARED / "eval" / "real-dev.jsonl", REAL),
    (PROJECT_ROOT / "tests" / "data" / "q1-dev-70.jsonl", BUNDLED),
    (PROJECT_ROOT / "tests" / "data" / "q1-dev-130.jsonl", BUNDLED),
    (PROJECT_ROOT / "tests" / "data" / "written-dev.jsonl", WRITTEN),
)
KINDS = ("indicator", "target", "fact", "status", "list", "multi", "en", "refuse")


def gather_notices(folder: Path, sources: tuple[Path, ...]) -> Path:
    """One folder with the notices (.txt) of `sources`, kept in step with them so its index is reused."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {p.name: p for src in sources if src.is_dir() for p in sorted(src.glob("*.txt"))}
    for old in folder.iterdir():
        if old.name not in wanted or old.read_bytes() != wanted[old.name].read_bytes():
            old.unlink() if old.is_file() else shutil.rmtree(old)
    for name, src in wanted.items():
        if not (folder / name).exists():
            shutil.copyfile(src, folder / name)
    return folder


def collections(settings: Settings) -> dict[tuple[Path, ...], Pipeline]:
    """A pipeline over each collection of notices the gold sets are asked of, sharing one encoder."""
    from assistant.core import Assistant
    from documents.corpus import load_corpus
    from index.embedder import load_encoder
    from index.store import open_index

    encoder = load_encoder(settings.model, settings.cache_dir, settings.encoder)
    out: dict[tuple[Path, ...], Pipeline] = {}
    for sources in dict.fromkeys(sources for _, sources in GOLD_SETS):
        name = "fit-" + "-".join(p.name for p in sources[1:]) if len(sources) > 1 else "fit-bundled"
        folder = gather_notices(settings.cache_dir / name, sources)
        local = settings.model_copy(update={"documents": folder})
        corpus = load_corpus(folder, local.max_notice_bytes, local.conversions_dir)
        index = open_index(corpus.notices, encoder, local.index_dir, progress=_log)
        out[sources] = Assistant(local, corpus, index, encoder).pipeline
    return out


def per_kind(grades: list[Grade]) -> str:
    """A markdown table of passes per kind."""
    by: dict[str, list[bool]] = defaultdict(list)
    for g in grades:
        by[g.kind].append(g.passed)
    kinds = [k for k in KINDS if k in by] + sorted(set(by) - set(KINDS))
    head = "| kind | " + " | ".join(kinds) + " |"
    rule = "| --- |" + " --- |" * len(kinds)
    cells = "| passed | " + " | ".join(f"{sum(by[k])}/{len(by[k])}" for k in kinds) + " |"
    return "\n".join([head, rule, cells])


def report(results: list[tuple[Example, object, Grade]], sets: dict[str, str]) -> str:
    """Per gold set: pass rate, per-kind table, refuse items answered, answerable items refused."""
    lines = []
    for name, ids in _by_set(results, sets).items():
        grades = [g for _, _, g in ids]
        passed = sum(g.passed for g in grades)
        refuse = [(e, a) for e, a, _ in ids if e.item.refuse]
        answered = sum(not a.refused for _, a in refuse)  # type: ignore[attr-defined]
        answerable = [(e, a) for e, a, _ in ids if not e.item.refuse]
        refused = sum(a.refused for _, a in answerable)  # type: ignore[attr-defined]
        lines += [
            f"{name}: {passed}/{len(grades)} = {100 * passed / max(1, len(grades)):.1f}%  "
            f"(refuse items answered {answered}/{len(refuse)}; answerable refused {refused}/{len(answerable)})",
            per_kind(grades),
            "",
        ]
    return "\n".join(lines)


def _by_set(results: list[tuple[Example, object, Grade]], sets: dict[str, str]) -> dict[str, list]:
    out: dict[str, list] = defaultdict(list)
    for r in results:
        out[sets[r[0].item.id]].append(r)
    return dict(out)


def run(settings: Settings, cv: bool, c: float | None, failures: bool, write: bool) -> str:
    pipelines = collections(settings)
    examples: list[Example] = []
    set_of: dict[str, str] = {}
    for path, sources in GOLD_SETS:
        if path.is_file():
            items = load_items(path)
            set_of.update({i.id: path.name for i in items})
            examples += prepare_examples(pipelines[sources], items, progress=_log)
    out = []
    chosen = c if c is not None else RANKER_C
    if cv:
        results = cross_validate(examples, chosen, progress=_log)
        out.append(f"leave-one-notice-out, C={chosen}\n" + report(results, set_of))
        if failures:
            out += [f"FAIL {e.item.id} [{e.group}] {e.item.question} → {a.answer[:160]}  ({'; '.join(g.reasons)})"
                    for e, a, g in results if not g.passed]  # fmt: skip
    if write:
        scorer = fit_scorer(examples, chosen, about={"sets": sorted(set(set_of.values()))})
        scorer.save(MODEL_FILE)
        out.append(f"wrote {MODEL_FILE} (threshold {scorer.threshold:.3f}, {len(examples)} questions)")
    return "\n".join(out)


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
