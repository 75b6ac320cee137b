"""The Q1 notice read from .docx, .pdf and a web page answers the dev set exactly as the .txt does.

Real model, real answering. The index is the session's: test_formats shows each format yields the very same
chunks (ids, texts, breadcrumbs), so embedding them again would give the same vectors; building three more
indexes would only cost minutes on a shared machine.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.grading import load_items
from documents.corpus import BUNDLED_NOTICES, load_corpus
from documents.numerals import normalise
from index.chunks import chunk_notice
from tests.conftest import DEV_SET

pytestmark = pytest.mark.model


@pytest.fixture(scope="module", params=["q1.docx", "q1.pdf", "q1.html", "q1-printed.pdf"])
def read_from(request, published, tmp_path_factory, assistant):
    """The bundled notices with the Q1 notice replaced by its copy in another format (q1-printed.pdf: printed
    by Chromium in Noto CJK, whose text layer spells characters with radical code points)."""
    from assistant.core import Assistant

    if request.param not in published:
        pytest.skip("no Chromium here to print the notice with")
    docs = tmp_path_factory.mktemp("formats")
    shutil.copy(BUNDLED_NOTICES / "xianning-2021-h1-digest.txt", docs)
    shutil.copy(published[request.param], docs / f"xianning-2021-q1{Path(request.param).suffix}")
    corpus = load_corpus(docs)
    chunks = [_as_read(json.dumps(c.model_dump(), ensure_ascii=False)) for n in corpus.notices for c in chunk_notice(n)]
    same = [
        _as_read(json.dumps(c.model_dump(), ensure_ascii=False))
        for n in assistant.corpus.notices
        for c in chunk_notice(n)
    ]
    assert chunks == same
    if request.param != "q1-printed.pdf":  # the printed one differs by the dash alone (_as_read)
        assert [c.model_dump() for n in corpus.notices for c in chunk_notice(n)] == [
            c.model_dump() for n in assistant.corpus.notices for c in chunk_notice(n)
        ]
    return Assistant(assistant.settings, corpus, assistant.index, assistant.encoder)


@pytest.fixture(scope="module")
def txt_answers(assistant) -> dict[str, tuple]:
    return {item.id: _reply(assistant, item.question) for item in load_items(DEV_SET)}


def _as_read(text: str) -> str:
    """Text as the readers compare it. Noto CJK draws — and ― with one glyph, and Chromium's text layer names
    that glyph ―; documents.numerals.normalise reads both as —."""
    return normalise(text)


def _reply(assistant, question: str) -> tuple:
    answer = assistant.ask(question)
    return _as_read(answer.answer), [(c.doc_id, c.paragraph_id, _as_read(c.text)) for c in answer.citations]


def test_the_dev_set_gets_the_same_answers_and_citations(read_from, txt_answers) -> None:
    """Same answer text and citations for every item, hence the same grades."""
    for item in load_items(DEV_SET):
        assert _reply(read_from, item.question) == txt_answers[item.id], item.id
