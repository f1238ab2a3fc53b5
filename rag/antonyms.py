"""Words put the other way round: "prices rose 5%" against "prices fell 5%", "the Senate approved
the bill" against "the Senate rejected the bill", "tested positive" against "tested negative".

Opposites contradict only where they stand in the same place: the content word next to them
(before or after, in the same clause) is the same on both sides, the claim's word is nowhere in the
source sentence and the source's word nowhere in the claim (a sentence that says prices "fell, then
rose" states both), and neither word is negated ("did not win" is not "won"). Only lower-case words
count ("Rose" is a name). The pairs are general English, not read off any claim.
"""

from __future__ import annotations

import re

from rag import lexical

#: Pairs of word groups that say the opposite of each other when said of the same thing. Not the
#: pairs that relate two things and so hold both ways round: "two months before the verdict" is
#: "the verdict came two months after", "A beat B" is "B lost to A" (before/after, earlier/later,
#: above/below, older/younger, win/lose, buy/sell, import/export).
_PAIRS_TEXT = (
    (
        "rise rises rose risen rising increase increased increases increasing grow grew grown grows growing "
        "climb climbed climbs climbing jump jumped jumps surge surged surges soar soared soars gain gained gains",
        "fall falls fell fallen falling decrease decreased decreases decreasing drop dropped drops dropping "
        "decline declined declines declining shrink shrank shrunk shrinks slide slid slides plunge plunged "
        "plunges plummet plummeted plummets dip dipped dips tumble tumbled tumbles sink sank",
    ),
    ("approve approved approves approval", "reject rejected rejects rejection veto vetoed vetoes"),
    ("accept accepted accepts", "reject rejected rejects refuse refused refuses decline declined declines"),
    ("support supported supports supporting", "oppose opposed opposes opposing opposition"),
    (
        "allow allowed allows permit permitted permits legalize legalized legalizes",
        "ban banned bans prohibit prohibited prohibits outlaw outlawed outlaws forbid forbade forbids",
    ),
    ("legal lawful", "illegal unlawful"),
    ("positive", "negative"),
    ("open opened opens reopen reopened reopens", "closed closes shut shuts"),
    ("impose imposed imposes", "lift lifted lifts"),
    ("uphold upheld upholds", "overturn overturned overturns"),
    ("convicted", "acquitted"),
    ("raise raised raises hike hiked hikes", "cut cuts lower lowered lowers"),
    ("higher highest", "lower lowest"),
    ("largest biggest", "smallest"),
    ("best", "worst"),
    ("strongest strengthen strengthened", "weakest weaken weakened"),
    ("maximum", "minimum"),
    ("majority", "minority"),
    ("surplus profit", "deficit loss"),
    ("public", "private"),
    ("domestic", "foreign"),
    ("permanent", "temporary"),
    ("rural", "urban"),
    ("male men", "female women"),
    ("start started starts begin began begun begins", "end ended ends finish finished finishes"),
    ("agree agreed agrees", "disagree disagreed disagrees"),
    ("survived survive survives", "died die dies"),
    ("north northern", "south southern"),
    ("east eastern", "west western"),
    ("inside", "outside"),
    ("success successful succeeded", "failure unsuccessful"),
)
_NEGATIONS = frozenset("not no never without".split())
_JOINERS = frozenset("and or but while whereas".split())
_CUT = re.compile(r"[.;:!?\n\u201c\u201d\"(),]")
_TOKEN = re.compile(r"[A-Za-z0-9%$][\w%$'\u2019-]*")


def _opposites() -> dict[str, frozenset[str]]:
    """Each word's stem -> the stems of its opposites, over every pair it belongs to."""
    found: dict[str, set[str]] = {}
    for first, second in _PAIRS_TEXT:
        a, b = (frozenset(lexical.stem(w) for w in words.split()) for words in (first, second))
        for side, other in ((a, b), (b, a)):
            for stem in side:
                found.setdefault(stem, set()).update(other - side)
    return {stem: frozenset(others) for stem, others in found.items()}


_OPPOSITES = _opposites()


def opposite(claim: str, evidence: str) -> str:
    """A mismatch when ``evidence`` says of the same thing the opposite of what ``claim`` says
    ("the source says 'fell' where the claim says 'rose'"); "" otherwise."""
    theirs = _placed(evidence)
    if not theirs:
        return ""
    claim_words = set(lexical.words(claim))
    evidence_words = set(lexical.words(evidence))
    for word, stem, before, after in _placed(claim):
        if stem in evidence_words:
            continue
        for their_word, their_stem, their_before, their_after in theirs:
            same_place = (before and before == their_before) or (after and after == their_after)
            if their_stem in _OPPOSITES[stem] and their_stem not in claim_words and same_place:
                return f"the source says {their_word!r} where the claim says {word!r}"
    return ""


def _placed(text: str) -> list[tuple[str, str, str, str]]:
    """(word, stem, the content word before it, the content word after it) for each un-negated,
    lower-case word of ``text`` that has an opposite; neighbours are stemmed, within the clause."""
    out = []
    for clause in _CUT.split(text):
        tokens = _TOKEN.findall(clause)
        for i, token in enumerate(tokens):
            stem = lexical.stem(token)
            if not token.islower() or stem not in _OPPOSITES:
                continue
            if any(_negation(t) for t in tokens[max(0, i - 3) : i]) or _refusal(stem, tokens[i + 1 : i + 3]):
                continue
            out.append((token, stem, _neighbour(tokens[:i][::-1]), _neighbour(tokens[i + 1 :])))
    return out


def _neighbour(tokens: list[str]) -> str:
    """The first content word of ``tokens`` (stemmed), looking at most three words away and not
    past a conjunction ("soaring prices and increasing sales": "prices" is not what increases)."""
    for token in tokens[:3]:
        if token.lower() in _JOINERS:
            return ""
        stem = lexical.stem(token)
        if token.lower() not in lexical.STOPWORDS and stem not in _OPPOSITES:
            return stem
    return ""


_DECLINE = lexical.stem("declined")


def _refusal(stem: str, following: list[str]) -> bool:
    """A refusal ("declined to comment") is not a fall ("declined to 3%" is still a fall)."""
    if stem not in (_DECLINE, "decline") or following[:1] != ["to"]:
        return False
    return not (len(following) > 1 and following[1][0] in "0123456789$")


def _negation(token: str) -> bool:
    lowered = token.lower().replace("\u2019", "'")
    return lowered in _NEGATIONS or lowered.endswith("n't")
