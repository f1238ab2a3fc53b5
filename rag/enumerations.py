"""Lists of names in a sentence: "visits to Iran, Tajikistan, Uzbekistan and Turkmenistan".

A claim often counts what its source lists ("the tour covered four countries: Iran, ..."): the
count is stated by the list, not by a number, and a list of four read as "three countries" is a
contradiction. :func:`enumerations` finds such lists (two or more capitalised names joined by
commas and a last "and"/"or"), :func:`counted` the ones a claim numbers, and :func:`holding` the
list of a text that names every item of another. rag.claims_compare compares the counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.lexical import NUMBER_WORDS

_NAME = r"[A-Z][\w\u2019'.&-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w\u2019'.&-]*){0,3}"
_LIST = re.compile(rf"\b({_NAME})((?:,\s+{_NAME})*),?\s+(?:and|or)\s+({_NAME})")

_COUNTED = re.compile(
    rf"\b(\d+|{'|'.join(NUMBER_WORDS)})\s+((?:[\w-]+\s+){{0,2}})[\w-]+s\s*[:(\u2014\u2013-]?\s*(?:namely\s+)?$",
    re.IGNORECASE,
)  # "four countries: ", "4 nations (", "three key allies - " (qualified: "key")


@dataclass(frozen=True)
class Enumeration:
    start: int  # where the first item begins in the text
    items: tuple[str, ...]


def enumerations(text: str) -> list[Enumeration]:
    """The lists of capitalised names in ``text``, in order ("Putin and Khan" is a list of two)."""
    found = []
    for match in _LIST.finditer(text):
        middle = [item for item in match.group(2).split(",") if item.strip()]
        items = (match.group(1), *middle, match.group(3))
        found.append(Enumeration(match.start(1), tuple(item.strip().rstrip(".") for item in items)))
    return found


@dataclass(frozen=True)
class Count:
    value: float
    listed: Enumeration
    qualified: bool  # a word between the count and its noun ("three Central Asian countries")


def counted(claim: str) -> list[Count]:
    """The lists of ``claim`` that a count just before numbers exactly ("four countries: Iran,
    Tajikistan, Uzbekistan and Turkmenistan"), with that count. A qualified count may be a part
    of a longer list: "three Central Asian countries" of "Iran, Tajikistan, ... and Turkmenistan"."""
    found = []
    for listed in enumerations(claim):
        before = _COUNTED.search(claim[: listed.start])
        word = before.group(1).lower() if before else ""
        count = float(word) if word.isdigit() else float(NUMBER_WORDS.get(word, 0))
        if before and count == len(listed.items):
            found.append(Count(count, listed, bool(before.group(2).strip())))
    return found


def holding(items: Sequence[str], text: str) -> Enumeration | None:
    """The list of ``text`` that names every one of ``items`` (a sentence-initial word or a title
    before a name does not matter: "On Tuesday Iran" names "Iran"), None if no list does."""
    for listed in enumerations(text):
        if all(any(_same(item, theirs) for theirs in listed.items) for item in items):
            return listed
    return None


def _same(ours: str, theirs: str) -> bool:
    a, b = set(ours.lower().split()), set(theirs.lower().split())
    return a <= b or b <= a
