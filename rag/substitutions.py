"""A name put where the claim has another: "was reported in New York" against "was reported in
Maryland", "held in Las Vegas" against "held in Miami", "The Washington Post first reported"
against "The New York Times first reported".

A name the source leaves out is weak evidence on its own (the source may just not say it), and a
different name elsewhere in the sentence is often about something else. Here the two stand in the
same place: the words right before them (or right after) are the same in the claim and the
source, so the source says the same thing of another name. :func:`rag.judge.conflict` calls that a
conflict of names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rag import lexical
from rag.speakers import spelled_out

#: A run of capitalised words, with the small words and symbols names carry inside them ("Texas
#: A&M", "Castile and Léon" is two), ending in a capitalised word.
_WORD = r"(?:[A-Z](?:\.[A-Z])+\.?|[A-Z][\w&\u2019'-]*)"  # "U.S.", "Texas", "A&M"
_PHRASE = re.compile(r"(?<![\w&\u2019'-])" + _WORD + r"(?:\s+(?:of\s+|de\s+|&\s+)?" + _WORD + ")*")
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_ARTICLES = frozenset({"a", "an", "the"})
#: Capitalised words that name nothing on their own (they open sentences or titles).
_NOT_NAMES = frozenset("the a an this that these those it its he she they we you i".split())


@dataclass(frozen=True)
class Substitution:
    claimed: str  # the claim's name
    stated: str  # the source's name in its place
    context: str  # the words both put next to it

    @property
    def reason(self) -> str:
        return f"the source says {self.stated!r} where the claim says {self.claimed!r} ({self.context!r})"


def substitution(claim: str, evidence: str, aliases: Mapping[str, str] | None = None) -> Substitution | None:
    """The first name of ``claim`` that ``evidence`` leaves out and puts another name in place of:
    the two or three words before it (or after it) are the same in both, with at least one word
    that is not a stop word among them, and no word of the source's name is in the claim."""
    known = dict(aliases or {})
    evidence_words = set(lexical.words(evidence))
    claim_words = set(lexical.words(claim))
    theirs = _phrases(evidence)
    for name, before, after in _phrases(claim):
        if any(lexical.mentioned(part, evidence_words, known) for part in _parts(name)) or spelled_out(
            name.lower(), claim, evidence
        ):
            continue  # the source names it (or part of it, or spells it out): not a substitution
        for other, their_before, their_after in theirs:
            if any(lexical.stem(part) in claim_words for part in _parts(other)) or _same(name, other, known):
                continue
            for mine, yours, where in ((before, their_before, "before"), (after, their_after, "after")):
                shared = _shared_context(mine, yours, where)
                if shared:
                    return Substitution(name, other, " ".join(shared))
    return None


def _phrases(text: str) -> list[tuple[str, list[str], list[str]]]:
    """Each name phrase of ``text`` with the (stemmed) words before and after it in its sentence."""
    out = []
    for match in _PHRASE.finditer(text):
        name = match.group(0).rstrip(".")
        words = name.split()
        start = match.start()
        while words and re.split(r"['\u2019]", words[0])[0].lower() in _NOT_NAMES:  # "The Post" -> "Post"
            start = text.index(words[1], start) if len(words) > 1 else match.end()
            words = words[1:]
        if not words or (len(words) == 1 and lexical.calendar(words[0])):
            continue
        before = _context(_clause_tail(text[:start]))[-3:]
        after = _context(_clause_head(text[match.end() :]))[:3]
        out.append((" ".join(words), before, after))
    return out


def _context(text: str) -> list[str]:
    """The stemmed words of ``text`` without articles ("residency at the Flamingo" and "residency at
    Caesars Palace" put the two names in the same place)."""
    return [lexical.stem(w) for w in _TOKEN.findall(text) if w.lower() not in _ARTICLES]


def _clause_tail(text: str) -> str:
    cut = max(text.rfind(mark) for mark in '.;:!?\n\u201c\u201d"')
    return text[cut + 1 :]


def _clause_head(text: str) -> str:
    cuts = [i for i in (text.find(mark) for mark in '.;:!?\n\u201c\u201d",') if i >= 0]
    return text[: min(cuts)] if cuts else text


def _shared_context(mine: list[str], yours: list[str], where: str) -> list[str]:
    """The longest run of words next to the name that both sides share (2 or 3 words), if one
    of them is not a stop word; [] otherwise."""
    for size in (3, 2):
        if len(mine) < size or len(yours) < size:
            continue
        a, b = (mine[-size:], yours[-size:]) if where == "before" else (mine[:size], yours[:size])
        if a == b and any(w not in lexical.STOPWORDS and not w.isdigit() for w in a):
            return a
    return []


def _parts(name: str) -> list[str]:
    return [p for p in _TOKEN.findall(name.replace("\u2019s", "").replace("'s", "")) if p[0].isupper() or p.isdigit()]


def _same(name: str, other: str, aliases: dict[str, str]) -> bool:
    """Whether two names may be one: an acronym of the other or of part of it ("US", "United
    States"; "EIA", "US Energy Information Administration"; "UN", "United Nations High
    Commissioner"), or one defined as the other's acronym in the index."""
    for a, b in ((name, other), (other, name)):
        letters = a.replace(".", "")
        initials = "".join(p[0] for p in b.split() if p[0].isupper())
        if (len(letters) >= 2 and letters.isupper() and letters in initials) or aliases.get(a) == b:
            return True
    return False
