"""Does a sentence embedding know that a claim is false, beyond how similar it is to the truth?

    .venv/bin/python bench/truth_probe.py [--embedder static|transformer]

Pairs come from the bank alone: each listed wrong claim against its true twin (the closest key point or
correction) is "wrong"; each reference-answer sentence and each correction against its closest key point is
"right". A logistic model over InferSent-style pair features (|u-v|, u*v, cosine), cross-validated in 5 folds
grouped by question, is compared with the cosine alone. If the model barely beats the cosine, the vectors carry
no usable truth signal, and no weighting of them will catch a wrong claim the bank does not list.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mock_interviewer.bank import load_bank  # noqa: E402
from mock_interviewer.config import Settings  # noqa: E402
from mock_interviewer.embeddings import load_embedder  # noqa: E402
from mock_interviewer.static_embeddings import StaticMiniLM  # noqa: E402
from mock_interviewer.text import sentences  # noqa: E402


def pair_features(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.concatenate([np.abs(u - v), u * v, [float(u @ v)]])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", choices=("static", "transformer"), default="static")
    args = parser.parse_args()
    settings = Settings()
    bank = load_bank(settings.knowledge_dir)
    embedder = (
        load_embedder(settings.embedder) if args.embedder == "transformer" else StaticMiniLM.load(settings.cache_dir)
    )
    features, labels, groups = [], [], []
    for q in bank:
        truths = embedder.encode([*q.key_points, *(m.correction for m in q.mistakes)])
        key_points = truths[: len(q.key_points)]
        claims = embedder.encode([m.claim for m in q.mistakes])
        right = np.concatenate([embedder.encode(sentences(q.reference_answer)), truths[len(q.key_points) :]])
        for vector, against, label in [(c, truths, 1) for c in claims] + [(r, key_points, 0) for r in right]:
            features.append(pair_features(vector, against[int((against @ vector).argmax())]))
            labels.append(label)
            groups.append(q.number)
    x, y, g = np.array(features), np.array(labels), np.array(groups)
    predicted = np.zeros(len(y))
    for fold in range(5):
        train = g % 5 != fold
        model = LogisticRegression(C=1.0, max_iter=2000).fit(x[train], y[train])
        predicted[~train] = model.predict_proba(x[~train])[:, 1]
    print(f"{len(y)} pairs ({y.mean():.0%} wrong claims), {embedder.name}")
    print(f"ROC AUC, cosine to the closest truth alone: {roc_auc_score(y, x[:, -1]):.3f}")
    print(
        f"ROC AUC, logistic model over pair features (5-fold, grouped by question): {roc_auc_score(y, predicted):.3f}"
    )


if __name__ == "__main__":
    main()
