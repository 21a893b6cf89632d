"""A fast stand-in for the sentence embedder: hashed bag of word stems, L2-normalised.

Similar wording gives similar vectors, which is all the interview and API tests need; tests that judge real
quality load the packaged model instead (marked `model`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from mock_interviewer.embeddings import Vectors
from mock_interviewer.text import words

# fmt: off
STOP = frozenset(("a", "an", "the", "is", "are", "of", "to", "in", "on", "for", "and", "or", "it", "this", "that", "be", "by", "with", "as", "at"))
# fmt: on


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            return word[: -len(suffix)]
    return word


class FakeEmbedder:
    name = "fake-hash-embedder"
    dim = 256

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in words(text):
                if word in STOP:
                    continue
                bucket = int(hashlib.md5(_stem(word).encode()).hexdigest()[:8], 16) % self.dim
                out[row, bucket] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else 1.0 / np.sqrt(self.dim)
        return out
