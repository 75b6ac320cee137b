"""Workers that never hang (issue 18): started by a fork server, never forked from a server that ran OpenMP; every
wait for one is bounded; one that misses the time limit is replaced and its question gets an error."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from documents.errors import AnswerTimeoutError
from tests.sandbox import ROOT, sandbox_settings

pytestmark = pytest.mark.model
QUESTION = "新增城镇就业多少人?"


def _sleep(assistant: object, seconds: float) -> str:
    """Run in a worker: as if a search waited on a barrier for ever."""
    time.sleep(seconds)
    return "woke"


def _big_index_assistant(name: str):
    """An assistant over the bundled notices whose saved index holds each vector a dozen times (12k vectors, past
    where faiss searches one query with OpenMP threads; the answers stay those of the bundled index)."""
    from assistant.core import Assistant
    from index.dense import DenseIndex
    from index.store import LoadedIndex, persist

    settings = sandbox_settings(name)
    small = Assistant.load(settings, progress=None)
    vectors = np.load(settings.index_dir / "vectors.npy")
    copies = 12_000 // len(vectors) + 1
    big = np.tile(vectors, (copies, 1))
    index = small.index
    persist(
        LoadedIndex(index.manifest, index.chunks, DenseIndex.build(big), np.tile(index.owners, copies), index.lexical),
        big,
        settings.index_dir,
    )
    return Assistant.load(settings, progress=None)


def test_workers_renewed_after_openmp_ran_in_the_server_answer(assistant) -> None:
    """The probe's hang, made deterministic: the server runs a multi-threaded faiss search, then renews its workers
    as an upload does, then asks. On main (ff4be38), whose workers were forked from the server, the same steps
    never answer (the worker waits on an OpenMP barrier); here the answer comes from a worker, within the limit."""
    from assistant.workers import AnswerPool

    big = _big_index_assistant("workers-openmp")
    assert big.index.dense.size >= 12_000
    queries = np.random.default_rng(0).random((64, big.index.dense.dim), dtype=np.float32)
    big.index.dense._index.search(queries, 5)  # OpenMP threads now run in this process
    pool = AnswerPool(big, 2, timeout=60)
    try:
        pool.wait_ready()
        pool.renew()  # what an upload does once the new notice is indexed
        answer = pool.ask(QUESTION)  # AnswerTimeoutError, not a hang, if a worker waited for ever
        assert answer.model_dump_json() == assistant.ask(QUESTION).model_dump_json()
        state = pool.state()
        assert state["ready"] == 2 and sum(p["answered"] for p in state["processes"]) == 1, state
    finally:
        pool.close()


def test_a_worker_past_the_time_limit_is_replaced_and_its_question_gets_an_error(assistant) -> None:
    from assistant.workers import AnswerPool

    pool = AnswerPool(assistant, 2, timeout=2)
    try:
        pool.wait_ready()
        before = set(pool.worker_pids())
        with pytest.raises(AnswerTimeoutError, match=r"no answer within 2 s \(TONGBAO_ANSWER_SECONDS\)"):
            pool._call(_sleep, 600)
        assert pool.ask(QUESTION).answer == assistant.ask(QUESTION).answer  # the other worker, or this process
        pool.wait_ready()
        after = set(pool.worker_pids())
        assert len(after) == 2 and len(before - after) == 1, (before, after)  # the stuck one replaced
        state = pool.state()
        assert (state["ready"], state["replaced"], state["timeouts"]) == (2, 1, 1), state
        assert pool._call(_sleep, 0) == "woke"
    finally:
        pool.close()


def test_a_worker_that_dies_is_replaced_and_the_question_answered(assistant) -> None:
    from assistant.workers import AnswerPool

    pool = AnswerPool(assistant, 1, timeout=60)
    try:
        pool.wait_ready()
        (pid,) = pool.worker_pids()
        os.kill(pid, signal.SIGKILL)
        assert pool.ask(QUESTION).answer == assistant.ask(QUESTION).answer
        pool.wait_ready()
        assert pool.worker_pids() != [pid] and pool.state()["replaced"] == 1
    finally:
        pool.close()


_SERVER = """
import sys, time
from assistant.core import Assistant
from assistant.settings import Settings
from assistant.workers import AnswerPool
pool = AnswerPool(Assistant.load(Settings.from_env(), progress=None), 2)
pool.wait_ready()
print(" ".join(str(pid) for pid in pool.worker_pids()), flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][:1] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False


def test_answer_workers_exit_when_their_server_is_killed() -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    server = subprocess.Popen([sys.executable, "-c", _SERVER], cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)
    try:
        workers = [int(pid) for pid in server.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(pid) for pid in workers)
        server.send_signal(signal.SIGKILL)  # no chance to stop its workers
        server.wait()
        deadline = time.monotonic() + 15
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [pid for pid in workers if _alive(pid)]
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        assert not left, "orphaned answer workers outlived their server"
    finally:
        server.kill()
