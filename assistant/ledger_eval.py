"""`python -m assistant.ledger_eval`: the target ledger of every open notice against its reviewed golden ledger.

tests/data/ledger-golden.json holds, per notice, the rows a careful reader judged right (target and result as
written, with the status and direction they should have), the rows judged wrong (not a target and its result),
and the targets the ledger missed. Rows are matched by their figures as written; a row whose figures are in a
missed target's wording counts as that target found. Printed: precision (right rows
among the rows the golden ledger judges), recall (right rows found among right plus missed), statuses and
directions wrong on right rows, rows no review has seen, and each notice's line. An eval, not a test: the
numbers move as reading improves, and a missed row counts as surely as a wrong one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from documents.corpus import BUNDLED_NOTICES, load_corpus
from documents.ledger import build_ledger
from documents.models import Target

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "data" / "ledger-golden.json"
REAL = Path(__file__).resolve().parents[2] / "shared" / "notices" / "real"


def _key(row: Target) -> tuple[str, str]:
    result = row.actual or row.stated_rate or row.plan
    parts = "+".join(p.quantity.text for p in row.parts)
    return (row.target.quantity.text if row.target else "", parts or (result.quantity.text if result else ""))


def _recovers(key: tuple[str, str], missed: dict[str, str]) -> bool:
    """Whether a row is a target the review listed as missed: its figures are in the reviewer's wording of it."""
    target, result = key
    return bool(target) and target in missed["target"] and (not result or result in missed["actual"])


def evaluate(notices: dict[str, list[Target]], golden: dict[str, dict]) -> dict[str, dict[str, int]]:
    """Per notice: right, wrong, unreviewed rows; right rows expected but absent; missed; status/direction errors."""
    report: dict[str, dict[str, int]] = {}
    for doc_id, expected in golden.items():
        rows = notices.get(doc_id, [])
        right = {(r["target"], r["result"]): r for r in expected["right"]}
        wrong = {(r["target"], r["result"]) for r in expected["wrong"]}
        found = [_key(row) for row in rows]
        line = {"rows": len(rows), "right": 0, "wrong": 0, "unreviewed": 0, "status": 0, "direction": 0}
        missed = list(expected["missed"])
        for row, key in zip(rows, found, strict=True):
            recovered = next((m for m in missed if _recovers(key, m)), None)
            if recovered is not None and key not in right and key not in wrong:
                missed.remove(recovered)  # a target the review found missing is a row now
                line["right"] += 1
            elif key in right:
                line["right"] += 1
                line["status"] += row.status.value != right[key]["status"]
                line["direction"] += bool(right[key]["direction"]) and row.direction.value != right[key]["direction"]
            elif key in wrong:
                line["wrong"] += 1
            else:
                line["unreviewed"] += 1
        line["lost"] = sum(1 for key in right if key not in found)
        line["missed"] = len(missed)
        report[doc_id] = line
    return report


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [BUNDLED_NOTICES, REAL]
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    notices = {}
    for folder in folders:
        for notice in load_corpus(folder).notices:
            notices[notice.doc_id] = build_ledger(notice)
    report = evaluate(notices, golden)
    print("notice | rows | right | wrong | unreviewed | lost | missed | status✗ | direction✗")
    for doc_id, line in report.items():
        cells = [line[k] for k in ("rows", "right", "wrong", "unreviewed", "lost", "missed", "status", "direction")]
        print(doc_id, "|", " | ".join(str(c) for c in cells))
    total = {k: sum(line[k] for line in report.values()) for k in next(iter(report.values()))}
    judged = total["right"] + total["wrong"]
    precision = total["right"] / max(judged, 1)
    print(f"precision {total['right']}/{judged} = {precision:.1%} (unreviewed {total['unreviewed']})")
    expected = total["right"] + total["lost"] + total["missed"]
    print(f"recall {total['right']}/{expected} = {total['right'] / max(expected, 1):.1%}")
    print(f"status wrong on right rows {total['status']}, direction wrong {total['direction']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
