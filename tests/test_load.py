"""A bounded load test through the real app's HTTP API on loopback: no errors, no state shared between users."""

from __future__ import annotations

import pytest

from bench.load import _free_port, run_load, start_server, wait_until_up

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def server_url():
    port = _free_port()
    process = start_server(port)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_32_concurrent_clients_get_the_answers_they_would_get_alone(server_url: str) -> None:
    result = run_load(server_url, clients=32, seconds=8)
    assert result["requests"] > 32
    assert result["errors"] == 0, result["examples"]
    assert result["mismatches"] == 0, result["examples"]
