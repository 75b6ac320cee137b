"""The JSON API's limits, with a fake assistant: bounded bodies (413), strict JSON (400), short 422s, a capped
history, uploads as bytes only (same origin, one size limit), and /api/health never queued behind answers."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from assistant.models import Answer
from assistant.settings import Settings
from documents.corpus import BUNDLED_NOTICES
from documents.errors import NoticeError
from documents.loading import read_notice_file
from tests.sandbox import free_port
from tests.test_ui_handlers import FakeAssistant, five_g_answer
from ui import limits
from ui.server import create_api, exposure_warning

Q1 = BUNDLED_NOTICES / "xianning-2021-q1.txt"


class Uploading(FakeAssistant):
    """Records the uploads it is given; refuses a name containing 'bad' the way the real one refuses files."""

    def __init__(self) -> None:
        super().__init__([], [])
        self.added: list[tuple[str, bytes]] = []
        self.release = threading.Event()  # cleared: every question waits, as if a long answer held the lock
        self.release.set()
        self.waiting = 0
        self._count = threading.Lock()

    def ask(self, question: str, history: list[Answer] | None = None) -> Answer:
        with self._count:
            self.waiting += 1
        self.release.wait(timeout=300)
        return super().ask(question, history)

    def add_notice(self, name: str, raw: bytes) -> str:
        if "bad" in name:
            raise NoticeError(f"{name}: the file is empty")
        self.added.append((name, raw))
        return f"added {Path(name).stem}"


@pytest.fixture()
def fake() -> Uploading:
    return Uploading()


@pytest.fixture()
def client(fake: Uploading) -> TestClient:
    return TestClient(create_api(fake, Settings()))


def _answer_json(question: str = "5G基站建设进度") -> dict:
    return five_g_answer(question).model_dump(mode="json")


def test_a_body_over_the_limit_is_413_whether_announced_or_streamed(client: TestClient) -> None:
    big = b'{"question": "' + b"x" * (limits.MAX_JSON_BYTES + 10) + b'"}'
    announced = client.post("/api/ask", content=big, headers={"content-type": "application/json"})
    assert announced.status_code == 413
    streamed = client.post(
        "/api/ask",
        content=iter([big[i : i + 65536] for i in range(0, len(big), 65536)]),
        headers={"content-type": "application/json"},
    )
    assert streamed.status_code == 413
    unknown = client.post("/api/ask", json={"question": "q", "padding": "x" * 2_000_000})
    assert unknown.status_code == 413


def test_a_422_names_the_field_and_never_echoes_the_input(client: TestClient) -> None:
    reply = client.post("/api/ask", json={"question": "q", "history": [{"question": "A" * 500_000}]})
    assert reply.status_code == 422
    assert "history.0" in reply.json()["error"] and "AAAA" not in reply.text and len(reply.content) < 2000
    unknown = client.post("/api/ask", json={"question": "q", "colour": "blue"})
    assert unknown.status_code == 422 and "colour" in unknown.json()["error"] and "blue" not in unknown.text


def test_only_the_last_answers_of_a_long_history_are_read(client: TestClient, fake: Uploading) -> None:
    history = [_answer_json(f"问题{i}") for i in range(60)]
    reply = client.post("/api/ask", json={"question": "目标呢?", "history": history})
    assert reply.status_code == 200, reply.text
    seen = fake.seen[-1][1]
    assert len(seen) == limits.MAX_HISTORY and seen[-1].question == "问题59"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"question": "\\ud800x"}', "lone surrogate"),
        (b'{"question": "q", "history": [{"question": "a", "answer": "b", "confidence": NaN}]}', "NaN"),
        (b'{"question": "q", "history": [{"question": "a", "answer": "b", "confidence": -Infinity}]}', "Infinity"),
        (b'{"question": "q", "history": [{"question": "a", "answer": "b", "confidence": 1e999}]}', "out of range"),
        (b'{"question": "\xff\xfe"}', "UTF-8"),
        (b'{"question": ', "not valid JSON"),
        (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    ],
)
def test_invalid_unicode_and_non_finite_numbers_get_400_with_a_message(
    client: TestClient, body: bytes, message: str
) -> None:
    reply = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert reply.status_code == 400 and message in reply.json()["error"], reply.text


def test_health_answers_while_every_worker_thread_waits_on_an_answer(fake: Uploading) -> None:
    """50 questions hold all of FastAPI's worker threads (40); /api/health must still answer."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_api(fake, Settings()), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    fake.release.clear()
    try:
        while not server.started:
            thread.join(0.05)
        askers = [
            threading.Thread(
                target=httpx.post, args=(f"{url}/api/ask",), kwargs={"json": {"question": "5G"}, "timeout": 300}
            )
            for _ in range(50)
        ]
        for asker in askers:
            asker.start()
        while fake.waiting < 40:  # every worker thread is now inside ask, waiting
            thread.join(0.05)
        health = httpx.get(f"{url}/api/health", timeout=30)
        assert health.status_code == 200 and health.json()["status"] == "ok"
    finally:
        fake.release.set()
        for asker in askers:
            asker.join(timeout=60)
        server.should_exit = True
        thread.join(timeout=30)


def test_an_upload_is_the_bytes_of_a_file_field(client: TestClient, fake: Uploading) -> None:
    reply = client.post("/api/notices", files={"file": ("新通报.txt", "通报\n一、总体\n".encode(), "text/plain")})
    assert reply.status_code == 200 and reply.json()["doc_id"] == "新通报"
    assert fake.added == [("新通报.txt", "通报\n一、总体\n".encode())]
    for sent in ({"json": {"path": "/etc/passwd"}}, {"data": {"file": "/etc/passwd"}}):
        assert client.post("/api/notices", **sent).status_code == 422
    refused = client.post("/api/notices", files={"file": ("bad.txt", b"", "text/plain")})
    assert refused.status_code == 400 and refused.json()["error"] == "bad.txt: the file is empty"
    assert len(fake.added) == 1


def test_an_upload_from_another_sites_page_is_refused(client: TestClient, fake: Uploading) -> None:
    files = {"file": ("a.txt", b"x" * 100, "text/plain")}
    assert client.post("/api/notices", files=files, headers={"Origin": "http://evil.example"}).status_code == 403
    assert client.post("/api/notices", files=files, headers={"Origin": "null"}).status_code == 403
    same = client.post("/api/notices", files=files, headers={"Origin": "http://testserver"})
    assert same.status_code == 200 and len(fake.added) == 1


def test_one_size_limit_for_uploads_and_the_loader(tmp_path: Path, fake: Uploading) -> None:
    settings = Settings(max_notice_bytes=5_100_000)  # the default is 5 MiB (5,242,880 bytes)
    client = TestClient(create_api(fake, settings))
    notice = (Q1.read_bytes() * 200)[: settings.max_notice_bytes]
    assert client.post("/api/notices", files={"file": ("big.txt", notice)}).status_code == 200
    over = client.post("/api/notices", files={"file": ("bigger.txt", notice + b"x")})
    assert over.status_code == 413 and "5,100,000" in over.json()["error"]
    (tmp_path / "bigger.txt").write_bytes(notice + b"x")
    with pytest.raises(NoticeError, match="larger than"):
        read_notice_file(tmp_path / "bigger.txt", settings.max_notice_bytes)
    default = TestClient(create_api(fake, Settings()))
    between = (Q1.read_bytes() * 200)[:5_100_000]  # over the UI's old 5,000,000, under the loader's 5 MiB
    assert default.post("/api/notices", files={"file": ("between.txt", between)}).status_code == 200
    assert [len(raw) for _, raw in fake.added] == [5_100_000, 5_100_000]


@pytest.mark.parametrize(
    ("host", "warned"),
    [
        ("127.0.0.1", False),
        ("localhost", False),
        ("::1", False),
        ("[::1]", False),
        ("0.0.0.0", True),
        ("192.168.1.5", True),
        ("example.org", True),
    ],
)
def test_a_warning_when_the_server_listens_beyond_loopback(host: str, warned: bool) -> None:
    warning = exposure_warning(host)
    assert (warning is not None) == warned
    if warned:
        assert host in warning and "no login" in warning
