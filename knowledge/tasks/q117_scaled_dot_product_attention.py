"""Hidden tests for Q117, scaled dot-product attention with masks. Each test gets the candidate's module."""

import math

import numpy as np
from harness import check, check_close, check_equal

# The reference (batched matmul + masked softmax) takes about 0.1 s on the large case; a loop over queries that
# is vectorised over keys about 0.2 s; a Python loop over (query, key) pairs over 3.5 s even with np.dot per pair.
TIME_LIMITS = {"test_large_input_is_vectorised": 2.0}


def _attention(Q, K, V, mask=None):
    """Plain 2-D attention, one query at a time, in Python floats (mask: True = attend)."""
    d = Q.shape[-1]
    weights = np.zeros((Q.shape[0], K.shape[0]))
    for i in range(Q.shape[0]):
        allowed = [j for j in range(K.shape[0]) if mask is None or mask[i, j]]
        if not allowed:
            continue
        s = {j: float(Q[i] @ K[j]) / math.sqrt(d) for j in allowed}
        top = max(s.values())
        z = sum(math.exp(v - top) for v in s.values())
        for j in allowed:
            weights[i, j] = math.exp(s[j] - top) / z
    return weights @ V, weights


def _result(got, case):
    check(isinstance(got, tuple) and len(got) == 2, f"{case}: expected a tuple (output, weights), got {type(got)}")
    return np.asarray(got[0], dtype=float), np.asarray(got[1], dtype=float)


def test_matches_the_formula(candidate):
    rng = np.random.default_rng(0)
    Q, K, V = rng.normal(size=(4, 8)), rng.normal(size=(6, 8)), rng.normal(size=(6, 3))
    out, w = _result(candidate.scaled_dot_product_attention(Q, K, V), "Q (4, 8), K (6, 8), V (6, 3)")
    want_out, want_w = _attention(Q, K, V)
    check_close(w, want_w, "random Q (4, 8), K (6, 8), V (6, 3), no mask: weights")
    check_close(out, want_out, "random Q (4, 8), K (6, 8), V (6, 3), no mask: output (shape (4, 3))")


def test_scores_are_divided_by_sqrt_dk(candidate):
    Q = np.ones((1, 4))
    K = np.array([[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]])  # scores 4 / sqrt(4) = 2 and 0
    _, w = _result(candidate.scaled_dot_product_attention(Q, K, np.eye(2)), "d_k=4")
    e = math.exp(2.0)
    check_close(
        w,
        np.array([[e / (e + 1), 1 / (e + 1)]]),
        "Q=[[1,1,1,1]], K=[[1,1,1,1],[0,0,0,0]] (scores 2 and 0 after dividing by sqrt(4)): weights",
    )


def test_causal_mask_blocks_future_keys(candidate):
    rng = np.random.default_rng(1)
    L = 5
    Q, K, V = rng.normal(size=(L, 4)), rng.normal(size=(L, 4)), rng.normal(size=(L, 2))
    mask = np.tril(np.ones((L, L), dtype=bool))
    out, w = _result(candidate.scaled_dot_product_attention(Q, K, V, mask), "causal, L=5")
    check(
        np.all(w[~mask] == 0),
        f"L=5 with a lower-triangular mask: weights above the diagonal must be exactly 0, got {w}",
    )
    want_out, want_w = _attention(Q, K, V, mask)
    check_close(w, want_w, "random Q, K, V (5, 4), lower-triangular mask: weights")
    check_close(out, want_out, "random Q, K, V (5, 4), lower-triangular mask: output")
    check_close(out[0], V[0], "lower-triangular mask: the first query sees only the first key, output[0] == V[0]")


def test_causal_mask_function(candidate):
    got = np.asarray(candidate.causal_mask(4))
    check(got.dtype == bool, f"causal_mask(4): expected a boolean array, got dtype {got.dtype}")
    check_equal(got, np.tril(np.ones((4, 4), dtype=bool)), "causal_mask(4)")
    check_equal(
        np.asarray(candidate.causal_mask(2, 5)),
        np.array([[True, True, True, True, False], [True, True, True, True, True]]),
        "causal_mask(2, 5) (2 new queries after 3 cached keys)",
    )
    check_equal(np.asarray(candidate.causal_mask(1)), np.array([[True]]), "causal_mask(1)")


def test_padding_mask_broadcasts_over_queries(candidate):
    rng = np.random.default_rng(2)
    B, Lq, Lk, d = 2, 3, 5, 4
    lengths = [3, 5]
    Q, K, V = rng.normal(size=(B, Lq, d)), rng.normal(size=(B, Lk, d)), rng.normal(size=(B, Lk, 2))
    mask = (np.arange(Lk)[None, :] < np.array(lengths)[:, None])[:, None, :]  # (B, 1, Lk)
    out, w = _result(candidate.scaled_dot_product_attention(Q, K, V, mask), "padding mask")
    check(
        w.shape == (B, Lq, Lk) and out.shape == (B, Lq, 2),
        f"Q (2, 3, 4), K (2, 5, 4), V (2, 5, 2), mask (2, 1, 5): expected weights (2, 3, 5) and output (2, 3, 2), "
        f"got {w.shape} and {out.shape}",
    )
    check(np.all(w[0, :, 3:] == 0), f"padding mask, sequence 0 of length 3: weights on keys 3, 4 must be 0, got {w[0]}")
    for b, n in enumerate(lengths):
        want_out, want_w = _attention(Q[b], K[b, :n], V[b, :n])
        check_close(
            w[b, :, :n],
            want_w,
            f"padding mask, sequence {b} of length {n}: weights equal attention over its first {n} keys only",
        )
        check_close(out[b], want_out, f"padding mask, sequence {b} of length {n}: output")


def test_huge_scores_do_not_overflow(candidate):
    Q = np.array([[1000.0, 0.0], [-1000.0, 0.0]])
    K = np.array([[1000.0, 0.0], [0.0, 1000.0], [-1000.0, 0.0]])  # scores up to +-1e6 / sqrt(2)
    V = np.array([[1.0, 0.0], [0.0, 1.0], [5.0, 5.0]])
    out, w = _result(candidate.scaled_dot_product_attention(Q, K, V), "huge scores")
    check(np.all(np.isfinite(w)) and np.all(np.isfinite(out)), f"scores of order 1e6: NaN or inf in weights {w}")
    check_close(w, np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), "scores of order 1e6: weights (one-hot)")
    check_close(out, np.array([[1.0, 0.0], [5.0, 5.0]]), "scores of order 1e6: output")


def test_fully_masked_row_gives_zeros(candidate):
    rng = np.random.default_rng(3)
    Q, K, V = rng.normal(size=(3, 4)), rng.normal(size=(4, 4)), rng.normal(size=(4, 2))
    mask = np.array([[True, True, False, False], [False, False, False, False], [True, True, True, True]])
    out, w = _result(candidate.scaled_dot_product_attention(Q, K, V, mask), "fully masked row")
    check(np.all(np.isfinite(w)) and np.all(np.isfinite(out)), f"query 1 with every key blocked: NaN in weights {w}")
    check_close(w[1], np.zeros(4), "query 1 with every key blocked: its weights")
    check_close(out[1], np.zeros(2), "query 1 with every key blocked: its output")
    want_out, want_w = _attention(Q, K, V, mask)
    check_close(w, want_w, "3 queries, one of them fully masked: weights of all rows")
    check_close(out, want_out, "3 queries, one of them fully masked: output of all rows")


def test_batch_and_head_axes_broadcast(candidate):
    rng = np.random.default_rng(4)
    Q, K, V = rng.normal(size=(2, 3, 4, 8)), rng.normal(size=(2, 3, 6, 8)), rng.normal(size=(2, 3, 6, 5))
    mask = rng.random((4, 6)) < 0.7
    mask[:, 0] = True
    out, w = _result(candidate.scaled_dot_product_attention(Q, K, V, mask), "batch and heads")
    check(
        out.shape == (2, 3, 4, 5) and w.shape == (2, 3, 4, 6),
        f"Q (2, 3, 4, 8), K (2, 3, 6, 8), V (2, 3, 6, 5), mask (4, 6): expected output (2, 3, 4, 5) and weights "
        f"(2, 3, 4, 6), got {out.shape} and {w.shape}",
    )
    for b in range(2):
        for h in range(3):
            want_out, want_w = _attention(Q[b, h], K[b, h], V[b, h], mask)
            check_close(out[b, h], want_out, f"batch {b}, head {h} of Q (2, 3, 4, 8) with a (4, 6) mask: output")
            check_close(w[b, h], want_w, f"batch {b}, head {h} of Q (2, 3, 4, 8) with a (4, 6) mask: weights")


def test_mismatched_shapes_raise(candidate):
    cases = [(((2, 4), (3, 5), (3, 2)), "Q (2, 4), K (3, 5)"), (((2, 4), (3, 4), (5, 2)), "K (3, 4), V (5, 2)")]
    for shapes, what in cases:
        try:
            candidate.scaled_dot_product_attention(*(np.ones(s) for s in shapes))
        except ValueError:
            continue
        check(False, f"{what}: expected ValueError, got no error")


def test_large_input_is_vectorised(candidate):
    rng = np.random.default_rng(5)
    shape = (2, 4, 384, 64)
    Q, K, V = (rng.normal(size=shape) for _ in range(3))
    mask = np.tril(np.ones((384, 384), dtype=bool))
    out, w = _result(candidate.scaled_dot_product_attention(Q, K, V, mask), "large")
    check(
        out.shape == shape and w.shape == (2, 4, 384, 384),
        f"Q, K, V {shape} with a causal mask: expected output {shape} and weights (2, 4, 384, 384), got {out.shape} "
        f"and {w.shape}",
    )
    s = Q[1, 2, 100] @ K[1, 2, :101].T / 8.0
    e = np.exp(s - s.max())
    check_close(out[1, 2, 100], (e / e.sum()) @ V[1, 2, :101], f"Q, K, V {shape}, causal mask: output[1, 2, 100]")
