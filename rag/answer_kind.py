"""What kind of answer a question wants, and whether a sentence can give it.

"How many fans filled the stadium?" wants a number and "On what date did the stores close?" a
date; the sentence that answers often shares few words with the question ("A crowd of 47,583
saw it."), so it scores under sentences that repeat the question's words without the answer.
:func:`rag.passages.select_evidence` gives a sentence that holds the wanted kind a small bonus
when it picks the evidence the model is shown. Only these two kinds are read: they are the ones
a sentence shows on its face (a figure, a month or a year); "who" and "what" are not.
"""

from __future__ import annotations

import re

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
