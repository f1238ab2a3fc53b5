"""What a text states in a form a model tends to gloss over: quantities (numerals and number
words: "four", "a dozen", "half a million", "$4.65 billion"), spans of time in days ("two weeks"
is "14 days", not "a month"), dates (month + day, years), months and weekdays, who is said to have
said it, negation and hedges. :func:`facts` extracts them from a claim or a sentence;
:func:`dateline` gives those of an article's publication date. rag/claims_compare.py compares them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date

from rag import hedges, lexical, shares, speakers
from rag.lexical import MONTHS, WEEKDAYS
from rag.negations import NEGATIONS, unnegated

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
#: A numeral ("$4,567,888", "1.2", "2005" but not the comma after "2005,") or a word.
_TOKEN = re.compile(r"\$?\d{1,3}(?:,\d{3})+(?:\.\d+)?|\$?\d+(?:\.\d+)?|[A-Za-z]+(?:['\u2019][a-z]+)?")
#: Words after which a numeral labels something ("versions 1.0 through 4.0", "No. 7"): not a quantity.
_LABELS = frozenset("version versions v no number model chapter article section page episode season round phase "
                    "level grade flight route highway gate terminal channel act game category tier stage class "
                    "division".split())  # fmt: skip
#: Letters and digits in one word are a name, not a quantity: "4moms", "S-400", "Covid-19", "G20".
_CODES = re.compile(r"\b(?:[A-Za-z]+-?\d+[A-Za-z\d]*|\d+(?!st\b|nd\b|rd\b|th\b|s\b)[A-Za-z]+[A-Za-z\d]*)\b")
#: Hyphens inside a capitalised name ("Mar-a-Lago", "Newton-John"): one word, not a month and a name.
_NAME_HYPHEN = re.compile(r"\b[A-Z][a-z]*(?:-[a-z]+)*-[A-Z][a-z]+\b")
#: The emergency number, not a quantity: "a 911 caller", "called 911".
_EMERGENCY = re.compile(
    r"\b911(?=[\s-]+(?:calls?|callers?|dispatch\w*|operators?|lines?|cent(?:er|re)s?)\b)|"
    r"(?<=\b(?:call|dial)ed\s)911\b|(?<=\b(?:call|dial)\s)911\b",
    re.IGNORECASE,
)
#: Tens and units that make one number word: "fifty-four", "twenty one".
_TENS = {w: v for w, v in lexical.NUMBER_WORDS.items() if v in (20, 30, 40, 50, 60, 70, 80, 90)}
_UNITS = {"one": 1.0} | {w: v for w, v in lexical.NUMBER_WORDS.items() if 2 <= v <= 9 and w not in ("twice", "thrice")}
_COMPOUND = r"(?:" + "|".join(_TENS) + r")[- ](?:" + "|".join(_UNITS) + r")"
#: A span of time: "10 days", "two-week", "twenty-five years", "a dozen years", "a month after" (not
#: "a 15-year-old", not "$50,000 a year").
_DURATION = re.compile(
    r"\b(?:(\d+(?:\.\d+)?|"
    + _COMPOUND
    + r"|(?:a\s+)?dozen|"
    + "|".join(w for w, v in lexical.NUMBER_WORDS.items() if v >= 1 and w != "dozen")
    + r")"
    r"[- ](day|week|month|year|decade)s?\b(?![- ]old)"
    r"|\b(a|an|one)\s+(day|week|month|year|decade)\s+(?=after|before|ago|later|earlier|since|into|long)\b"
    r"|\b(?:(half)\s+)?(?:a|the\s+(?:past|last|previous))\s+(decade|century)\b)",  # "the past decade", "half a century"
    re.IGNORECASE,
)
_DAYS = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25, "decade": 3652.5, "century": 36525.0}


@dataclass(frozen=True)
class Facts:
    quantities: frozenset[float]
    years: frozenset[int]
    days: frozenset[tuple[int, int]]  # (month, day)
    months: frozenset[int]
    weekdays: frozenset[str]
    speakers: frozenset[str]  # surnames of whoever is said to have said it
    negated: bool
    hedged: bool
    cues: frozenset[str] = field(default_factory=frozenset)  # stemmed hedge and negation words
    durations: frozenset[float] = frozenset()  # spans of time, in days ("two weeks" = 14.0)
    superlatives: frozenset[str] = frozenset()  # "largest", "oldest" (lexical.superlatives)
    #: numerals that label rather than count ("No. 49", "Game 4"): they state the same number of a claim
    labelled: frozenset[float] = frozenset()
    #: (label word, numeral) of those: "Category 1" is ("category", 1.0)
    labels: frozenset[tuple[str, float]] = frozenset()


@functools.lru_cache(maxsize=4096)  # a claim is compared with many sentences, and a window many times
def facts(text: str) -> Facts:
    said_by = frozenset(speakers.speakers(text))  # as written: "Jean-Pierre said" (the names are joined below)
    text = _CODES.sub(lambda m: "".join(c for c in m.group(0) if c.isalpha()) or "code", text)
    text = _EMERGENCY.sub("emergency", text)
    text = shares.without_fractions(text)  # "two-thirds of" is a share (rag/shares.py), not a count of two
    durations = frozenset(_days(m) for m in _DURATION.finditer(text))
    text = _DURATION.sub(" ", text)  # "10 days" is a span of time, not a count of 10
    text = _NAME_HYPHEN.sub(lambda m: m.group(0).replace("-", ""), text)  # "Mar-a-Lago" is a name, not March
    tokens = _TOKEN.findall(text.replace("\u2013", " ").replace("-", " "))
    lowered = [t.lower().lstrip("$").replace(",", "") for t in tokens]
    quantities: set[float] = set()
    years: set[int] = set()
    days: set[tuple[int, int]] = set()
    months: set[int] = set()
    used: set[int] = set()
    labels: set[int] = set()  # numerals that label, not count
    for i, word in enumerate(lowered):
        if word.rstrip(".") in MONTHS and (tokens[i][0].isupper() or word != "may"):
            month = MONTHS[word.rstrip(".")]
            months.add(month)
            for j in (i - 1, i + 1):
                if 0 <= j < len(lowered) and lowered[j].isdigit() and 1 <= int(lowered[j]) <= 31:
                    days.add((month, int(lowered[j])))
                    used.add(j)
    i = 0
    while i < len(lowered):
        word = lowered[i]
        if i in used:
            i += 1
            continue
        value: float | None = None
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            after_label = i > 0 and lowered[i - 1].rstrip(".") in _LABELS
            if after_label or (i > 1 and lowered[i - 1] in ("through", "to") and i - 2 in labels):
                labels.add(i)
                i += 1
                continue
            number = float(word)
            if number.is_integer() and 1800 <= number <= 2100 and "," not in tokens[i]:
                years.add(int(number))
                i += 1
                continue
            value = number
        elif word in lexical.NUMBER_WORDS and not (
            word == "half" and i + 1 < len(lowered) and lowered[i + 1] in ("of", "the")
        ):
            value = float(lexical.NUMBER_WORDS[word])
            if word == "dozen" and i > 0 and lowered[i - 1].replace(".", "").isdigit():
                value = None  # "3 dozen": the numeral carries it below
            elif word in _TENS and i + 1 < len(lowered) and lowered[i + 1] in _UNITS:
                i += 1  # "fifty-four" is 54, not 50 and 4
                value += _UNITS[lowered[i]]
        elif word == "one" and i + 1 < len(lowered) and lowered[i + 1] in _SCALES:
            value = 1.0
        elif times := lexical.multiple(lowered, i):
            value = times
        if value is not None:
            j = i + 1
            while (
                j < len(lowered)
                and lowered[j] in ("a", "and")
                and j + 1 < len(lowered)
                and lowered[j + 1]
                in (
                    *_SCALES,
                    "dozen",
                    "hundred",
                )
            ):
                j += 1
            while j < len(lowered) and lowered[j] in (*_SCALES, "hundred", "dozen"):
                value *= _SCALES.get(lowered[j], 100 if lowered[j] == "hundred" else 12)
                j += 1
            quantities.add(round(value, 6))
            i = j
            continue
        i += 1
    stems = set(lexical.words(text)) | {t.lower() for t in tokens}
    weekdays = {d for d in WEEKDAYS if d in stems or d + "s" in stems}
    hedged_by = hedges.cues(text)
    plain = unnegated(text)
    negated_by = set(lexical.words(plain)) & NEGATIONS
    if re.search(r"\w+n['\u2019]t\b", plain, re.IGNORECASE):  # wasn't, didn't, won't
        negated_by = negated_by | {"n't"}
    return Facts(
        frozenset(quantities),
        frozenset(years),
        frozenset(days),
        frozenset(months),
        frozenset(weekdays),
        said_by,
        bool(negated_by),
        bool(hedged_by),
        frozenset(hedged_by | negated_by),
        durations,
        lexical.superlatives(text),
        frozenset(float(lowered[i]) for i in labels),
        frozenset(
            (lowered[i - 1].rstrip("."), float(lowered[i])) for i in labels if lowered[i - 1].rstrip(".") in _LABELS
        ),
    )


def _days(match: re.Match[str]) -> float:
    if match.group(6):  # "the past decade", "half a century"
        return round((0.5 if match.group(5) else 1.0) * _DAYS[match.group(6).lower()], 2)
    count, unit = (match.group(1), match.group(2)) if match.group(2) else (match.group(3), match.group(4))
    value = float(count) if count[0].isdigit() else _word_value(count)
    return round(value * _DAYS[unit.lower()], 2)


def _word_value(words: str) -> float:
    """The value of a number word or two ("fifty-four" = 54, "a dozen" = 12; "a" alone is one)."""
    parts = [w for w in re.split(r"[- \s]+", words.lower()) if w not in ("a", "an")] or ["one"]
    return float(sum(_UNITS.get(w, lexical.NUMBER_WORDS.get(w, 1)) for w in parts))


@functools.lru_cache(maxsize=1024)
def dateline(published: str) -> Facts:
    """The year, month, date and weekday of an article's ISO publication date (none if unknown)."""
    try:
        day = date.fromisoformat(published[:10])
    except ValueError:
        return facts("")
    return Facts(
        frozenset(),
        frozenset({day.year}),
        frozenset({(day.month, day.day)}),
        frozenset({day.month}),
        frozenset({WEEKDAYS[day.weekday()]}),
        frozenset(),
        False,
        False,
    )
