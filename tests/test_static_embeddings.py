"""The grader's static table: distilled once, cached, rebuilt when unreadable, and semantically sensible."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mock_interviewer import static_embeddings
from mock_interviewer.static_embeddings import DIMS, StaticMiniLM


@pytest.fixture
def counted_distill(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Replaces the 15-second distillation with a random table of the right shape, and counts the calls."""
    calls: list[int] = []

    def fake_distill() -> np.ndarray:
        calls.append(1)
        return np.random.default_rng(0).normal(size=(30522, DIMS)).astype(np.float32)

    monkeypatch.setattr(static_embeddings, "distill", fake_distill)
    return calls


def test_the_table_is_distilled_once_then_read_from_the_cache(tmp_path: Path, counted_distill: list[int]) -> None:
    first = StaticMiniLM.load(tmp_path)
    second = StaticMiniLM.load(tmp_path)
    assert counted_distill == [1]
    texts = ["bagging reduces variance", "a second text"]
    assert np.allclose(first.encode(texts), second.encode(texts))
    assert np.allclose(np.linalg.norm(first.encode(texts), axis=1), 1, atol=1e-5)


def test_an_unreadable_table_is_distilled_again(tmp_path: Path, counted_distill: list[int]) -> None:
    StaticMiniLM.load(tmp_path)
    (table,) = tmp_path.glob("minilm-static-*.npy")
    table.write_bytes(b"not a numpy file")
    StaticMiniLM.load(tmp_path)
    assert counted_distill == [1, 1]


def test_empty_input_and_unknown_text_give_well_formed_vectors(tmp_path: Path, counted_distill: list[int]) -> None:
    model = StaticMiniLM.load(tmp_path)
    assert model.encode([]).shape == (0, DIMS)
    vectors = model.encode(["", "¿¿¿"])
    assert vectors.shape == (2, DIMS) and np.isfinite(vectors).all()


@pytest.mark.model
def test_the_real_table_puts_paraphrases_closer_than_other_topics() -> None:
    from mock_interviewer.config import PROJECT_ROOT

    model = StaticMiniLM.load(PROJECT_ROOT / ".cache")
    a, b, c = model.encode(
        [
            "Bagging averages many trees trained on bootstrap samples, which lowers variance.",
            "Averaging trees fit on resampled data reduces the variance of the ensemble.",
            "The central limit theorem says sample means become approximately normal.",
        ]
    )
    assert a @ b > a @ c + 0.2
