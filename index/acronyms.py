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


#: Small words a long form carries between its capitalised words ("Centers for Disease Control").
_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "de", "&"})
_RUN_BREAK = re.compile(r"[,.;:!?()\[\]\"\u201c\u201d\u2014\u2013/]")
_RUN_WORD = re.compile(r"[\w\u2019'&-]+")


def spelled_out(wanted: Iterable[str], texts: Iterable[str]) -> dict[str, str]:
    """Acronym -> long form for the acronyms in ``wanted`` (three letters or more) that ``texts``
    spell out without defining them: a run of capitalised words, within one clause, whose initials
    spell the acronym ("USWNT" -> "United States Women's National Team"); failing that, a run of
    lower-case words that spells it exactly ("CFO" -> "chief financial officer")."""
    wanted = {a for a in wanted if len(a) >= 3 and a.isalpha() and a.isupper()}
    texts = list(texts)  # read twice
    found: dict[str, str] = {}
    for text in texts:
        if len(found) == len(wanted):
            break
        for clause in _RUN_BREAK.split(text):
            words = _RUN_WORD.findall(clause)
            for first, word in enumerate(words):
                if not word[0].isupper() or word.isupper() or word.lower() in _CONNECTORS:
                    continue  # a long form starts at a capitalised word of its own, not "The"
                initials = ""
                for last in range(first, len(words)):
                    current = words[last]
                    if current[0].isupper() and not current.isupper():
                        initials += current[0]
                    elif current.lower() not in _CONNECTORS:
                        break
                    if initials in wanted and current[0].isupper():
                        found.setdefault(initials, " ".join(words[first : last + 1]))
                    if len(initials) >= 8:
                        break
    missing = wanted - set(found)
    for text in texts if missing else ():
        for clause in _RUN_BREAK.split(text):
            words = _RUN_WORD.findall(clause)
            for first in range(len(words)):
                run = _lower_case_run(words, first, missing)
                if run:
                    found.setdefault(run[0], run[1])
    return found


def _lower_case_run(words: list[str], first: int, wanted: set[str]) -> tuple[str, str] | None:
    """(acronym, long form) when ``words`` from ``first`` on are lower-case words whose initials
    spell one of ``wanted`` exactly ("chief financial officer" for "CFO"); small words between
    them are skipped ("department of justice")."""
    if words[first] in _CONNECTORS:
        return None
    initials = ""
    for last in range(first, len(words)):
        word = words[last]
        if word in _CONNECTORS:
            continue
        if not word.isalpha() or not word.islower() or len(word) < 3:
            return None
        initials += word[0].upper()
        if initials in wanted:
            return initials, " ".join(words[first : last + 1])
        if not any(a.startswith(initials) for a in wanted):
            return None
    return None
