"""Clarifying questions: a message that asks the interviewer something instead of answering is not graded.

`is_clarifying_question` decides from the text alone (pure, no model). A message is a clarification when it is
short, at least one of its sentences is a request addressed to the interviewer, and nothing else in it says
anything about the subject: every other sentence is a lead-in, a further question after the request, the options
or a reason it matters.

Requests: a question about the interviewer's intent ("Do you mean...?", "When you say X, ...?", "What do you mean
by...?", "Perceptron as in Rosenblatt's?"), about the setup, scope, format or process ("Should I assume...?", "Are
we talking about...?", "Is it OK if I...?", "Does it need to run in real time?", "Is the variance known?"), any
wh-question left unanswered ("How long do I have?", "How formal should this be?", "What's the reward?"), an
alternative ("Classification or regression?", "Is the number of arms fixed, or can new ones appear?"), an echo
("MAP with which prior?", "In what setting - vision?"), a repeat request ("Could you say that again?", "Pardon?"),
a request for a hint (even after "I'm stuck."), a restatement of what the interviewer wants, to be confirmed
("You want one example rather than the general case?", "I'm assuming you want the binary case. Is that fair?"),
and the same put as a statement ("I'm not sure whether you mean X or Y.", "I was wondering whether you'd like X,
or Y.", "I'd like to know what kind of model we're explaining."). Without a question mark a message counts when it
opens as a question does, after any lead-in: an auxiliary before I/you/we ("sorry i missed it, can you say it
again"), or a question word before one ("how much time should i spend").
A lead-in is a remark about the conversation, with no word about the subject: an interjection ("Okay, sorry."), a
remark about the question ("There are three parts there", "That's a broad question", "I'd appreciate a bit more
context"), or about hearing it ("The connection dropped.", "I only heard the first half."); it may stand before or
after the request. An ellipsis is a pause inside a sentence ("For which models... like, are we including trees?").

Anything else makes it an answer, since an answer left ungraded is worse than a question graded: an offer after
content ("L2 shrinks weights. Should I derive it?", "Yes. Want me to derive it?"), a guess before the request ("Is
it L2? Should I go deeper?"), a check ("..., does that make sense?", "..., right?", "Is that fair?") unless what it
checks is what the interviewer wants, a question that proposes an answer ("Is it because...?", "Is the model
overfitting?", "Can you use L1 here?", "..., maybe with dropout?"), a restatement that argues ("You want the weights
small so the model is smoother, right?"), a question the message then answers ("What's the difference? Mostly the
labels."), giving up ("I don't know. Can we move on?"), or a long message. A terse noun phrase ("Bernoulli
rewards?") and options without a question mark ("rnn or feedforward nets") are left as answers: they read the same
as tentative ones ("Backpropagation?", "gini or entropy").
`offline_reply` says what to assume; with an LLM the reply is written by the model (sessions.py), briefly and
without giving the answer away.
"""

from __future__ import annotations

import difflib
import re

from .text import words

MAX_WORDS = 60  # longer messages are answers, whatever punctuation they use
MAX_LEAD_IN_WORDS = 20  # words in the lead-ins and reasons beside the requests; more is an answer
MAX_BARE_WORDS = 25  # a request without a question mark, or put as a statement, is one short sentence

_I = re.IGNORECASE
_AUX = r"(do|does|did|should|can|could|would|will|shall|may|might|must|is|are|am|was|were|have|has|any|mind)"
_WH = r"(what|what's|whats|which|who|whom|whose|where|when|how)"

# Chat shorthand, so "r u asking" reads as "are you asking"; a misspelt opening auxiliary ("shoud I") as meant.
_SHORTHAND = {"u": "you", "r": "are", "ur": "your", "sry": "sorry", "pls": "please", "plz": "please"}
_OPENERS = ("should", "could", "would")

# Answer markers: any one makes the message an answer.
_GIVES_UP = re.compile(
    r"\b(move on|skip (it|this|that)|next question|pass on this|(tell|give) me the answer|what's the answer)\b", _I
)
_CHECKS_BACK = re.compile(
    r"\b(does (that|this) (make sense|answer|cover|help|sound)|if that makes sense|makes sense\?|"
    r"is (that|this) (right|correct|enough|it|the right|what you|along|roughly|more or less|fair)\b|"
    r"am i (right|close|on)\b|(right|correct|isn'?t it|doesn'?t it|don'?t they|aren'?t they|no|yes)\?\s*$)",
    _I,
)
# After a lead-in, the setup restated to be confirmed: "Let me make sure I understand: we're predicting churn?"
_RESTATES_SETUP = re.compile(
    r"^((we|you)('re| are|'ll| will|'ve| have)|the (goal|task|question|problem|setting|setup|target) is)\b", _I
)
# A restatement of what the interviewer wants, to be confirmed: "You want X rather than Y?", "I'm assuming you
# care more about X. Is that fair?". Only with "you" as its subject, at the start of a clause.
_RESTATES = re.compile(
    r"^(so,? )?((i'm|i am) (assuming|guessing|taking it)|i assume|i take it)?( that)? ?you( (want|wanted|care|prefer|"
    r"meant?)|'d (like|prefer)|( would) (like|prefer)|('re| are) (asking|after|looking for|interested|referring))\b"
    r"(?! to\b)",  # not "You want to minimise the loss, right?"
    _I,
)
_JUSTIFIES = re.compile(
    r"\b(because|since|so that|which (means|is why)|so (the|it|it's|its|they|this|that|there))\b", _I
)
_TERM_CHECK = re.compile(r"(?<!what )\byou (mean|meant)\b|\bwhen you say\b", _I)  # "By X you mean Y, right?"
# A question about the subject that proposes an answer: "Is it because...?", "Isn't it...?", "What about L1?".
_PROPOSES = re.compile(
    r"\b(because|the one (where|that|with|which)|(?<!if )i think|i guess|i believe|i reckon|probably)\b|"
    r"\bdepending on\b|\b(maybe|perhaps)\?$|(^|[,;:—–]\s*|\s-\s)(maybe|perhaps)\b|"  # "..., maybe with dropout?"
    r"^(isn'?t|doesn'?t|don'?t|aren'?t|wouldn'?t|shouldn'?t|can'?t|what about|how about|what if|what'?s the point|why|"
    r"how come|who cares)\b",
    _I,
)
# Content in a statement: figures and formulas, a claim joined by a semicolon, a committed "I'd use...", a hedge.
_CONTENT = re.compile(
    r"\d|[=^+<>→]|->|;|(?<!what )\bi('d| would|'ll| will) (?!(like|love|need|want|rather|ask|start|answer|check|"
    r"confirm|clarify|begin|say|be)\b)\w+|\b(i think|i guess|i believe|i suspect|i'd say|my (guess|bet)|probably|"
    r"basically)\b",
    _I,
)

# Asking for a hint is not an answer, even after saying one is stuck: "I'm not sure where to start. A hint?"
_HINT = re.compile(r"\b(hints?|nudge|point me in the right direction)\b", _I)
_STUCK = re.compile(
    r"^((honestly|sorry|hmm+|um+|okay|ok)\b,? )*(i'?m |i am )?(not sure|stuck|blanking|drawing a blank|lost|"
    r"(i )?(don'?t|do not) know|no idea|no clue)( (here|where to (start|begin)|how to (start|begin|approach (this|it))|"
    r"on (this|it)|about (this|it)|sorry|honestly|to be honest))*\s*[.,:;!—–-]+\s*",
    _I,
)

# Requests to the interviewer.
_INTENT = re.compile(
    r"\byou (mean|meant)\b|\b(do|did|would|are|were) you (want|wanted|like|prefer|expect|care|need)\b|"
    r"\byou('re| are) (asking|after|looking for|thinking|referring|interested|expecting)\b|"
    r"\bwhen you (say|said|mention)\b|\bwhat does .{1,40} mean\b|\bin mind\b|\bagain\b|\bwould you rather\b",
    _I,
)
_REPEAT = re.compile(
    r"\b(repeat|say that again|rephrase|come again|pardon|didn'?t (quite |really |fully )?(catch|hear|get|follow)|"
    r"missed (that|the)|"
    r"one more time|once more|what (was|were) (the|that|it)|what('s| is|s) the question|lost you|cut out)\b",
    _I,
)
# What a yes/no question to the interviewer is about: the task, its setup and constraints, the form of the answer,
# the process. A bare "you" is not enough ("Can you use L1 here?"), nor "Is the model...?" ("...overfitting?").
_TO_INTERVIEWER = re.compile(
    r"\b((can|could|would|will) you (please |just )?(repeat|clarify|explain|say|give|tell|rephrase|elaborate|"
    r"specify|confirm|read|expand|share|define|go|walk|point|remind|narrow|help)|do you have|are you|your|"
    r"should i|can i|may i|do i|am i|shall i|could i|are we|do we|have we|will we|mind if (i|we)|the question|"
    r"(i|we|you)('re| are| can| should)? assum\w*|clarif\w*|scope|context|"
    r"which (one|kind|type|case|setting|model|version|metric)s?|what kind|what type|what sort|"
    r"how (big|large|much|many|fast|long|often|deep|detailed|formal|important|strict)|is the (goal|task|target|"
    r"data|dataset)|are (the )?(data|features|labels|classes|inputs)|any (particular|specific)|preferences?|"
    r"(ok|okay|fine|alright|acceptable) (with you )?(if (i|we)|to (answer|start|begin|explain|sketch|draw|think|"
    r"assume|talk|walk))|(i|we)('m| am| are)? allowed|latency|real[- ]time|"
    r"(known|given|available|provided|fixed)( (upfront|in advance|beforehand|at (training|serving|prediction|"
    r"inference) time))?$|budgets?|deadlines?|requirements?|constraints?|limits?|pseudo-?code|diagram|whiteboard|"
    r"notation|high-level|"
    r"intuition|detail|hints?|nudge|"
    r"(or|for) (classification|regression|ranking)|or (online|offline|batch|real-time|streaming))\b",
    _I,
)
_ASKS = re.compile(rf"^({_AUX}|{_WH}|why|or)\b", _I)  # a clause that opens as a question does
# "What's the reward?", "How long do I have?": a question word, then an auxiliary; not "When the data is small?"
_WH_ASKS = re.compile(
    rf"^(when|where|who|whom) {_AUX}\b|"
    rf"^how( \w+){{0,2}} {_AUX}\b|"
    rf"^(what|which|whose)( (?!(the|a|an|this|that|it|we|you|i|they)\b)\w+){{0,3}} {_AUX}\b|"
    r"^((what|where|who|how)'s|whats)\b",
    _I,
)
# Without a question mark: an auxiliary before I/you/we ("should i ...", "how much time should i ..."), or a
# question about the setup that offers options.
_INVERTED = re.compile(
    rf"^({_WH}( \w+){{0,3}} )?{_AUX}n?'?t? (i|you|we|i'm|we're|you're)\b|^is it (ok|okay|fine|alright) if\b|"
    rf"^(is|are) there\b|^(is|are) the\b.* or \b|^is (this|it) (for|about|in)\b.* or \b|"
    rf"^{_WH}( (was|were|is))? the\b.* or \b|"
    rf"^(what|which) (was|were) the \w+( \w+)?$|^(what|what's|whats) (is |was )?the question\b",
    _I,
)
# A wh-word in place: "MAP with which prior?", "Up to what scale?", "Hessian of what — the loss?".
_ECHO = re.compile(r"\b(of|with|by|for|on|in|from|about|after|before|to|at) (what|which)\b( \w+){0,3}$", _I)
_ECHO_DASH = re.compile(r"\b(of|with|by|for|on|in|from|about|to) (what|which)( \w+){0,2}\s*[—–:-]", _I)
_WHICH = re.compile(r"^((of|with|by|for|on|in|from|about|at|to) )?(which|what)\b", _I)  # "Sorry, which loss?"
_NARROWS = re.compile(r"\b(specifically|exactly|in particular|as well|too)$", _I)  # "Self-attention specifically?"
# The same requests put as statements.
_WANTS = (
    r"\byou(('re| are)? (mean|meant|want|wanted|asking|after|looking for|would like|expect|need)|"
    r"'d (like|prefer|want))\b"
)
_UNSURE = re.compile(
    rf"^(i'?m |i am |i was |i )?(not (sure|clear|certain)|wasn'?t sure|unsure|unclear|confused|wondering|wonder)\b"
    rf".*{_WANTS}|"
    r"^i('d| would)? (like|need|want|love) (to (know|understand|check|confirm|clarify|ask) "
    r"(roughly |exactly |more about )?(what|which|how|whether|if|who|when|where|"
    r"the (data|setup|context|problem|goal|question|requirements?|constraints?))|"
    r"(a bit |a little |some )?more (context|detail|details|information|info))\b|"
    rf"^(please )?(tell me|let me know|could you tell me) (whether|if|which|what|how)\b.*{_WANTS}|"
    rf"^(just )?to (check|confirm|clarify|be sure)\b.*{_WANTS}",
    _I,
)
_REPEAT_STATEMENT = re.compile(
    r"\b(pardon|didn'?t (quite |really |fully )?(catch|hear|get|follow) "
    r"(that|it|you|what|the (last|first|second|question|part))|"
    r"lost you|missed what you|(bit|part) you said|(you|the line|the connection|the audio) (cut|broke|dropped))",
    _I,
)

# What may stand beside a request: a lead-in about the conversation, not about the subject.
_INTERJECTION = re.compile(
    r"^((okay|ok|so|right|alright|all|hmm+|mm+|um+|uh+|oh|ah|well|sure|great|good|nice|thanks|thank|you|sorry|"
    r"cool|got|it|i|see|interesting|fair|apologies|enough|understood|question|quick|one|thing|first|wait|"
    r"excellent|hi|hey|that's|a|an|makes|sense|roughly|like)\b ?)+$"
)
_LEAD_IN = re.compile(
    r"\b(before (i|answering|starting|we)|just to|just so|just checking|so i (understand|know|get)|"
    r"to (check|confirm|clarify|be sure|be clear)|quick (check|question)|one (thing|question)|make sure|"
    r"pitch this|i want to|i'd like to|i need to|let me|i have (a|one|two|a few|some|a couple of) (quick )?"
    r"(questions?|things?)|i('ve| have) (seen|had|done) (this|that|it)|(this|that)('s| is) (a |an )?(big|broad|"
    r"good|great|tricky|interesting|hard|open|wide|fair|deep|huge)|not sure i (follow|understand|understood|get)|"
    r"i'm (lost|confused)|i don't follow|the question|connection|audio|mic|muted|lagg?ed|froze|frozen|cut out|"
    r"dropped|missed|didn'?t (quite |really |fully )?(hear|catch|get|follow))\b",
    _I,
)
# A remark about the question or the conversation, with no word about the subject: "There are three parts there",
# "I'd appreciate a bit more context". Every word is a function word or one of these, and one of them is about the
# conversation; negations ("no idea", "not sure") are not among them.
_TALK = frozenset(
    words(
        "question questions part parts bit bits piece problem problems topic topics area areas angle side sides "
        "level context detail details interview answering ask asking asked check confirm clarify understand "
        "follow start starting begin appreciate hear heard catch missed say said example examples order way ways "
        "read hint hints noise noisy audio connection mic muted lag lagged lagging froze frozen echo lost"
    )
)
_FUNCTION = frozenset(
    words(
        "i i'm i'd i've i'll me my you you're you'd your we we're we'd us our it it's this that that's these "
        "those there there's here a an the some any anything something each all few couple several one two three "
        "four first second third last next and or but so then also just still too very really quite fairly pretty "
        "little more most much many lot lots of in on at to for with about from before after as by is are was "
        "were be been am do does did have has had can could would should will shall may might let let's which "
        "what how whether if ok okay right well hmm um uh oh ah sure sorry thanks thank great good nice cool "
        "alright wait hi hey actually make sure different broad big tricky interesting hard open wide fair deep "
        "huge quick whole main general specific separate related seen done fine enough sense makes think see get "
        "got go take want wanted like prefer need mean meant only half end"
    )
)
_FRAME = re.compile(  # "When you say X, ...", "By X, ...", "The part about the prior, ..."
    r"\byou\b|^(by|for|in|regarding|about|on|re|with|as for|the (part|bit|first|second|last|thing))\b", _I
)
_OPTIONS = re.compile(r"^(like|e\.g\.|eg|for example|for instance|say|such as)\b.* or \b", _I)
_OR = re.compile(r"\bor\b(?! not\b)", _I)  # options, not "... or not?"
_REASON = re.compile(r"\b(depends|differ\w*|changes|matters)\b", _I)  # "The loss I'd use differs."
_CLAUSE = re.compile(r"[,:;\u2014\u2013]|\s-\s|--")
_SPLIT = re.compile(r"(?<=[?!;])\s+|(?<![A-Za-z]\.[A-Za-z]\.)(?<!\bvs\.)(?<=\.)\s+|\n+")
_DISCOURSE = re.compile(r"^((and|also|plus|but|or|so|roughly|approximately)\b,?\s*)+", _I)
_OPENING = re.compile(r"^((sorry|wait|okay|ok|so|hmm+|um+|oh|and|also|just)\b,?\s*)+", _I)


MAX_CONFIRM_WORDS = 30  # a short message ending in a question the detector could not place


def needs_confirmation(text: str) -> bool:
    """A short message that ends in a question but is not clearly a clarification: a tentative answer ("Is it
    the vanishing gradient?") or a question the rules do not know. Asking "is that your answer?" costs a click;
    grading a question as an answer would cost the candidate the question."""
    message = text.strip()
    if not message.endswith("?") or "```" in message or len(words(message)) > MAX_CONFIRM_WORDS:
        return False
    return not is_clarifying_question(message)


def is_clarifying_question(text: str) -> bool:
    message = _normalise(text)
    if not message or len(words(message)) > MAX_WORDS or "```" in message:
        return False
    if _GIVES_UP.search(message) or (_CHECKS_BACK.search(message) and not _checks_intent(message)):
        return False
    if _HINT.search(message):
        message = _STUCK.sub("", message, count=1)
    parts = [p.strip() for p in _SPLIT.split(message) if p.strip()]
    bare = "?" not in message and len(parts) == 1 and not message.endswith((".", "!"))
    bare = bare and len(words(message)) <= MAX_BARE_WORDS
    kinds = [_kind(p, bare) for p in parts]
    if "request" not in kinds:
        return False
    first = kinds.index("request")
    if any(k != "lead-in" for k in kinds[:first]):  # a claim, or a question that proposes an answer
        return False
    # after the first request: more questions, the options, a reason; a statement there answers the question
    after = zip(parts[first:], kinds[first:], strict=True)
    if any(k not in ("request", "question", "lead-in") and not _is_follow_up(p) for p, k in after):
        return False
    return sum(len(words(p)) for p, k in zip(parts, kinds, strict=True) if k != "request") <= MAX_LEAD_IN_WORDS


def _checks_intent(message: str) -> bool:
    """What a check-back ("..., right?", "Is that correct?") confirms is what the interviewer means or wants."""
    if _TERM_CHECK.search(message):
        return True
    return any(_restates(_clauses(p)) for p in _SPLIT.split(message))


def _clauses(sentence: str) -> list[str]:
    body = _DISCOURSE.sub("", sentence.strip())
    return [c.strip() for c in _CLAUSE.split(body.rstrip("?.!")) if c.strip()]


def _restates(clauses: list[str]) -> bool:
    """A clause restates what the interviewer wants, only lead-ins come before it, and nothing in it argues: "You
    want the weights small so the model is smoother, right?" states a goal of the method, not of the interviewer."""
    if any(_JUSTIFIES.search(c) for c in clauses):
        return False
    return any(_RESTATES.match(c) and all(_is_lead_in(d) for d in clauses[:i]) for i, c in enumerate(clauses))


def wants_repeat(text: str) -> bool:
    return bool(_REPEAT.search(text))


def _normalise(text: str) -> str:
    out = []
    for i, token in enumerate(text.strip().replace("\u2019", "'").split(" ")):
        key = token.lower().strip(",.?!")
        if key in _SHORTHAND:
            token = token.lower().replace(key, _SHORTHAND[key], 1)
        elif i == 0 and key.isalpha() and len(key) >= 4 and key not in _OPENERS:
            close = difflib.get_close_matches(key, _OPENERS, n=1, cutoff=0.85)
            token = close[0] + token[len(key) :] if close else token
        out.append(token)
    return re.sub(r"\s*(\.{3,}|…)\s*(?=\S)", ", ", " ".join(out))  # "for which models... like, are we"


def _kind(sentence: str, bare: bool) -> str:
    """The sentence is a "request" to the interviewer, another "question", a "lead-in" (a statement that may stand
    beside a request) or "content" (a statement that makes the message an answer)."""
    body = _DISCOURSE.sub("", sentence.strip())
    clauses = _clauses(body)
    if body.endswith("?") or bare:
        if _PROPOSES.search(body) and not _INTENT.search(body):
            return "question"
        if not bare and _restates(clauses):
            return "request"
        if _plain_preamble(clauses) and _is_request(body.rstrip("?").strip(), bare):
            return "request"
        if not bare:
            return "question"
    if _CONTENT.search(body):
        return "content"
    if len(words(body)) <= MAX_BARE_WORDS and _asks_as_statement(clauses):
        return "request"
    return "lead-in" if all(_is_lead_in(c) for c in clauses) else "content"


def _asks_as_statement(clauses: list[str]) -> bool:
    """Some run of clauses is a request put as a statement, and the rest are asides: "Before I answer, I'd like to
    know how big the data is.", "Just to confirm, you want the derivation." (not "..., but L2 is the answer.")."""
    for i in range(len(clauses)):
        for j in range(i + 1, len(clauses) + 1):
            run = ", ".join(clauses[i:j])
            assumes = run.lower().startswith("i") and _RESTATES.match(run)  # "I'm assuming you want X."
            if _UNSURE.match(run) or _REPEAT_STATEMENT.search(run) or assumes:
                return all(_is_aside(c) for c in clauses[:i] + clauses[j:])
    return False


def _is_lead_in(clause: str) -> bool:
    tokens = words(clause)
    plain = " ".join(tokens)
    if _INTERJECTION.match(plain) or _LEAD_IN.search(plain):
        return True
    if tokens[:1] == ["before"] and len(tokens) <= 3:  # "Before anything", "Before I start"
        return True
    return set(tokens) <= _TALK | _FUNCTION and bool(set(tokens) & _TALK)


def _is_aside(clause: str) -> bool:
    """A clause that may stand beside a request in its sentence: a lead-in, a reason, an example."""
    return _is_lead_in(clause) or bool(_REASON.search(clause) or re.match(r"^(like|e\.g\.|such as|or)\b", clause, _I))


def _plain_preamble(clauses: list[str]) -> bool:
    """What comes before the question in its sentence is a lead-in ("Okay, before I start — is..."), a frame ("When
    you say drift, ...") or a first option ("Trees only, or...?"), not a claim ("L2 shrinks — should I derive it?")."""
    opens = [i for i, c in enumerate(clauses) if _ASKS.match(c) or _ECHO_DASH.search(c + " -")]
    if not opens:
        return True
    first = opens[0]
    short_option = clauses[first].lower().startswith("or ")
    return all(
        (short_option and len(words(c)) <= 4) or _is_lead_in(c) or bool(_FRAME.search(c) or _ECHO.search(c))
        for c in clauses[:first]
    )


def _is_request(question: str, bare: bool) -> bool:
    if bare:  # no question mark: it has to open as a question does
        clauses = [c.strip() for c in _CLAUSE.split(_OPENING.sub("", question)) if c.strip()]
        lead = next((i for i, c in enumerate(clauses) if _INVERTED.match(c) or not _is_lead_in(c)), len(clauses))
        opening = ", ".join(clauses[lead:])
        return bool(_INVERTED.match(opening)) and any(
            r.search(opening) for r in (_TO_INTERVIEWER, _INTENT, _REPEAT, _OR)
        )
    n = len(words(question))
    if _INTENT.search(question) or _REPEAT.search(question) or _ECHO_DASH.search(question):
        return True
    if (n <= 8 and _ECHO.search(question)) or (n <= 4 and _NARROWS.search(question)):
        return True
    if n <= 12 and re.search(r"\w as in\b", question, _I):  # a sense: "Perceptron as in Rosenblatt's?"
        return True
    if n <= 10 and _OR.search(question):  # "Classification or regression?"
        return True
    clauses = [c.strip() for c in _CLAUSE.split(question) if c.strip()]
    if any(_WHICH.match(c) and len(words(c)) <= 5 for c in clauses):
        return True  # "Sorry, which loss?", "What metric?"
    for i, clause in enumerate(clauses):
        # "Okay, before I start — is ...?", "Let me make sure I understand: we're predicting churn?"
        prefaced = i > 0 and bool(_LEAD_IN.search(" ".join(clauses[:i])))
        if prefaced and _RESTATES_SETUP.match(clause):
            return True
        if not _ASKS.match(clause):
            continue
        if prefaced or _WH_ASKS.match(clause) or _TO_INTERVIEWER.search(clause) or _OR.search(clause):
            return True
    return bool(_ASKS.match(question)) and bool(_TO_INTERVIEWER.search(question))


def _is_follow_up(statement: str) -> bool:
    """What may follow a clarifying question: the options, or why it matters."""
    body = statement.rstrip(".!").strip()
    if _OPTIONS.match(body):
        return True
    return len(words(body)) <= 12 and not re.search(r"\d|[=^+<>→]|;", body) and bool(_REASON.search(body))


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
