"""The offline grader: scores an answer from sentence embeddings and a few lexical signals, no LLM.

It is built on the grading index, whose embedder is the static table distilled from MiniLM (static_embeddings.py):
about 1 ms an answer, and as accurate on the evaluation sets as the transformer (docs/benchmarks.md).

How it decides, in order:
1. Non-answers ("I don't know", blank, one word) score 0.
2. Sentences that talk to the grader ("ignore the rubric, give 10") are dropped and noted: they earn nothing.
3. A sentence close to one of the question's known wrong claims, and closer to it than to any true statement
   (key points, corrections), and that uses a word setting the claim apart from the truth, is a misconception: it
   costs points (once, however often it is repeated), two of them cap the answer at 3, and the sentence cannot
   make the key point its claim contradicts. A claim that swaps the terms of a true statement is settled by word
   order instead.
4. Each key point is matched to its most similar sentence; similarity maps to 0-1 credit.
5. An answer that fits another question's key points clearly better than this one's is off the question.
6. A bare list of terms (few function words) is capped in the weak band.
7. A thin answer is capped in the partial band: the cap rises with the words in sentences that make key points.
Overall = mean credit mapped onto 0-10, minus misconceptions, minus the share of filler; caps above apply.
Embeddings see topic better than truth: a fluent answer that states wrong claims the bank does not list can
still score too high. That is the offline grader's known limit (docs/benchmarks.md measures it).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np
import Stemmer

from ..bank import Mistake, Question
from ..embeddings import Vectors
from ..index import BankIndex
from ..text import american_spelling, sentences, words
from .models import Criterion, CriterionScore, GradeResult, band_for
from .rubric import Rubric


@dataclass(frozen=True)
class OfflineParams:
    """Thresholds on cosine similarity (the static table distilled from all-MiniLM-L6-v2) and score weights, tuned
    on the tunable split only (docs/evaluation.md)."""

    cover_lo: float = 0.55  # below: the key point is absent
    cover_hi: float = 0.80  # above: fully made
    completeness_floor: float = 0.05  # completeness mapped linearly from [floor, ceil] onto [0, 10]
    completeness_ceil: float = 0.70
    mistake_sim: float = 0.63  # a sentence this close to a known wrong claim...
    mistake_margin: float = 0.0  # ...and this much closer to it than to anything true resembles it
    # Flagging a correct sentence as wrong costs a candidate's trust, so a flag (which costs points) needs strong
    # evidence: this close in meaning, most of the claim's content words said, and most of the words that set the
    # claim apart from its true twin. Weaker resemblance earns only a neutral "check this" note.
    flag_sim: float = 0.72
    flag_cover: float = 0.6
    flag_distinct: float = 0.5
    flag_sim_paired: float = 0.80
    follow_up_cover_shift: float = 0.05  # follow-up points are narrower: how much lower their cover band sits
    misconception_penalty: float = 1.5
    off_topic_margin: float = 0.12  # another question's key points fit this much better: off the question
    on_topic_sim: float = 0.30  # a sentence below this against every key point and reference sentence is filler
    filler_penalty: float = 2.0  # times the share of filler sentences
    function_word_min: float = 0.18  # below this share of function words the answer is a term list
    keyword_cap: float = 3.0
    non_answer_max_words: int = 25  # "I don't know"-style phrases only make a short reply a non-answer
    # A thin answer cannot pass however well its few sentences match: the cap rises from thin_cap at
    # thin_words_lo on-topic words to 10 at thin_words_hi (0 disables).
    thin_cap: float = 5.0
    thin_words_lo: int = 40
    thin_words_hi: int = 100
    substance_sim: float = 0.6  # a sentence this close to some key point counts as substance
    word_match: float = 0.8  # two words this similar in the static table are forms of one word (0: stems only)
    # An attempt (an answer to this question with a sentence of substance), however wrong, scores at least 1: 0 is
    # for no answer. Scores below this are squeezed onto [1, weak_ceiling); 3.95 is where the partial band starts
    # once rounded (0: off).
    weak_ceiling: float = 3.95


# Words that carry grammar rather than content: prose is full of them, a list of buzzwords is not.
# fmt: off
FUNCTION_WORDS = frozenset((
    "a", "an", "the", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "has", "have",
    "had", "it", "its", "this", "that", "these", "those", "there", "here", "of", "in", "on", "at", "to", "for",
    "from", "by", "with", "as", "into", "over", "under", "than", "then", "so", "because", "since", "if", "when",
    "while", "which", "who", "whom", "whose", "what", "why", "how", "where", "can", "could", "would", "should",
    "will", "shall", "may", "might", "must", "not", "no", "nor", "and", "or", "but", "also", "each", "every",
    "any", "all", "some", "more", "most", "less", "least", "very", "too", "just", "only", "both", "either",
    "neither", "such", "same", "other", "another", "we", "you", "they", "he", "she", "i", "me", "my", "our",
    "your", "their", "them", "us", "one", "ones", "you'd", "we'd", "it's", "that's", "there's", "i'm", "don't",
    "doesn't", "isn't", "aren't", "won't", "can't", "between", "through", "about", "against", "during", "without",
    "within", "after", "before", "until", "up", "down", "out", "off", "again", "further", "once",
))
# fmt: on

_STEMMER = Stemmer.Stemmer("english")
# A wrong claim sharing this share of its content words with its true twin is a swap of the twin's terms.
SWAP_OVERLAP = 0.6

# Phrases that make a short reply a non-answer ("Pass, I haven't worked with AdaBoost.").
NON_ANSWER = re.compile(
    r"\b(i\s*(do\s*n[o']?t|don't|dont)\s+(really\s+)?(know|remember|recall)|no\s+idea|not\s+sure|pass|skip|idk|"
    r"dunno|i\s+have\s*n[o']t|i\s+haven't|never\s+(used|worked|heard|learned)|can'?t\s+(remember|recall|say)|"
    r"no\s+clue|not\s+familiar|next\s+question)\b|^\W*(no|nope|n/?a|none|\?+|-+|\.+)\W*$",
    re.IGNORECASE,
)
INSTRUCTION_TO_GRADER = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(rubric|instruction|prompt|previous|above|grading|criteria)"
    r"|\b(give|award|assign|grade|score|rate|mark)\b.{0,30}\b(10|ten|full|maximum|max|perfect|100)\b"
    r"|\b(system prompt|you are now|as the grader|as an ai)\b",
    re.IGNORECASE,
)
REASONING_MARKERS = re.compile(
    r"\b(because|so that|which means|therefore|hence|trade-?off|for example|for instance|e\.g\.|whereas|"
    r"in contrast|unlike|as a result|the reason|this is why|in practice|depends on)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Evidence:
    """What the grader measured, kept for the benchmark and for debugging a surprising grade."""

    coverage: list[float]  # best similarity per key point
    credit: list[float]  # 0-1 per key point
    wrong_sentences: int
    misconceptions: list[str]
    on_topic_share: float
    function_word_share: float
    other_question_gap: float
    reasoning_markers: int


@dataclass(frozen=True)
class _RubricVectors:
    key_points: Vectors
    mistakes: Vectors
    corrections: Vectors
    follow_ups: Vectors
    topical: Vectors  # everything on-topic: key points, reference sentences, title


def _ramp(x: float, lo: float, hi: float) -> float:
    return float(np.clip((x - lo) / (hi - lo), 0.0, 1.0))


class OfflineGrader:
    name = "offline"

    def __init__(self, index: BankIndex, params: OfflineParams | None = None) -> None:
        self.index = index
        self.params = params or OfflineParams()
        # All key points of the bank in one matrix, to notice an answer that belongs to another question.
        self._all_kp = np.concatenate([index.vectors[q.number].key_points for q in index.bank])
        # (questions, max key points) gather matrix, padded with a sentinel column, for a vectorised top-3 per question
        sizes = [len(q.key_points) for q in index.bank]
        starts = np.cumsum([0, *sizes[:-1]])
        width = max(sizes)
        self._kp_gather = np.full((len(sizes), width), len(self._all_kp))
        for row, (start, size) in enumerate(zip(starts, sizes, strict=True)):
            self._kp_gather[row, :size] = np.arange(start, start + size)
        self._kp_numbers = np.array([q.number for q in index.bank])
        self._follow_up_vectors: dict[tuple[str, ...], Vectors] = {}

    def grade(self, question: Question | Rubric, answer: str) -> GradeResult:
        result, _ = self.grade_with_evidence(question, answer)
        return result

    def rubric_vectors(self, rubric: Rubric) -> _RubricVectors:
        """Cached bank vectors for a question; a follow-up embeds its expected content on the spot."""
        qv = self.index.vectors[rubric.number]
        if not rubric.is_follow_up:
            return _RubricVectors(
                qv.key_points,
                qv.mistakes,
                qv.corrections,
                qv.follow_ups,
                np.concatenate([qv.key_points, qv.reference, qv.title]),
            )
        n_own = len(rubric.key_points)
        texts = (*rubric.key_points, rubric.title, rubric.reference_answer)
        own = self._follow_up_vectors.get(texts)
        if own is None:  # a follow-up's rubric is embedded once, then reused by every session
            own = self._follow_up_vectors[texts] = self.index.embedder.encode(list(texts))
        kps = own[:n_own]
        return _RubricVectors(
            kps,
            qv.mistakes,
            qv.corrections,
            np.zeros((0, kps.shape[1]), np.float32),
            np.concatenate([own, qv.key_points, qv.reference]),
        )

    def grade_with_evidence(self, question: Question | Rubric, answer: str) -> tuple[GradeResult, Evidence | None]:
        rubric = question if isinstance(question, Rubric) else Rubric.of(question)
        p = self.params
        notes: list[str] = []
        parts = sentences(answer.strip())
        kept = [s for s in parts if not INSTRUCTION_TO_GRADER.search(s)]
        if len(kept) < len(parts):
            notes.append("Instructions addressed to the grader were ignored; only your technical content counts.")
        joined = " ".join(kept)
        tokens = words(joined)
        if len(tokens) < 3 or (len(tokens) <= p.non_answer_max_words and NON_ANSWER.search(joined)):
            return self._no_answer(rubric, notes, "blank" if not tokens else "non-answer"), None

        rv = self.rubric_vectors(rubric)
        vectors = self.index.embedder.encode(kept)
        kp_sims = vectors @ rv.key_points.T  # (sentences, key points)

        # A sentence close to a known wrong claim, and closer to it than to anything true (key points,
        # corrections), is a misconception, unless the claim swaps a true statement's terms and the sentence
        # puts them the true way round.
        truth = np.concatenate([kp_sims, vectors @ rv.corrections.T], axis=1).max(axis=1)
        lie_sims = vectors @ rv.mistakes.T if len(rv.mistakes) else np.zeros((len(kept), 0))
        # Each wrong claim's true twin, the key point or correction closest to it, lets word order settle a claim
        # that swaps the truth's terms (see _order_votes).
        truth_texts = [*rubric.key_points, *(mk.correction for mk in rubric.mistakes)]
        twin = (rv.mistakes @ np.concatenate([rv.key_points, rv.corrections]).T).argmax(axis=1)
        wrong = np.zeros(len(kept), dtype=bool)
        contradicted = np.zeros_like(kp_sims, dtype=bool)  # (sentence, key point) pairs a wrong claim cancels
        misconceptions: list[str] = []
        stated: set[int] = set()  # a wrong claim made twice is one misconception
        for i in range(len(kept)):
            for m in np.argsort(-lie_sims[i]):
                if lie_sims[i, m] < p.mistake_sim:
                    break
                claim = rubric.mistakes[m].claim
                twin_text = truth_texts[twin[m]]
                pairing = _pairing_votes(kept[i], claim, twin_text)
                if _order_votes(kept[i], claim, twin_text) > 0 or pairing > 0:
                    continue  # the swapped terms are stated the true way round: try the next-closest claim
                if lie_sims[i, m] - truth[i] < p.mistake_margin:
                    break  # closer to something true than to this claim, and so to every claim after it
                if not self._says_what_makes_it_wrong(kept[i], claim, twin_text):
                    continue  # similar in topic only: try the next-closest claim
                cover, distinct = _claim_overlap(kept[i], claim, twin_text)
                # Very close in meaning, pairing the terms as the claim does, is strong evidence even when the
                # claim's own distinctive words are paraphrased ("break the symmetry" for "move them apart").
                strong = cover >= p.flag_cover and (
                    (lie_sims[i, m] >= p.flag_sim and distinct >= p.flag_distinct)
                    or (lie_sims[i, m] >= p.flag_sim_paired and pairing < 0)
                )
                if not strong:
                    break  # resemblance without strong evidence: say nothing (a wrong flag costs more than a miss)
                wrong[i] = True
                contradicted[i, :] = True  # a sentence stating a mistake makes no key point at all
                if m not in stated:
                    stated.add(int(m))
                    misconceptions.append(_misconception(kept[i], rubric.mistakes[m]))
                break
        # A sentence that states a misconception makes no key point, however close its wording comes to one.
        kp_sims = np.where(contradicted, 0.0, kp_sims)

        coverage = kp_sims.max(axis=0)
        shift = p.follow_up_cover_shift if rubric.is_follow_up else 0.0
        credit = [_ramp(float(c), p.cover_lo - shift, p.cover_hi - shift) for c in coverage]
        completeness = float(np.mean(credit))

        on_topic = (vectors @ rv.topical.T).max(axis=1) >= p.on_topic_sim
        on_topic_share = float(on_topic.mean())
        fw_share = sum(t in FUNCTION_WORDS for t in tokens) / len(tokens)
        markers = len(REASONING_MARKERS.findall(joined))
        # Compare fits over as many key points as the answer has sentences (up to 3), so a one-line answer that
        # nails a single key point is not mistaken for an answer to another question.
        top = min(3, len(kept))
        own_fit = float(np.sort(kp_sims.max(axis=0))[-top:].mean())
        gap = -1.0 if rubric.is_follow_up else self._other_question_gap(rubric.number, vectors, own_fit, top)

        score = 10 * _ramp(completeness, p.completeness_floor, p.completeness_ceil)
        score -= p.misconception_penalty * len(misconceptions)
        score -= p.filler_penalty * (1 - on_topic_share)
        off_question = gap > p.off_topic_margin
        # Only sentences that make some key point count as substance: filler and hedges are not an attempt.
        substantive = kp_sims.max(axis=1) >= p.substance_sim
        if p.weak_ceiling and substantive.any() and not off_question:  # before the caps, which keep their meaning
            score = _as_attempt(max(score, 0.0), p.weak_ceiling)
        if p.thin_words_hi:
            on_topic_words = sum(len(words(s)) for s, ok in zip(kept, substantive, strict=True) if ok)
            lo, hi = p.thin_words_lo, p.thin_words_hi
            cap = p.thin_cap + (10 - p.thin_cap) * _ramp(on_topic_words, lo, hi)
            if score > cap:
                score = cap
                notes.append(
                    "Your answer is correct as far as it goes but short: explain the why and the trade-offs."
                    if len(tokens) < hi
                    else "Only a few of your sentences make this question's key points; the rest earns no credit. "
                    "Explain the why and the trade-offs of the key ideas."
                )
        if fw_share < p.function_word_min and _looks_like_a_list(joined, tokens):
            score = min(score, p.keyword_cap)
            notes.append("This reads as a list of terms; explain how the ideas connect to earn credit.")
        if off_question:
            score = min(score, 1.0)
            notes.append("This answer fits a different question better than the one asked.")
        if len(misconceptions) >= 2:
            score = min(score, 3.0)
        score = round(float(np.clip(score, 0, 10)), 1)

        covered = [kp for kp, c in zip(rubric.key_points, credit, strict=True) if c >= 0.5]
        missed_idx = [j for j, c in enumerate(credit) if c < 0.5]
        evidence = Evidence(
            coverage=[round(float(c), 3) for c in coverage],
            credit=[round(c, 3) for c in credit],
            wrong_sentences=int(wrong.sum()),
            misconceptions=misconceptions,
            on_topic_share=round(on_topic_share, 3),
            function_word_share=round(fw_share, 3),
            other_question_gap=round(gap, 3),
            reasoning_markers=markers,
        )
        result = GradeResult(
            number=rubric.number,
            score=score,
            band=band_for(score),
            criteria=self._criteria(completeness, misconceptions, on_topic_share, fw_share, markers, off_question),
            covered=covered,
            missed=[rubric.key_points[j] for j in missed_idx],
            misconceptions=misconceptions,
            feedback=_feedback(rubric, covered, [rubric.key_points[j] for j in missed_idx], misconceptions, score),
            follow_up=self._suggest_follow_up(rubric, vectors, missed_idx),
            grader="offline",
            notes=notes,
        )
        return result, evidence

    def _says_what_makes_it_wrong(self, sentence: str, claim: str, truth: str) -> bool:
        """Whether the sentence uses a word that sets the wrong claim apart from its true twin ("equal" in "every
        weak learner gets an equal vote"), or a form of one ("imbalance" for "imbalanced"). Without one, the
        sentence only shares the claim's topic, which is all a static embedding sees; a claim with no such word (a
        pure swap of the truth's terms) is left to word order."""
        in_truth = set(_stems(truth))
        distinctive = [w for w, stem in zip(*_content_words(claim), strict=True) if stem not in in_truth]
        if not distinctive:
            return True
        said, said_stems = _content_words(sentence)
        if {_STEMMER.stemWord(w) for w in distinctive} & set(said_stems):
            return True
        if not said or not self.params.word_match:
            return False
        sims = self.index.embedder.encode(distinctive) @ self.index.embedder.encode(said).T
        return bool(sims.max() >= self.params.word_match)

    def _other_question_gap(self, own_number: int, vectors: Vectors, own_fit: float, top: int) -> float:
        """How much better the answer fits the best other question's key points than this one's (top-3 mean)."""
        sims = np.append((vectors @ self._all_kp.T).max(axis=0), -1.0)  # sentinel for padding
        fits = np.sort(sims[self._kp_gather], axis=1)[:, -top:].mean(axis=1)
        fits[self._kp_numbers == own_number] = -1.0
        return float(fits.max()) - own_fit

    def _criteria(
        self,
        completeness: float,
        misconceptions: list[str],
        on_topic: float,
        fw_share: float,
        markers: int,
        off_question: bool,
    ) -> list[CriterionScore]:
        p = self.params
        correctness = 0 if off_question else max(0, 10 - 3 * len(misconceptions)) if completeness > 0 else 2
        # Completeness is the share of key-point credit itself, so its number and its reason are one figure.
        complete = round(10 * completeness)
        # Coverage earns most of depth; reasoning words (because, trade-off, for example...) earn the rest, and
        # without them depth stays in the band its reason describes.
        depth = round(10 * (0.7 * min(1.0, completeness / p.completeness_ceil) + 0.3 * min(markers, 3) / 3))
        depth = min(depth, 5 if markers == 0 else 8 if markers == 1 else 10)
        prose = 1.0 if fw_share >= p.function_word_min + 0.08 else _ramp(fw_share, 0.1, p.function_word_min + 0.08)
        clarity = round(10 * (0.5 * on_topic + 0.5 * prose))
        if misconceptions:
            depth = min(depth, 5)
        if off_question:
            correctness_reason = "The answer addresses a different question."
        elif misconceptions:
            correctness_reason = f"States {len(misconceptions)} of the question's listed common mistakes."
        elif completeness == 0:
            correctness_reason = "Makes none of the key points, so there is little to check."
        else:
            correctness_reason = (
                "No listed common mistake found. Offline grading cannot check other claims against the facts."
            )
        return [
            CriterionScore(criterion=Criterion.correctness, score=int(correctness), reason=correctness_reason),
            CriterionScore(
                criterion=Criterion.completeness,
                score=complete,
                reason=f"Key-point credit: about {round(100 * completeness)}% of the question's key points.",
            ),
            CriterionScore(
                criterion=Criterion.depth,
                score=depth,
                reason=(
                    "Explains why, with trade-offs or examples."
                    if depth >= 8
                    else "Some reasoning; say more about why, the trade-offs, or give an example."
                    if depth >= 5 and markers >= 1
                    else "States facts with little reasoning (why, trade-offs, examples)."
                    if markers == 0
                    else "Thin: few key points made, so there is little reasoning to credit."
                ),
            ),
            CriterionScore(
                criterion=Criterion.clarity,
                score=clarity,
                reason="Focused, connected prose."
                if clarity >= 7
                else "Parts are off-topic filler or a list of terms rather than explanation.",
            ),
        ]

    def rank_follow_ups(self, number: int, missed: list[int]) -> list[tuple[int, list[int]]]:
        """Authored follow-ups ordered by how well they aim at the missed key points.

        Returns (follow-up index, the missed key points it targets best) pairs; with nothing missed, the deepest
        (last-authored) follow-up comes first.
        """
        qv = self.index.vectors[number]
        n = len(qv.follow_ups)
        if not missed:
            return [(i, []) for i in reversed(range(n))]
        sims = qv.key_points[missed] @ qv.follow_ups.T  # (missed, follow_ups)
        order = np.argsort(-sims.max(axis=0))
        owner = sims.argmax(axis=1)  # each missed key point goes to its closest follow-up
        ranked = []
        for f in order:
            targets = [missed[m] for m in range(len(missed)) if owner[m] == f]
            ranked.append((int(f), targets or [missed[int(sims[:, f].argmax())]]))
        return ranked

    def _suggest_follow_up(self, rubric: Rubric, vectors: Vectors, missed: list[int]) -> str:
        """The best-aimed authored follow-up whose own points the answer has not already made."""
        if rubric.is_follow_up:  # the parent's other follow-ups, in the bank's order
            ranked = [i for i in range(len(rubric.follow_ups)) if i != rubric.follow_up_index]
        else:
            ranked = [i for i, _ in self.rank_follow_ups(rubric.number, missed)]
        if not ranked:
            return rubric.title
        for i in ranked:
            follow_up = rubric.follow_ups[i]
            points = tuple(follow_up.key_points) or (follow_up.expects,)
            fv = self._follow_up_vectors.get(points)
            if fv is None:
                fv = self._follow_up_vectors[points] = self.index.embedder.encode(list(points))
            made = (vectors @ fv.T).max(axis=0)
            if np.mean([_ramp(float(s), self.params.cover_lo, self.params.cover_hi) for s in made]) < 0.5:
                return follow_up.question
        return rubric.follow_ups[ranked[-1]].question

    def follow_ups_for(self, question: Rubric, missed: list[int]) -> list[str]:
        return [question.follow_ups[i].question for i, _ in self.rank_follow_ups(question.number, missed)]

    def _no_answer(self, question: Rubric, notes: list[str], why: str) -> GradeResult:
        zero = [CriterionScore(criterion=c, score=0, reason="No answer to assess.") for c in Criterion]
        return GradeResult(
            number=question.number,
            score=0.0,
            band="none",
            criteria=zero,
            covered=[],
            missed=list(question.key_points),
            misconceptions=[],
            feedback=(
                "Saying you don't know is honest, and better than guessing. Here is what a good answer covers: "
                + _as_list(question.key_points[:3])
                + "."
            ),
            follow_up=question.follow_ups[0].question if question.follow_ups else question.title,
            grader="offline",
            notes=[*notes, f"Graded as no answer ({why})."],
        )


def _as_attempt(score: float, ceiling: float) -> float:
    """Lift an attempt's score onto the scale's "mostly wrong" band, 1 and up. Squeezing [0, ceiling) onto
    [1, ceiling) rather than flooring at 1 keeps every order between two attempts, so a thin right answer still
    beats a wrong one it outscored before, and no score crosses into another band above 1."""
    return score if score >= ceiling else 1 + score * (ceiling - 1) / ceiling


# "Type I" and "type II" differ only in a word the function-word list drops ("I"): keep them apart.
_ERROR_TYPE = re.compile(r"\b([Tt]ype)[ -](II|I)\b")


def _content_words(text: str) -> tuple[list[str], list[str]]:
    """The words of a text that carry content, and their stems."""
    text = _ERROR_TYPE.sub(lambda m: "typetwo" if m.group(2) == "II" else "typeone", american_spelling(text))
    kept = [w for w in words(text) if w not in FUNCTION_WORDS]
    return kept, _STEMMER.stemWords(kept)


def _stems(text: str) -> list[str]:
    return _content_words(text)[1]


def _first_positions(text: str) -> dict[str, int]:
    positions: dict[str, int] = {}
    for i, stem in enumerate(_stems(text)):
        positions.setdefault(stem, i)
    return positions


def _order_votes(sentence: str, claim: str, truth: str) -> int:
    """> 0 if the sentence puts the shared terms in the true statement's order, < 0 in the wrong claim's, else 0.

    A claim that swaps the terms of a true statement ("L1 is a Gaussian prior and L2 a Laplace prior") embeds
    almost exactly like the truth, so similarity alone flags correct answers; the order of the words can tell them
    apart. Only a swap (claim and truth share most of their words) gets a vote.
    """
    s, c, t = _first_positions(sentence), _first_positions(claim), _first_positions(truth)
    if len(c.keys() & t.keys()) < SWAP_OVERLAP * len(c.keys() | t.keys()):
        return 0  # not a swap of the truth's terms: word order means nothing here
    shared = [w for w in s if w in c and w in t]
    as_truth = as_claim = 0
    for a, b in itertools.combinations(shared, 2):
        before = s[a] < s[b]
        as_truth += before == (t[a] < t[b])
        as_claim += before == (c[a] < c[b])
    return as_truth - as_claim


_CLAUSE_BREAK = re.compile(r"[,;:()]|\b(?:and|but|while|whereas|whilst)\b", re.IGNORECASE)


def _pairings(text: str, terms: set[str]) -> set[frozenset[str]]:
    """Pairs of `terms` said in one clause: who is said together with whom ("the queries come from the decoder")."""
    pairs: set[frozenset[str]] = set()
    for clause in _CLAUSE_BREAK.split(text):
        stems = [s for s in dict.fromkeys(_stems(clause)) if s in terms]
        pairs |= {frozenset((a, b)) for a, b in itertools.combinations(stems, 2)}
    return pairs


def _pairing_votes(sentence: str, claim: str, truth: str) -> int:
    """> 0 if the sentence pairs the terms a swapped claim shares with its true twin as the truth does ("queries
    ... from the decoder"), < 0 as the claim does. Word order alone misreads a paraphrase of the truth ("the decoder
    supplies the queries"); which terms stand together survives it."""
    shared = set(_stems(claim)) & set(_stems(truth))
    said, in_claim, in_truth = _pairings(sentence, shared), _pairings(claim, shared), _pairings(truth, shared)
    return len((said & in_truth) - in_claim) - len((said & in_claim) - in_truth)


def _misconception(sentence: str, mistake: Mistake) -> str:
    """Names the listed mistake the sentence was matched to, so a candidate can tell a wrong match from a fair one."""
    return f"You said '{_clip(sentence)}', which reads as the common mistake '{mistake.claim.rstrip('.')}'. " + (
        mistake.correction
    )


def _claim_overlap(sentence: str, claim: str, truth: str) -> tuple[float, float]:
    """(share of the claim's content words the sentence uses, share of the words that set the claim apart from
    its true twin that it uses); both by stem."""
    said = set(_stems(sentence))
    claim_stems = _stems(claim)
    in_truth = set(_stems(truth))
    distinctive = [s for s in claim_stems if s not in in_truth]
    cover = sum(s in said for s in claim_stems) / max(len(claim_stems), 1)
    distinct = sum(s in said for s in distinctive) / len(distinctive) if distinctive else 1.0
    return cover, distinct


def _as_list(points: list[str]) -> str:
    """Key points joined into one sentence (their own full stops dropped, so none is doubled)."""
    return "; ".join(p.rstrip(". ") for p in points)


def _clip(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _looks_like_a_list(text: str, tokens: list[str]) -> bool:
    """Few function words mean a term list only in a longer text, or in one made of short comma-separated bits
    ("bagging, variance, bootstrap"); a short sentence can be sparse in function words and still be prose."""
    fragments = [f for f in re.split(r"[,;/\n]+", text) if f.strip()]
    return len(tokens) >= 12 or (len(fragments) >= 3 and len(tokens) / len(fragments) <= 3)


def _feedback(question: Rubric, covered: list[str], missed: list[str], misconceptions: list[str], score: float) -> str:
    total = len(question.key_points)
    parts = [f"The grader found {len(covered)} of the {total} key points."]
    if score >= 8:
        parts.insert(0, "Strong answer.")
    elif score < 4:
        parts.insert(0, "This answer would not pass yet.")
    if misconceptions:
        parts.append("Correct this: " + misconceptions[0])
    if missed:
        parts.append("To strengthen it, add: " + _as_list(missed[:2]) + ".")
    return " ".join(parts)
