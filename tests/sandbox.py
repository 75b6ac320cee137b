"""A documents folder that tests may add notices to, and the real server on it.

The folder (under the git-ignored test-artifacts/) starts as a copy of the bundled notices, and its index starts
as a copy of the bundled notices' index, so only notices a test adds are embedded (the real model, the real path).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from documents.corpus import BUNDLED_NOTICES

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def sandbox_settings(name: str, **overrides: object):
    """Settings over test-artifacts/<name>/notices, reset to the bundled notices, with their index seeded."""
    from assistant.settings import Settings

    docs = ARTIFACTS / name / "notices"
    shutil.rmtree(docs, ignore_errors=True)
    docs.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(BUNDLED_NOTICES, docs)
    settings = Settings.from_env(documents=docs, **overrides)
    bundled = settings.model_copy(update={"documents": BUNDLED_NOTICES}).index_dir
    shutil.rmtree(settings.index_dir, ignore_errors=True)
    if bundled.is_dir():
        shutil.copytree(bundled, settings.index_dir)
    return settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(documents: Path, log: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`python -m assistant serve` on a free loopback port over `documents`; yields its URL once it answers."""
    with serving(documents, log, env) as (url, _):
        yield url


@contextmanager
def serving(documents: Path, log: Path, env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """`running_server`, yielding the server's process too (to see that it is still alive)."""
    port = free_port()
    environment = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "PYTHONUNBUFFERED": "1",
        "TONGBAO_DOCUMENTS": str(documents),
        **(env or {}),
    }
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 600  # a first run converts the model and builds the index
        try:
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"the server exited ({process.returncode}); see {log}")
                try:
                    with urllib.request.urlopen(url, timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not answer at {url}; see {log}")
                time.sleep(0.5)
            yield url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
