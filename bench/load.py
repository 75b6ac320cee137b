"""`python -m bench.load`: 32 concurrent clients ask through the running app's HTTP API for 60 s (loopback only).

Reports throughput, p50/p95 latency and errors, and checks that concurrency corrupts nothing: every answer
must equal the one the same question got alone, and each client's follow-ups must stay on its own topic.
Starts the app itself on a free loopback port unless --url names one; stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "data" / "dev.jsonl"
# Two conversations whose follow-ups only make sense with their own history.
CONVERSATIONS = [("5G基站建了多少?", "目标呢?", "p013"), ("新增城镇就业多少人?", "目标呢?", "p017")]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    """The real app, as `python -m assistant serve`, on loopback."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_until_up(url: str, seconds: float = 300) -> None:
    """Until the whole app is up: the API answers at once, the chat at / once gradio has loaded (see ui.serve)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if (
                httpx.get(f"{url}/api/health", timeout=2).status_code == 200
                and httpx.get(url, timeout=5).status_code == 200
            ):
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise TimeoutError(f"{url} did not come up within {seconds:.0f} s")


class _Client:
    """One keep-alive connection with the standard library: a load generator light enough not to starve the server
    it measures on a 2-core machine (httpx costs the client about as much CPU per request as the server's HTTP)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self._connection: http.client.HTTPConnection | None = None

    def post(self, path: str, payload: dict, timeout: float) -> tuple[int, bytes]:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        for attempt in (0, 1):  # a keep-alive connection the server closed meanwhile is reopened once
            if self._connection is None:
                self._connection = http.client.HTTPConnection(self._host, self._port, timeout=timeout)
            try:
                self._connection.request("POST", path, body, {"Content-Type": "application/json"})
                response = self._connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> _Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class LoadError(Exception):
    pass


def _ask(client: _Client, question: str, history: list[dict] | None = None) -> tuple[dict, float]:
    started = time.perf_counter()
    try:
        status, body = client.post("/api/ask", {"question": question, "history": history or []}, timeout=120)
    except (http.client.HTTPException, OSError) as exc:
        raise LoadError(f"{exc.__class__.__name__}: {exc}") from exc
    elapsed = time.perf_counter() - started
    if status != 200:
        raise LoadError(f"HTTP {status}: {body[:200]!r}")
    return json.loads(body), elapsed


def reference_answers(url: str, questions: list[str]) -> dict[str, str]:
    """Each question asked alone, before the load: what every answer under load must equal."""
    with _Client(url) as client:
        return {q: _ask(client, q)[0].get("answer", "") for q in questions}


def _client_loop(
    url: str, number: int, questions: list[str], expected: dict[str, str], stop: float, tally: Tally
) -> None:
    first, follow_up, paragraph = CONVERSATIONS[number % len(CONVERSATIONS)]
    turn = number
    with _Client(url) as client:
        while time.monotonic() < stop:
            turn += 1
            try:
                if turn % 5 == 0:  # a conversation: the follow-up must use this client's own history
                    answer, elapsed = _ask(client, first)
                    second, elapsed2 = _ask(client, follow_up, [answer])
                    cited = [c["paragraph_id"] for c in second.get("citations", [])]
                    with tally.lock:
                        tally.latencies += [elapsed, elapsed2]
                        if paragraph not in cited:
                            tally.mismatches.append(f"client {number}: follow-up cited {cited}, expected {paragraph}")
                    continue
                question = questions[turn % len(questions)]
                answer, elapsed = _ask(client, question)
                with tally.lock:
                    tally.latencies.append(elapsed)
                    if answer.get("answer", "") != expected[question]:
                        tally.mismatches.append(f"client {number}: {question!r} answered differently under load")
            except (LoadError, ValueError) as exc:
                with tally.lock:
                    tally.errors.append(f"client {number}: {exc.__class__.__name__}: {exc}")


def run_load(url: str, clients: int, seconds: float) -> dict[str, object]:
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line]
    expected = reference_answers(url, questions)
    tally = Tally()
    stop = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_client_loop, args=(url, i, questions, expected, stop, tally), daemon=True)
        for i in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 180)
    wall = time.perf_counter() - started
    ordered = sorted(tally.latencies) or [0.0]
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": len(tally.latencies),
        "throughput_per_s": round(len(tally.latencies) / wall, 1),
        "p50_ms": round(ordered[len(ordered) // 2] * 1000, 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
        "errors": len(tally.errors),
        "mismatches": len(tally.mismatches),
        "examples": (tally.errors + tally.mismatches)[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running app (loopback), e.g. http://127.0.0.1:7860; default: start one")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    server = None
    url = args.url
    if url is None:
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        server = start_server(port)
    try:
        wait_until_up(url)
        result = run_load(url, args.clients, args.seconds)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    print("| clients | seconds | requests | throughput/s | p50 ms | p95 ms | errors | mismatches |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    keys = ("clients", "seconds", "requests", "throughput_per_s", "p50_ms", "p95_ms", "errors", "mismatches")
    print("| " + " | ".join(str(result[k]) for k in keys) + " |")
    for example in result["examples"]:
        print(f"  {example}")


if __name__ == "__main__":
    main()
