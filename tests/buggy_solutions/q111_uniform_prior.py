"""BUG: class priors default to uniform (1/C) instead of the training class frequencies."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


class GaussianNaiveBayes:
    """Gaussian Naive Bayes with per-class means and variances.

    Parameters
    ----------
    var_smoothing:
        Fraction of the largest feature variance added to every variance, so a
        feature that is constant within a class does not give a zero variance
        (division by zero, infinite log density). Same idea as scikit-learn's
        ``var_smoothing`` (default 1e-9 there too).
    priors:
        Optional fixed class priors in the order of the sorted class labels.
        By default the priors are the class frequencies in the training data.
    """

    def __init__(self, var_smoothing: float = 1e-9, priors: ArrayLike | None = None) -> None:
        if var_smoothing < 0:
            raise ValueError("var_smoothing must be non-negative")
        self.var_smoothing = var_smoothing
        self.priors = None if priors is None else np.asarray(priors, dtype=float)
        self.classes_: NDArray | None = None
        self.theta_: NDArray[np.float64] | None = None  # (n_classes, n_features) means
        self.var_: NDArray[np.float64] | None = None  # (n_classes, n_features) variances
        self.class_log_prior_: NDArray[np.float64] | None = None

    def fit(self, X: ArrayLike, y: ArrayLike) -> GaussianNaiveBayes:
        """Estimate per-class priors, means and (biased, MLE) variances."""
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
            raise ValueError("X must be (n_samples, n_features) and y (n_samples,)")
        classes, y_idx = np.unique(y, return_inverse=True)
        n_classes, n_features = len(classes), X.shape[1]

        theta = np.zeros((n_classes, n_features))
        var = np.zeros((n_classes, n_features))
        counts = np.bincount(y_idx, minlength=n_classes).astype(float)
        for c in range(n_classes):
            Xc = X[y_idx == c]
            theta[c] = Xc.mean(axis=0)
            var[c] = Xc.var(axis=0)  # ddof=0: the maximum-likelihood estimate

        epsilon = self.var_smoothing * float(np.max(X.var(axis=0), initial=0.0))
        var += epsilon
        if np.any(var <= 0):
            # Every feature constant overall: fall back to a tiny absolute floor.
            var = np.maximum(var, np.finfo(float).tiny)

        if self.priors is not None:
            if self.priors.shape != (n_classes,) or not np.isclose(self.priors.sum(), 1.0):
                raise ValueError("priors must have one entry per class and sum to 1")
            prior = self.priors
        else:
            prior = np.ones_like(counts) / n_classes

        self.classes_, self.theta_, self.var_ = classes, theta, var
        with np.errstate(divide="ignore"):
            self.class_log_prior_ = np.log(prior)
        return self

    def joint_log_likelihood(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return log P(c) + sum_j log N(x_j | mu_cj, var_cj), shape (n_samples, n_classes)."""
        if self.theta_ is None or self.var_ is None or self.class_log_prior_ is None:
            raise RuntimeError("call fit() first")
        X = np.asarray(X, dtype=float)
        # Broadcast (n, 1, d) against (1, C, d) -> (n, C, d), then sum over features.
        diff = X[:, None, :] - self.theta_[None, :, :]
        log_norm = -0.5 * np.sum(np.log(2.0 * np.pi * self.var_), axis=1)  # (C,)
        quad = -0.5 * np.sum(diff**2 / self.var_[None, :, :], axis=2)  # (n, C)
        return self.class_log_prior_[None, :] + log_norm[None, :] + quad

    def predict_log_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Posterior log-probabilities, normalised with log-sum-exp."""
        jll = self.joint_log_likelihood(X)
        m = jll.max(axis=1, keepdims=True)
        log_evidence = m + np.log(np.exp(jll - m).sum(axis=1, keepdims=True))
        return jll - log_evidence

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Posterior class probabilities, rows sum to 1."""
        return np.exp(self.predict_log_proba(X))

    def predict(self, X: ArrayLike) -> NDArray:
        """Most probable class label for each row (argmax of the joint log-likelihood)."""
        assert self.classes_ is not None
        return self.classes_[np.argmax(self.joint_log_likelihood(X), axis=1)]
