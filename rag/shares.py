"""Shares of a whole, in words or as percentages: "about half of its capacity", "a third of the
sector", "two-thirds of voters", "cut in half", "fell by about a third", "27% of its full capacity", "25 percent".

The structured comparison (:mod:`rag.claims_compare`) reads numbers one by one, so "half of" was no
quantity at all and "27%" was the number 27: "about half of its full capacity" could not meet "just
27% of its full capacity", nor "a quarter of" "25 percent". Here each is a share (0.5, 0.27,
0.25). A share in words is approximate ("about half" is 45-55%); two percentages must agree as
other numbers do.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b)", re.IGNORECASE)
_FRACTION = re.compile(
    r"\b(?:(a|one|two|three)[\s-]+)?(half|thirds?|quarters?)\s+(?:of|the)\b|"
    r"\b(?:by|in)\s+(?:(?:about|nearly|roughly|almost|around|some|more\s+than|less\s+than)\s+)?"
    r"(?:(a|one|two|three)[\s-]+)?(half|thirds?|quarters?)\b(?!\s+an?\b)",  # "cut by half", not "in half a century"
    re.IGNORECASE,
)
_NUMERATORS = {"a": 1, "one": 1, "two": 2, "three": 3}
#: "the first half of 2024", "the second half of the season": a period of time, not a share.
_PERIOD = re.compile(r"\b(?:first|second|latter|back|front|opening|closing)\s+$", re.IGNORECASE)
_DENOMINATORS = {"half": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4}
#: How far apart a share in words may be from another share and still say the same ("about half" = 48%).
WORDS_TOLERANCE = 0.05


@dataclass(frozen=True)
class Share:
    value: float  # 0.27 for "27%"
    in_words: bool  # "half of", not "50%"

    def __str__(self) -> str:
        return f"{self.value * 100:g}%"


@functools.lru_cache(maxsize=4096)
def shares(text: str) -> frozenset[Share]:
    """The shares ``text`` states. "the third quarter of" or "a third" with no "of" after it is no share."""
    found = {Share(float(m.group(1)) / 100, False) for m in _PERCENT.finditer(text)}
    for match in _FRACTION.finditer(text):
        numerator = (match.group(1) or match.group(3) or "").lower()
        word = (match.group(2) or match.group(4)).lower()
        if word == "half" and not _PERIOD.search(text, 0, match.start()):
            found.add(Share(0.5, True))
        elif numerator:  # "a third of", "three-quarters of"; not "the third of July"
            found.add(Share(round(_NUMERATORS[numerator] / _DENOMINATORS[word], 4), True))
    return frozenset(found)


def without_fractions(text: str) -> str:
    """``text`` with its shares in words taken out, for readers of counts ("two-thirds of" holds no 2)."""
    return _FRACTION.sub(" share ", text)


def same_share(a: Share, b: Share) -> bool:
    if a.in_words or b.in_words:
        return abs(a.value - b.value) <= WORDS_TOLERANCE
    return abs(a.value - b.value) <= 0.02 * max(a.value, b.value)


def as_numbers(text: str) -> frozenset[float]:
    """What the shares of ``text`` state as plain numbers: 0.5 and 50 for "half of" or "50%", so that
    a claim's "50%" or "rose by half" finds them."""
    return frozenset(n for s in shares(text) for n in (round(s.value, 6), round(s.value * 100, 6)))


def differ(claim: str, evidence: str) -> str:
    """A mismatch ("numbers differ: claim 50%; source 27%") when both state shares and one of the
    claim's has no like share in ``evidence``; "" otherwise (a share the evidence does not give at
    all is left to the other checks, as "half of" always was)."""
    wanted, given = shares(claim), shares(evidence)
    if not wanted or not given or all(any(same_share(w, g) for g in given) for w in wanted):
        return ""
    return f"numbers differ: claim {', '.join(sorted(map(str, wanted)))}; source {', '.join(sorted(map(str, given)))}"
