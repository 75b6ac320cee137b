"""Answers in worker processes, so a server answers on every core (one Python process answers on one).

The workers are forked from the loaded Assistant: they share its read-only notices, index and model pages
copy-on-write, and each reopens only its onnxruntime session (see index.onnx_encoder). `AnswerPool` has the
Assistant's interface; an added notice is loaded in the parent, then the workers are forked afresh.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from assistant.core import Assistant
from assistant.models import Answer
from documents.models import Notice, Target

_shared: Assistant | None = None  # what a forked worker answers with


def _ask(question: str, history: list[Answer] | None, doc_ids: list[str] | None = None) -> Answer:
    assert _shared is not None, "a worker must be forked from a process that set the shared Assistant"
    return _shared.ask(question, history, doc_ids)


def _outlive_no_parent() -> None:
    """In each worker: exit when the server that forked it is gone (killed with -9, it cannot stop its workers),
    and take the default action on SIGTERM/SIGINT rather than the server's handlers inherited by the fork."""
    parent = os.getppid()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _warm(_: int) -> bool:
    encoder = getattr(_shared, "encoder", None)
    if encoder is not None and hasattr(encoder, "ready"):
        encoder.ready()
    return True


class AnswerPool:
    """`ask` in `processes` forked workers; everything else from the Assistant in this process."""

    def __init__(self, assistant: Assistant, processes: int) -> None:
        self.assistant = assistant
        self._processes = processes
        self._lock = threading.Lock()
        self._warming: list[Future] = []  # the workers opening their sessions, after the first answer
        self._pool = self._fork()

    def _fork(self) -> ProcessPoolExecutor:
        global _shared
        _shared = self.assistant
        pool = ProcessPoolExecutor(
            self._processes, mp_context=multiprocessing.get_context("fork"), initializer=_outlive_no_parent
        )
        pool.submit(int).result()  # forks them all now, before the server starts its threads
        self._warming = []
        return pool

    @property
    def notices(self) -> list[Notice]:
        return self.assistant.notices

    @property
    def ledger(self) -> list[Target]:
        return self.assistant.ledger

    def __getattr__(self, name: str) -> object:
        return getattr(self.assistant, name)

    def ask(self, question: str, history: list[Answer] | None = None, doc_ids: list[str] | None = None) -> Answer:
        if not self._warming or not all(f.done() for f in self._warming):
            # The first answers come from this process; only then do the workers open their onnxruntime sessions,
            # so that a cold start's first answer does not compete with them for the cores.
            answer = self.assistant.ask(question, history, doc_ids)
            with self._lock:
                if not self._warming:
                    self._warming = [self._pool.submit(_warm, i) for i in range(self._processes)]
            return answer
        try:
            return self._pool.submit(_ask, question, history, doc_ids).result()
        except BrokenProcessPool:  # a worker died (killed, out of memory): fork new ones and ask again once
            with self._lock:
                self._pool = self._fork()
            return self._pool.submit(_ask, question, history, doc_ids).result()

    def wait_ready(self) -> None:
        """Start the workers' sessions now (rather than after the first answer) and wait for them."""
        with self._lock:
            if not self._warming:
                self._warming = [self._pool.submit(_warm, i) for i in range(self._processes)]
            warming = list(self._warming)
        for future in warming:
            future.result()

    def add_notice(self, name: str, raw: bytes, profile: dict[str, str] | None = None) -> str:
        message = self.assistant.add_notice(name, raw, profile)
        with self._lock:
            old, self._pool = self._pool, self._fork()
        old.shutdown(wait=True)
        return message

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
