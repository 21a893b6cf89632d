"""How well `is_clarifying_question` tells clarifying questions from answers.

    .venv/bin/python bench/clarify.py [--split tunable|dev|holdout|blind|holdout2]

tunable (default): everything that may be tuned on, each part summarised on its own and then together: dev
(bench/data/clarify/dev.jsonl), holdout (bench/data/clarify/holdout.jsonl, held out in the first round, read once
and tunable since), and blind: the tunable part of the blind set plus the tunable graded answers
(bench/datasets.py), as a further check that no real answer is taken for a clarification. Prints recall on
clarifying questions, the false-positive rate on answers, the misses per style and the missed texts.
dev, holdout, blind: one of those parts alone, with texts.
holdout2: bench/data/clarify/holdout2.jsonl, held out; prints the same figures as counts only, never a text. Read it
once, at the end, and do not tune after.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "server"))

from bench.datasets import TUNABLE, blind_answers, graded_answers  # noqa: E402
from mock_interviewer.clarify import is_clarifying_question, needs_confirmation  # noqa: E402

DATA = ROOT / "bench" / "data" / "clarify"
PARTS = {"tunable": ("dev", "holdout", "blind"), "dev": ("dev",), "holdout": ("holdout",), "blind": ("blind",)}


def _rows(part: str) -> list[dict[str, str]]:
    if part in ("dev", "holdout", "holdout2"):
        lines = (DATA / f"{part}.jsonl").read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    from mock_interviewer.bank import load_bank
    from mock_interviewer.config import Settings

    bank = load_bank(Settings().knowledge_dir)
    blind = blind_answers({q.number: q.section.value for q in bank})
    rows = [
        {"text": a.answer, "kind": "clarify" if a.kind == "clarify" else "answer", "style": f"blind {a.kind}"}
        for a in blind
        if a.split == "tunable"
    ]
    rows += [
        {"text": a.answer, "kind": "answer", "style": f"graded {a.kind}"}
        for a in graded_answers()
        if a.split in TUNABLE and a.kind not in ("gibberish", "one_word", "other_question", "injection")
    ]
    return rows


def _report(name: str, rows: list[dict[str, str]], show_texts: bool) -> tuple[int, int, int, int]:
    clarify = [r for r in rows if r["kind"] == "clarify"]
    answers = [r for r in rows if r["kind"] != "clarify"]
    missed = [r for r in clarify if not is_clarifying_question(r["text"])]
    wrong = [r for r in answers if is_clarifying_question(r["text"])]
    # The interviewer asks "is that your answer?" for short messages ending in a question it could not place.
    confirmed = [r for r in missed if needs_confirmation(r["text"])]
    asked = [r for r in answers if needs_confirmation(r["text"])]
    recall = 1 - len(missed) / max(len(clarify), 1)
    fp_rate = len(wrong) / max(len(answers), 1)
    print(f"{name}: {len(clarify)} clarifying questions, {len(answers)} answers")
    print(f"  recall on clarifying questions: {len(clarify) - len(missed)}/{len(clarify)} = {recall:.3f}")
    print(f"  answers taken for a clarification: {len(wrong)}/{len(answers)} = {fp_rate:.3f}")
    print(
        f"  with 'is that your answer?': clarifying questions never graded {len(clarify) - len(missed) + len(confirmed)}"
        f"/{len(clarify)}; answers asked to confirm {len(asked)}/{len(answers)}"
    )
    for title, misses, group in (("missed clarifications", missed, clarify), ("false positives", wrong, answers)):
        totals = Counter(r.get("style", "-") for r in group)
        counts = Counter(r.get("style", "-") for r in misses)
        print(f"  {title} by style: " + (", ".join(f"{s} {counts[s]}/{totals[s]}" for s in sorted(counts)) or "none"))
        if show_texts:
            for r in misses:
                print(f"    [{r.get('style', '-')}] {r['text']}")
    return len(clarify) - len(missed), len(clarify), len(wrong), len(answers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=(*PARTS, "holdout2"), default="tunable")
    args = parser.parse_args()
    if args.split == "holdout2":  # held out: counts only, never a text
        _report("holdout2", _rows("holdout2"), show_texts=False)
        return
    totals = [0, 0, 0, 0]
    for part in PARTS[args.split]:
        for i, n in enumerate(_report(part, _rows(part), show_texts=True)):
            totals[i] += n
    if len(PARTS[args.split]) > 1:
        hit, n_clarify, wrong, n_answers = totals
        print(
            f"{args.split} (all parts): recall {hit}/{n_clarify} = {hit / max(n_clarify, 1):.3f};"
            f" answers taken for a clarification {wrong}/{n_answers} = {wrong / max(n_answers, 1):.3f}"
        )


if __name__ == "__main__":
    main()
