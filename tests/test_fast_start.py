"""Fast start and shared answering: jieba's SQLite tables, light imports, concurrent answers equal serial ones."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jieba
import jieba.posseg as posseg
import pytest

from documents.corpus import BUNDLED_NOTICES, load_corpus
from index import jieba_tables
from index.text import tokenize

ROOT = Path(__file__).resolve().parents[1]


def _notice_lines() -> list[str]:
    return [p.text for n in load_corpus(BUNDLED_NOTICES).notices for p in n.paragraphs]


def _questions() -> list[str]:
    lines = (ROOT / "tests" / "data" / "dev.jsonl").read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line]
    return [row["question"] for row in rows]


def _segment(lines: list[str]) -> list[list]:
    return [[jieba.lcut(line), jieba.lcut_for_search(line), [tuple(p) for p in posseg.lcut(line)]] for line in lines]


_SEGMENT = """
import json, sys
from pathlib import Path
if sys.argv[1] != "stock":
    from index import jieba_tables
    assert jieba_tables.use_tables(Path(sys.argv[1])), "the SQLite tables were not installed"
import jieba, jieba.posseg as posseg
jieba.setLogLevel(60)
lines = json.load(sys.stdin)
print(json.dumps([[jieba.lcut(l), jieba.lcut_for_search(l), [list(p) for p in posseg.lcut(l)]] for l in lines]))
"""


def test_jieba_from_sqlite_segments_and_tags_exactly_as_stock_jieba(tmp_path: Path) -> None:
    lines = _notice_lines() + _questions() + ["黄石市一季度进出口增速", "新冠疫苗接种剂次", "赤壁长江公路大桥东延段"]
    outputs = [
        subprocess.run(
            [sys.executable, "-c", _SEGMENT, which],
            input=json.dumps(lines),
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        for which in ("stock", str(tmp_path))  # a fresh folder: the tables are written, then read
    ]
    assert (tmp_path / jieba_tables.TABLES_FILE).is_file()
    assert json.loads(outputs[1]) == json.loads(outputs[0])


def test_jieba_and_the_bm25_tokenizer_are_safe_to_share_between_threads() -> None:
    lines = (_notice_lines() + _questions()) * 3
    serial = [(_segment([line]), tokenize(line)) for line in lines]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda line: (_segment([line]), tokenize(line)), lines))
    assert threaded == serial


_IMPORTS = """
import io, sys
from assistant.batch import answer_one
from assistant.settings import Settings
out = io.StringIO()
answer_one(Settings.from_env(), "5G基站建设进度", False, out)
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"torch", "transformers", "sentence_transformers", "gradio"})
print(repr(out.getvalue()[:20]), heavy)
"""


@pytest.mark.model
def test_ask_imports_neither_torch_nor_transformers_nor_gradio() -> None:
    done = subprocess.run([sys.executable, "-c", _IMPORTS], capture_output=True, text=True, check=True, cwd=ROOT)
    answer, heavy = done.stdout.strip().rsplit(" ", 1)
    assert "5G" in answer and heavy == "[]", done.stdout + done.stderr


_SERVE_IMPORTS = """
import sys
from assistant.core import ensure_ready
from assistant.settings import Settings
from ui.app import create_server
create_server(ensure_ready(Settings.from_env()))
print(sorted({m.split(".")[0] for m in sys.modules} & {"torch", "transformers", "sentence_transformers"}))
"""


@pytest.mark.model
def test_serve_does_not_import_torch() -> None:
    done = subprocess.run([sys.executable, "-c", _SERVE_IMPORTS], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


@pytest.mark.model
def test_concurrent_answers_equal_the_same_questions_asked_alone(assistant) -> None:
    assert not assistant.settings.answer_lock
    questions = _questions() + ["How many 5G base stations were built in Q1?", "新增城镇就业多少人?"]
    serial = {q: assistant.ask(q).model_dump_json() for q in questions}
    assistant.encoder.clear_query_cache()
    barrier = threading.Barrier(8)

    def ask_all(offset: int) -> dict[str, str]:
        barrier.wait()  # all threads start together
        order = questions[offset:] + questions[:offset]
        return {q: assistant.ask(q).model_dump_json() for q in order}

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(ask_all, range(0, 8 * 5, 5)))
    for result in results:
        assert result == serial


@pytest.mark.model
def test_answering_processes_give_the_answers_of_the_assistant_itself(assistant) -> None:
    from assistant.workers import AnswerPool

    questions = _questions()[:12] + ["How many 5G base stations were built in Q1?"]
    pool = AnswerPool(assistant, 2)
    try:
        pool.wait_ready()  # so that the workers answer, not this process
        with ThreadPoolExecutor(max_workers=4) as threads:
            pooled = list(threads.map(pool.ask, questions))
        assert [a.model_dump_json() for a in pooled] == [assistant.ask(q).model_dump_json() for q in questions]
        first = pool.ask("5G基站建了多少?")
        follow_up = pool.ask("目标呢?", [first])
        assert follow_up.model_dump_json() == assistant.ask("目标呢?", [first]).model_dump_json()
        assert pool.notices == assistant.notices and pool.ledger == assistant.ledger
    finally:
        pool.close()
