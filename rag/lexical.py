"""Word-level matching used beside embeddings: content words, light stemming, overlap."""

from __future__ import annotations

import re

from index.acronyms import acronyms as acronyms  # re-exported: passages, citations, claims use it
from index.acronyms import used
from index.metadata import MONTHS as MONTHS  # re-exported: dates in claims (rag.claim_facts)
from rag.countries import same_country

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as into about over after before between
    through during under above below up down out off than then so such no nor not only own same too very
    is are was were be been being am do does did doing have has had having will would shall should can could
    may might must it its it's this that these those there here what which who whom whose when where why how
    i me my we our you your he him his she her they them their all any both each few more most other some
    said says say also just one two s t""".split()
)
_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?")


#: The values of number words ("a dozen" = 12): rag.claims_compare reads quantities with them.
NUMBER_WORDS: dict[str, float] = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "hundred": 100, "half": 0.5,
    "twice": 2, "thrice": 3,
}  # fmt: skip

#: A multiple: "almost double the average", "prices have tripled", "almost triples" (not "a double
#: fault", "doubled down").
_MULTIPLE = re.compile(r"(doubl|tripl|quadrupl)(e|es|ed|ing)")
_MULTIPLE_VALUES = {"doubl": 2.0, "tripl": 3.0, "quadrupl": 4.0}
_BEFORE_MULTIPLE = frozenset("almost nearly roughly about more over than to will would could may might can".split())
_AFTER_MULTIPLE = frozenset("the that what its their his her this those last previous in from".split())

#: Superlatives: a claim that something is "the largest" makes that its point, which a source must
#: state ("climbs list ranking players by salary" does not); "biggest" says "largest".
SUPERLATIVES = frozenset(
    """largest highest lowest longest shortest oldest youngest fastest slowest greatest smallest
    deadliest worst best hottest coldest richest""".split()
)
_SAME_SUPERLATIVE = {"biggest": "largest", "wealthiest": "richest", "tallest": "highest"}


def multiple(lowered: list[str], i: int) -> float | None:
    """The factor that lower-case token ``i`` multiplies by, if it is a multiple (see ``_MULTIPLE``)."""
    match = _MULTIPLE.fullmatch(lowered[i])
    if not match:
        return None
    after = lowered[i + 1] if i + 1 < len(lowered) else ""
    if match.group(2) == "e":  # "double": a multiple only as one ("nearly double the average")
        multiplies = (i > 0 and lowered[i - 1] in _BEFORE_MULTIPLE) or after in _AFTER_MULTIPLE
    else:  # "doubled", "tripling"
        multiplies = after not in ("down", "up", "over")
    return _MULTIPLE_VALUES[match.group(1)] if multiplies else None


def superlatives(text: str) -> frozenset[str]:
    """The superlatives of ``text`` ("biggest" read as "largest")."""
    return frozenset(_SAME_SUPERLATIVE.get(w, w) for w in re.findall(r"[a-z]+", text.lower())) & SUPERLATIVES


#: Number words, scales and currency names (stemmed): a claim's quantities are compared by value
#: (rag.claims_compare), so "half a million dollars" and "$500,000" share them all.
NUMERIC = frozenset(
    """zero three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand
    million billion trillion dozen half twice thrice percent""".split()
) | frozenset(("hundreds", "thousands", "millions", "billions", "dozens"))


def stem(word: str) -> str:
    word = word.lower().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in ("ies", "ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


#: NUMERIC as content_words gives them ("hundred" is "hundr").
_NUMERIC_STEMS = NUMERIC | frozenset(stem(w) for w in NUMERIC)


def words(text: str) -> list[str]:
    """Lower-case, lightly stemmed words, stop words included (negations matter here)."""
    return [stem(w) if not w.isdigit() else w for w in _WORD.findall(text)]


def word_spans(text: str) -> list[tuple[int, str]]:
    """(offset, word) of each word of ``text``, as :func:`words` splits it (not stemmed)."""
    return [(m.start(), m.group(0)) for m in _WORD.finditer(text)]


def content_words(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text) if w.lower() not in STOPWORDS}


#: What ends a clause ("He said, ..." / "...; the rest" / "... \u2014 what is known as").
CLAUSE_MARKS = ",;:.\u2014\n"
#: Weekday names (month names and numbers: index.metadata.MONTHS, the one table of them).
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def calendar(word: str) -> bool:
    """Whether ``word`` names a weekday or a month: a date, compared as one, never a name."""
    lowered = word.lower().rstrip(".")
    return lowered in WEEKDAYS or (lowered in MONTHS and lowered != "may")


#: Words that open a sentence capitalised without naming anything ("According to ...", "Under ...").
OPENERS = frozenset(
    """according under despite following amid among around across against along although because
    earlier later meanwhile however while since until unless instead last next this year today
    yesterday tomorrow reportedly separately overall alongside amidst amongst beside besides beyond
    throughout toward towards upon unlike within without inside outside near past via once though
    whereas whilst given including regarding still yet even now soon thus hence therefore moreover
    furthermore nonetheless nevertheless again together elsewhere otherwise ahead back first""".split()
)


def names(text: str) -> set[str]:
    """Capitalised words that are not stop words: "Tashkent", "WHO". The first word counts too
    (a common word there, like "Drought", is usually found in the evidence in lower case), unless
    it is one that opens sentences ("According", "Under", "Reportedly")."""
    found = set()
    for position, word in enumerate(_WORD.findall(text)):
        lowered = word.lower()
        if position == 0 and (lowered in OPENERS or lowered.endswith("ly")):
            continue
        if word[0].isupper() and lowered not in STOPWORDS:
            found.add(word.replace("\u2019s", "").replace("'s", ""))
    return found


#: Words that end a sentence's subject: auxiliaries and common irregular past forms (a regular one
#: ends in "-ed").
_VERBS = frozenset(
    """is are was were be been has have had will would can could may might must shall should did does
    do said says told won met saw took made got left came went began gave held led ran sent spent found
    lost paid kept sold brought thought built fell rose hit put set cut beat struck became knew grew
    threw wrote spoke drove flew chose""".split()
)


def subject(text: str) -> str:
    """What ``text`` is about, roughly: its words before the first verb ("The cancer Newton-John" of
    "The cancer Newton-John revealed in 2018 was ..."); "" when no verb is found."""
    for position, match in enumerate(_WORD.finditer(text)):
        word = match.group(0)
        lowered = word.lower()
        if position and (lowered in _VERBS or (lowered.endswith("ed") and len(lowered) > 4 and word.islower())):
            return text[: match.start()]
    return ""


def mentioned(name: str, found: set[str], aliases: dict[str, str]) -> bool:
    """Whether a text with the stemmed words ``found`` mentions ``name``, directly or through an
    acronym: "SCO" via "Shanghai Cooperation Organization" and the other way round."""
    if stem(name) in found or any(related(stem(name), word) for word in found):
        return True
    for acronym, long_form in aliases.items():
        expansion = content_words(long_form)
        if name == acronym and _mostly(expansion, found):
            return True
        if stem(name) in expansion and stem(acronym) in found:
            return True
    return False


def numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:[.,]\d+)?", text))


def recall(claim: str, evidence: str, aliases: dict[str, str] | None = None) -> float:
    """The share of the claim's content words that the evidence contains (1.0 = all of them).

    With ``aliases`` (acronym -> long form), an acronym and its long form count as the same
    words: "SCO" in the claim is matched by "Shanghai Cooperation Organization" in the evidence,
    and the other way round."""
    found = content_words(evidence)
    words = {w for w in content_words(claim) if w not in _NUMERIC_STEMS and not w.isdigit()}  # compared by value
    if "$" in evidence:
        found |= {"dollar", "usd"}
    if not words:
        return 0.0
    matched = {w for w in words if w in found or (w[:1].isalpha() and any(related(w, f) for f in found))}
    for acronym, long_form in (aliases or {}).items():
        short = stem(acronym)
        expansion = content_words(long_form)
        if not expansion:
            continue
        if short in words and short not in found and _mostly(expansion, found):
            matched.add(short)
        if short in found and _mostly(expansion, words):
            matched |= expansion & words
    return len(matched) / len(words)


#: A person of a body or a trade: "guardsmen" of the (National) Guard, "congressman" of Congress.
_COMPOUND = re.compile(r"^(\w{4,}?)(?:s(?:wo)?m[ae]n|(?:wo)?men)$")


def related(a: str, b: str) -> bool:
    """Stems of one word family that the light stemmer leaves apart: a name and its adjective
    ("russia"/"russian", "pakistan"/"pakistani"), "economy"/"economic": one is a prefix of the
    other, at least 5 letters long, at most 3 letters shorter; a member and the body or trade
    ("guardsmen"/"guard", "congressman"/"congress"); or the names of one country
    ("britain"/"uk", "netherlands"/"dutch": :mod:`rag.countries`)."""
    if same_country(a, b):
        return True
    a, b = _COMPOUND.sub(r"\1", a), _COMPOUND.sub(r"\1", b)
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    root = short[:-1] if short.endswith("y") else short
    return len(short) >= 5 and len(long) - len(short) <= 3 and long.startswith(root)


def _mostly(part: set[str], whole: set[str]) -> bool:
    return len(part & whole) * 3 >= len(part) * 2


def expand_acronyms(query: str, known: dict[str, str]) -> str:
    """The query with the long form of each acronym in ``known`` that it uses."""
    extra = [known[word] for word in used(query) if word in known]
    return f"{query} ({'; '.join(extra)})" if extra else query


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"'\u201d\u2019)])\s+")


def statements(quote: str) -> str:
    """``quote`` without its questions: the sentences that end in a question mark ask, not state."""
    parts = [m for m in _SENTENCE_END.split(quote) if m.strip()]
    return " ".join(p for p in parts if not p.rstrip("\"'\u201d\u2019) ").endswith("?"))
