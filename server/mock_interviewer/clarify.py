"""Clarifying questions: a message that asks the interviewer something instead of answering is not graded.

`is_clarifying_question` decides from the text alone (pure, no model): a short message whose questions carry the
weight, addressed to the interviewer ("Do you mean...?", "Should I assume...?", "Can you repeat...?"). A long
answer that merely contains a question mark, or a tentative answer phrased as a question ("Is it because the
model memorises noise?"), is still an answer. `offline_reply` says what to assume; with an LLM the reply is
written by the model (sessions.py), briefly and without giving the answer away.
"""

from __future__ import annotations

import re

from .text import sentences, words

MAX_WORDS = 60  # longer messages are answers, whatever punctuation they use
MAX_STATEMENT_WORDS = 15  # words outside the questions: a lead-in ("Sorry, I missed that."), not an answer

# What makes a question one addressed to the interviewer about the task, rather than a claim with a "?".
_TO_INTERVIEWER = re.compile(
    r"\b(you|your|should i|can i|may i|do i|am i|shall i|could i|would it|are we|do we|should we|can we|"
    r"is this|is that|the question|mean|meant|assum\w*|clarif\w*|repeat|rephrase|say that again|scope|context|"
    r"which (one|kind|type|case|setting|model|version|metric)s?|what kind|what type|what sort|"
    r"how (big|large|much|many|fast|long)|are there|is there|is the (data|dataset|model|data set|goal)|"
    r"are the (data|features|labels|classes)|is it (ok|okay|fine|alright|possible)|"
    r"(or|for) (classification|regression|ranking)|or (online|offline|batch|real-time|streaming))\b",
    re.IGNORECASE,
)
# A question asked of someone opens a clause with an auxiliary or a question word ("..., do you mean ...?").
_ASKS = re.compile(
    r"^(do|does|did|should|can|could|would|will|is|are|am|was|were|what|which|how|when|where|who|why|may|shall|"
    r"or)\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[,:;\u2014\u2013]|\s-\s")
_REPEAT = re.compile(
    r"\b(repeat|say that again|rephrase|come again|didn'?t (catch|hear|get)|missed (that|the)|one more time)\b",
    re.IGNORECASE,
)


def is_clarifying_question(text: str) -> bool:
    stripped = text.strip()
    if "?" not in stripped or len(words(stripped)) > MAX_WORDS or "```" in stripped:
        return False
    parts = sentences(stripped) or [stripped]
    asked = [s for s in parts if s.rstrip().endswith("?")]
    if not asked:  # "?" only inside a sentence: "the usual answer? it depends" reads as an answer
        return False
    statement_words = sum(len(words(s)) for s in parts if s not in asked)
    if statement_words > MAX_STATEMENT_WORDS:
        return False
    return any(_asks_the_interviewer(s) for s in asked)


_YOU_MEAN = re.compile(r"\byou (mean|meant|asking|want|like)\b|\bagain\b", re.IGNORECASE)
_SHORT_WH = re.compile(r"^(which|what)\b", re.IGNORECASE)


def _asks_the_interviewer(sentence: str) -> bool:
    if _YOU_MEAN.search(sentence):  # "By drift, you mean covariate shift?", "what was it again?"
        return True
    if len(words(sentence)) <= 10 and re.search(r"\bor\b", sentence):  # "Classification or regression?"
        return True
    clauses = [c.strip() for c in _CLAUSE.split(sentence)]
    if any(_SHORT_WH.match(c) and len(words(c)) <= 5 for c in clauses):  # "Sorry, which loss?"
        return True
    return any(_ASKS.match(c) and _TO_INTERVIEWER.search(c) for c in clauses) or (
        bool(_ASKS.match(sentence.strip())) and bool(_TO_INTERVIEWER.search(sentence))
    )


def wants_repeat(text: str) -> bool:
    return bool(_REPEAT.search(text))


def offline_reply(question_text: str, assume: str | None, message: str) -> str:
    """The interviewer's answer without an LLM: the question again if asked to repeat, else what to assume."""
    if wants_repeat(message):
        return f"Sure. The question is: {question_text}"
    if assume:
        return f"Good question. {assume} Say what you assume in your answer, then go ahead."
    return (
        "Good question. Assume the usual case for this topic and state your assumption at the start of your "
        "answer; a real interviewer will tell you if they meant something else."
    )
