"""Acronyms that a text defines: ``"Shanghai Cooperation Organization (SCO)"`` -> ``{"SCO": ...}``.

Used on retrieved passages (so "SCO" in a question matches "Shanghai Cooperation Organization"
in a quote) and over the whole index (index/bm25.py: a question's acronym also searches its long
form, even in articles that never spell the acronym out).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_DEFINED = re.compile(r"((?:[A-Z][\w\u2019'-]*\s+(?:(?:of|for|and|the|on|de)\s+)?){1,7})\(([A-Z][A-Z0-9&]{1,7})\)")
_USED = re.compile(r"\b[A-Z][A-Z0-9&]{1,7}\b")


def acronyms(texts: Iterable[str]) -> dict[str, str]:
    """Acronym -> long form for each one defined in ``texts`` (the first definition wins), keeping
    only long forms whose capitalised words' initials spell the acronym."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _DEFINED.finditer(text):
            words = match.group(1).split()
            short = match.group(2)
            capitals = [w for w in words if w[0].isupper()]
            for first in range(len(capitals)):
                initials = "".join(w[0] for w in capitals[first:])
                if initials == short.replace("&", ""):
                    start = words.index(capitals[first])
                    found.setdefault(short, " ".join(words[start:]))
                    break
    return found


def used(query: str) -> list[str]:
    """The acronym-like words of ``query`` (``"SCO"``, ``"NATO"``), in order."""
    return _USED.findall(query)
