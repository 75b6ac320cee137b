"""The web UI's handlers and HTML without a browser: escaping, citations with <mark>, ledger filters, errors."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.models import Answer, Citation, Derived, ErrorReply, Figure
from documents.corpus import BUNDLED_NOTICES, load_corpus
from documents.errors import QuestionError
from documents.ledger import build_ledger
from documents.models import Notice, Target
from documents.parser import parse_notice
from ui import handlers, render

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))"]
P013 = "3.新建5G基站1000座。一季度,全市新建5G基站236座。"
CRUMB = "一、主要指标任务完成情况 › (二)报告中确定的其他指标任务完成情况 › 3.新建5G基站1000座。"


def five_g_answer(question: str = "5G基站建设进度", text: str = P013) -> Answer:
    return Answer(
        question=question,
        answer="新建5G基站:2021年一季度完成236座,目标1000座,进度236 / 1000 = 23.6%。[1]",
        citations=[
            Citation(doc_id="xianning-2021-q1", paragraph_id="p013", breadcrumb=CRUMB, text=text, start=0, end=1)
        ],
        figures=[
            Figure(text="236座", value=Decimal(236), unit="座", role="actual", paragraph_id="p013"),
            Figure(text="1000座", value=Decimal(1000), unit="座", role="target", paragraph_id="p013"),
        ],
        derived=[Derived(name="progress_pct", value=Decimal("23.6"), formula="236 / 1000 = 23.6%")],
        confidence=0.9,
    )


class FakeAssistant:
    """Exposes what the UI uses of `assistant.core.Assistant`; records the history each question saw."""

    def __init__(self, notices: list[Notice], ledger: list[Target]) -> None:
        self._notices, self.ledger = notices, ledger
        self.seen: list[tuple[str, list[Answer]]] = []

    @property
    def notices(self) -> list[Notice]:
        return self._notices

    def ask(self, question: str, history: list[Answer] | None = None) -> Answer:
        self.seen.append((question, list(history or [])))
        if len(question) > 500:
            raise QuestionError("the question is too long (over 500 characters)")
        if question == "boom":
            raise RuntimeError("secret internals")
        if "5G" in question or question == "目标呢?":
            return five_g_answer(question)
        return Answer(question=question, answer="通报中没有涉及这个问题。", refused=True, confidence=0.0)


@pytest.fixture(scope="module")
def corpus_notices() -> list[Notice]:
    return load_corpus(BUNDLED_NOTICES).notices


@pytest.fixture()
def fake(corpus_notices: list[Notice]) -> FakeAssistant:
    return FakeAssistant(corpus_notices, [row for n in corpus_notices for row in build_ledger(n)])


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_question_is_escaped_text(fake: FakeAssistant, hostile: str) -> None:
    messages, state, _ = handlers.respond(fake, hostile, None)
    user = messages[0]
    assert user["role"] == "user" and user["content"] == render.esc(hostile)
    assert not re.search(r"<(script|img|a)\b", user["content"])
    assert "<" not in "".join(m["content"] for m in messages)
    assert state.turns[0][0] == hostile


def test_answer_message_has_figures_sources_and_formula(fake: FakeAssistant) -> None:
    messages, state, panel = handlers.respond(fake, "5G基站建设进度", None)
    reply = messages[1]["content"]
    assert "236座" in reply and "1000座" in reply and "23.6%" in reply
    assert "来源 [1]" in reply and "p013" in reply
    assert "计算方式:236 / 1000 = 23.6%" in reply
    assert state.selected == 0
    assert 'data-cite="0"' in panel and "[1]</b>" in panel
    assert "<mark>236座</mark>" in panel and "<mark>1000座</mark>" in panel
    assert render.esc(CRUMB) in panel and "p013" in panel


def test_citation_html_marks_figures_and_escapes_notice_text() -> None:
    answer = five_g_answer(text="<img src=x onerror=alert(1)>全市新建5G基站236座<script>x</script>")
    html = render.citation_panel(0, answer, 0)
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<mark>236座</mark>" in html
    assert 'class="jump" data-doc="xianning-2021-q1" data-pid="p013"' in html


def test_highlight_prefers_the_longest_overlapping_figure() -> None:
    assert render.highlight("目标4.5%以内,实际3.52%", ["4.5%", "4.5%以内", "3.52%"]) == (
        "目标<mark>4.5%以内</mark>,实际<mark>3.52%</mark>"
    )
    assert render.highlight("a<b>1</b>", ["1"]) == "a&lt;b&gt;<mark>1</mark>&lt;/b&gt;"


def test_follow_up_gets_this_sessions_answers_and_states_stay_apart(fake: FakeAssistant) -> None:
    _, first, _ = handlers.respond(fake, "5G基站建设进度", None)
    messages, second, _ = handlers.respond(fake, "目标呢?", first)
    assert [q for q, _ in fake.seen] == ["5G基站建设进度", "目标呢?"]
    assert fake.seen[1][1] == [first.turns[0][1]]
    assert len(messages) == 4 and len(second.turns) == 2 and len(first.turns) == 1
    _, other, _ = handlers.respond(fake, "目标呢?", None)  # another session has no history
    assert fake.seen[2][1] == [] and len(other.turns) == 1


@pytest.mark.parametrize(("question", "expected"), [("x" * 600, "too long"), ("boom", "internal error")])
def test_errors_become_a_friendly_message(fake: FakeAssistant, question: str, expected: str) -> None:
    messages, state, panel = handlers.respond(fake, question, None)
    reply = messages[1]["content"]
    assert reply.startswith("⚠️") and expected in reply
    assert "Traceback" not in reply and "secret internals" not in reply
    assert isinstance(state.turns[0][1], ErrorReply) and state.history == []
    assert "没有引用段落" in panel


def test_refusal_is_shown_plainly(fake: FakeAssistant) -> None:
    messages, _, panel = handlers.respond(fake, "黄石市一季度进出口增速是多少?", None)
    assert messages[1]["content"] == "通报中没有涉及这个问题。"
    assert "没有找到相关段落" in panel


def test_blank_message_changes_nothing(fake: FakeAssistant) -> None:
    _, state, _ = handlers.respond(fake, "5G基站建设进度", None)
    messages, same, _ = handlers.respond(fake, "   ", state)
    assert same is state and len(messages) == 2 and len(fake.seen) == 1


def test_citation_selection_and_clear(fake: FakeAssistant) -> None:
    _, state, _ = handlers.respond(fake, "5G基站建设进度", None)
    _, state, _ = handlers.respond(fake, "黄石市一季度进出口增速是多少?", state)
    assert 'data-turn="0"' in handlers.select_message(state, 1)  # the first answer's message
    assert state.selected == 0
    assert "<mark>236座</mark>" in handlers.show_citation(state, 7, 0)  # out of range falls back to [1]
    assert "提问后" in handlers.show_citation(None, 0)
    messages, cleared, panel = handlers.clear_chat()
    assert messages == [] and cleared.turns == [] and "提问后" in panel


def test_pending_messages_show_the_escaped_question(fake: FakeAssistant) -> None:
    shown = handlers.pending_messages(None, "<b>hi</b>")
    assert shown == [{"role": "user", "content": "&lt;b&gt;hi&lt;/b&gt;"}]


def test_ledger_filter_by_text_and_status(fake: FakeAssistant) -> None:
    everything = handlers.ledger_table(fake)
    assert len(everything) == len(fake.ledger) > 10
    five_g = handlers.ledger_table(fake, "5g")
    assert five_g and all("5G" in str(r["指标"]) for r in five_g)
    assert any("新建5G基站" in str(r["指标"]) and r["进度%"] == 23.6 for r in five_g)
    in_progress = handlers.ledger_table(fake, "", "推进中")
    assert in_progress and all(r["状态码"] == "in_progress" for r in in_progress)
    assert handlers.ledger_table(fake, "", "in_progress") == in_progress
    assert handlers.ledger_table(fake, "", handlers.ALL_STATUSES) == everything
    assert handlers.ledger_table(fake, "没有这个指标") == []
    assert f"共 <b>{len(in_progress)}</b> 项目标" in handlers.ledger_summary(in_progress)


def test_ledger_bars_chart_and_source(fake: FakeAssistant) -> None:
    rows = handlers.ledger_table(fake, "5G")
    assert "width:23.6%" in str(rows[0]["进度条"])
    chart = render.ledger_html(rows)
    assert "新建5G基站" in chart and "width:23.6%" in chart
    five_g = next(r for r in rows if "新建5G基站" in str(r["指标"]))
    source = handlers.ledger_source(fake, "xianning-2021-q1", five_g["编号"])
    assert "<mark>1000座</mark>" in source and "<mark>236座</mark>" in source and "p013" in source
    assert "选择表格中的一行" in handlers.ledger_source(fake, "nope", five_g["编号"])


def test_ledger_html_escapes_indicators() -> None:
    row = {
        "指标": "<img src=x onerror=alert(1)>",
        "时期": "一季度",
        "完成": "1",
        "目标": "2",
        "进度%": 50.0,
        "状态码": "in_progress",
    }
    html = render.ledger_html([row])
    assert "<img" not in html and "&lt;img" in html


def test_notice_html_anchors_every_paragraph_and_finds_by_id(fake: FakeAssistant) -> None:
    notice = next(n for n in fake.notices if n.doc_id == "xianning-2021-q1")
    html = handlers.notice_html(fake, notice.doc_id)
    for p in notice.paragraphs:
        assert f'<p id="xianning-2021-q1-{p.id}"' in html and f">{p.id}</a>" in html
    for sought in ("p013", "13", "P13"):
        found = handlers.notice_html(fake, notice.doc_id, sought)
        assert re.search(r'id="xianning-2021-q1-p013" class="[^"]*\bhit"', found) and "已定位到段落 p013" in found
    assert "没有段落 p999" in handlers.notice_html(fake, notice.doc_id, "p999")
    words = handlers.notice_html(fake, notice.doc_id, "5G基站")
    assert "<mark>5G基站</mark>" in words and "段包含「5G基站」" in words
    assert "请选择" in handlers.notice_html(fake, "missing")
    assert handlers.default_notice(fake) == "xianning-2021-q1"


def test_hostile_notice_is_escaped() -> None:
    text = (
        "<script>alert(1)</script>通报\n发布日期: <b>2021</b>\n一、<img src=x onerror=alert(1)>\n"
        "正文 [x](javascript:alert(1))\n"
    )
    notice = parse_notice(text, "evil")
    html = render.notice_html(notice, ["p004"], needle="javascript")
    assert not re.search(r"<(script|img|b)\b", html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;通报" in html and "<mark>javascript</mark>" in html
    assert 'id="evil-p004"' in html


def test_only_ui_imports_gradio() -> None:
    for package in ("assistant", "documents", "index"):
        for path in (ROOT / package).rglob("*.py"):
            assert not re.search(r"^\s*(import|from)\s+gradio", path.read_text(encoding="utf-8"), re.M), path
    code = "import sys, ui.handlers, ui.render; assert 'gradio' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_build_app_with_a_fake_assistant(fake: FakeAssistant) -> None:
    import gradio as gr

    from ui.app import build_app

    assert isinstance(build_app(fake), gr.Blocks)


def test_targets_followed_across_periods_render_as_one_line_each() -> None:
    from assistant.ledger_view import ledger_series
    from documents.corpus import BUNDLED_NOTICES, load_corpus
    from documents.ledger import build_ledger
    from ui.render import series_html

    notices = load_corpus(BUNDLED_NOTICES).notices
    series = ledger_series([r for n in notices for r in build_ledger(n)], notices)
    projects = next(s for s in series if s["indicator"] == "亿元以上项目")
    assert [(p["period"], p["actual"], p["progress"]) for p in projects["points"]] == [
        ("咸宁市 2021年一季度", "68个", "68.0%"),
        ("咸宁市 2021年上半年", "107个", "107.0%"),
    ]
    html = series_html(series)
    assert html.count('class="series-row"') == len(series) and "跨期进度" in html
    assert "<script" not in series_html([{"indicator": "<script>x</script>", "target": "1", "points": []}])
