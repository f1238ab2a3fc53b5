"""Evaluation metrics, as pure functions over plain values.

- Retrieval: document-level Hits@k and reciprocal rank over a ranked list of article ids.
- Answers: SQuAD exact match and token F1 (Rajpurkar et al. 2016: lower case, no punctuation,
  no articles a/an/the, collapsed white space), and ALCE's "STR-EM" (the normalised gold
  answer occurs in the normalised output).
- Citations: ALCE citation recall and precision (Gao et al. 2023, "Enabling Large Language
  Models to Generate Text with Citations", and their eval.py): a sentence is supported when its
  cited passages together entail it; a citation of a supported sentence with several citations
  is imprecise when its passage alone does not entail the sentence and the other citations still
  do. A sentence without citations has recall 0; an unsupported sentence's citations are all
  imprecise. Per answer: recall = supported sentences / sentences, precision = precise citations
  / citations (0 without citations); both are then averaged over answers.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rag import containment, lexical

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = set(string.punctuation) | {"\u2018", "\u2019", "\u201c", "\u201d", "\u2013", "\u2014"}


def normalize_answer(text: str) -> str:
    """SQuAD normalisation: ``"The  U.S. Senate!"`` -> ``"us senate"``."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, gold: str) -> float:
    return float(normalize_answer(prediction) == normalize_answer(gold))


def token_f1(prediction: str, gold: str) -> float:
    predicted, wanted = normalize_answer(prediction).split(), normalize_answer(gold).split()
    if not predicted or not wanted:
        return float(predicted == wanted)
    common = sum((Counter(predicted) & Counter(wanted)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(predicted), common / len(wanted)
    return 2 * precision * recall / (precision + recall)


def contains_answer(output: str, gold: str) -> float:
    """ALCE's STR-EM for one short answer: the normalised gold answer occurs in the output."""
    wanted = normalize_answer(gold)
    return float(bool(wanted) and f" {wanted} " in f" {normalize_answer(output)} ")


def answers_agree(read: str, claimed: str) -> bool:
    """Whether two short answers name the same thing: the words of one are all words of the other
    ("Harvard" / "Harvard University", "Boris Johnson" / "UK Prime Minister Boris Johnson", "the
    Astros and the Philadelphia Phillies" / "Houston Astros vs. Philadelphia Phillies"), with
    number words as figures ("nine years" / "nine-year", "1.9M" / "1.9 million"). Sharing a word
    is not enough ("Hurricane Maria" / "Hurricane Fiona", "47 billion" / "$50 billion"). Empty
    never agrees. A month is its abbreviation ("Oct. 26" / "October 26") and a fraction its value
    ("1/5" / "one-fifth"). A full figure agrees with a scaled one it rounds to within 0.5%
    ("19,000,100" / "$19 million"; not "4,200,000" / "4 million")."""
    read, claimed = _scaled_like(read, claimed), _scaled_like(claimed, read)
    fractions, other = containment.fractions(read), containment.fractions(claimed)
    if fractions and fractions == other:
        a, b = _answer_words(containment.without_fractions(read)), _answer_words(containment.without_fractions(claimed))
        return a <= b or b <= a
    if fractions != other and "/" in read + claimed:
        return False  # "1/5" is not "5" ("a third person" and "third person" still agree)
    a, b = _answer_words(read), _answer_words(claimed)
    return bool(a and b) and (a <= b or b <= a)


_ANSWER_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+")
_JOINERS = frozenset("a an the and or vs versus of in on at to for by with from".split())
_SCALES = {"m": "million", "mn": "million", "bn": "billion", "b": "billion", "k": "thousand", "tn": "trillion"}
_COUNTS = {"one": "1"} | {w: f"{v:g}" for w, v in lexical.NUMBER_WORDS.items() if v >= 2 and w != "twice"}


_SCALED = re.compile(r"(\d+(?:\.\d+)?)\s*(thousand|million|billion|trillion|tn|bn|mn|k|m|b)\b", re.IGNORECASE)
_FIGURE = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3}){2,}(?![\d,])|(?<![\d.,])\d{7,}(?![\d.,])")
_SCALE_VALUES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
ROUNDING = 0.005  # how far a rounded sum may be from the full figure, as a share of it


def _scaled_like(text: str, other: str) -> str:
    """``text`` with each full figure of a million or more written the way ``other`` writes a
    sum it rounds to ("$19,000,100" beside "19 million" -> "$19 million"); otherwise unchanged."""
    scaled = [
        (m.group(0), float(m.group(1)) * _SCALE_VALUES[_SCALES.get(m.group(2).lower(), m.group(2).lower())])
        for m in _SCALED.finditer(other)
    ]

    def rewrite(match: re.Match[str]) -> str:
        value = float(match.group(0).replace(",", ""))
        for written, amount in scaled:
            if amount and abs(value - amount) <= ROUNDING * amount:
                return written
        return match.group(0)

    return _FIGURE.sub(rewrite, text) if scaled else text


def _answer_words(text: str) -> frozenset[str]:
    """An answer's words for :func:`answers_agree`: lower case, lightly stemmed, figures without
    thousands separators, number words and scale abbreviations spelled out, joiners dropped."""
    out: list[str] = []
    for token in _ANSWER_TOKEN.findall(text.lower().replace("%", " percent ")):
        if token[0].isdigit():
            token = token.replace(",", "")
        elif out and out[-1][0].isdigit() and token in _SCALES:
            token = _SCALES[token]
        else:
            token = containment.month_name(_COUNTS.get(token, token))
        if token not in _JOINERS:
            out.append(token if token[0].isdigit() else lexical.stem(token))
    return frozenset(out)


# -- retrieval -------------------------------------------------------------------------------
def unique_in_order(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def hits_at(ranked: Sequence[str], gold: set[str] | frozenset[str], k: int) -> float:
    """1.0 when any of the first ``k`` distinct ids is a gold id."""
    return float(any(doc in gold for doc in unique_in_order(ranked)[:k]))


def reciprocal_rank(ranked: Sequence[str], gold: set[str] | frozenset[str], k: int = 10) -> float:
    """1 / rank of the first gold id among the first ``k`` distinct ids (0 when none)."""
    for rank, doc in enumerate(unique_in_order(ranked)[:k], start=1):
        if doc in gold:
            return 1.0 / rank
    return 0.0


# -- citations (ALCE) ---------------------------------------------------------------------------
Entails = Callable[[str, str], bool]  # (premise, hypothesis) -> does the premise entail it?


@dataclass(frozen=True)
class CitedSentence:
    """One sentence of an answer and the texts of the passages it cites."""

    text: str
    passages: tuple[str, ...]


@dataclass(frozen=True)
class CitationScore:
    recall: float  # supported sentences / sentences
    precision: float  # precise citations / citations
    sentences: int
    citations: int


def citation_scores(sentences: Sequence[CitedSentence], entails: Entails) -> CitationScore:
    """ALCE citation recall and precision of one answer (see the module docstring)."""
    supported = precise = citations = 0
    for sentence in sentences:
        cited = sentence.passages
        citations += len(cited)
        joint = bool(cited) and entails("\n\n".join(cited), sentence.text)
        supported += joint
        if not joint:
            continue
        if len(cited) == 1:
            precise += 1
            continue
        for i, passage in enumerate(cited):
            alone = entails(passage, sentence.text)
            rest = cited[:i] + cited[i + 1 :]
            if alone or not entails("\n\n".join(rest), sentence.text):
                precise += 1  # needed or sufficient
    recall = supported / len(sentences) if sentences else 0.0
    precision = precise / citations if citations else 0.0
    return CitationScore(recall, precision, len(sentences), citations)


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (``q`` in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
