"""Issue 18's attacks through the HTTP API of a running `serve`: each bomb, built in code (a few kB), gets a 400
naming the file and the limit; the server stays alive, the folder and the notices served are unchanged, and
/api/health and /api/ask answer while the bombs are read and after. Then ten rounds of ask, upload, ask."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fixtures import bombs
from tests.sandbox import ARTIFACTS, sandbox_settings, serving

pytestmark = pytest.mark.model
BUNDLED_IDS = ["xianning-2021-h1-digest", "xianning-2021-q1"]
QUESTION = "5G基站建设进度"

ATTACKS = {  # name → (bytes, what the refusal names)
    "merged.xlsx": (bombs.merged_xlsx, "TONGBAO_MAX_SHEET_CELLS"),
    "corner.xlsx": (bombs.corner_xlsx, "TONGBAO_MAX_SHEET_CELLS"),
    "inflating.docx": (bombs.inflating_docx, "TONGBAO_MAX_INFLATE_RATIO"),
    "drawing.pdf": (bombs.inflating_pdf, "TONGBAO_MAX_INFLATE_RATIO"),
    "pages.pdf": (bombs.many_pages_pdf, "TONGBAO_MAX_PDF_PAGES"),
    "block.html": (lambda: bombs.long_block("html"), "TONGBAO_MAX_PARAGRAPH_CHARS"),
    "lines.txt": (lambda: ("通报\n" + "".join(f"{i}. 新建5G基站{i}座\n" for i in range(3000))).encode(), "PARAGRAPHS"),
}


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, object, Path]]:
    settings = sandbox_settings("bombs-http")
    with serving(settings.documents, ARTIFACTS / "bombs-http" / "server.log") as (url, process):
        yield url, process, Path(settings.documents)


class Watcher:
    """Asks /api/health and /api/ask over and over in a thread, recording every status (None: no reply)."""

    def __init__(self, url: str) -> None:
        self.url, self.replies, self._stop = url, [], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(timeout=120) as client:
            while not self._stop.is_set():
                for method, path, body in (("GET", "api/health", None), ("POST", "api/ask", {"question": QUESTION})):
                    try:
                        reply = client.request(method, f"{self.url}{path}", json=body)
                        self.replies.append((path, reply.status_code, "error" in reply.json()))
                    except httpx.HTTPError as exc:
                        self.replies.append((path, None, str(exc)))

    def __enter__(self) -> Watcher:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=300)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_every_bomb_is_refused_naming_its_limit_and_the_server_keeps_answering(server) -> None:
    url, process, docs = server
    before = _files(docs)
    with httpx.Client(timeout=300) as client, Watcher(url) as watcher:
        for name, (build, limit) in ATTACKS.items():
            reply = client.post(f"{url}api/notices", files={"file": (name, build())})
            assert reply.status_code == 400, (name, reply.text)
            assert reply.json()["error"].startswith(f"{name}: ") and limit in reply.json()["error"], reply.text
            assert process.poll() is None, f"the server died reading {name}"
        profile = {"place": "a\x7fb"}
        reply = client.post(f"{url}api/notices", files={"file": ("ok.txt", "通报\n一、总体\n".encode())}, data=profile)
        assert reply.status_code == 400 and "place holds control" in reply.json()["error"], reply.text
    assert process.poll() is None
    assert _files(docs) == before, "a refused upload must leave the folder as it was"
    statuses = {(path, status) for path, status, _ in watcher.replies}
    assert statuses == {("api/health", 200), ("api/ask", 200)}, watcher.replies[-5:]
    assert all(not error for path, _, error in watcher.replies if path == "api/ask")
    assert sum(path == "api/ask" for path, _, _ in watcher.replies) >= len(ATTACKS)
    with httpx.Client(timeout=120) as client:
        health = client.get(f"{url}api/health").json()
        answer = client.post(f"{url}api/ask", json={"question": QUESTION}).json()
    assert health["notices"] == BUNDLED_IDS and health["uploads"] == []
    assert "236" in answer["answer"]


PLACES = ["宁都县", "于都县", "瑞金市", "会昌县", "寻乌县", "安远县", "龙南市", "定南县", "全南县", "信丰县"]


def _notice(place: str, built: int) -> bytes:
    return (
        f"{place}2023年一季度重点工作推进情况通报\n"
        "一、主要指标完成情况\n"
        f"1.新建5G基站。{place}一季度新建5G基站{built}座,完成年度目标的{built // 10}%。\n"
        f"2.新增城镇就业。{place}一季度新增城镇就业{built * 7}人。\n"
    ).encode()


def test_ten_rounds_of_ask_upload_ask(server) -> None:
    url, process, docs = server
    stages, done = set(), threading.Event()

    def watch_uploads() -> None:  # what the upload box shows while it waits
        with httpx.Client(timeout=60) as watcher:
            while not done.is_set():
                stages.update(row["stage"] for row in watcher.get(f"{url}api/health").json()["uploads"])
                done.wait(0.2)

    watching = threading.Thread(target=watch_uploads, daemon=True)
    watching.start()
    with httpx.Client(timeout=300) as client:
        for round_number, place in enumerate(PLACES, start=1):
            built = 100 + round_number
            first = client.post(f"{url}api/ask", json={"question": "咸宁市2021年一季度5G基站建设进度"})
            assert first.status_code == 200 and "236" in first.json()["answer"], first.text
            name = f"round-{round_number:02d}.txt"
            added = client.post(
                f"{url}api/notices", files={"file": (name, _notice(place, built))}, data={"place": place}
            )
            assert added.status_code == 200, added.text
            health = client.get(f"{url}api/health").json()
            assert f"round-{round_number:02d}" in health["notices"] and health["uploads"] == []
            question = f"{place}一季度新建5G基站多少座?"
            answer = client.post(f"{url}api/ask", json={"question": question}).json()
            assert f"{built}座" in answer.get("answer", ""), (question, answer)
        health = client.get(f"{url}api/health").json()
    done.set()
    watching.join(timeout=60)
    assert stages and stages <= {"reading", "saving", "embedding", "indexing"}, stages
    assert process.poll() is None
    assert health["answering"] == "workers" and health["workers"]["ready"] == 2, health["workers"]
    assert health["workers"]["timeouts"] == 0
    assert len(health["notices"]) == len(BUNDLED_IDS) + len(PLACES)
