"""Offline grader quality and speed on the labelled answers in bench/data/graded (split rules: docs/evaluation.md).

    .venv/bin/python bench/grading.py [--verbose] [--tune] [--dev-only]

Prints, for the dev, first-holdout and the two held-out sets (FRESH, FRESH2) separately, and for both held-out sets
together (see docs/evaluation.md): the share of pairs ordered correctly (strong > partial > wrong,
partial > empty, strong > keywords), the adversarial checks (gibberish, one word, another question's answer,
padding, injection: no better than the partial or wrong answer they stand beside), the share of answers in their
band of the 0-10 scale, and the p95 grading latency per answer.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.datasets import HELD_OUT, TUNABLE, BlindAnswer, GradedAnswer, blind_answers, graded_answers  # noqa: E402
from bench.llm_grader import LLMBenchGrader, first_questions  # noqa: E402
from mock_interviewer.bank import Bank, load_bank  # noqa: E402
from mock_interviewer.clarify import is_clarifying_question, needs_confirmation  # noqa: E402
from mock_interviewer.config import Settings  # noqa: E402
from mock_interviewer.embeddings import load_embedder  # noqa: E402
from mock_interviewer.grading.offline import OfflineGrader, OfflineParams  # noqa: E402
from mock_interviewer.grading.rubric import Rubric  # noqa: E402
from mock_interviewer.index import build_index  # noqa: E402
from mock_interviewer.static_embeddings import StaticMiniLM  # noqa: E402

# wrong2/wrong3: more wrong answers for the tunable questions, written later without sight of the bank's mistakes.
ORDER = [
    ("strong", "partial"),
    ("partial", "wrong"),
    ("partial", "wrong2"),
    ("partial", "wrong3"),
    ("partial", "empty"),
    ("strong", "keywords"),
]
NO_BETTER = [
    ("gibberish", "partial"),
    ("one_word", "partial"),
    ("other_question", "partial"),
    ("padded", "partial"),
    ("injection", "wrong"),
]
WRONG = ("wrong", "wrong2", "wrong3")
BANDS = {
    "strong": (8, 10),
    "partial": (4, 7.9),
    "padded": (4, 7.9),
    "wrong": (0, 3.9),
    "wrong2": (0, 3.9),
    "wrong3": (0, 3.9),
    "keywords": (0, 3.9),
    "empty": (0, 0.9),
    "gibberish": (0, 0.9),
    "one_word": (0, 0.9),
    "other_question": (0, 0.9),
}


def score_all(
    grader: OfflineGrader, bank: Bank, answers: list[GradedAnswer], flags: dict[tuple[int, str], int] | None = None
) -> tuple[dict[tuple[int, str], float], list[float]]:
    """Scores by (question, kind) and latencies; `flags`, if given, receives the misconceptions flagged."""
    scores: dict[tuple[int, str], float] = {}
    latencies = []
    for a in answers:
        question = bank.get(a.number)
        assert question is not None
        started = time.perf_counter()
        result = grader.grade(question, a.answer)
        latencies.append((time.perf_counter() - started) * 1000)
        scores[(a.number, a.kind)] = result.score
        if flags is not None:
            flags[(a.number, a.kind)] = len(result.misconceptions)
    return scores, latencies


def report(scores: dict[tuple[int, str], float], numbers: list[int]) -> dict[str, float]:
    ordered = total = 0
    for n, (hi, lo) in itertools.product(numbers, ORDER):
        if (n, hi) in scores and (n, lo) in scores:
            total += 1
            ordered += scores[(n, hi)] > scores[(n, lo)]
    adv_ok = adv_total = 0
    for n, (kind, ref) in itertools.product(numbers, NO_BETTER):
        if (n, kind) in scores and (n, ref) in scores:
            adv_total += 1
            adv_ok += scores[(n, kind)] <= scores[(n, ref)]
    in_band = band_total = 0
    for (n, kind), s in scores.items():
        if n in numbers and kind in BANDS:
            lo, hi = BANDS[kind]
            band_total += 1
            in_band += lo <= s <= hi
    return {
        "pairs": ordered / max(total, 1),
        "n_pairs": total,
        "adversarial": adv_ok / max(adv_total, 1),
        "n_adv": adv_total,
        "in_band": in_band / max(band_total, 1),
        "n_band": band_total,
    }


# The blind set's yardstick (issue 14): bands per kind, ordered pairs, false flags on correct answers.
BLIND_BANDS = {"strong": (7, 10), "partial": (3, 7), "wrong": (0, 4), "follow_up_strong": (6, 10)}
BLIND_PAIRS = [("strong", "partial"), ("partial", "wrong"), ("follow_up_strong", "follow_up_wrong")]
BLIND_CORRECT = ("strong", "partial", "follow_up_strong")


def blind_report(grader: OfflineGrader, bank: Bank, answers: list[BlindAnswer], verbose: bool = False) -> None:
    """Grades the blind set as the interviewer would (a clarifying question is answered, not graded) and prints
    the figures per split."""
    for split in ("tunable", "held out"):
        rows = [a for a in answers if a.split == split]
        if not rows:
            print(f"BLIND {split}: not measured")
            continue
        scores: dict[tuple[int, str], float] = {}
        flags: dict[tuple[int, str], int] = {}
        clarified = wrongly_clarified = confirmed = asked_to_confirm = 0
        for a in rows:
            question = bank.get(a.number)
            assert question is not None
            if is_clarifying_question(a.answer):
                if a.kind == "clarify":
                    clarified += 1
                else:
                    wrongly_clarified += 1
                continue
            if needs_confirmation(a.answer):  # the interviewer asks "is that your answer?" before grading
                if a.kind == "clarify":
                    confirmed += 1
                    continue
                asked_to_confirm += 1  # the candidate confirms, and it is graded like any answer
            rubric = Rubric.for_follow_up(question, a.follow_up) if a.follow_up is not None else Rubric.of(question)
            result = grader.grade(rubric, a.answer)
            scores[(a.number, a.kind)] = result.score
            flags[(a.number, a.kind)] = len(result.misconceptions)
            if verbose and (a.kind in BLIND_CORRECT and result.misconceptions):
                print(f"    false flag Q{a.number} {a.kind}: {result.misconceptions}")
        numbers = sorted({a.number for a in rows})
        by_kind: dict[str, list[float]] = defaultdict(list)
        for (_, kind), s in scores.items():
            by_kind[kind].append(s)
        print(f"BLIND {split} ({len(numbers)} questions, {len(rows)} answers):")
        print("  mean score: " + ", ".join(f"{k} {np.mean(v):.1f} (n={len(v)})" for k, v in sorted(by_kind.items())))
        bands = []
        for kind, (lo, hi) in BLIND_BANDS.items():
            got = by_kind.get(kind, [])
            bands.append(f"{kind} {np.mean([lo <= s <= hi for s in got]):.2f}" if got else f"{kind} -")
        print("  in band: " + ", ".join(bands))
        pair_text = []
        all_ok = all_n = 0
        for hi, lo in BLIND_PAIRS:
            ok = n = 0
            for q in numbers:
                if (q, hi) in scores and (q, lo) in scores:
                    n += 1
                    ok += scores[(q, hi)] > scores[(q, lo)]
            all_ok, all_n = all_ok + ok, all_n + n
            pair_text.append(f"{hi}>{lo} {ok}/{n}")
        print(f"  pairs ordered: {all_ok / max(all_n, 1):.3f} ({', '.join(pair_text)})")
        correct = [flags[k] for k in flags if k[1] in BLIND_CORRECT]
        wrong = [flags[k] for k in flags if k[1] in ("wrong", "follow_up_wrong")]
        print(
            f"  misconception flags per answer: correct {np.mean(correct):.3f} (n={len(correct)}) <- false flags;"
            f" wrong {np.mean(wrong) if wrong else 0:.2f} (n={len(wrong)})"
        )
        n_clarify = sum(a.kind == "clarify" for a in rows)
        print(
            f"  clarifying questions recognised (not graded): {clarified}/{n_clarify};"
            f" answers mistaken for one: {wrongly_clarified}/{len(rows) - n_clarify}"
        )
        print(
            f"  with 'is that your answer?' for short messages ending in a question: clarifying questions never"
            f" graded {clarified + confirmed}/{n_clarify}; answers asked to confirm first"
            f" {asked_to_confirm}/{len(rows) - n_clarify}"
        )
        if verbose:
            for q in numbers:
                print(f"    Q{q:<3} " + " ".join(f"{k}={scores.get((q, k), float('nan')):.1f}" for k in BLIND_BANDS)
                      + f" fu_wrong={scores.get((q, 'follow_up_wrong'), float('nan')):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--embedder",
        choices=("static", "transformer"),
        default="static",
        help="static: the grader's table (default); transformer: MiniLM itself, for comparison (thresholds are tuned for static)",
    )
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--dev-only", action="store_true", help="skip the held-out sets (fresh, fresh2, blind)")
    parser.add_argument("--blind-only", action="store_true", help="only the blind set (the yardstick since issue 14)")
    parser.add_argument("--grader", choices=("offline", "llm"), default="offline", help="llm: the configured LLM server (bench/llm_grader.py)")
    parser.add_argument("--limit", type=int, help="only the first N questions of each split (an LLM is slow)")
    args = parser.parse_args()
    settings = Settings()
    bank = load_bank(settings.knowledge_dir)
    embedder = (
        load_embedder(settings.embedder) if args.embedder == "transformer" else StaticMiniLM.load(settings.cache_dir)
    )
    index = build_index(bank, embedder, settings.cache_dir)
    if args.tune:  # the grid re-grades every answer many times: memoise the embeddings
        index.embedder = MemoEmbedder(index.embedder)
    blind = blind_answers({q.number: q.section.value for q in bank})
    if args.dev_only:
        blind = [a for a in blind if a.split == "tunable"]
    blind = first_questions(blind, args.limit)
    if args.blind_only:
        blind_grader = LLMBenchGrader(OfflineGrader(index)) if args.grader == "llm" else OfflineGrader(index)
        blind_report(blind_grader, bank, blind, args.verbose)  # type: ignore[arg-type]
        if isinstance(blind_grader, LLMBenchGrader):
            print(blind_grader.report())
        return
    answers = first_questions(graded_answers(), args.limit)
    split_of = {a.number: a.split for a in answers}
    groups = {name: sorted(n for n, sp in split_of.items() if sp == name) for name in ("dev", "holdout", *HELD_OUT)}
    groups["held out"] = [n for split in HELD_OUT for n in groups[split]]
    print(
        "graded answers: "
        + ", ".join(f"{len(v)} {k} questions" for k, v in groups.items())
        + f" ({len(answers)} answers)"
    )
    tunable = [n for split in TUNABLE for n in groups[split]]

    params = OfflineParams()
    if args.tune:
        params = tune(index, bank, [a for a in answers if a.split in TUNABLE], tunable)
    grader = OfflineGrader(index, params)
    for a in answers[:5]:  # warm up
        grader.grade(bank.get(a.number), a.answer)  # type: ignore[arg-type]
    if args.grader == "llm":
        grader = LLMBenchGrader(grader)  # type: ignore[assignment]
    measured = [a for a in answers if not (args.dev_only and a.split in HELD_OUT)]
    flags: dict[tuple[int, str], int] = {}
    scores, latencies = score_all(grader, bank, measured, flags)
    for name, numbers in groups.items():
        held_out = name not in TUNABLE
        if args.dev_only and held_out:
            print(f"({name} set not measured)")
            continue
        r = report(scores, numbers)
        label = name.upper() if held_out else name
        print(
            f"{label:>8}: pairs ordered {r['pairs']:.3f} (n={r['n_pairs']}), adversarial no-better "
            f"{r['adversarial']:.3f} (n={r['n_adv']}), in band {r['in_band']:.3f} (n={r['n_band']})"
            + ("   <- the held-out figures" if name == "held out" else "")
        )
    for name in ("tunable", "held out"):
        by_kind: dict[str, list[float]] = defaultdict(list)
        for (n, kind), s in scores.items():
            if (split_of[n] in HELD_OUT) == (name == "held out"):
                by_kind[kind].append(s)
        if by_kind:
            print(
                f"mean score by kind ({name}): "
                + ", ".join(f"{k} {np.mean(v):.1f}" for k, v in sorted(by_kind.items()))
            )
    # Every flag on a strong, partial or padded answer is a false alarm: those answers state nothing wrong.
    for name in ("tunable", "held out"):
        flagged: dict[str, list[int]] = defaultdict(list)
        for (n, kind), count in flags.items():
            if (split_of[n] in HELD_OUT) == (name == "held out") and kind in ("strong", "partial", "padded", *WRONG):
                flagged["correct" if kind not in WRONG else kind].append(count)
        if flagged:
            print(
                f"misconceptions flagged per answer ({name}): "
                + ", ".join(f"{k} {np.mean(v):.2f} (n={len(v)})" for k, v in sorted(flagged.items()))
                + "   <- 'correct' (strong, partial, padded) are false alarms"
            )
    blind_report(grader, bank, blind, args.verbose)
    p50, p95 = np.percentile(latencies, [50, 95])
    print(f"grading latency per answer ({embedder.name}): p50={p50:.1f} ms p95={p95:.1f} ms")
    if isinstance(grader, LLMBenchGrader):
        print(grader.report())
    if args.verbose:
        for n in sorted(split_of):
            if args.dev_only and split_of[n] in HELD_OUT:
                continue
            row = " ".join(f"{k}={scores.get((n, k), float('nan')):.1f}" for k in BANDS)
            print(f"  Q{n:<3} {split_of[n][0].upper()} {row}")


class MemoEmbedder:
    def __init__(self, inner):  # type: ignore[no-untyped-def]
        self.inner, self.name, self.dim, self.memo = inner, inner.name, inner.dim, {}

    def encode(self, texts):  # type: ignore[no-untyped-def]
        missing = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if missing:
            self.memo.update(zip(missing, self.inner.encode(missing), strict=True))
        return np.stack([self.memo[t] for t in texts]) if texts else self.inner.encode(texts)


def tune(index, bank: Bank, dev_answers: list[GradedAnswer], dev: list[int]) -> OfflineParams:  # type: ignore[no-untyped-def]
    grid = {
        "cover_lo": [0.50, 0.55, 0.60],
        "cover_hi": [0.75, 0.80, 0.85],
        "completeness_ceil": [0.7, 0.8],
        "mistake_sim": [0.62, 0.66, 0.70],
        "misconception_penalty": [1.5, 2.5],
        "thin_cap": [5.0, 6.0],
        "substance_sim": [0.6, 0.7],
    }
    best: tuple[float, OfflineParams] = (-1.0, OfflineParams())
    for values in itertools.product(*grid.values()):
        params = dataclasses.replace(OfflineParams(), **dict(zip(grid, values, strict=True)))
        scores, _ = score_all(OfflineGrader(index, params), bank, dev_answers)
        r = report(scores, dev)
        objective = r["pairs"] + r["in_band"] + r["adversarial"]
        if objective > best[0]:
            best = (objective, params)
    print(f"tuned on dev: objective {best[0]:.3f} with {best[1]}")
    return best[1]


if __name__ == "__main__":
    main()
