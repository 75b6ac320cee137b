"""`python -m bench`: speed of the product on this machine, printed as a table. Not part of the test suite.

Side by side for the ONNX query encoder (the default) and sentence-transformers: cold start by phase in fresh
processes (library, `ask` CLI, `serve`), warm latency next to one bare query embedding; then the HTTP API under
1, 8 and 32 clients before the lock change (one answer at a time), with threads only, and with answering
processes; then the server's peak memory under each upload bomb and the time to read a 100k-character block
(bench/security.py). `--scale` adds index build time and search cost with the corpus replicated ×10 and ×100.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = r"""
import json, os, sys, time
t0 = time.perf_counter()
launched = float(os.environ["BENCH_LAUNCHED"])
interpreter = time.time() - launched
from assistant.core import Assistant
from assistant.settings import Settings
from documents.corpus import load_corpus
from index.embedder import load_encoder
from index.store import open_index
t1 = time.perf_counter()
settings = Settings.from_env()
corpus = load_corpus(settings.documents)
encoder = load_encoder(settings.model, settings.cache_dir, settings.encoder)
t2 = time.perf_counter()
index = open_index(corpus.notices, encoder, settings.index_dir)
t3 = time.perf_counter()
assistant = Assistant(settings, corpus, index, encoder)
t4 = time.perf_counter()
answer = assistant.ask("5G基站建设进度")
t5 = time.perf_counter()
print(json.dumps({"interpreter": interpreter, "imports": t1 - t0, "model": t2 - t1, "index": t3 - t2,
                  "init": t4 - t3, "first_answer": t5 - t4, "total": time.time() - launched,
                  "engine": getattr(encoder, "engine", "?")}))
"""
ENGINES = ("onnx", "sentence-transformers")  # the ONNX path is what `auto` picks once set-up exported the model
ENGLISH = "How many 5G base stations were built?"
PHASES = ("interpreter", "imports", "model", "index", "init", "first_answer")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _env(engine: str, **extra: str) -> dict[str, str]:
    engine_setting = "auto" if engine == "onnx" else engine
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TONGBAO_ENCODER": engine_setting, **extra}


def cold_start(engine: str) -> dict[str, float]:
    """Phases of a fresh process from launch to its first answer (library calls, as `ask` makes them)."""
    env = _env(engine, BENCH_LAUNCHED=repr(time.time()))
    out = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def cli_cold(engine: str, question: str = "5G基站建设进度") -> tuple[float, float]:
    """`python -m assistant ask "…"`: seconds from launch to the answer on stdout, and to the process's exit."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "assistant", "ask", question]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env(engine))
    assert process.stdout is not None
    process.stdout.readline()
    answered = time.perf_counter() - started
    process.wait()
    return answered, time.perf_counter() - started


def serve_cold(engine: str) -> float:
    """`python -m assistant serve`: seconds from launch to the first POST /api/ask answered."""
    import httpx

    from bench.load import _free_port

    port = _free_port()
    started = time.perf_counter()
    command = [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(engine))
    try:
        while time.perf_counter() - started < 300:
            try:
                reply = httpx.post(f"http://127.0.0.1:{port}/api/ask", json={"question": "5G基站建设进度"}, timeout=60)
                if reply.status_code == 200 and reply.json().get("answer"):
                    return time.perf_counter() - started
            except httpx.HTTPError:
                time.sleep(0.02)
        raise TimeoutError("serve did not answer within 300 s")
    finally:
        process.terminate()
        process.wait(timeout=30)


def warm(questions: list[str], engine: str) -> dict[str, list[float]]:
    from assistant.core import Assistant
    from assistant.settings import Settings
    from index.search import BM25Retriever

    assistant = Assistant.load(Settings.from_env(encoder="auto" if engine == "onnx" else engine), progress=None)
    encoder = assistant.encoder
    assert getattr(encoder, "engine", "") == engine, f"wanted {engine}, got {getattr(encoder, 'engine', '?')}"
    bm25 = BM25Retriever(assistant.index)
    timings: dict[str, list[float]] = {"ask": [], "ask_cached_query": [], "bm25": [], "embed": []}
    for question in questions:  # warm-up round
        assistant.ask(question)
        encoder.embed_bare(question)
    for _ in range(3):
        for question in questions:
            encoder.clear_query_cache()
            t = time.perf_counter()
            assistant.ask(question)
            timings["ask"].append(time.perf_counter() - t)
            t = time.perf_counter()
            assistant.ask(question)
            timings["ask_cached_query"].append(time.perf_counter() - t)
            t = time.perf_counter()
            bm25.search(question, 5)
            timings["bm25"].append(time.perf_counter() - t)
            t = time.perf_counter()
            encoder.embed_bare(question)  # tokenizer + model + pooling, below any cache
            timings["embed"].append(time.perf_counter() - t)
    return timings


LOAD_SETUPS = (
    ("before: one answer at a time (lock), one process", {"TONGBAO_ANSWER_LOCK": "1", "TONGBAO_WORKERS": "0"}),
    ("threads only: no lock, one process", {"TONGBAO_ANSWER_LOCK": "0", "TONGBAO_WORKERS": "0"}),
    ("after: no lock, 2 answering processes", {"TONGBAO_ANSWER_LOCK": "0", "TONGBAO_WORKERS": "2"}),
)


def load(seconds: float) -> list[tuple[str, dict[str, object]]]:
    """Throughput and latency through the HTTP API at 1, 8 and 32 clients, for each server set-up."""
    from bench.load import _free_port, run_load, wait_until_up

    results = []
    for name, extra in LOAD_SETUPS:
        port = _free_port()
        command = [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(port)]
        server = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env("onnx", **extra)
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}")
            for clients in (1, 8, 32):
                results.append((name, run_load(f"http://127.0.0.1:{port}", clients, seconds)))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return results


def build_and_scale() -> list[tuple[str, float, float, int, float]]:
    """(corpus, build s, search ms p50, vectors, RSS MB); copies reuse the first build's vectors."""
    import numpy as np

    from assistant.settings import Settings
    from documents.corpus import load_corpus
    from index.embedder import load_encoder
    from index.search import HybridRetriever
    from index.store import build_index

    settings = Settings.from_env()
    notices = load_corpus(settings.documents).notices
    encoder = load_encoder(settings.model, settings.cache_dir)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        base = build_index(notices, encoder, Path(tmp) / "x1")
        rows.append(("×1 (real embedding)", time.perf_counter() - t, *_search_cost(HybridRetriever(base, encoder))))

        class Replayed:  # copies have the same text, so their vectors are the first build's, replayed
            model_id, dim = encoder.model_id, encoder.dim
            cache = {}

            def encode_passages(self, texts: list[str]) -> np.ndarray:
                missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
                if missing:
                    self.cache.update(zip(missing, encoder.encode_passages(missing), strict=True))
                return np.stack([self.cache[t] for t in texts])

            def encode_queries(self, texts: list[str]) -> np.ndarray:
                return encoder.encode_queries(texts)

        replay = Replayed()
        replay.encode_passages([c.context for c in base.chunks] + [w for c in base.chunks for w in c.windows])
        for factor in (10, 100):
            copies = [
                n.model_copy(update={"doc_id": f"{n.doc_id}-copy{i}", "sha256": f"{n.sha256[:56]}{i:08d}"})
                for i in range(factor)
                for n in notices
            ]
            t = time.perf_counter()
            index = build_index(copies, replay, Path(tmp) / f"x{factor}")
            built = time.perf_counter() - t
            rows.append((f"×{factor} (vectors replayed)", built, *_search_cost(HybridRetriever(index, encoder))))
        flat_ms, hnsw_ms, recall = _flat_vs_hnsw(np.load(Path(tmp) / "x100" / "vectors.npy"), encoder)
        rows.append((f"×100 dense only: HNSW(32) recall@5 vs flat {recall:.0%}", 0.0, flat_ms, 0, hnsw_ms))
    return rows


def _flat_vs_hnsw(vectors, encoder) -> tuple[float, float, float]:
    """Median ms per query of exact search and of HNSW on the same vectors, and HNSW's recall@5."""
    import faiss
    import numpy as np

    queries = encoder.encode_queries(
        ["5G基站建设进度", "失业率控制得怎么样", "新增城镇就业", "疫苗接种", "老旧小区改造"]
    )
    # Exact copies would be 100-way ties that no graph index can navigate; real notices differ, so jitter them.
    rng = np.random.default_rng(0)
    vectors = vectors + rng.normal(0, 0.02, vectors.shape).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    hnsw = faiss.IndexHNSWFlat(vectors.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efSearch = 128  # as index.dense builds it
    hnsw.add(vectors)
    timings, results = {}, {}
    for name, index in (("flat", flat), ("hnsw", hnsw)):
        times = []
        for _ in range(20):
            for q in queries:
                t = time.perf_counter()
                index.search(q.reshape(1, -1), 30)
                times.append(time.perf_counter() - t)
        timings[name] = statistics.median(times) * 1000
        results[name] = [index.search(q.reshape(1, -1), 5)[0][0] for q in queries]
    # The copies tie, so ids differ between the two; a hit counts when it scores as high as flat's fifth best.
    found = [np.sum(h >= f[-1] - 1e-5) / 5 for f, h in zip(results["flat"], results["hnsw"], strict=True)]
    recall = float(np.mean(found))
    return timings["flat"], timings["hnsw"], recall


def _search_cost(retriever) -> tuple[float, int, float]:
    questions = ["5G基站建设进度", "失业率控制得怎么样", "新增城镇就业", "How many 5G base stations were built?"]
    for q in questions:
        retriever.search(q, 5)
    times = []
    for _ in range(5):
        for q in questions:
            t = time.perf_counter()
            retriever.search(q, 5)
            times.append(time.perf_counter() - t)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return statistics.median(times) * 1000, retriever.index.dense.size, rss


def _load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def _cold_table(runs: int) -> list[str]:
    cold = {engine: [cold_start(engine) for _ in range(runs if engine == "onnx" else 1)] for engine in ENGINES}
    cli = {engine: [cli_cold(engine) for _ in range(runs if engine == "onnx" else 1)] for engine in ENGINES}
    serve = {engine: [serve_cold(engine) for _ in range(runs if engine == "onnx" else 1)] for engine in ENGINES}
    english = {
        engine: [cli_cold(engine, ENGLISH)[0] for _ in range(runs if engine == "onnx" else 1)] for engine in ENGINES
    }

    def cell(values: list[float]) -> str:
        if len(values) == 1:
            return f"{values[0]:.2f} s"
        return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"

    names = {
        "interpreter": "interpreter start",
        "imports": "imports",
        "model": "query encoder load",
        "index": "index load",
        "init": "assistant init (ledger, responder)",
        "first_answer": "first answer",
    }
    lines = [
        _row("cold start (median of runs, min–max)", "ONNX (default)", "sentence-transformers"),
        _row("---", "---", "---"),
    ]
    for phase in PHASES:
        lines.append(_row(names[phase], *(cell([r[phase] for r in cold[e]]) for e in ENGINES)))
    lines.append(_row("**launch → first answer** (library)", *(cell([r["total"] for r in cold[e]]) for e in ENGINES)))
    lines.append(_row("**`ask` CLI: launch → answer printed**", *(cell([a for a, _ in cli[e]]) for e in ENGINES)))
    lines.append(_row("`ask` CLI: launch → process exit", *(cell([x for _, x in cli[e]]) for e in ENGINES)))
    lines.append(_row("**`serve`: launch → first /api/ask answered**", *(cell(serve[e]) for e in ENGINES)))
    lines.append(
        _row("`ask` CLI, an English question (builds the CC-CEDICT bridge)", *(cell(english[e]) for e in ENGINES))
    )
    return lines


def _warm_table(questions: list[str]) -> list[str]:
    ms = {e: {k: [v * 1000 for v in vs] for k, vs in warm(questions, e).items()} for e in ENGINES}

    def cell(values: list[float]) -> str:
        return f"p50 {_pct(values, 0.5):.1f} · p95 {_pct(values, 0.95):.1f} ms"

    lines = [_row("warm (in process)", "ONNX (default)", "sentence-transformers"), _row("---", "---", "---")]
    for name, key in (
        ("ask, new question (query vector not cached)", "ask"),
        ("ask, query vector cached", "ask_cached_query"),
        ("BM25-only lookup", "bm25"),
        ("one bare query embedding", "embed"),
    ):
        lines.append(_row(f"{name} ({len(ms['onnx'][key])} calls)", *(cell(ms[e][key]) for e in ENGINES)))
    ratios = [f"{_pct(ms[e]['ask'], 0.95) / _pct(ms[e]['embed'], 0.95):.2f}×" for e in ENGINES]
    lines.append(_row("**ratio warm ask p95 / bare embedding p95**", *ratios))
    return lines


def _load_table(seconds: float) -> list[str]:
    results = load(seconds)
    lines = [
        _row("server (HTTP API, ONNX)", "clients", "requests/s", "p50 ms", "p95 ms", "errors", "mismatches"),
        _row(*["---"] * 7),
    ]
    for name, r in results:
        lines.append(
            _row(
                name, *(str(r[k]) for k in ("clients", "throughput_per_s", "p50_ms", "p95_ms", "errors", "mismatches"))
            )
        )
    by = {(name, r["clients"]): r for name, r in results}
    before, after = by[(LOAD_SETUPS[0][0], 32)], by[(LOAD_SETUPS[-1][0], 32)]
    ratio = float(after["throughput_per_s"]) / max(float(before["throughput_per_s"]), 1e-9)
    lines.append(f"\n32-client throughput, after / before: **{ratio:.2f}×**")
    return lines


def main() -> None:
    import argparse

    from assistant.grading import load_items

    parser = argparse.ArgumentParser(description="speed of Tongbao QA on this machine")
    parser.add_argument("--runs", type=int, default=3, help="cold starts of the ONNX path (sentence-transformers: 1)")
    parser.add_argument("--load-seconds", type=float, default=10.0, help="seconds per load-test step")
    parser.add_argument("--scale", action="store_true", help="also time index builds and search at ×1/×10/×100")
    args = parser.parse_args()
    dev = Path(__file__).resolve().parents[1] / "tests" / "data" / "dev.jsonl"
    questions = [item.question for item in load_items(dev)]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average {_load_average()} at start",
        flush=True,
    )
    from bench import security

    sections = [_cold_table(args.runs), _warm_table(questions), _load_table(args.load_seconds), security.tables()]
    if args.scale:
        sections.append(_scale_table())
    print("\n\n".join("\n".join(lines) for lines in sections))
    print(f"\nload average {_load_average()} at the end (1 / 5 / 15 min; this machine is shared)")


def _scale_table() -> list[str]:
    lines = [_row("index", "build · search", "note"), _row("---", "---", "---")]
    for name, built, search_ms, vectors, rss in build_and_scale():
        if "HNSW" in name:
            lines.append(_row(name, f"flat {search_ms:.2f} ms · HNSW {rss:.2f} ms per query", "95,400 vectors, k=30"))
            continue
        lines.append(
            _row(
                f"index {name}",
                f"build {built:.1f} s · search p50 {search_ms:.1f} ms",
                f"{vectors} vectors, peak RSS {rss:.0f} MB",
            )
        )
    return lines


if __name__ == "__main__":
    main()
