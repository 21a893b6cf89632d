from __future__ import annotations

import shutil
from pathlib import Path

from mock_interviewer.bank import Bank, load_bank
from mock_interviewer.index import build_index, cache_path, is_cached

from .conftest import KNOWLEDGE
from .fakes import FakeEmbedder


def copy_bank(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


def test_first_build_embeds_and_caches_then_loads_without_embedding(tmp_path: Path, bank: Bank) -> None:
    embedder = FakeEmbedder()
    build_index(bank, embedder, tmp_path)
    assert is_cached(tmp_path, bank, embedder) and embedder.calls == 1
    index = build_index(bank, embedder, tmp_path)
    assert embedder.calls == 1  # loaded from disk, nothing embedded
    assert index.search("bias variance tradeoff", 1)[0].number == 1


def test_each_embedder_keeps_its_own_cache(tmp_path: Path, bank: Bank) -> None:
    search, grading = FakeEmbedder(), FakeEmbedder()
    grading.name = "fake@static-256"
    build_index(bank, search, tmp_path)
    build_index(bank, grading, tmp_path)  # writing the second must not delete the first as stale
    assert is_cached(tmp_path, bank, search) and is_cached(tmp_path, bank, grading)
    assert cache_path(tmp_path, bank, search) != cache_path(tmp_path, bank, grading)


def test_changing_a_question_makes_the_cache_stale(tmp_path: Path) -> None:
    knowledge = copy_bank(tmp_path)
    embedder = FakeEmbedder()
    before = load_bank(knowledge)
    build_index(before, embedder, tmp_path / "cache")
    path = knowledge / "002-overfitting.md"
    path.write_text(path.read_text().replace("Explain overfitting.", "Explain overfitting, please."))
    after = load_bank(knowledge)
    assert after.fingerprint != before.fingerprint
    assert not is_cached(tmp_path / "cache", after, embedder)
    build_index(after, embedder, tmp_path / "cache")
    assert embedder.calls == 2
    # only the current cache is kept
    assert [p.name for p in (tmp_path / "cache").glob("*.npz")] == [
        cache_path(tmp_path / "cache", after, embedder).name
    ]


def test_changing_a_solution_file_makes_the_cache_stale(tmp_path: Path) -> None:
    knowledge = copy_bank(tmp_path)
    before = load_bank(knowledge).fingerprint
    solution = knowledge / "solutions" / "q101_kmeans.py"
    solution.write_text(solution.read_text() + "\n# changed\n")
    assert load_bank(knowledge).fingerprint != before


def test_another_model_gets_its_own_cache(tmp_path: Path, bank: Bank) -> None:
    class OtherModel(FakeEmbedder):
        name = "another-model"

    assert cache_path(tmp_path, bank, FakeEmbedder()) != cache_path(tmp_path, bank, OtherModel())


def test_a_corrupt_cache_is_rebuilt_not_fatal(tmp_path: Path, bank: Bank) -> None:
    embedder = FakeEmbedder()
    build_index(bank, embedder, tmp_path)
    cache_path(tmp_path, bank, embedder).write_bytes(b"not an npz file")
    index = build_index(bank, embedder, tmp_path)
    assert embedder.calls == 2
    assert index.search("k-means clustering centroids", 3)


def test_force_rebuilds_even_when_fresh(tmp_path: Path, bank: Bank) -> None:
    embedder = FakeEmbedder()
    build_index(bank, embedder, tmp_path)
    build_index(bank, embedder, tmp_path, force=True)
    assert embedder.calls == 2


def test_search_returns_k_distinct_questions_best_first(fake_index) -> None:  # type: ignore[no-untyped-def]
    hits = fake_index.search("dropout randomly zeroes units during training", 5)
    assert len(hits) == 5 and len({h.number for h in hits}) == 5
    assert hits[0].number == 54


def test_implementation_intent_prefers_the_coding_question(fake_index) -> None:  # type: ignore[no-untyped-def]
    assert fake_index.search("implement k-means from scratch in numpy", 1)[0].number == 101
    assert fake_index.search("what are the limitations of k-means clustering", 1)[0].number == 24
