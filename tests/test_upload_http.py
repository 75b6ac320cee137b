"""The upload through the real HTTP server: only bytes a client sends are read; a server path named in a request
is never read, copied or indexed (issue 14's probe: POST /gradio_api/call/<fn> with a FileData path)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.sandbox import ARTIFACTS, running_server, sandbox_settings

pytestmark = pytest.mark.model
OTHER = Path(__file__).parent / "data" / "other-notices"
SECRET_TOPIC = "丽阳大道快速化改造工程进展"  # answered only by the liyang notice, which the attack tries to plant
MARKER = "private-note-7f3a9c"  # in the private file only: no reply may ever hold it


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path, Path, Path]]:
    """(url, documents folder, gradio's upload folder, a folder of the user's private files)."""
    settings = sandbox_settings("upload-http")
    root = tmp_path_factory.mktemp("upload-http")
    gradio_tmp, private = root / "gradio-tmp", root / "private"
    gradio_tmp.mkdir()
    private.mkdir()
    (private / "notes.txt").write_bytes((OTHER / "liyang-2022-h1.txt").read_bytes() + f"\n{MARKER}\n".encode())
    (private / "big.bin").write_bytes(os.urandom(2_000_000))
    (private / "folder").mkdir()
    env = {"GRADIO_TEMP_DIR": str(gradio_tmp)}
    with running_server(settings.documents, ARTIFACTS / "upload-http" / "server.log", env) as url:
        yield url, Path(settings.documents), gradio_tmp, private


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _call_every_endpoint(client: httpx.Client, url: str, payload: dict) -> tuple[int, str]:
    """POST `payload` as every argument of every gradio API endpoint, then read each result; (calls made, text)."""
    info = client.get(f"{url}gradio_api/info").json()["named_endpoints"]
    made, replies = 0, []
    for name, endpoint in info.items():
        arguments = [payload] * max(1, len(endpoint.get("parameters", [])))
        started = client.post(f"{url}gradio_api/call{name}", json={"data": arguments})
        replies.append(started.text)
        event = started.json().get("event_id") if started.status_code == 200 else None
        if event:
            made += 1
            replies.append(client.get(f"{url}gradio_api/call{name}/{event}", timeout=120).text)
    return made, "\n".join(replies)


@pytest.mark.parametrize("target", ["notes.txt", "big.bin", "folder"])
def test_a_server_path_in_a_request_is_never_read_copied_or_indexed(server, target: str) -> None:
    url, docs, gradio_tmp, private = server
    path = private / target
    before_docs, before_tmp = _files(docs), _files(gradio_tmp)
    payload = {"path": str(path), "meta": {"_type": "gradio.FileData"}, "orig_name": target}
    with httpx.Client(timeout=60) as client:
        made, replies = _call_every_endpoint(client, url, payload)
        assert made >= 10, "the probe must reach the app's endpoints"
        as_json = client.post(f"{url}api/notices", json={"file": payload, "path": str(path)})
        as_field = client.post(f"{url}api/notices", data={"file": str(path)})
        health = client.get(f"{url}api/health").json()
        answer = client.post(f"{url}api/ask", json={"question": SECRET_TOPIC}).json()
    assert MARKER not in replies, "the probe read a server file through gradio"
    copied = [name for name, data in _files(gradio_tmp).items() if name not in before_tmp]
    assert copied == [], f"files copied into gradio's upload folder: {copied}"
    assert _files(docs) == before_docs, "nothing may be written into the documents folder"
    assert health["notices"] == ["xianning-2021-h1-digest", "xianning-2021-q1"]
    assert all(c["doc_id"] != "notes" for c in answer.get("citations", [])) and MARKER not in json.dumps(answer)
    assert as_json.status_code == 422 and as_field.status_code == 422  # the upload route takes file bytes only
    assert MARKER not in as_json.text + as_field.text


def test_the_bytes_a_client_sends_are_added_and_served(server) -> None:
    url, docs, _, _ = server
    raw = (OTHER / "qingshan-2020-q3.txt").read_bytes()
    with httpx.Client(timeout=300) as client:
        added = client.post(f"{url}api/notices", files={"file": ("qingshan-2020-q3.txt", raw, "text/plain")})
        assert added.status_code == 200, added.text
        assert added.json()["doc_id"] == "qingshan-2020-q3"
        again = client.post(f"{url}api/notices", files={"file": ("qingshan-2020-q3.txt", raw, "text/plain")})
        forged = client.post(
            f"{url}api/notices",
            files={"file": ("forged.txt", b"x", "text/plain")},
            headers={"Origin": "http://attacker.example"},
        )
        health = client.get(f"{url}api/health").json()
        answer = client.post(f"{url}api/ask", json={"question": "青山至河口一级公路进展"}).json()
    assert again.status_code == 400 and "same text" in again.json()["error"]
    assert forged.status_code == 403 and not (docs / "forged.txt").exists()
    assert "qingshan-2020-q3" in health["notices"]
    assert (docs / "qingshan-2020-q3.txt").read_bytes() == raw
    assert "80%" in answer["answer"] and answer["citations"][0]["doc_id"] == "qingshan-2020-q3"
