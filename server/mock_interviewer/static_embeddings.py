"""A static embedder distilled from all-MiniLM-L6-v2: one vector per vocabulary token, so a sentence costs a lookup.

The offline grader embeds every sentence of an answer; through the transformer a 200-word answer takes ~130 ms on
two cores, through this table well under 2 ms, and it grades the evaluation sets as well (docs/benchmarks.md).

The recipe is model2vec's: embed each vocabulary token on its own through the transformer ([CLS] token [SEP],
mean-pooled), reduce the vectors to 256 dimensions with PCA, and down-weight frequent tokens (Zipf rank, SIF); a
text is the normalised mean of its tokens' vectors. The table is distilled once from the packaged ONNX model
(~15 s) and cached. model2vec's own distill extra pins transformers<5.4, which clashes with sentence-transformers
here, and the recipe is three array operations.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .embeddings import MODEL_NAME, OnnxMiniLM, Vectors, _model_dir, _normalize
from .text import american_spelling

log = logging.getLogger(__name__)

DIMS = 256
SIF = 1e-4
RECIPE_VERSION = "1"
_SKIPPED_TOKEN = re.compile(r"^\[(unused\d+|PAD|UNK|CLS|SEP|MASK)\]$")


class StaticMiniLM:
    # The recipe version keys the grading index cache too; "-us": texts are read in American spelling.
    name = f"{MODEL_NAME}@static-{DIMS}-v{RECIPE_VERSION}-us"
    dim = DIMS

    def __init__(self, table: Vectors) -> None:
        from tokenizers import Tokenizer

        self._table = table  # (vocabulary size, DIMS); rows of skipped tokens are zero and never looked up
        self._tokenizer = Tokenizer.from_file(str(_model_dir() / "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self._usable = np.abs(table).sum(axis=1) > 0

    @classmethod
    def load(cls, cache_dir: Path) -> StaticMiniLM:
        """The cached table, distilled first if it is missing or unreadable."""
        path = cache_dir / f"minilm-static-{DIMS}-v{RECIPE_VERSION}.npy"
        if path.exists():
            try:
                return cls(np.load(path, allow_pickle=False))
            except (OSError, ValueError) as exc:  # a truncated file is rebuilt
                log.warning("static embedding table %s is unreadable (%s); distilling again", path.name, exc)
        table = distill()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npy")
        with os.fdopen(fd, "wb") as handle:
            np.save(handle, table)
        os.replace(tmp, path)
        return cls(table)

    def encode(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), DIMS), dtype=np.float32)
        american = [american_spelling(t) for t in texts]  # "normalise" and "normalize" share their tokens
        for row, encoding in enumerate(self._tokenizer.encode_batch(american, add_special_tokens=False)):
            ids = np.asarray(encoding.ids, dtype=np.int64)
            ids = ids[self._usable[ids]] if len(ids) else ids
            if len(ids):
                out[row] = self._table[ids].mean(axis=0)
        return _normalize(out)


def distill(model: OnnxMiniLM | None = None, batch: int = 512) -> Vectors:
    """One row per vocabulary token: its transformer embedding, PCA-reduced and weighted by its Zipf rank."""
    from tokenizers import Tokenizer

    model = model or OnnxMiniLM()
    started = time.perf_counter()
    vocab = Tokenizer.from_file(str(_model_dir() / "tokenizer.json")).get_vocab()
    cls_id, sep_id = vocab["[CLS]"], vocab["[SEP]"]
    kept = sorted(i for token, i in vocab.items() if not _SKIPPED_TOKEN.match(token))  # id order ~ frequency
    raw = np.zeros((len(kept), OnnxMiniLM.dim), dtype=np.float32)
    for start in range(0, len(kept), batch):
        chunk = kept[start : start + batch]
        ids = np.array([[cls_id, i, sep_id] for i in chunk], dtype=np.int64)
        raw[start : start + len(chunk)] = model.mean_pool(ids, np.ones_like(ids))
    reduced = _pca(raw, DIMS)
    rank_probability = 1 / np.arange(2, len(kept) + 2)
    rank_probability /= rank_probability.sum()
    weighted = reduced * (SIF / (SIF + rank_probability))[:, None]
    table = np.zeros((len(vocab), DIMS), dtype=np.float32)
    table[kept] = weighted
    log.info("distilled a static table of %d tokens in %.1fs", len(kept), time.perf_counter() - started)
    return table


def _pca(x: npt.NDArray[np.float32], dims: int) -> npt.NDArray[np.float32]:
    centred = x - x.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(centred, rowvar=False))
    top = eigenvectors[:, np.argsort(eigenvalues)[::-1][:dims]]
    projected: npt.NDArray[np.float32] = (centred @ top).astype(np.float32)
    return projected
