"""Clarifying questions are answered, not graded, and the question stays open."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from mock_interviewer.bank import Bank
from mock_interviewer.clarify import is_clarifying_question, offline_reply

from .wsutil import receive_until, start, strong_answer


@pytest.mark.parametrize(
    "text",
    [
        "Do you mean for classification or regression?",
        "Should I assume the data fits in memory?",
        "Can you repeat the part about the loss?",
        "Sorry, just to check: are we talking about online or offline evaluation?",
        "Before I answer, which kind of model do you have in mind, a linear one or a tree ensemble?",
        "When you say drift, do you mean the inputs changing or the labels?",
        "Could you clarify whether you mean the training or the serving side?",
        "What do you mean by drift here?",
        "Do we care about latency here?",
        "How many users are we talking about?",
        "Would you like me to go through the math or just the intuition?",
        "Sorry, which loss?",
        "By drift, you mean covariate shift?",
        "Hmm, the part about the prior, what was it again?",
        "Sorry, I didn't catch the last bit. Could you say it again?",
        "Classification or regression?",
        "Just so I understand, is the goal to rank items or to predict a rating?",
        "Before I dive in: should I focus on the theory or on what I'd do in practice?",
    ],
)
def test_clarifying_questions_are_recognised(text: str) -> None:
    assert is_clarifying_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "Dropout zeroes activations at random during training. Why does that help? It stops co-adaptation.",
        "Is it because the model memorises noise in the training set?",  # a tentative answer, not a question to us
        "Overfitting is when the model fits noise; you detect it with a validation set and prevent it with "
        "regularisation, more data or early stopping, and the question is always how much capacity you need?",
        "No idea.",
        "Why does batch norm help? Mostly it smooths the loss landscape, so you can use larger learning rates and "
        "training is less sensitive to initialisation.",
        "So precision is TP over TP plus FP, and recall is TP over TP plus FN, right?",
        "```python\ndef f(x):\n    return x  # why?\n```",
    ],
)
def test_answers_with_a_question_mark_are_still_answers(text: str) -> None:
    assert not is_clarifying_question(text)


def test_offline_reply_uses_the_entry_assumption_or_repeats_the_question() -> None:
    assert "binary classifier" in offline_reply("Q?", "Assume a binary classifier.", "Do you mean multiclass?")
    assert offline_reply("What is dropout?", None, "Sorry, can you repeat the question?").endswith("What is dropout?")
    assert "state your assumption" in offline_reply("Q?", None, "Do you mean for images?")


def test_a_clarifying_question_is_answered_and_the_same_question_stays_open(client: TestClient, bank: Bank) -> None:
    with client.websocket_connect("/ws") as ws:
        _, question = start(client, ws, section="fundamentals", count=1)  # the last question: must not end it
        ws.send_json({"type": "answer", "text": "Do you mean for classification or regression?"})
        reply = ws.receive_json()
        assert reply["type"] == "clarification" and reply["asked"].startswith("Do you mean")
        assert "assum" in reply["text"].lower()
        ws.send_json({"type": "repeat"})  # still on the same question, nothing graded
        again = ws.receive_json()
        assert again["type"] == "question" and again["number"] == question["number"]
        ws.send_json({"type": "answer", "text": strong_answer(bank, question["number"])})
        frames = receive_until(ws, "summary")
        feedback = next(f for f in frames if f["type"] == "feedback")
        assert feedback["grade"]["score"] >= 8
        assert len(frames[-1]["summary"]["questions"]) == 1
