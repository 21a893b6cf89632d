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


@pytest.mark.parametrize(
    "text",
    [
        # a request put as a statement
        "I'm not sure if you're asking about the loss or the optimizer.",
        "Before I answer, I'd like to know how the predictions will be used.",
        "I'd need a bit more context on the data first.",
        "Tell me whether you want the formula or the intuition.",
        "Sorry, I didn't catch the last part of the question.",
        # no question mark: it opens as a question does
        "do u want code or just the idea",
        "wait r we assuming the classes are balanced",
        "how long do i have for this one",
        "is there a memory budget",
        "sorry whats the question",
        # a wh-question left open, an echo, a narrowing, an alternative after a comma
        "Who is going to use the forecasts?",
        "Roughly how much traffic do we get?",
        "For what kind of data?",
        "Sampling with which temperature?",
        "Tokens specifically?",
        "Is the label known at prediction time, or does it arrive a week later?",
        # a lead-in, a reason or the options beside the request
        "Sorry, I was muted. Could you repeat that?",
        "That's a broad question. Where would you like me to start?",
        "Okay, before I start: we're talking about logged-in users only?",
        "Are the inputs images or text? The augmentation differs.",
        "Which model family, like trees or neural nets?",
        "Is it OK if I sketch a diagram first?",
        "Mind if I think out loud?",
        "Shoud I assume the features are numeric?",  # a misspelt opening auxiliary
    ],
)
def test_more_forms_of_clarifying_question_are_recognised(text: str) -> None:
    assert is_clarifying_question(text)


@pytest.mark.parametrize(
    "text",
    [
        # an offer or a check after content, however short
        "L2 shrinks the weights. Do you want me to derive it?",
        "Gradient boosting fits the residuals — should I write out the update?",
        "Precision is about false positives, recall about false negatives — is that what you're asking?",
        "Bagging cuts variance, boosting cuts bias, if that makes sense?",
        "Use early stopping. Does that answer it?",
        # a question that proposes an answer
        "Is the model overfitting?",
        "Can you use L1 for the feature selection here?",
        "Does it assume the errors are Gaussian?",
        "Hmm, is it the Bonferroni correction?",
        "What about a learning-rate schedule?",
        "When the data is imbalanced?",
        "Is it okay to just drop the outliers?",
        "Maybe class weights?",
        # a question the message answers itself, or giving up
        "Which metric? AUC, since the classes are imbalanced.",
        "Should I assume independence? Then naive Bayes just multiplies the likelihoods.",
        "I have no idea, sorry. Can we skip this one?",
        "I don't know. Can you tell me the answer?",
        # a statement that only looks like a request
        "I'm not sure whether we're overfitting or underfitting.",
        "I'd like to know more about transformers, honestly.",
        "Let me know if I'm wrong, but it's the bias-variance tradeoff.",
        "Before we get into it, dropout is a regularizer.",
        "I'm not sure what you mean, but dropout is a regularizer.",
        "I didn't catch all of it, but the answer is the chain rule.",
        "do you remember the vanishing gradient thing, thats why lstms have gates",
        "should be fine to use the median here",
    ],
)
def test_answers_that_look_like_requests_are_still_answers(text: str) -> None:
    assert not is_clarifying_question(text)


@pytest.mark.parametrize(
    "text",
    [
        # a remark about the question or the conversation beside the request, before or after it
        "There are a few parts to this one. Should I go through them one by one?",
        "I'd appreciate some more detail: are the features numeric, categorical, or mixed?",
        "Before anything else, is the data labelled?",
        "Sorry, can you say it again? I only heard the first half.",
        "Apologies, I lost the end of that. What was the second model?",
        "sorry i missed the question, can you say it again",
        # what the interviewer wants, restated to be confirmed
        "You want the geometric picture, not the algebra?",
        "You're after the serving side rather than training — is that right?",
        "I'm assuming you want the binary case. Is that fair?",
        "Let me check I got it: the goal is to rank, not to classify?",
        "I was wondering whether you'd like the intuition, or the derivation.",
        # a sense, a degree, an echo, a pause, what is known
        "Kernel as in the SVM kernel?",
        "How formal should this be? Full proofs?",
        "In what setting — vision, NLP?",
        "Which optimiser... like, are we using Adam or SGD?",
        "Are the costs of false positives and false negatives known?",
        # a hint, even after saying one is stuck
        "I'm not sure where to start — could you give me a hint?",
        "I don't know. Could you give me a hint?",
    ],
)
def test_requests_beside_remarks_about_the_conversation_are_recognised(text: str) -> None:
    assert is_clarifying_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "Yes. Do you want me to derive it?",  # a yes/no answer, then an offer
        "Is it L2? Should I go deeper?",  # a guess before the request
        "Backpropagation? Should I derive it?",
        "Do we need to regularise more, maybe with dropout?",
        "You want the weights small so the model is smoother, right?",  # a goal of the method, argued
        "You want to minimise the log loss, right?",
        "I'm assuming the errors are Gaussian. Is that fair?",  # an assumption about the subject, checked
        "I'm assuming you mean L2. It shrinks the weights toward zero.",
        "The answer is the second one. Should I explain why?",
        "As in, the model memorises the training data?",
        "Not sure... is it the chain rule?",
    ],
)
def test_guesses_and_claims_beside_a_request_are_still_answers(text: str) -> None:
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
