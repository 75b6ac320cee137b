"""A notice that is a table (序号 | 目标任务 | 责任单位 | 完成情况 | 进度), as .docx: each row is a ledger row with its
target, actual and progress, and questions about it are answered citing the row."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from documents.corpus import load_corpus
from documents.ledger import build_ledger
from documents.models import TargetStatus
from tests.fixtures import formats

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def table_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("table")
    formats.table_docx(folder / "targets-2024-q1.docx")
    return folder


def test_each_target_row_is_a_ledger_row(table_folder: Path) -> None:
    notice = load_corpus(table_folder).notices[0]
    rows = {r.target.quantity.text: r for r in build_ledger(notice) if r.target}
    assert rows["1000座"].actual.quantity.text == "236座" and rows["1000座"].progress_pct.quantize(
        Decimal("0.1")
    ) == Decimal("23.6")
    assert rows["5万亩"].actual.quantity.text == "1.2万亩" and rows["3000人"].actual.quantity.text == "820人"
    assert rows["100公里"].status == TargetStatus.NO_ACTUAL  # row 5: no result given
    assert all(r.target.paragraph_id == r.actual.paragraph_id for r in rows.values() if r.actual)  # its own row


def test_questions_about_the_table_cite_the_row(table_folder: Path) -> None:
    from assistant.core import Assistant
    from assistant.settings import Settings

    assistant = Assistant.load(Settings.from_env(documents=table_folder), progress=None)
    answer = assistant.ask("新建5G基站完成了多少?进度多少?")
    assert not answer.refused and "236" in answer.answer and "23.6%" in answer.answer
    cited = assistant.notices[0].paragraph(answer.citations[0].paragraph_id)
    assert cited.cells and cited.cells[1].text == "新建5G基站1000座"
    road = assistant.ask("新建农村公路完成了多少公里?")
    assert road.refused  # the row gives the target and no result: said so, with the target it has
    assert "只给出了目标" in road.answer and "100公里" in road.answer
