"""Answers in worker processes, so a server answers on every core (one Python process answers on one).

The workers are started by a fork server (multiprocessing's `forkserver`: a clean process that imported this
module and nothing else), never forked from the server itself: a process forked after faiss or torch ran their
OpenMP threads inherits a thread pool whose threads do not exist, and its first parallel search waits for them
for ever. Each worker loads the notices it is given and the index the server saved (it never builds one), then
answers one question at a time. `AnswerPool` has the Assistant's interface:
- every wait for a worker is bounded (`Settings.answer_seconds`); a worker that misses it is killed and replaced,
  and that question gets an AnswerTimeoutError; a worker that dies is replaced and the question answered here;
- until a worker is ready (at start, after a replacement) the server's own Assistant answers; the workers start
  after the first answer, so that a cold start's first answer does not compete with them for the cores;
- after an upload a new set of workers starts over the new index; the older ones answer until it is ready.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from assistant.core import Assistant
from assistant.models import Answer
from assistant.settings import Settings
from documents.corpus import Corpus
from documents.errors import AnswerTimeoutError
from documents.models import Notice, Target
from index.embedder import load_encoder
from index.store import open_index

STARTUP_SECONDS = 180.0  # a worker loading the index on a busy machine; past it, it is given up
_NOT_TAKEN = object()  # what _call returns when no worker could take a call


def _serve(conn: Connection, settings: Settings, notices: list[Notice]) -> None:
    """A worker: load, say so, then run each (function, args) sent until the server closes the connection."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops its workers
    parent = os.getppid()  # the fork server, which exits with the server

    def watch() -> None:  # exit with it, even while stuck in a search
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    try:
        encoder = load_encoder(settings.model, settings.cache_dir, settings.encoder)
        index = open_index(notices, encoder, settings.index_dir, build=False)
        assistant = Assistant(settings, Corpus(notices=notices), index, encoder)
        if hasattr(encoder, "ready"):
            encoder.ready()  # its onnxruntime session, opened before the first question
    except Exception as exc:  # noqa: BLE001 - the server answers itself and shows why in /api/health
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            function, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, object] = ("ok", function(assistant, *args))
        except Exception as exc:  # noqa: BLE001 - the caller raises it (a QuestionError for a bad question)
            reply = ("error", exc)
        conn.send(reply)


def _ask(assistant: Assistant, question: str, history: list[Answer] | None, doc_ids: list[str] | None) -> Answer:
    return assistant.ask(question, history, doc_ids)


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    generation: int  # workers of one generation answer from the notices and index of one moment
    state: str = "starting"  # starting, idle, busy, failed, stopped
    answered: int = 0
    since: float = field(default_factory=time.monotonic)
    problem: str = ""

    def stop(self, state: str = "stopped") -> None:
        self.state = state
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.pid is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(timeout=10)


class AnswerPool:
    """`ask` in `processes` workers; everything else from the Assistant in this process."""

    def __init__(self, assistant: Assistant, processes: int, timeout: float | None = None) -> None:
        self.assistant = assistant
        self._processes = processes
        self._timeout = timeout or assistant.settings.answer_seconds
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([__name__])
        self._lock = threading.Lock()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: list[_Worker] = []
        self._generation = 0  # the newest set of workers started
        self._serving = 1  # the oldest generation still answering; older ones retire when next seen
        self.replaced = self.timeouts = 0

    # --- the Assistant's interface ---------------------------------------------------------------------

    @property
    def notices(self) -> list[Notice]:
        return self.assistant.notices

    @property
    def ledger(self) -> list[Target]:
        return self.assistant.ledger

    def __getattr__(self, name: str) -> object:
        return getattr(self.assistant, name)

    def ask(self, question: str, history: list[Answer] | None = None, doc_ids: list[str] | None = None) -> Answer:
        """Answered by a worker, or here when none is ready; AnswerTimeoutError when a worker took too long."""
        answered = self._call(_ask, question, history, doc_ids)
        if answered is _NOT_TAKEN:
            answered = self.assistant.ask(question, history, doc_ids)
            if not self._generation:
                self._start_set()  # after the first answer: see the module's docstring
        return answered  # type: ignore[return-value]

    def add_notice(self, name: str, raw: bytes, profile: dict[str, str] | None = None) -> str:
        message = self.assistant.add_notice(name, raw, profile)
        self.renew()
        return message

    # --- workers ---------------------------------------------------------------------------------------

    def _start_set(self) -> list[_Worker]:
        with self._lock:
            self._generation += 1
            generation = self._generation
        return [self._start(generation) for _ in range(self._processes)]

    def _start(self, generation: int) -> _Worker:
        """A worker over the notices as they are now, started and awaited in a thread of its own (the first
        start waits for the fork server's imports)."""
        parent, child = self._context.Pipe()
        notices = list(self.assistant.notices)
        process = self._context.Process(target=_serve, args=(child, self.assistant.settings, notices), daemon=True)
        worker = _Worker(process, parent, generation)
        with self._lock:
            self._workers.append(worker)
        threading.Thread(target=self._run, args=(worker, child), name="worker-start", daemon=True).start()
        return worker

    def _run(self, worker: _Worker, child: Connection) -> None:
        try:
            worker.process.start()
            child.close()
            ready = worker.conn.poll(STARTUP_SECONDS)
            kind, value = worker.conn.recv() if ready else ("failed", f"not ready after {STARTUP_SECONDS:g} s")
        except (EOFError, OSError, ValueError) as exc:
            kind, value = "failed", f"could not start ({exc.__class__.__name__})"
        if worker.state != "starting":  # stopped meanwhile
            worker.stop(worker.state)
        elif kind == "ready":
            worker.state, worker.since = "idle", time.monotonic()
            self._idle.put(worker)
        else:
            worker.problem = str(value)
            worker.stop("failed")

    def _any_ready(self) -> bool:
        with self._lock:
            return any(w.state in ("idle", "busy") and w.generation >= self._serving for w in self._workers)

    def _checkout(self) -> _Worker | None:
        """An idle worker of a serving generation (waiting while all are busy, up to the time limit), or None:
        none is ready (starting, failed), or all stayed busy; then the question is answered here."""
        deadline = time.monotonic() + self._timeout
        while self._any_ready():
            try:
                worker = self._idle.get(timeout=min(0.5, max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                if time.monotonic() >= deadline:
                    return None
                continue
            if worker.generation < self._serving or worker.state != "idle":
                self._retire(worker)  # it answers from an index that has been replaced
                continue
            worker.state, worker.since = "busy", time.monotonic()
            return worker
        return None

    def _checkin(self, worker: _Worker) -> None:
        worker.answered += 1
        if worker.generation < self._serving:
            self._retire(worker)
            return
        worker.state, worker.since = "idle", time.monotonic()
        self._idle.put(worker)

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker that missed its time or died, and start another in its place."""
        self._retire(worker)
        with self._lock:
            self.replaced += 1
        if worker.generation >= self._serving:
            self._start(worker.generation)

    def _call(self, function: Callable[..., object], *args: object) -> object:
        """`function(the worker's assistant, *args)` in a worker; _NOT_TAKEN when none could take it."""
        worker = self._checkout()
        if worker is None:
            return _NOT_TAKEN
        try:
            worker.conn.send((function, args))
            if not worker.conn.poll(self._timeout):
                with self._lock:
                    self.timeouts += 1
                self._replace(worker)
                raise AnswerTimeoutError(
                    f"no answer within {self._timeout:g} s (TONGBAO_ANSWER_SECONDS); the answering process was "
                    "replaced, please ask again"
                )
            kind, value = worker.conn.recv()
        except (EOFError, OSError):  # it died (killed, out of memory): a new one, and this question answered here
            self._replace(worker)
            return _NOT_TAKEN
        self._checkin(worker)
        if kind == "error":
            raise value  # type: ignore[misc]
        return value

    def renew(self) -> None:
        """Start workers over the assistant as it is now (after an upload) and wait until they are ready; the
        older ones answer meanwhile and retire once these are."""
        started = self._start_set()
        self._wait(started)
        with self._lock:
            self._serving = max(self._serving, started[0].generation if started else self._generation)

    def wait_ready(self) -> None:
        """Start the workers now if they are not started, and wait until they are ready (or failed)."""
        if not self._generation:
            self._start_set()
        with self._lock:
            workers = list(self._workers)
        self._wait(workers)

    @staticmethod
    def _wait(workers: list[_Worker]) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while any(w.state == "starting" for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)

    def state(self) -> dict[str, object]:
        """The workers as /api/health shows them: how many answer, and each one's state."""
        now = time.monotonic()
        with self._lock:
            workers = [w for w in self._workers if w.generation >= self._serving or w.state == "busy"]
            rows = [
                {"pid": w.process.pid, "state": w.state, "answered": w.answered, "seconds": round(now - w.since, 1)}
                | ({"problem": w.problem} if w.problem else {})
                for w in workers
            ]
            counts = {"replaced": self.replaced, "timeouts": self.timeouts}
        ready = sum(row["state"] in ("idle", "busy") for row in rows)
        return {"configured": self._processes, "ready": ready, **counts, "processes": rows}

    def worker_pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid is not None and w.state != "stopped"]

    def close(self) -> None:
        with self._lock:
            workers, self._workers = list(self._workers), []
            self._serving = self._generation + 1
        for worker in workers:
            worker.stop()
