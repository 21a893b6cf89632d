"""Search quality and speed: top-1/top-3 on the paraphrase set, index build, cold start, query latency.

    .venv/bin/python bench/search.py [--embedder onnx|torch] [--tune]

--tune grid-searches the fusion weights on the tunable paraphrases (dev + the first holdout); the fresh set is
only measured. --dev-only skips the fresh set, for deciding a change without reading the held-out figure.
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.datasets import TUNABLE, Paraphrase, paraphrases  # noqa: E402
from mock_interviewer.bank import load_bank  # noqa: E402
from mock_interviewer.embeddings import Vectors, load_embedder  # noqa: E402
from mock_interviewer.index import WEIGHTS, BankIndex, build_index  # noqa: E402


def accuracy(
    index: BankIndex, rows: list[Paraphrase], vectors: Vectors, weights: dict[str, float] | None = None
) -> tuple[float, float, list[tuple[int, str, int]]]:
    top1 = top3 = 0
    misses = []
    for row, vector in zip(rows, vectors, strict=True):
        hits = [h.number for h in index.search_vector(row.query, vector, 3, weights)]
        top1 += hits[0] == row.number
        top3 += row.number in hits
        if hits[0] != row.number:
            misses.append((row.number, row.query, hits[0]))
    return top1 / len(rows), top3 / len(rows), misses


def cold_start(embedder: str, cache_dir: Path) -> float:
    """Seconds for a new process to import, load bank + cached index + model, and answer one query."""
    code = (
        "from pathlib import Path\n"
        "from mock_interviewer.bank import load_bank\n"
        "from mock_interviewer.embeddings import load_embedder\n"
        "from mock_interviewer.index import build_index\n"
        f"idx = build_index(load_bank(Path('{ROOT / 'knowledge'}')), load_embedder('{embedder}'), Path('{cache_dir}'))\n"
        "print(idx.search('why does my model do well on training data but badly on new data', 1))\n"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return time.perf_counter() - started


def tune(index: BankIndex, dev: list[Paraphrase], vectors: Vectors) -> dict[str, float]:
    grid = {
        "title_keypoints": [0, 0.5, 1],
        "title_answer": [0, 0.5, 1],
        "centroid": [0.5, 1, 1.5],
        "best_text": [0, 0.5, 1],
        "bm25": [1, 2, 3],
        "intent": [0, 1, 2, 3],
    }
    best: tuple[float, dict[str, float]] = (-1.0, {})
    for values in itertools.product(*grid.values()):
        weights = dict(zip(grid, values, strict=True))
        top1, _, _ = accuracy(index, dev, vectors, weights)
        if top1 > best[0]:
            best = (top1, weights)
    print(f"tuned on dev: top1={best[0]:.3f} with {best[1]}")
    return best[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default=os.environ.get("MOCK_INTERVIEWER_EMBEDDER", "onnx"))
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--dev-only", action="store_true", help="skip the fresh (held-out) set")
    args = parser.parse_args()

    bank = load_bank(ROOT / "knowledge")
    rows = paraphrases()
    tunable = [r for r in rows if r.split in TUNABLE]
    fresh = [r for r in rows if r.split == "fresh"]
    embedder = load_embedder(args.embedder)
    print(f"bank: {len(bank)} questions; paraphrases: {len(tunable)} tunable + {len(fresh)} fresh; {embedder.name}")

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        index = build_index(bank, embedder, Path(tmp), force=True)
        build_s = time.perf_counter() - started
        vectors = {r.query: v for r, v in zip(rows, embedder.encode([r.query for r in rows]), strict=True)}

        def measure(
            subset: list[Paraphrase], weights: dict[str, float]
        ) -> tuple[float, float, list[tuple[int, str, int]]]:
            return accuracy(index, subset, np.stack([vectors[r.query] for r in subset]), weights)

        weights = tune(index, tunable, np.stack([vectors[r.query] for r in tunable])) if args.tune else WEIGHTS
        for split in TUNABLE:
            t1, t3, _ = measure([r for r in tunable if r.split == split], weights)
            print(f"hybrid search  {split:>7}: top1={t1:.3f} top3={t3:.3f}")
        print(f"index build (embed the whole bank, {embedder.name}): {build_s:.1f}s")
        if args.dev_only:
            print("(fresh set not measured)")
            return
        f1, f3, misses = measure(fresh, weights)
        print(f"hybrid search    FRESH: top1={f1:.3f} top3={f3:.3f}   <- the held-out figure")
        b1, b3, _ = measure(fresh, {"title_keypoints": 1.0})
        print(f"(baseline: title+key points dense only, fresh top1={b1:.3f} top3={b3:.3f})")
        for number, query, got in misses:
            print(f"  fresh miss: Q{number} <- {query!r} (ranked Q{got} first)")

        latencies = []
        for row in fresh:
            started = time.perf_counter()
            index.search(row.query, 5)
            latencies.append((time.perf_counter() - started) * 1000)
        p50, p95 = np.percentile(latencies, [50, 95])
        print(
            f"query latency (embed + FAISS + BM25 + fusion), {len(latencies)} queries: p50={p50:.1f} ms p95={p95:.1f} ms"
        )
        starts = [cold_start(args.embedder, Path(tmp)) for _ in range(3)]
        print(f"cold start with cached index (new process to first result), best of 3: {min(starts):.2f}s")


if __name__ == "__main__":
    main()
