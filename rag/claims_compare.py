"""Structured comparison of a claim with an evidence sentence, before any model.

:func:`compare` sets what the claim states (rag/claim_facts.py: quantities, spans of time, dates,
weekdays, speakers, negation, hedges) against what the evidence states, and reports which of them
the evidence states the same way, states differently (a mismatch) or leaves unstated. The
"where matched" helpers find the part of the evidence that states the claim, so that a negation
or a hedge elsewhere in the window counts for nothing. A mismatch only means something when the
two are about the same thing; the caller decides that (match score).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from index.sentences import split
from rag import (
    causes,
    comparatives,
    datelines,
    enumerations,
    hedges,
    lexical,
    predicates,
    shares,
    speakers,
    times_of_day,
)
from rag.claim_facts import dateline, facts
from rag.negations import NEGATIONS, denied, in_main_clause, unnegated

#: The mismatch of a claim that a thing is already done against a source that says it is to come.
DONE_BUT_TO_COME = "the claim says it is done; the source says it is to come"
_WEEKEND = re.compile(r"\b(?:over|on|during|at|this|last|that|the)\s+(?:the\s+)?weekend\b", re.IGNORECASE)
_WEEKEND_DAYS = frozenset({"saturday", "sunday"})
_CAN = re.compile(r"\bcan\b", re.IGNORECASE)
#: Hedges that say a thing is possible: a claim that it "can" happen claims no more.
_POSSIBLE = frozenset(lexical.stem(w) for w in "possible possibly could may might".split())


def same_quantity(a: float, b: float) -> bool:
    """Within 2% ("1.2 million" for 1,234,000), unless both are exact counts ("2,997" is not "2,977")."""
    if a != b and a.is_integer() and b.is_integer() and a % 10 and b % 10:
        return False
    return abs(a - b) <= 0.02 * max(abs(a), abs(b))


@dataclass(frozen=True)
class Comparison:
    mismatches: tuple[str, ...]  # stated differently: reasons, e.g. "numbers differ: claim 4; source 3"
    unstated: tuple[str, ...]  # what the claim says that the evidence does not state at all

    @property
    def clean(self) -> bool:
        return not self.mismatches and not self.unstated


def compare(claim: str, evidence: str, aliases: dict[str, str] | None = None, published: str = "") -> Comparison:
    """``aliases`` (acronym -> long form) make "the CPSC" and "the Consumer Product Safety
    Commission" the same speaker. ``published``: the ISO date of the evidence's article. A year,
    month, date or weekday of the claim that the evidence does not state at all counts as stated
    when it is the article's own ("reported in March 2018" of an article dated 2018-03-14); the
    dateline never makes a mismatch (an article tells of days before it)."""
    c, e = facts(claim), facts(evidence)
    dated = dateline(published)
    mismatches: list[str] = []
    unstated: list[str] = []
    listed, recounted = list_counts(claim, evidence)
    mismatches.extend(recounted.values())
    # "50%" is "half of"; "No. 49" states "49th"
    counted = e.quantities | e.labelled | listed | frozenset(recounted) | shares.as_numbers(evidence)
    missing = [q for q in c.quantities if not any(same_quantity(q, x) for x in counted)]
    if missing:
        (mismatches if e.quantities else unstated).append(
            f"numbers differ: claim {_fmt(c.quantities)}; source {_fmt(e.quantities) or 'none'}"
        )
    elif other_label := _other_label(c.labels, e.labels):  # "Category 1" against "a Category 2 storm"
        mismatches.append(other_label)
    elif other_share := shares.differ(claim, evidence):  # "about half of" against "27% of"
        mismatches.append(other_share)
    spans = [d for d in c.durations if not any(abs(d - x) <= 0.1 * max(d, x) for x in e.durations)]
    if spans:  # "a month" is "four weeks", not "10 days"
        (mismatches if e.durations else unstated).append(
            f"durations differ: claim {_fmt(c.durations)} days; source {_fmt(e.durations) or 'none'}"
        )
    named = datelines.recent_years(evidence, published)  # "this year" in an article of 2022 is 2022
    undated = bool(datelines.relative_years(evidence)) and not named  # "of the year", the date unknown
    if c.years - e.years - named and (e.years or not c.years <= dated.years | named):
        (mismatches if e.years and not undated else unstated).append(
            f"years differ: claim {_join(c.years)}; source {_join(e.years) or 'none'}"
        )
    for month, day in c.days - e.days:
        if any(m == month for m, _ in e.days) or (e.days and not any(m == month for m in e.months)):
            mismatches.append(f"dates differ: claim {month}/{day}; source {_join(f'{m}/{d}' for m, d in e.days)}")
        elif (month, day) not in dated.days | datelines.recent_days(e.weekdays, published):
            unstated.append(f"the source gives no date {month}/{day}")
    if c.months - e.months and not c.days and (e.months or not c.months <= dated.months):
        (mismatches if e.months else unstated).append("months differ")
    if c.weekdays - e.weekdays and (e.weekdays or not c.weekdays <= dated.weekdays):
        (mismatches if e.weekdays else unstated).append(
            f"weekdays differ: claim {_join(c.weekdays)}; source {_join(e.weekdays) or 'none'}"
        )
    weekend = _WEEKEND.search(claim) and not _WEEKEND.search(evidence)  # against "sent Monday evening"
    if weekend and not c.weekdays and e.weekdays and not e.weekdays & _WEEKEND_DAYS:
        mismatches.append(f"weekdays differ: claim the weekend; source {_join(e.weekdays)}")
    if when := times_of_day.differ(claim, evidence):
        (mismatches if when[1] else unstated).append(when[0])
    for detail in (causes.unstated_cause(claim, evidence), predicates.unstated_predicate(claim, evidence)):
        if detail:
            unstated.append(f"the source does not say {detail!r}")
    if other_way := comparatives.reversed_comparison(claim, evidence):
        mismatches.append(other_way)
    if c.superlatives - e.superlatives:
        unstated.append(f"the source does not say {_join(c.superlatives - e.superlatives)}")
    said_by = frozenset(speakers.speakers(stating_sentence(claim, evidence))) or e.speakers
    ours = c.speakers or speakers.quoted_by(claim, evidence)
    if ours and said_by and not speakers.same(ours, said_by, claim, evidence, aliases):
        mismatches.append(f"speakers differ: claim {_join(ours)}; source {_join(said_by)}")
    negated = e.negated and negated_where_matched(claim, evidence)
    intended = hedges.SAID_WOULD.search(claim) is not None and (e.cues - NEGATIONS) <= hedges.PLANS
    if (
        hedges.DONE.search(claim)
        and not (c.hedged or c.negated or negated)
        and cued_where_matched(claim, evidence, hedges.TO_COME)
    ):
        mismatches.append(DONE_BUT_TO_COME)
    elif (
        e.hedged
        and not c.hedged
        and not intended
        and not negated
        and not _possible(claim, e.cues)
        and hedged_where_matched(claim, evidence)
    ):
        unstated.append(f"the source hedges it: {', '.join(repr(c) for c in sorted(e.cues - NEGATIONS))}")
    if c.negated != negated and not (c.hedged and negated):
        if negated:
            mismatches.append(f"the source says {', '.join(sorted(e.cues & NEGATIONS))}")
        else:
            mismatches.append(f"the claim says {', '.join(sorted(c.cues & NEGATIONS))}; the source does not")
    return Comparison(tuple(mismatches), tuple(unstated))


def list_counts(claim: str, evidence: str) -> tuple[frozenset[float], dict[float, str]]:
    """The counts of ``claim`` that number a list it gives ("four countries: Iran, Tajikistan,
    Uzbekistan and Turkmenistan"), against the list of ``evidence`` that names the same items:
    (counts the source's list states, {count: why it differs} where it lists more or fewer)."""
    stated: set[float] = set()
    differ: dict[float, str] = {}
    for count in enumerations.counted(claim):
        theirs = enumerations.holding(count.listed.items, evidence)
        if theirs is None:
            continue
        if len(theirs.items) == count.value:
            stated.add(count.value)
        elif not count.qualified:  # "three Central Asian countries" may be three of the four
            differ[count.value] = f"numbers differ: claim lists {int(count.value)}; source lists {len(theirs.items)}"
    return frozenset(stated), differ


def hedged_where_matched(claim: str, evidence: str) -> bool:
    """Whether a hedge of ``evidence`` ("plans to", "may", "looking to") sits in the part that
    states the claim (:func:`stating_span`). "Khan's call comes 10 days after the takeover, with
    regional powers looking to cement their grip" states the claim plainly; the hedge is about
    something else, as is one in the next sentence of a two-sentence window ("... played from 2010
    to 2018 with the Patriots." + "'I want to thank ...'")."""
    evidence = hedges.unhedged(evidence)
    span = stating_span(claim, evidence, whole_clause=False)  # "a concert aimed at ..." says it was held
    if span is None:
        return True
    stems, starts, first, last = span
    cues = {i for i, w in enumerate(stems) if w in hedges.HEDGES}
    for offset in hedges.phrase_starts(evidence):
        cues.add(max(0, bisect.bisect_right(starts, offset) - 1))
    return any(first <= i <= last for i in cues)


def negated_where_matched(claim: str, evidence: str) -> bool:
    """Whether a negation of ``evidence`` sits in the part that states the claim: "Cosby was found
    liable. No punitive compensation was awarded." does not negate "Cosby was found liable"; nor
    does "... would apply only to people with federal loans, not private ones" negate "would apply
    to federal loans". Of a plain claim, the negation's own clause must hold a word of the claim
    ("Bolsonaro, who threatened to not accept its results, managed to beat Lula" states "Bolsonaro
    beat Lula"); a negated claim's own denial counts anywhere in ``evidence`` ("... tried in Latin
    American countries without success")."""
    if not facts(claim).negated:
        return cued_where_matched(claim, evidence, NEGATIONS, own_clause=True)
    if cued_where_matched(claim, evidence, NEGATIONS) or bool(denied(claim) & denied(evidence)):
        return True
    return any(  # "The agency did not give the location of the two sites" after a sentence that names more
        cued_where_matched(claim, sentence.text, NEGATIONS, own_clause=True)
        for sentence in split(evidence)
        if _holds_enough(claim, sentence.text)
    )


def _holds_enough(claim: str, sentence: str) -> bool:
    is_claims = claim_word(claim)
    held = {w for w in lexical.words(sentence) if is_claims(w)}
    return len(held) >= max(2, len(lexical.content_words(claim)) / 4)


#: Words that make what follows a supposition, not an event: "worries that he would ... refuse to
#: report", "the match could be cancelled", "threatened to cancel" (stemmed).
_SUPPOSED = frozenset("if whether could might worry fear speculation threaten risk".split())


def cued_where_matched(
    claim: str, evidence: str, cues: frozenset[str], stated: bool = False, own_clause: bool = False
) -> bool:
    """Whether one of the stemmed words ``cues`` ("n't" for any contraction) sits in the part of
    ``evidence`` that states ``claim`` (:func:`stating_span`), outside the phrases whose negation
    negates nothing ("not only", "no doubt"); with ``stated``, not just supposed either (``_SUPPOSED``
    up to twelve words before it: for cancellations, not negations, as "if that's not a crisis");
    with ``own_clause``, in a clause that holds another word of the claim."""
    plain = unnegated(evidence)
    span = stating_span(claim, plain)
    if span is None:
        return True
    stems, starts, first, last = span
    is_claims = claim_word(claim)
    claim_stems = [is_claims(w) and w for w in stems] if own_clause else []
    for k, w in enumerate(stems[first : last + 1], first):
        if not (w in cues or ("n't" in cues and w.endswith("n't"))):
            continue
        if stated and _SUPPOSED & set(stems[max(first, k - 12) : k]):
            continue
        if own_clause and not in_main_clause(plain, starts, claim_stems, range(first, last + 1), k):
            continue
        return True
    return False


def stating_sentence(claim: str, evidence: str) -> str:
    """The sentence of ``evidence`` that holds most of the claim's words (on a tie, the first):
    who said that one is who said the claim ("Abalos said 58 landslides had been reported. Phivolcs
    said citizens should brace for aftershocks" does not have Phivolcs report the landslides)."""
    sentences = split(evidence)
    if len(sentences) < 2:
        return evidence
    is_claims = claim_word(claim)
    return max((s.text for s in sentences), key=lambda text: len({w for w in lexical.words(text) if is_claims(w)}))


def claim_word(claim: str) -> Callable[[str], bool]:
    """Whether a stemmed word of a source is one of ``claim``'s content words, or a number the
    claim gives in other form ("13" for "Thirteen", "three" for "3")."""
    wanted = lexical.content_words(claim)
    values = facts(claim).quantities

    def holds(word: str) -> bool:
        if word in wanted:
            return True
        value = float(word) if word.isdigit() else lexical.NUMBER_WORDS.get(word)
        return value is not None and float(value) in values

    return holds


def stating_span(claim: str, evidence: str, whole_clause: bool = True) -> tuple[list[str], list[int], int, int] | None:
    """The words of ``evidence`` that state ``claim``: in the sentence that holds most of the
    claim's words, from the start of the clause of the first of them to the end of the clause of
    the last ("His visit in October 2012 was cancelled at the eleventh hour"), or to the last
    itself when not ``whole_clause``. Returns the evidence's stemmed words, their offsets and the
    first and last word index of that part; None when the evidence holds none of the claim's words."""
    spans = lexical.word_spans(evidence)
    stems = [lexical.stem(w) for _, w in spans]
    is_claims = claim_word(claim)
    matched = [i for i, w in enumerate(stems) if is_claims(w)]
    if not matched:
        return None
    starts = [start for start, _ in spans]
    sentences = [(s.start, s.end) for s in split(evidence)] or [(0, len(evidence))]
    best = max(  # most of the claim's words (each once); on a tie, most of its figures ("in October 2012")
        sentences,
        key=lambda s: (
            len({stems[i] for i in matched if s[0] <= starts[i] < s[1]}),
            sum(s[0] <= starts[i] < s[1] and stems[i][0].isdigit() for i in matched),
        ),
    )
    matched = [i for i in matched if best[0] <= starts[i] < best[1]]
    clause = max(evidence.rfind(mark, 0, starts[matched[0]]) for mark in lexical.CLAUSE_MARKS)  # -1: none
    first = bisect.bisect_right(starts, clause)
    if not whole_clause:
        return stems, starts, first, matched[-1]
    after = starts[matched[-1]] + 1
    ends = [i for i in (evidence.find(mark, after, best[1]) for mark in lexical.CLAUSE_MARKS) if i >= 0]
    return stems, starts, first, bisect.bisect_left(starts, min(ends, default=best[1])) - 1


def _fmt(values: frozenset[float]) -> str:
    return ", ".join(f"{v:g}" for v in sorted(values))


def _join(values: object) -> str:
    return ", ".join(str(v) for v in sorted(values))  # type: ignore[call-overload]


def _possible(claim: str, cues: frozenset[str]) -> bool:
    """Whether the claim says a thing "can" happen and the source's hedges say only that it is
    possible ("cheating can be set up" against "it is possible to set up a cheating mechanism")."""
    return bool(_CAN.search(claim)) and bool(cues - NEGATIONS) and (cues - NEGATIONS) <= _POSSIBLE


def _other_label(ours: frozenset[tuple[str, float]], theirs: frozenset[tuple[str, float]]) -> str:
    """A mismatch when the source labels the same kind of thing only with other numerals
    ("Category 2" for the claim's "Category 1"); "" when it gives one of the claim's labels of that
    kind ("Level 4" for "Level 3 instead of Level 4"), or none of that kind."""
    for word in sorted({w for w, _ in ours}):
        claimed = {n for w, n in ours if w == word}
        given = {n for w, n in theirs if w == word}
        if given and not claimed & given:
            return f"labels differ: claim {word} {_fmt(frozenset(claimed))}; source {word} {_fmt(frozenset(given))}"
    return ""
