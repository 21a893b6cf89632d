from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mock_interviewer.bank import SECTION_RANGES, Bank, BankError, Section, load_bank, load_question
from mock_interviewer.cli import main

from .conftest import KNOWLEDGE

VALID = """---
number: 7
title: How do you handle imbalanced datasets?
section: fundamentals
level: mid
tags: [imbalance]
key_points:
  - Accuracy misleads when one class dominates.
  - Resampling changes the class balance the model sees.
  - Class weights make errors on the rare class cost more.
  - The decision threshold is tuned to the costs of each error.
follow_ups:
  - question: When would you prefer class weights over oversampling?
    expects: Weights avoid duplicated rows and overfitting to copies.
  - question: How do you evaluate the model?
    expects: Precision-recall curves and PR-AUC rather than accuracy.
mistakes:
  - claim: Accuracy is a fine metric for fraud detection.
    correction: With 0.1% fraud, predicting no fraud is 99.9% accurate and useless.
---
Reference answer text.
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def problems_for(tmp_path: Path, text: str, name: str = "007-imbalance.md") -> list[str]:
    write(tmp_path, name, text)
    with pytest.raises(BankError) as info:
        load_bank(tmp_path)
    return info.value.problems


def test_the_real_bank_has_120_questions_in_six_sections_without_gaps(bank: Bank) -> None:
    assert len(bank) == 120
    assert bank.missing_numbers() == []
    assert set(bank.sections()) == set(Section)
    for section, numbers in SECTION_RANGES.items():
        assert sorted(q.number for q in bank.filter(section)) == list(numbers)


def test_the_guides_named_questions_keep_their_numbers(bank: Bank) -> None:
    expected = {
        1: "bias",
        2: "overfitting",
        3: "cross-validation",
        4: "precision",
        5: "roc",
        21: "random forest",
        24: "k-means",
        51: "backpropagation",
        58: "attention",
        71: "recommendation",
        86: "central limit",
        101: "k-means",
        104: "gradient descent",
    }
    for number, word in expected.items():
        question = bank.get(number)
        assert question is not None and word in question.title.lower(), (number, question)


def test_every_question_is_complete(bank: Bank) -> None:
    for q in bank:
        assert 4 <= len(q.key_points) <= 8, q.number
        assert 2 <= len(q.follow_ups) <= 3, q.number
        assert q.mistakes and q.reference_answer and q.tags, q.number
        assert q.level in {"junior", "junior-mid", "mid", "mid-senior", "senior"}
        if q.section is Section.coding:
            assert q.reference_solution and "def " in q.reference_solution, q.number


def test_levels_vary_within_every_section(bank: Bank) -> None:
    for section in Section:
        assert len({q.level for q in bank.filter(section)}) >= 2, section


def test_a_valid_file_loads(tmp_path: Path) -> None:
    q = load_question(write(tmp_path, "007-imbalance.md", VALID))
    assert q.number == 7 and q.section is Section.fundamentals
    assert q.reference_answer == "Reference answer text."
    assert q.suits("mid") and not q.suits("senior")


def test_duplicate_number_names_both_files(tmp_path: Path) -> None:
    write(tmp_path, "007-a.md", VALID)
    problems = problems_for(tmp_path, VALID, "007-b.md")
    assert problems == ["007-b.md: field 'number': 7 is already used by 007-a.md"]


def test_missing_field_is_named(tmp_path: Path) -> None:
    text = VALID.replace("level: mid\n", "")
    assert problems_for(tmp_path, text) == ["007-imbalance.md: field 'level': Field required"]


def test_empty_field_is_named(tmp_path: Path) -> None:
    text = VALID.replace("title: How do you handle imbalanced datasets?", 'title: "  "')
    (problem,) = problems_for(tmp_path, text)
    assert problem.startswith("007-imbalance.md: field 'title'")


def test_empty_body_is_a_missing_reference_answer(tmp_path: Path) -> None:
    text = VALID.replace("Reference answer text.\n", "")
    (problem,) = problems_for(tmp_path, text)
    assert problem.startswith("007-imbalance.md: field 'reference_answer'")


def test_unknown_section_is_named(tmp_path: Path) -> None:
    text = VALID.replace("section: fundamentals", "section: astrology")
    (problem,) = problems_for(tmp_path, text)
    assert problem.startswith("007-imbalance.md: field 'section'") and "fundamentals" in problem


def test_broken_yaml_names_the_file(tmp_path: Path) -> None:
    text = VALID.replace("tags: [imbalance]", "tags: [imbalance")
    (problem,) = problems_for(tmp_path, text)
    assert problem.startswith("007-imbalance.md: cannot parse")


def test_missing_front_matter_names_the_file(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path, "Just an answer.\n")
    assert problem.startswith("007-imbalance.md: cannot parse") and "front matter" in problem


def test_too_few_key_points_is_named(tmp_path: Path) -> None:
    text = VALID.replace("  - The decision threshold is tuned to the costs of each error.\n", "")
    (problem,) = problems_for(tmp_path, text)
    assert problem.startswith("007-imbalance.md: field 'key_points'") and "at least 4" in problem


def test_number_outside_its_section_is_refused(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path, VALID.replace("number: 7", "number: 77"))
    assert "outside section fundamentals (1-20)" in problem


def test_coding_question_needs_its_solution_file(tmp_path: Path) -> None:
    text = VALID.replace("number: 7", "number: 101").replace("section: fundamentals", "section: coding")
    (problem,) = problems_for(tmp_path, text.replace("level: mid\n", "level: mid\nsolution: q101_missing.py\n"))
    assert problem == "007-imbalance.md: field 'solution': no file knowledge/solutions/q101_missing.py"


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path, VALID.replace("level: mid\n", "level: mid\ndifficulty: 3\n"))
    assert "field 'difficulty'" in problem


def test_every_bad_file_is_reported_at_once(tmp_path: Path) -> None:
    write(tmp_path, "008-x.md", VALID.replace("number: 7", "number: 8").replace("level: mid\n", ""))
    problems = problems_for(tmp_path, VALID.replace("section: fundamentals", "section: nope"))
    assert len(problems) == 2


def test_bank_check_command_reports_the_whole_bank(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "check"]) == 0
    out = capsys.readouterr().out
    assert "120 valid questions in 6 sections" in out and "no gaps" in out


def test_bank_check_command_fails_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(KNOWLEDGE, tmp_path / "knowledge")
    (tmp_path / "knowledge" / "001-bias-variance-tradeoff.md").write_text("---\nnumber: [\n---\nbody\n")
    monkeypatch.setenv("MOCK_INTERVIEWER_KNOWLEDGE_DIR", str(tmp_path / "knowledge"))
    assert main(["bank", "check"]) == 2
    assert "001-bias-variance-tradeoff.md: cannot parse" in capsys.readouterr().err


def test_service_refuses_to_start_on_an_invalid_bank(tmp_path: Path) -> None:
    write(tmp_path / "knowledge", "007-imbalance.md", VALID.replace("section: fundamentals", "section: nope"))
    env = {
        "MOCK_INTERVIEWER_KNOWLEDGE_DIR": str(tmp_path / "knowledge"),
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "mock_interviewer.cli", "serve", "--port", "8765"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2
    assert "007-imbalance.md: field 'section'" in done.stderr
