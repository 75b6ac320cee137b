"""`make bench` rows for issue 18: the server's peak memory while each bomb is uploaded, and the time to read a
100,000-character block with no sentence end beside reading the Q1 notice. `python -m bench.security` runs only
these. The bombs are the tests' (tests/fixtures/bombs.py), so this runs from the project folder."""

from __future__ import annotations

import contextlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024


def _tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants (workers, fork server, reader)."""
    total = 0
    for each in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # a child that just exited
            total += each.memory_info().rss
    return total


class _Peak:
    """The highest tree RSS seen, sampled every 20 ms in a thread."""

    def __init__(self, process: psutil.Process) -> None:
        self.process, self.peak, self._stop = process, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss(self.process))
            time.sleep(0.02)

    def __enter__(self) -> _Peak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _bombs() -> list[tuple[str, bytes]]:
    from tests.fixtures import bombs

    lines = ("通报\n" + "".join(f"{i}. 新建5G基站{i}座\n" for i in range(3000))).encode()
    dense = ("新建5G基站236座,同比增长12.5%,完成年度目标的23.6%," * 100)[:2_900]
    dense_notice = ("关于重点工作推进情况的通报\n一、总体情况\n" + "\n".join([dense] * 30)).encode()
    return [
        ("merged.xlsx (A3:XFD1048576 merged)", bombs.merged_xlsx()),
        ("corner.xlsx (a cell at XFD1048576)", bombs.corner_xlsx()),
        ("inflating.docx (document.xml 8 MB)", bombs.inflating_docx()),
        ("drawing.pdf (content stream 8 MB)", bombs.inflating_pdf()),
        ("pages.pdf (1,000 pages)", bombs.many_pages_pdf()),
        ("block.html (100k characters, no sentence end)", bombs.long_block("html")),
        ("lines.txt (3,000 paragraphs)", lines),
        ("dense.txt (within every limit; facts take minutes)", dense_notice),
    ]


def _million_paragraphs() -> bytes:
    """What only the memory limit stops once the budgets are lifted: a million paragraphs in 100 kB."""
    from tests.fixtures import bombs

    body = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 1_000_000
    return bombs._docx(b'<w:document xmlns:w="%s"><w:body>%s</w:body></w:document>' % (bombs._W.encode(), body))


def _serve(folder: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    from bench.load import _free_port, wait_until_up

    port = _free_port()
    command = [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(port)]
    environment = {**__import__("os").environ, "HF_HUB_OFFLINE": "1", "TONGBAO_DOCUMENTS": str(folder), **env}
    server = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url)
    return server, url


def bomb_memory(lifted: bool = False) -> list[tuple[str, int, int, float, float, str]]:
    """(bomb, bytes, status, seconds to the reply, MB above idle at peak, reply) for each bomb, uploaded to a
    running `serve` (2 workers, one harmless upload before, so the reader and its spare are counted in idle).
    `lifted`: the budgets raised out of the way, so that only the reader's memory limit is left."""
    from assistant.settings import Settings
    from documents.corpus import BUNDLED_NOTICES

    env = {}
    uploads = _bombs()
    if lifted:
        env = {"TONGBAO_MAX_INFLATED_BYTES": str(1 << 34), "TONGBAO_MAX_INFLATE_RATIO": str(10**9)}
        env |= {"TONGBAO_MAX_PARAGRAPHS": str(10**7), "TONGBAO_MAX_NOTICE_CHARS": str(10**9)}
        uploads = [("million-paragraphs.docx (100 kB; budgets lifted)", _million_paragraphs())]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "notices"
        shutil.copytree(BUNDLED_NOTICES, folder)
        bundled, mine = (Settings.from_env(documents=d).index_dir for d in (BUNDLED_NOTICES, folder))
        if bundled.is_dir():
            shutil.copytree(bundled, mine, dirs_exist_ok=True)
        server, url = _serve(folder, env)
        try:
            with httpx.Client(timeout=600) as client:
                client.post(f"{url}/api/ask", json={"question": "5G基站建设进度"})
                client.post(f"{url}/api/notices", files={"file": ("warm-up.txt", b"")})
                deadline = time.monotonic() + 120
                while client.get(f"{url}/api/health").json()["answering"] != "workers" and time.monotonic() < deadline:
                    time.sleep(0.5)
                time.sleep(3)
                process = psutil.Process(server.pid)
                idle = statistics.median(_tree_rss(process) for _ in range(10))
                for name, raw in uploads:
                    started = time.perf_counter()
                    with _Peak(process) as peak:
                        reply = client.post(f"{url}/api/notices", files={"file": (name.split(" ")[0], raw)})
                    seconds = time.perf_counter() - started
                    rows.append((name, len(raw), reply.status_code, seconds, (peak.peak - idle) / MB, reply.text))
                    time.sleep(1)
            shutil.rmtree(mine, ignore_errors=True)
        finally:
            server.terminate()
            server.wait(timeout=60)
    return rows


def block_reading() -> list[tuple[str, float, float, float]]:
    """(format, s to read the Q1 notice, s to read the 100k block (refused by the paragraph bound), s to read it
    whole with the bound lifted, parsed into the outline): medians of 3."""
    from documents.limits import ReadLimits
    from documents.readers import read_notice_bytes
    from tests.fixtures import bombs, formats

    lifted = ReadLimits(max_paragraph_chars=200_000, max_notice_chars=200_000)
    with tempfile.TemporaryDirectory() as tmp:
        q1 = {"txt": formats.Q1.read_bytes()}
        q1["docx"] = formats.q1_docx(Path(tmp) / "q1.docx").read_bytes()
        q1["html"] = formats.q1_html(Path(tmp) / "q1.html").read_bytes()
        q1["xlsx"] = formats.table_xlsx(Path(tmp) / "table.xlsx").read_bytes()
        try:
            from tests.fixtures.font import cjk_font

            q1["pdf"] = formats.q1_pdf(Path(tmp) / "q1.pdf", cjk_font(formats.all_text(), Path(tmp) / "f.ttf"))
            q1["pdf"] = q1["pdf"].read_bytes()
        except Exception:  # noqa: BLE001 - no CJK font here: the PDF row has no Q1 column
            q1.pop("pdf", None)

    def timed(raw: bytes, name: str, limits: ReadLimits | None = None) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            try:
                decoded = read_notice_bytes(raw, name, limits=limits) if limits else read_notice_bytes(raw, name)
                decoded.to_notice("x")
            except Exception:  # noqa: BLE001 - a refusal is what is timed here
                pass
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    rows = []
    for fmt in ("txt", "html", "docx", "xlsx", "pdf"):
        block = bombs.long_block(fmt)
        q1_time = timed(q1[fmt], f"q1.{fmt}") if fmt in q1 else float("nan")
        rows.append((fmt, q1_time, timed(block, f"block.{fmt}"), timed(block, f"block.{fmt}", lifted)))
    return rows


def prose_pattern() -> list[tuple[int, float, float]]:
    """(characters, s for the old prose pattern, s for documents.readers.web.is_prose) on a block with no
    sentence end: the old one grows with the square of the length."""
    from documents.readers.web import is_prose
    from tests.fixtures.bombs import block_text

    old = re.compile(r"[\u4e00-\u9fff][^。！？；;]{8,}[。！？；;]")
    rows = []
    for chars in (3_000, 6_000, 12_000, 100_000):
        text = block_text(chars)
        started = time.perf_counter()
        if chars <= 12_000:
            old.search(text)
        middle = time.perf_counter()
        is_prose(text)
        rows.append((chars, middle - started if chars <= 12_000 else float("nan"), time.perf_counter() - middle))
    return rows


def tables() -> list[str]:
    lines = [
        "| bomb (uploaded to a running serve) | bytes | reply | s | peak MB above idle | refusal |",
        "|" + " --- |" * 6,
    ]
    for name, size, status, seconds, above, text in [*bomb_memory(), *bomb_memory(lifted=True)]:
        refusal = re.sub(r"\s+", " ", text)[:110].replace("|", "/")
        lines.append(f"| {name} | {size:,} | {status} | {seconds:.1f} | {above:.0f} | {refusal} |")
    lines += [
        "",
        "| read (median of 3) | Q1 notice | 100k block, refused | 100k block, read whole |",
        "| --- | --- | --- | --- |",
    ]
    for fmt, q1, refused, whole in block_reading():
        q1_cell = "—" if q1 != q1 else f"{q1:.3f} s"
        lines.append(f"| .{fmt} | {q1_cell} | {refused:.3f} s | {whole:.3f} s |")
    lines += ["", "| block with no sentence end | old prose pattern | is_prose |", "| --- | --- | --- |"]
    for chars, old, new in prose_pattern():
        old_cell = "—" if old != old else f"{old:.3f} s"
        lines.append(f"| {chars:,} characters | {old_cell} | {new * 1000:.2f} ms |")
    return lines


if __name__ == "__main__":
    print("\n".join(tables()))
