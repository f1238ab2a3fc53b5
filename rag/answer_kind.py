"""What kind of answer a question wants, and whether a sentence can give it.

"How many fans filled the stadium?" wants a number and "On what date did the stores close?" a
date; the sentence that answers often shares few words with the question ("A crowd of 47,583
saw it."), so it scores under sentences that repeat the question's words without the answer.
:func:`rag.passages.select_evidence` gives a sentence that holds the wanted kind a small bonus
when it picks the evidence the model is shown. Only these two kinds are read: they are the ones
a sentence shows on its face (a figure, a month or a year); "who" and "what" are not.

:func:`without_question_noun` trims the model's short answer of the words the question already
said ("Azovstal steel plant" asked "Which steel plant ...?" is "Azovstal").

:func:`counted` reads what a "how many" question counts ("pages" in "how many pages of
documents ..."); :func:`counts` tells whether a quote counts it: "33 boxes" is no answer to "how
many pages".
"""

from __future__ import annotations

import re

from rag import lexical
from rag.containment import extends
from rag.lexical import MONTHS, NUMERIC, WEEKDAYS

NUMBER = "number"
DATE = "date"

_NUMBER_QUESTION = re.compile(
    r"\bhow (?:many|much|far|long|old|tall|big|high|large|deep|fast|heavy)\b|\bby how much\b|"
    r"\b(?:what|which) (?:percentage|percent|share|proportion|fraction|number|age|price|amount|sum|"
    r"total|figure|score|margin|rate|speed|distance)\b|\bat what (?:age|price|speed|rate)\b",
    re.IGNORECASE,
)
_DATE_QUESTION = re.compile(
    r"(?:^|[,;:]\s*)when\b|\b(?:what|which) (?:year|date|day|month|time|decade)\b|\bsince when\b|\buntil when\b",
    re.IGNORECASE,
)
_FIGURE = re.compile(r"\d|\b(?:" + "|".join(sorted(NUMERIC)) + r")\b", re.IGNORECASE)
_CALENDAR = re.compile(  # names capitalised: "May 11", not "may"
    r"\b(?:1[89]\d\d|20\d\d)\b|\b(?:"
    + "|".join(sorted((w.capitalize() for w in (*MONTHS, *WEEKDAYS)), key=len, reverse=True))
    + r")\b|\b(?:yesterday|today|tomorrow|ago|[Ll]ast (?:week|month|year)|[Nn]ext (?:week|month|year))\b"
)


def wanted(question: str) -> str:
    """``NUMBER``, ``DATE`` or "" (any other kind, or none that shows on a sentence's face)."""
    if _NUMBER_QUESTION.search(question):
        return NUMBER
    if _DATE_QUESTION.search(question.strip()):
        return DATE
    return ""


def gives(sentence: str, kind: str) -> bool:
    """Whether ``sentence`` holds an answer of ``kind``: a figure (digits or a number word) for
    ``NUMBER``; a year, month, weekday or "ago"/"last week" for ``DATE``."""
    if kind == NUMBER:
        return bool(_FIGURE.search(sentence))
    if kind == DATE:
        return bool(_CALENDAR.search(sentence))
    return False


_JOINED = re.compile(r",|\b(?:and|or|&)\b", re.IGNORECASE)


def without_question_noun(short: str, question: str) -> str:
    """The short answer without the lower-case words at its end that the question already says:
    "Azovstal" for "Azovstal steel plant" asked "Which steel plant ...?", "11 million" for "11
    million shares" asked "How many shares ...?". Names keep their capitalised words ("Harvard
    University"), a list is left whole ("2 million swings and 220,000 rockers"), and at least one
    word always stays."""
    words = short.split()
    if len(words) < 2 or _JOINED.search(short):
        return short
    asked = lexical.content_words(question)
    end = len(words)
    while end > 1 and words[end - 1].islower() and lexical.content_words(words[end - 1]) <= asked:
        if not lexical.content_words(words[end - 1]):
            break  # "of", "the": not a word of what is counted
        end -= 1
    kept = " ".join(words[:end])
    return kept if end < len(words) and (lexical.content_words(kept) or lexical.numbers(kept)) else short


_HOW_MANY = re.compile(r"\bhow many\s+((?:[\w\u2019'-]+\s*){1,4})", re.IGNORECASE)
#: Counters a quote often leaves implicit ("a nine-year sentence", "for the fifth time").
_UNITS = frozenset({"time", "year", "month", "week", "day", "hour", "minute", "second", "decade", "century"})


def counted(question: str) -> frozenset[str]:
    """The stems of what a "how many" question counts: the words after "how many" up to the
    first stop word ("baby swings" in "how many baby swings and rockers were recalled", "page" in
    "how many pages of documents"); empty for other questions and for units of time ("how many
    times", "how many years"), which an answer states in its own words."""
    match = _HOW_MANY.search(question)
    if not match:
        return frozenset()
    words: list[str] = []
    for word in match.group(1).split():
        if word.lower() in lexical.STOPWORDS or not lexical.content_words(word):
            break
        words.extend(lexical.content_words(word))
    return frozenset() if not words or set(words) & _UNITS else frozenset(words)


def counts(quote: str, things: frozenset[str]) -> bool:
    """Whether ``quote`` names one of ``things`` (:func:`counted`), or a word of its family
    (:func:`rag.lexical.related`, :func:`rag.containment.extends`: "farmers" do not count farms);
    true when there is nothing to count."""
    if not things:
        return True
    said = lexical.content_words(quote)
    return any(lexical.related(t, w) or extends(w, t) for t in things for w in said)
