"""The command line as a user runs it (in-process, so the real model loads once per session)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.ledger_view import LEDGER_SCHEMA
from assistant.models import Answer

runner = CliRunner()


def test_outline_prints_the_q1_tree_with_ids() -> None:
    result = runner.invoke(app, ["outline", "--doc", "xianning-2021-q1"])
    assert result.exit_code == 0
    out = result.output
    for heading in (
        "一、主要指标任务完成情况",
        "(二)报告中确定的其他指标任务完成情况",
        "(八)加强政府自身建设。",
        "三、下一步工作要求",
    ):
        assert heading in out
    assert (
        "p013 body" in out
        and "› 一、主要指标任务完成情况 › (二)报告中确定的其他指标任务完成情况 › 3.新建5G基站1000座。" in out
    )
    assert "发文日期: " in out


def test_outline_of_another_folder_and_a_bad_folder(tmp_path: Path) -> None:
    (tmp_path / "n.txt").write_text("测试通报\n一、总体\n新建基站10座。\n", encoding="utf-8")
    assert "一、总体" in runner.invoke(app, ["--documents", str(tmp_path), "outline"]).output
    result = runner.invoke(app, ["--documents", str(tmp_path / "missing"), "outline"])
    assert result.exit_code == 2 and "no such folder" in result.output
    assert "Traceback" not in result.output


def test_targets_json_validates_against_the_schema() -> None:
    result = runner.invoke(app, ["targets", "--format", "json"])
    assert result.exit_code == 0
    rows = LEDGER_SCHEMA.validate_json(result.stdout)
    five_g = [r for r in rows if r.doc_id == "xianning-2021-q1" and r.target and r.target.quantity.text == "1000座"]
    assert five_g and five_g[0].formula == "236 / 1000 = 23.6%"


@pytest.mark.model
def test_ask_json_follows_the_contract() -> None:
    result = runner.invoke(app, ["ask", "--json", "新增城镇就业完成了多少"])
    assert result.exit_code == 0, result.output
    answer = Answer.model_validate_json(result.stdout.strip().splitlines()[-1])
    assert "5193" in answer.answer and answer.citations[0].paragraph_id == "p017"
    assert any(f.text == "5193人" and f.value == 5193 for f in answer.figures)


@pytest.mark.model
def test_batch_keeps_ids_and_goes_on_after_bad_lines(tmp_path: Path) -> None:
    batch = tmp_path / "q.jsonl"
    lines = [
        {"id": "a", "question": "5G基站建了多少"},
        {"id": "b", "question": ""},
        "not json",
        {"id": "c", "question": "x" * 100_000},
        {"id": "d", "question": "\x00\x01"},
        {"id": "e", "question": "黄石市一季度进出口增速是多少?"},
    ]
    batch.write_text("\n".join(json.dumps(x) if isinstance(x, dict) else x for x in lines), encoding="utf-8")
    result = runner.invoke(app, ["ask", "--json", "--batch", str(batch)])
    assert result.exit_code == 0, result.output
    replies = [json.loads(line) for line in result.stdout.strip().splitlines() if line.startswith("{")]
    assert [r.get("id") for r in replies] == ["a", "b", None, "c", "d", "e"]
    assert "236" in replies[0]["answer"]
    assert all("error" in replies[i] for i in (1, 2, 3, 4))
    assert replies[5]["refused"] is True
    assert "Traceback" not in result.output


@pytest.mark.model
def test_eval_prints_the_table_by_kind() -> None:
    result = runner.invoke(app, ["eval", str(Path(__file__).parent / "data" / "dev.jsonl")])
    assert result.exit_code == 0
    assert "overall: " in result.output and "refuse" in result.output


def test_ask_without_a_question_is_a_clear_error() -> None:
    result = runner.invoke(app, ["ask"])
    assert result.exit_code == 2 and "give a question" in result.output


def test_targets_series_follows_a_target_across_periods() -> None:
    result = runner.invoke(app, ["targets", "--format", "series"])
    assert result.exit_code == 0
    series = {s["indicator"]: s for s in json.loads(result.stdout)}
    points = series["新开工亿元以上产业项目"]["points"]
    assert [(p["period"], p["actual"]) for p in points] == [
        ("咸宁市 2021年一季度", "36个"),
        ("咸宁市 2021年上半年", "80个"),
    ]
