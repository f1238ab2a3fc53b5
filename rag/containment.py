"""Whether a quote says an answer: the containment check that validates a short answer ("Bishkek,
Kyrgyzstan" is stated by a quote that contains it), what a short answer may leave out of its quote
because the question gave it, an answer that only repeats its question, and a longer answer copied
word for word from its quote."""

from __future__ import annotations

import re
from collections.abc import Collection

from rag import claim_facts, lexical
from rag import claims_compare as compare
from rag.lexical import MONTHS

SHORT_WORDS = 8  # an answer of at most this many words is a short answer: its quote must contain it


def is_short(text: str) -> bool:
    return len(text.split()) <= SHORT_WORDS


def contains(
    quote: str, answer: str, aliases: dict[str, str] | None = None, given: Collection[str] = frozenset()
) -> bool:
    """Whether ``quote`` contains each content word of ``answer``: a word may be the start of a longer
    one ("Europe" in "European", not "Grease" in "greaser"), an acronym may stand for its long
    form and the other way round (``aliases``: "SCO" <-> "Shanghai Cooperation Organization"),
    quantities compare by value ("three" = "3", "1.2 million" = "1,200,000"), fractions too ("1/5" =
    "one-fifth"), and a month is its abbreviation ("October 26" = "Oct. 26"). "Yes"/"No" are
    contained in nothing, and a question states nothing: the quote's questions are left out
    ("What does 'PSL' stand for?"). Words in ``given`` (stems the question already gave, the
    year the quote was published in; see :func:`given_words`) may be missing, as long as one
    answer word that is not given is found: "IXPE stands for Imaging X-Ray Polarimetry
    Explorer", "July 20, 2022" from "on July 20". A date is its month and day together: "May 1"
    is not in "said in May ... starting June 1", whatever the question gave."""
    quote = lexical.statements(quote)
    days = claim_facts.facts(answer).days
    if days and not days <= claim_facts.facts(quote).days:
        return False
    wanted_fractions = fractions(answer)
    if wanted_fractions:
        if not wanted_fractions <= fractions(quote):
            return False
        answer = without_fractions(answer)
    found = _months(lexical.content_words(quote) | lexical.numbers(quote))
    wanted = _months(lexical.content_words(answer) | lexical.numbers(answer))
    given = _months(set(given))
    if wanted_fractions and not wanted:
        return True
    echoed = {w for w in wanted if w in given and w not in found}
    if echoed:
        answer = " ".join(t for t in answer.split() if not (lexical.content_words(t) | lexical.numbers(t)) & echoed)
        wanted -= echoed
        if not wanted - set(given):
            return False
    if not wanted or not quote:
        return False
    amounts = claim_facts.facts(answer).quantities
    if amounts:  # numbers and number words: by value
        have = claim_facts.facts(quote).quantities
        if not all(any(compare.same_quantity(a, b) for b in have) for a in amounts):
            return False
        scales = {"thousand", "million", "billion", "trillion", "hundred", "dozen"}
        wanted = {w for w in wanted if not claim_facts.facts(w).quantities and w not in scales}
    for acronym, long_form in (aliases or {}).items():
        expansion = lexical.content_words(long_form)
        short = lexical.stem(acronym)
        if short in wanted and expansion and expansion <= found:
            wanted.discard(short)
        if expansion and expansion <= wanted and short in found:
            wanted -= expansion
    return all(w in found or any(extends(f, w) for f in found) for w in wanted)


_MONTH_NAMES = {number: name for name, number in MONTHS.items() if len(name) > 4 or name in ("may", "june", "july")}


def month_name(word: str) -> str:
    """A month's abbreviation as its name ("oct" is "october"); any other word as it is."""
    return _MONTH_NAMES[MONTHS[word]] if word in MONTHS else word


def _months(words: set[str]) -> set[str]:
    return {month_name(w) for w in words}


_ORDINALS = {
    "half": 2, "halves": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_COUNTS = {"a": 1, "an": 1, "one": 1} | {
    w: int(v) for w, v in lexical.NUMBER_WORDS.items() if 2 <= v <= 9 and w not in ("twice", "thrice")
}
_FRACTION = re.compile(
    r"(?<![\w/.])(\d{1,3})\s?/\s?(\d{1,3})(?![\w/.])|"
    rf"\b({'|'.join(_COUNTS)})[\s-]+({'|'.join(_ORDINALS)})s?\b|\bhalf\b",
    re.IGNORECASE,
)


def without_fractions(text: str) -> str:
    return _FRACTION.sub(" ", text)


def fractions(text: str) -> set[float]:
    """The fractions ``text`` states, by value: "1/5", "one-fifth", "a fifth", "two-thirds", "half"."""
    out = set()
    for match in _FRACTION.finditer(text):
        if match.group(1):
            top, bottom = int(match.group(1)), int(match.group(2))
        elif match.group(3):
            top, bottom = _COUNTS[match.group(3).lower()], _ORDINALS[match.group(4).lower()]
        else:
            top, bottom = 1, 2
        if 0 < top < bottom:
            out.add(round(top / bottom, 4))
    return out


#: What turns a word into one who does it: "greaser" is not "Grease", "holder" not "hold".
_AGENT_ENDINGS = ("r", "er", "rs", "ers")


def extends(longer: str, word: str) -> bool:
    """Whether ``longer`` is ``word`` made longer the way a name becomes an adjective or a plural
    ("Europe" -> "European", "Democrat" -> "Democratic"), not a different thing ("greaser")."""
    return len(word) >= 4 and longer.startswith(word) and longer[len(word) :] not in _AGENT_ENDINGS


def given_words(question: str, published: str = "") -> frozenset[str]:
    """What a short answer may repeat without its quote saying it: the question's own words
    ("IXPE stands for ..." for "What does IXPE stand for?") and the year the quote was published
    in ("July 20, 2022" from a 2022 article's "on July 20")."""
    return frozenset(lexical.content_words(question) | lexical.numbers(question)) | publication_year(published)


_CHOICE = re.compile(r"\bor\b|\btrue\b.*\bfalse\b", re.IGNORECASE)
_ASKS_LONG_FORM = re.compile(r"\bstands? for\b|\bshort for\b|\bacronym\b|\babbreviat|\bfull name\b", re.IGNORECASE)


def echoes(answer: str, question: str, aliases: dict[str, str] | None = None) -> bool:
    """Whether a short ``answer`` says nothing the question did not: every word of it is the
    question's own, or the long form of an acronym the question used ("Internal Revenue Service"
    for "The IRS announced it will do what?", "Alexei Navalny" for "What did Alexei Navalny go on
    to protest?"). A question that offers a choice ("Russia or Ukraine?") is answered by its
    own words, and one that asks what an acronym stands for by its long form ("What does IXPE
    stand for?")."""
    if not question or _CHOICE.search(question):
        return False
    words = lexical.content_words(answer) | lexical.numbers(answer)
    return bool(words) and words <= asked_words(question, aliases)


def asked_words(question: str, aliases: dict[str, str] | None = None) -> set[str]:
    """The question's own words (:func:`given_words`) and the long forms of the acronyms it uses,
    unless it asks what one stands for."""
    asked = set(given_words(question))
    for acronym, long_form in (aliases or {}).items():
        if lexical.stem(acronym) in asked and not _ASKS_LONG_FORM.search(question):
            asked |= lexical.content_words(long_form)
    return asked


def publication_year(published: str) -> frozenset[str]:
    return frozenset({published[:4]}) if published[:4].isdigit() else frozenset()


def verbatim(answer: str, quote: str) -> bool:
    """Whether ``answer`` (three words or more) is a piece of ``quote``, word for word: the model
    copied the quote's own words ("martial law throughout the country and use any weapon")."""
    words = _plain(answer)
    return len(words.split()) >= 3 and f" {words} " in f" {_plain(quote)} "


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[\w$%]+(?:[.,']\w+)*", text.lower().replace("\u2019", "'")))
