"""Semantic search over the bank, and the bank's cached vectors.

Search is hybrid, because short casual queries share few words with a question and the small embedding model
alone ranks the right question first only ~60% of the time (bench/search.py). A question's score is a weighted
sum of z-scored signals:
- dense (FAISS, inner product on normalised all-MiniLM-L6-v2 vectors): the title with its key points; the title
  with the reference answer; the centroid of all the question's texts; the best single text;
- lexical: BM25 (bm25s, stemmed) over the question's whole text, which catches rare exact terms;
- intent: whether the query asks to implement something, matched against the coding section.
The weights were chosen on the dev paraphrases only; docs/benchmarks.md reports the held-aside figure.

Everything the embedder computes from the bank (search documents, key points, mistakes, follow-ups, reference
sentences, used by the grader too) is cached in one file keyed by the bank's fingerprint and the model name,
and rebuilt only when one of those changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import bm25s
import faiss
import numpy as np
import Stemmer

from .bank import Bank, Question, Section
from .embeddings import Embedder, Vectors
from .text import sentences

log = logging.getLogger(__name__)
# bm25s pins its logger to DEBUG when imported; let it follow the level the application chose.
logging.getLogger("bm25s").setLevel(logging.NOTSET)
CACHE_VERSION = "4"

# Weights of the z-scored signals, chosen by a grid search on the dev paraphrases (bench/search.py --tune).
WEIGHTS = {"title_keypoints": 0.5, "title_answer": 1.0, "centroid": 0.5, "best_text": 0.5, "bm25": 2.0, "intent": 1.0}
IMPLEMENT_INTENT = re.compile(
    r"\b(code|coding|implement\w*|write|writing|function|numpy|from scratch|by hand|myself|my own|python|loop|"
    r"vectori[sz]ed?|data structure|without (sklearn|autograd|pytorch|a library|libraries|any library)|"
    r"no (sklearn|framework|library))\b",
    re.IGNORECASE,
)
_STEMMER = Stemmer.Stemmer("english")


@dataclass(frozen=True)
class SearchHit:
    number: int
    score: float


@dataclass(frozen=True)
class QuestionVectors:
    title: Vectors  # (1, d)
    key_points: Vectors  # (k, d)
    mistakes: Vectors  # (m, d): the wrong claims
    corrections: Vectors  # (m, d): what is true instead
    follow_ups: Vectors  # (f, d): question and what it expects
    reference: Vectors  # (s, d): sentences of the reference answer
    aliases: Vectors  # (a, d): other ways to ask for the question


_GROUPS = ("title", "key_points", "mistakes", "corrections", "follow_ups", "reference", "aliases")
_VIEWS = ("title_keypoints", "title_answer")


def _texts(q: Question) -> dict[str, list[str]]:
    return {
        "title_keypoints": [" ".join([q.title, *q.key_points])],
        "title_answer": [f"{q.title} {q.reference_answer}"],
        "title": [q.title],
        "key_points": list(q.key_points),
        "mistakes": [m.claim for m in q.mistakes],
        "corrections": [m.correction for m in q.mistakes],
        "follow_ups": [f"{f.question} {f.expects}" for f in q.follow_ups],
        "reference": sentences(q.reference_answer) or [q.reference_answer],
        "aliases": list(q.aliases),
    }


def _lexical_text(q: Question) -> str:
    parts = [q.title, q.title, *q.tags, *q.tags, *q.aliases, *q.key_points, q.reference_answer]
    # Mistakes stay out: wrong claims often borrow other topics' vocabulary (measured: dev top-1 drops).
    parts += [f"{f.question} {f.expects}" for f in q.follow_ups]
    return " ".join(parts)


def _zscore(x: np.ndarray) -> np.ndarray:
    std = float(x.std())
    return (x - x.mean()) / std if std > 1e-9 else np.zeros_like(x)


class BankIndex:
    def __init__(self, bank: Bank, embedder: Embedder, arrays: dict[str, np.ndarray]) -> None:
        self.bank = bank
        self.embedder = embedder
        self.numbers = np.array([q.number for q in bank])
        vectors, numbers, kinds = arrays["vectors"].astype(np.float32), arrays["numbers"], arrays["kinds"]
        self.vectors: dict[int, QuestionVectors] = {}
        docs: list[Vectors] = []
        for q in bank:
            mine = numbers == q.number
            self.vectors[q.number] = QuestionVectors(**{g: vectors[mine & (kinds == g)] for g in _GROUPS})
        # FAISS holds every dense document: one per view per question, then every single text for "best_text".
        for view in _VIEWS:
            docs.append(np.stack([vectors[(numbers == q.number) & (kinds == view)][0] for q in bank]))
        docs.append(np.stack([self._centroid(q.number) for q in bank]))
        singles = np.isin(kinds, ("title", "key_points", "reference", "follow_ups", "aliases"))
        docs.append(vectors[singles])
        self._single_owner = np.searchsorted(self.numbers, numbers[singles])
        matrix = np.ascontiguousarray(np.concatenate(docs))
        self._faiss = faiss.IndexFlatIP(matrix.shape[1])
        self._faiss.add(matrix)
        self._is_coding = np.array([q.section is Section.coding for q in bank])
        self._bm25 = bm25s.BM25()
        corpus = bm25s.tokenize([_lexical_text(q) for q in bank], stopwords="en", stemmer=_STEMMER, show_progress=False)
        self._bm25.index(corpus, show_progress=False)

    def _centroid(self, number: int) -> Vectors:
        v = self.vectors[number]
        mean = np.concatenate([v.title, v.key_points, v.reference, v.follow_ups]).mean(axis=0)
        centroid: Vectors = (mean / np.linalg.norm(mean)).astype(np.float32)
        return centroid

    def signals(self, query: str, vector: Vectors) -> dict[str, np.ndarray]:
        """Each signal's raw score for every question (in bank order)."""
        n = len(self.numbers)
        scores, ids = self._faiss.search(vector.reshape(1, -1).astype(np.float32), self._faiss.ntotal)
        full = np.empty(self._faiss.ntotal, dtype=np.float32)
        full[ids[0]] = scores[0]
        best_text = np.full(n, -1.0, dtype=np.float32)
        np.maximum.at(best_text, self._single_owner, full[3 * n :])
        tokens = bm25s.tokenize([query], stopwords="en", stemmer=_STEMMER, show_progress=False, return_ids=False)
        wants_code = bool(IMPLEMENT_INTENT.search(query))
        return {
            "title_keypoints": full[:n],
            "title_answer": full[n : 2 * n],
            "centroid": full[2 * n : 3 * n],
            "best_text": best_text,
            "bm25": self._bm25.get_scores(tokens[0]) if tokens and tokens[0] else np.zeros(n),
            "intent": (self._is_coding == wants_code).astype(np.float32),
        }

    def search(self, query: str, k: int = 5) -> list[SearchHit]:
        return self.search_vector(query, self.embedder.encode([query])[0], k)

    def search_vector(
        self, query: str, vector: Vectors, k: int = 5, weights: dict[str, float] | None = None
    ) -> list[SearchHit]:
        weights = weights or WEIGHTS
        signals = self.signals(query, vector)
        fused = sum(w * _zscore(signals[name].astype(np.float64)) for name, w in weights.items())
        order = np.argsort(-np.asarray(fused))[: max(1, min(k, len(self.numbers)))]
        # The reported score is the dense similarity of the best view, a cosine the user can read.
        cosine = np.maximum(signals["title_keypoints"], signals["centroid"])
        return [SearchHit(int(self.numbers[i]), float(cosine[i])) for i in order]


def cache_key(bank: Bank, embedder: Embedder) -> str:
    raw = "|".join([CACHE_VERSION, bank.fingerprint, embedder.name])
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def _slug(embedder: Embedder) -> str:
    return re.sub(r"[^a-z0-9]+", "-", embedder.name.rsplit("@", 1)[-1].lower()).strip("-")


def cache_path(cache_dir: Path, bank: Bank, embedder: Embedder) -> Path:
    """One cache per embedder (search and grading use different ones), keyed by the bank and the model."""
    return cache_dir / f"bank-index-{_slug(embedder)}-{cache_key(bank, embedder)}.npz"


def _embed_bank(bank: Bank, embedder: Embedder) -> dict[str, np.ndarray]:
    texts: list[str] = []
    numbers: list[int] = []
    kinds: list[str] = []
    for q in bank:
        for kind, group in _texts(q).items():
            texts.extend(group)
            numbers.extend([q.number] * len(group))
            kinds.extend([kind] * len(group))
    return {"vectors": embedder.encode(texts), "numbers": np.array(numbers, dtype=np.int32), "kinds": np.array(kinds)}


def build_index(bank: Bank, embedder: Embedder, cache_dir: Path | None = None, *, force: bool = False) -> BankIndex:
    """Load the cached vectors if they match the bank and model, else embed the bank and cache them."""
    path = cache_path(cache_dir, bank, embedder) if cache_dir else None
    if path is not None and path.exists() and not force:
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in ("vectors", "numbers", "kinds")}
            log.info("loaded cached index %s", path.name)
            return BankIndex(bank, embedder, arrays)
        except (OSError, ValueError, KeyError, IndexError) as exc:  # a truncated or corrupt cache is rebuilt
            log.warning("cached index %s is unreadable (%s); rebuilding", path.name, exc)
    started = time.perf_counter()
    arrays = _embed_bank(bank, embedder)
    log.info("embedded %d texts in %.1fs", len(arrays["numbers"]), time.perf_counter() - started)
    if path is not None:
        _write_atomically(path, arrays, {"bank": bank.fingerprint, "model": embedder.name}, _slug(embedder))
    return BankIndex(bank, embedder, arrays)


def _write_atomically(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, str], slug: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f"bank-index-{slug}-{'[0-9a-f]' * 20}.*"):  # older banks' caches, this embedder
        stale.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
    with os.fdopen(fd, "wb") as handle:
        np.savez(handle, **arrays)  # type: ignore[arg-type]
    os.replace(tmp, path)
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2))


def is_cached(cache_dir: Path, bank: Bank, embedder: Embedder) -> bool:
    return cache_path(cache_dir, bank, embedder).exists()
