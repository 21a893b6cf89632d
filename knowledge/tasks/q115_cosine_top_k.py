"""Hidden tests for Q115, vectorised top-k cosine similarity. Each test gets the candidate's module."""

import numpy as np
from harness import check, check_close, check_equal

# Large case: 100 queries x 30,000 corpus rows (3 million pairs), d=32. The reference (one matrix product +
# argpartition) takes about 0.1-0.2 s in a fresh process (up to 0.75 s in the sandbox on a heavily loaded machine);
# a loop over queries vectorised over the corpus about 0.3 s; a Python loop over pairs about 5 s even with np.dot
# per pair (9 s loaded), and pure-Python dot products far longer.
TIME_LIMITS = {"test_large_search_is_vectorised": 2.0}


def _cosine(Q, C):
    Q, C = np.atleast_2d(np.asarray(Q, float)), np.asarray(C, float)
    qn = np.linalg.norm(Q, axis=1, keepdims=True)
    cn = np.linalg.norm(C, axis=1, keepdims=True)
    return (Q / np.where(qn == 0, 1, qn)) @ (C / np.where(cn == 0, 1, cn)).T


def _check_top_k(got, Q, C, k, case):
    """Indices valid and distinct, scores are their true similarities, sorted, and the k best there are."""
    check(isinstance(got, tuple) and len(got) == 2, f"{case}: expected a tuple (indices, scores), got {type(got)}")
    idx, scores = np.asarray(got[0]), np.asarray(got[1], dtype=float)
    sims = _cosine(Q, C)
    q, kk = sims.shape[0], min(k, sims.shape[1])
    check(
        idx.shape == (q, kk) and scores.shape == (q, kk),
        f"{case}: expected indices and scores of shape {(q, kk)}, got {idx.shape} and {scores.shape}",
    )
    check(idx.dtype.kind in "iu", f"{case}: indices should be integers, got dtype {idx.dtype}")
    check(np.all((idx >= 0) & (idx < sims.shape[1])), f"{case}: indices out of range: {idx}")
    check(all(len(set(row.tolist())) == kk for row in idx), f"{case}: an index repeats within a row: {idx}")
    check_close(
        scores,
        np.take_along_axis(sims, idx, axis=1),
        f"{case}: scores vs the cosine of the returned rows",
        rtol=1e-6,
        atol=1e-9,
    )
    check(np.all(np.diff(scores, axis=1) <= 1e-12), f"{case}: scores should decrease along each row, got {scores}")
    check_close(scores, -np.sort(-sims, axis=1)[:, :kk], f"{case}: the best {kk} scores", rtol=1e-6, atol=1e-9)


def test_known_small_case(candidate):
    Q = np.array([[1.0, 0.0], [0.0, 1.0]])
    C = np.array([[0.0, 1.0], [2.0, 0.0], [1.0, 1.0], [-1.0, 0.0]])
    idx, scores = candidate.cosine_top_k(Q, C, 2)
    check_equal(
        np.asarray(idx),
        np.array([[1, 2], [0, 2]]),
        "queries [1,0], [0,1]; corpus [0,1], [2,0], [1,1], [-1,0]; k=2: indices",
    )
    s = np.sqrt(0.5)
    check_close(np.asarray(scores), np.array([[1.0, s], [1.0, s]]), "same case: scores")


def test_cosine_not_dot_product(candidate):
    # Row 0 is long but 60 degrees off; row 1 is short and points the same way as the query.
    Q = np.array([[1.0, 0.0]])
    C = np.array([[100.0, 173.2], [0.01, 0.0], [3.0, 3.0]])
    idx, _ = candidate.cosine_top_k(Q, C, 3)
    check_equal(
        np.asarray(idx),
        np.array([[1, 2, 0]]),
        "query [1,0]; corpus [100,173.2], [0.01,0], [3,3]; k=3: indices (lengths must not matter)",
    )
    idx, _ = candidate.cosine_top_k(Q * 1000.0, C, 1)
    check_equal(np.asarray(idx), np.array([[1]]), "query [1000,0], same corpus, k=1: indices")


def test_matches_brute_force_on_random_data(candidate):
    rng = np.random.default_rng(0)
    Q, C = rng.normal(size=(20, 16)), rng.normal(size=(300, 16))
    got = candidate.cosine_top_k(Q, C, 7)
    _check_top_k(got, Q, C, 7, "20 random queries, 300 corpus rows, d=16, k=7")
    want = np.argsort(-_cosine(Q, C), axis=1, kind="stable")[:, :7]
    check_equal(np.asarray(got[0]), want, "20 random queries, 300 corpus rows, d=16, k=7: indices")


def test_one_query_vector(candidate):
    C = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 1.0, 0.0]])
    idx, scores = candidate.cosine_top_k(np.array([0.0, 2.0, 0.0]), C, 2)
    check_equal(np.asarray(idx), np.array([[1, 2]]), "a single query of shape (3,), k=2: indices (shape (1, 2))")
    check_close(np.asarray(scores), np.array([[1.0, np.sqrt(0.5)]]), "a single query of shape (3,), k=2: scores")


def test_k_larger_than_the_corpus(candidate):
    rng = np.random.default_rng(1)
    Q, C = rng.normal(size=(3, 4)), rng.normal(size=(5, 4))
    _check_top_k(candidate.cosine_top_k(Q, C, 50), Q, C, 50, "3 queries, 5 corpus rows, k=50 (clipped to 5)")


def test_k_below_one_raises(candidate):
    try:
        candidate.cosine_top_k(np.ones((1, 2)), np.ones((3, 2)), 0)
    except ValueError:
        return
    check(False, "k=0: expected ValueError, got no error")


def test_dimension_mismatch_raises(candidate):
    try:
        candidate.cosine_top_k(np.ones((2, 3)), np.ones((4, 5)), 1)
    except ValueError:
        return
    check(False, "queries (2, 3) and corpus (4, 5): expected ValueError, got no error")


def test_zero_vectors_score_zero(candidate):
    C = np.array([[1.0, 0.0], [0.0, 0.0], [-1.0, 0.0]])
    idx, scores = candidate.cosine_top_k(np.array([[1.0, 0.0]]), C, 3)
    check(np.all(np.isfinite(np.asarray(scores, float))), f"corpus with a zero row: scores contain NaN/inf: {scores}")
    check_equal(
        np.asarray(idx),
        np.array([[0, 1, 2]]),
        "query [1,0]; corpus [1,0], [0,0], [-1,0]; k=3: indices (the zero row scores 0, between 1 and -1)",
    )
    check_close(np.asarray(scores), np.array([[1.0, 0.0, -1.0]]), "same case: scores")
    _, scores = candidate.cosine_top_k(np.array([[0.0, 0.0]]), C, 2)
    check_close(np.asarray(scores, float), np.zeros((1, 2)), "zero query vector, k=2: scores")


def test_ties_in_any_order(candidate):
    Q = np.array([[1.0, 0.0]])
    C = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 0.0], [5.0, 0.0], [1.0, 1.0]])  # rows 0, 2, 3 all score 1
    got = candidate.cosine_top_k(Q, C, 2)
    _check_top_k(got, Q, C, 2, "query [1,0]; rows 0, 2, 3 all at similarity 1; k=2")
    got = candidate.cosine_top_k(Q, C, 4)
    _check_top_k(got, Q, C, 4, "query [1,0]; rows 0, 2, 3 at similarity 1, row 4 at 0.707; k=4")
    check_equal(int(np.asarray(got[0])[0, 3]), 4, "same case, k=4: the 4th index")


def test_more_queries_than_one_chunk(candidate):
    rng = np.random.default_rng(2)
    Q, C = rng.normal(size=(2500, 8)), rng.normal(size=(40, 8))
    got = candidate.cosine_top_k(Q, C, 3)
    _check_top_k(got, Q, C, 3, "2500 queries, 40 corpus rows, d=8, k=3")


def test_large_search_is_vectorised(candidate):
    rng = np.random.default_rng(3)
    Q, C = rng.normal(size=(100, 32)), rng.normal(size=(30_000, 32))
    idx, _ = candidate.cosine_top_k(Q, C, 10)
    idx = np.asarray(idx)
    check(idx.shape == (100, 10), f"100 queries, 30000 corpus rows, k=10: expected indices (100, 10), got {idx.shape}")
    rows = [0, 57, 99]
    want = np.argsort(-_cosine(Q[rows], C), axis=1, kind="stable")[:, :10]
    check_equal(idx[rows], want, "100 queries, 30000 corpus rows, d=32, k=10: indices of queries 0, 57 and 99")
