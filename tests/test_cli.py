from __future__ import annotations

import json
from pathlib import Path

import pytest

from mock_interviewer.cli import main

pytestmark = pytest.mark.model  # the CLI loads the real packaged model


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_search_prints_json(capsys: pytest.CaptureFixture[str], real_index: object) -> None:
    assert main(["search", "randomly zeroing activations while training", "--k", "3", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 3 and rows[0]["number"] == 54
    assert set(rows[0]) == {"number", "title", "section", "level", "score"}


def test_grade_one_answer_as_json(capsys: pytest.CaptureFixture[str], real_index: object) -> None:
    assert main(["grade", "--question", "54", "--answer", "I don't know", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["score"] == 0 and result["grader"] == "offline"


def test_grade_answer_file_prints_a_readable_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], real_index: object
) -> None:
    answer = tmp_path / "a.txt"
    answer.write_text("Dropout zeroes each unit with probability p during training, so units cannot co-adapt.")
    assert main(["grade", "--question", "54", "--answer-file", str(answer)]) == 0
    out = capsys.readouterr().out
    assert "score" in out and "grader: offline" in out and "missed:" in out


def test_grade_batch_writes_one_line_each_and_reports_bad_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], real_index: object
) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(
        json.dumps({"number": 54, "answer": "no idea"})
        + "\n"
        + "{broken\n"
        + json.dumps({"number": 999, "answer": "x"})
        + "\n"
        + json.dumps({"number": 2, "answer": "Overfitting is memorizing noise."})
        + "\n"
    )
    assert main(["grade", "--batch", str(batch)]) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line.get("number") for line in lines] == [54, None, 999, 2]
    assert "error" in lines[1] and "error" in lines[2] and lines[3]["grader"] == "offline"


def test_grade_unknown_question_is_an_error(capsys: pytest.CaptureFixture[str], real_index: object) -> None:
    assert main(["grade", "--question", "999", "--answer", "x"]) == 2
    assert "no question number 999" in capsys.readouterr().err


def test_grade_prints_only_the_grade_on_a_fresh_process(
    tmp_path: Path, real_index: object, grading_index: object
) -> None:
    """The installed command, as a user runs it: no faiss or bm25s chatter on stderr unless --verbose.
    Both fixtures build the project's caches first, so the subprocess only loads them."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "LOG_LEVEL": ""}
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    command = [sys.executable, "-m", "mock_interviewer.cli"]
    args = ["grade", "--question", "54", "--answer", "Dropout zeroes random activations while training."]
    quiet = subprocess.run([*command, *args], env=env, capture_output=True, text=True, timeout=300)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    assert quiet.stdout.startswith("Q54: ") and "score " in quiet.stdout
    loud = subprocess.run([*command, "--verbose", *args], env=env, capture_output=True, text=True, timeout=300)
    assert loud.returncode == 0 and "faiss" in loud.stderr


def test_service_code_lives_under_server() -> None:
    """The design card's top level: the import package is server/mock_interviewer, nothing of it at the root."""
    import mock_interviewer
    from mock_interviewer.config import PROJECT_ROOT

    assert Path(mock_interviewer.__file__).resolve().parent == PROJECT_ROOT / "server" / "mock_interviewer"
    assert not (PROJECT_ROOT / "mock_interviewer").exists()
    assert not (PROJECT_ROOT / "server" / "__init__.py").exists()  # server/ is a folder, not a package
