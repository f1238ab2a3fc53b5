"""Lists of names in a sentence: "visits to Iran, Tajikistan, Uzbekistan and Turkmenistan".

A claim often counts what its source lists ("the tour covered four countries: Iran, ..."): the
count is stated by the list, not by a number, and a list of four read as "three countries" is a
contradiction. :func:`enumerations` finds such lists (two or more capitalised names joined by
commas and a last "and"/"or"); :func:`holding` finds the list of a text that names every item of
another. rag.claims_compare compares the counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_NAME = r"[A-Z][\w\u2019'.&-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w\u2019'.&-]*){0,3}"
_LIST = re.compile(rf"\b({_NAME})((?:,\s+{_NAME})*),?\s+(?:and|or)\s+({_NAME})")


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
