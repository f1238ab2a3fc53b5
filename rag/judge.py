"""The entailment judge shared by claim checking and answer validation.

One LLM call judges a batch of claims, each against a few numbered evidence sentences, with
JSON-schema constrained output: a verdict per claim and a stance per evidence sentence. Lexical
guards then keep it honest (see :func:`guard`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rag import antonyms, claim_facts, claims_compare, comparatives, lexical, llm_json, prompt
from rag.llm import LLM
from rag.llm_json import JsonReply
from rag.negations import denied, unnegated
from rag.speakers import abbreviated, quoted_by, spelled_out
from rag.substitutions import substitution
from rag.types import STANCES, VERDICTS, Stance, Verdict


@dataclass(frozen=True)
class Case:
    """One claim and the evidence sentences it is judged against; ``aliases`` (acronym -> long
    form, as the index defines them) let "SCO" match "Shanghai Cooperation Organization";
    ``dates``: each sentence's article's ISO publication date ("" unknown), which states a date the
    sentence leaves out (:func:`rag.claims_compare.compare`); ``titles``: each sentence's article's
    title ("" none), whose names the sentence need not repeat ("The singer revealed ..." in "Olivia
    Newton-John ... dead at 73")."""

    claim: str
    evidence: Sequence[str]
    aliases: Mapping[str, str] | None = None
    dates: Sequence[str] = ()
    titles: Sequence[str] = ()


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    stances: tuple[Stance, ...]  # one per evidence sentence, in order
    #: per evidence sentence: a 'contradicts' that the judge's model backs on its own reading (the
    #: NLI judge's contradiction head), which :func:`guard` weighs like a conflict it found; () = none
    backed: tuple[bool, ...] = ()


class Judge:
    """Batched LLM entailment: ``judge(cases)`` -> one :class:`Judgement` per case."""

    def __init__(self, llm: LLM, batch_size: int = 4, max_tokens_per_case: int = 48) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.llm = llm
        self.batch_size = batch_size
        self.max_tokens_per_case = max_tokens_per_case

    @property
    def name(self) -> str:
        return self.llm.name

    def judge(self, cases: Sequence[Case]) -> list[Judgement]:
        out: list[Judgement] = []
        for first in range(0, len(cases), self.batch_size):
            batch = cases[first : first + self.batch_size]
            out.extend(self._judge_batch(batch))
        return out

    def _judge_batch(self, cases: Sequence[Case]) -> list[Judgement]:
        if not cases:
            return []
        budget = 16 + sum(self.max_tokens_per_case + 6 * len(c.evidence) for c in cases)
        reply = llm_json.ask(self.llm, prompt.judge_messages(cases), prompt.judge_schema(cases), budget)
        return parse(reply, cases)


def parse(reply: str | JsonReply, cases: Sequence[Case]) -> list[Judgement]:
    """Read the judge's reply; anything missing or malformed counts as 'not_found' / 'unrelated'."""
    reply = llm_json.read(reply) if isinstance(reply, str) else reply
    items = reply.get("claims")
    items = items if isinstance(items, list) else []
    judgements = []
    for index, case in enumerate(cases):
        item = items[index] if index < len(items) and isinstance(items[index], dict) else {}
        verdict = item.get("verdict") if item.get("verdict") in VERDICTS else "not_found"
        raw_labels = item.get("evidence")
        labels: list[Any] = raw_labels if isinstance(raw_labels, list) else []
        stances = tuple(
            labels[i] if i < len(labels) and labels[i] in STANCES else "unrelated" for i in range(len(case.evidence))
        )
        judgements.append(Judgement(verdict, stances))  # type: ignore[arg-type]
    return judgements


#: Words that turn an on-topic sentence against a claim that lacks them ("the visit was cancelled").
STRONG_CUES = frozenset(
    lexical.stem(word)
    for word in """never cancel cancelled canceled cancellation postpone postponed denied deny denies
    rejected reject refused refuse scrapped halted suspended failed false untrue instead""".split()
)
#: "Instead, he boarded a plane": what was expected did not happen; what this clause says did.
_AFFIRMING_INSTEAD = re.compile(r"\binstead\b(?!\s+of\b)", re.IGNORECASE)
#: Negations too common to decide alone: they only back up a judge that already saw a conflict.
WEAK_CUES = frozenset({"not", "no", "nor"})
STRONG_TOPIC = 0.6  # a sentence this close to the claim is about the same event
JUDGE_ONLY_CONTRADICTION = 0.8  # the judge alone may call a contradiction only this close
#: A cancellation or a figure stated differently (a number, date or weekday) on a sentence this close
#: contradicts the claim even if the judge missed it ...
UNPROMPTED_CONTRADICTION = 0.7
#: ... and from this close when no sentence supports the claim. Beside a support, such a sentence
#: would be listed as reporting the claim differently, and at 0.5-0.6 most are about something
#: else ("For that win he earned $4 million" beside an $18 million prize). Chosen on the tuning
#: claims by `python bench/claims_tune.py --guard` ("landed in Abra on Thursday to inspect the
#: damage" scores 0.57 against "visited Abra on Saturday to see the quake damage").
UNPROMPTED_UNSUPPORTED = 0.5
#: Conflicts that contradict a close sentence the judge did not flag: a cancellation, a figure, a name
#: put in the claim's name's place (:mod:`rag.substitutions`).
_UNPROMPTED = ("strong", "numbers", "substitution")
_FIGURES = ("numbers", "durations", "years", "dates", "months", "weekdays", "times", "labels")  # of figures


@dataclass(frozen=True)
class Conflict:
    kind: str  # "strong" (cancellation, denial), "numbers", "names", "weak" (a negation), or ""
    reason: str = ""
    #: "names" because the source leaves out the claim's names, not because it names others ("The two leaders agreed")
    unnamed: bool = False

    @property
    def decisive(self) -> bool:
        return self.kind in ("strong", "numbers", "names", "substitution")


def conflict(claim: str, evidence: str, aliases: dict[str, str] | None = None, title: str = "") -> Conflict:
    """What on its face sets ``evidence`` against ``claim`` (see :mod:`rag.claims_compare`): a
    cancellation or denial word the claim lacks (unless the claim itself is about a plan), an
    opposite word in the claim's word's place ("fell" for "rose", :mod:`rag.antonyms`), numbers,
    dates or weekdays stated differently (number words count: "four" vs "three"), a different
    speaker, another name in the claim's name's place ("held in Miami" against "held in Las
    Vegas", :mod:`rag.substitutions`), two or more of the claim's names missing (a third or more
    of them) or all of them (a surname stands for the full name: "Qureshi" for "Shah Mahmood
    Qureshi"), or only a negation one side lacks. A name of whom the claim speaks counts as
    mentioned when the article's ``title`` gives it (:func:`missing_names`)."""
    claim_words = set(lexical.words(claim))
    stated = claim_facts.facts(claim)
    # not "there's no denying"; "instead" denies what follows "instead of", not the clause it opens
    cues = set(lexical.words(_AFFIRMING_INSTEAD.sub(" ", unnegated(evidence)))) & STRONG_CUES
    strong = sorted(w for w in cues if w not in claim_words)
    if (
        strong
        and not stated.hedged
        and not stated.negated  # "declined to call him an ally" is what "refused to" says
        and claims_compare.cued_where_matched(claim, evidence, frozenset(strong), stated=True)
    ):
        return Conflict("strong", f"the source says {', '.join(repr(c) for c in strong)}")
    compared = claims_compare.compare(claim, evidence, aliases)
    if claims_compare.DONE_BUT_TO_COME in compared.mismatches:
        return Conflict("strong", claims_compare.DONE_BUT_TO_COME)
    if comparatives.REVERSED in compared.mismatches:
        return Conflict("strong", comparatives.REVERSED)
    turned = "" if stated.hedged else antonyms.opposite(claim, evidence)  # "may rise" is no report that it rose
    if turned:
        return Conflict("strong", turned)
    numeric = [m for m in compared.mismatches if m.split()[0] in _FIGURES]
    if numeric:
        return Conflict("numbers", "; ".join(numeric))
    speakers = [m for m in compared.mismatches if m.startswith("speakers")]
    if speakers:
        return Conflict("names", speakers[0])
    swapped = substitution(claim, evidence, aliases)
    if swapped:
        return Conflict("substitution", swapped.reason)
    names = {n for n in lexical.names(claim) if not _speaker_name(n, claim, stated.speakers)}
    missing = missing_names(claim, evidence, aliases, title)
    if missing and (len(missing) == len(names) or (len(missing) >= 2 and len(missing) * 3 >= len(names))):
        return Conflict("names", f"names differ: the source does not mention {', '.join(missing)}", unnamed=True)
    negations = [m for m in compared.mismatches if "says" in m]
    return Conflict("weak", negations[0]) if negations else Conflict("")


def missing_names(
    claim: str, evidence: str, aliases: Mapping[str, str] | None = None, title: str = "", speakers_apart: bool = True
) -> list[str]:
    """The claim's names that ``evidence`` does not mention, sorted; not who said it (compared on
    its own), nor dates and number words (compared as figures), nor a first name whose surname it
    gives ("Shah" for "Qureshi"), nor an acronym it spells out ("EIA" for "the US Energy
    Information Administration"), nor one of whom the claim speaks that the article's ``title``
    names: "he survived a confidence vote" is about Johnson in an article titled "Boris Johnson: UK
    Prime Minister resigns ...", but "Patriot Front is based in Idaho" is not stated by a sentence
    without "Idaho" in an article titled "... arrested in Coeur d'Alene, Idaho". With
    ``speakers_apart`` False, who said it must be mentioned too (a question's "The IRS announced
    ..." is about the IRS, whoever the answer's quote is by)."""
    claim, evidence, title = undotted(claim), undotted(evidence), undotted(title)
    evidence_words = set(lexical.words(evidence))
    speakers = claim_facts.facts(claim).speakers if speakers_apart else frozenset()
    missing = sorted(
        n
        for n in lexical.names(claim)
        if not _speaker_name(n, claim, speakers)
        and not lexical.calendar(n)
        and n.lower() not in lexical.NUMBER_WORDS
        and not lexical.mentioned(n, evidence_words, dict(aliases or {}))
        and not _surname_found(n, claim, evidence_words)
        and not spelled_out(n.lower(), claim, evidence)
        and not abbreviated(n, claim, evidence)
    )
    if not title or not missing:
        return missing
    about, titled = lexical.names(lexical.subject(claim)), set(lexical.words(title))
    return [n for n in missing if n not in about or not lexical.mentioned(n, titled, dict(aliases or {}))]


_DOTTED = re.compile(r"\b(?:[A-Z]\.){2,}")


def undotted(text: str) -> str:
    """Acronyms written with full stops as one word: "U.S." -> "US", "U.N." -> "UN"."""
    return _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)


#: A name of two or more words; a surname may carry a particle ("Ayman al-Zawahiri", "Ursula von der Leyen").
_PARTICLES = r"(?:al|el|bin|ibn|de|del|da|van|von|der|le|la|du|di|dos|das)"
_FULL_NAME = re.compile(r"(?:[A-Z][\w\u2019'-]*\s+)+(?:" + _PARTICLES + r"[-\s])*[A-Z][\w\u2019'-]*")
_PARTICLE = re.compile(r"^(?:" + _PARTICLES + r"-)+")


def _name_parts(phrase: str) -> list[str]:
    """The words of a full name, without possessives and particles: "Ayman al-Zawahiri's" ->
    ["Ayman", "Zawahiri"]."""
    words = [_PARTICLE.sub("", p.removesuffix("\u2019s").removesuffix("'s")) for p in phrase.split()]
    return [w for w in words if w[:1].isupper()]


def _speaker_name(name: str, claim: str, speakers: frozenset[str]) -> bool:
    """Whether ``name`` belongs to whoever the claim says said it ("Imran Khan said ..."): who said
    it is compared on its own (a different speaker is a conflict), and a quoted sentence rarely
    names its speaker ("I hope to go and visit Russia")."""
    if name.lower() in speakers:
        return True
    for phrase in _FULL_NAME.findall(claim):
        parts = _name_parts(phrase)
        if name in parts and parts[-1].lower() in speakers:
            return True
    return False


def _surname_found(name: str, claim: str, evidence_words: set[str]) -> bool:
    """Whether ``name`` is a first or middle name in ``claim`` ("Shah" in "Shah Mahmood Qureshi")
    whose last name the evidence gives."""
    for phrase in _FULL_NAME.findall(claim):
        parts = _name_parts(phrase)
        if name in parts[:-1] and lexical.stem(parts[-1]) in evidence_words:
            return True
    return False


def guard(
    claim: str,
    judgement: Judgement,
    evidence: Sequence[str],
    scores: Sequence[float],
    min_support: float,
    aliases: dict[str, str] | None = None,
    dates: Sequence[str] = (),
    titles: Sequence[str] = (),
) -> Judgement:
    """Keep the judge honest with what can be checked without it (see :func:`conflict`);
    ``dates``, ``titles``: as in :class:`Case`.

    - 'supports' needs a close match (score >= ``min_support``) that states every number, date and
      weekday of the claim, is no more hedged than the claim ("plans to", "may") and has no
      decisive conflict; with a decisive conflict on the same topic it becomes
      'contradicts'.
    - 'contradicts' needs any conflict on the same topic (score >= ``STRONG_TOPIC``; a contradiction
      the judge's model backs counts as one), or the judge's word on a very close sentence
      (score >= ``JUDGE_ONLY_CONTRADICTION``).
    - 'unrelated' becomes 'contradicts' for a cancellation, a number conflict or a substituted name
      on a very close sentence (score >= ``UNPROMPTED_CONTRADICTION``), or on a close one (score >=
      ``UNPROMPTED_UNSUPPORTED``) when no sentence supports the claim; a contradiction the judge
      saw with a reason of its own (:func:`_reasoned`: its model backs it, a denial, another
      speaker, a substituted name) counts from that close one too, when no sentence supports it.
    - A support that leaves out a word of the claim that another sentence on the topic denies
      ("No punitive compensation was awarded") gives way to that sentence's contradiction.
    - Beside a support, a sentence that leaves out the claim's names is no other account of it.
    - A sentence that only asks ("How did the US kill Zawahiri?") neither supports nor contradicts.
    - Supports give way to a sentence at least as close that says the event is still to come, was
      called off or went the other way (:func:`_called_off`).
    - The verdict follows the surviving stances: any support -> supported, else any
      contradiction -> contradicted, else not_found.
    """
    stances: list[Stance] = []
    unprompted: list[int] = []  # sentences that contradict the claim if nothing supports it
    unnamed: list[int] = []  # sentences that leave out the claim's names: no account of it beside a support
    clashes: list[str] = []
    backed = judgement.backed + (False,) * (len(judgement.stances) - len(judgement.backed))
    published = tuple(dates) + ("",) * (len(evidence) - len(dates))
    headings = tuple(titles) + ("",) * (len(evidence) - len(titles))
    for stance, text, score, sure, day, title in zip(judgement.stances, evidence, scores, backed, published, headings):
        if not lexical.statements(text):  # a question states nothing: it neither supports nor contradicts
            stances.append("unrelated")
            clashes.append("")
            continue
        clash = conflict(claim, text, aliases, title)
        clashes.append(clash.kind)
        unstated = claims_compare.compare(claim, text, aliases, day).unstated
        if stance == "supports" and (score < min_support or unstated or clash.decisive):
            stance = "contradicts" if clash.decisive and score >= STRONG_TOPIC else "unrelated"
        elif stance == "contradicts" and not (
            ((clash.kind or sure) and score >= STRONG_TOPIC)
            or score >= JUDGE_ONLY_CONTRADICTION
            or _misquoted(claim, text, clash)
        ):
            if _reasoned(clash, sure) and score >= UNPROMPTED_UNSUPPORTED:
                unprompted.append(len(stances))  # a reason to contradict it: it does if nothing supports the claim
            stance = "unrelated"
        elif stance == "unrelated" and clash.kind in _UNPROMPTED and score >= UNPROMPTED_UNSUPPORTED:
            if score >= UNPROMPTED_CONTRADICTION:
                stance = "contradicts"
            else:
                unprompted.append(len(stances))
        if clash.unnamed:
            unnamed.append(len(stances))
        stances.append(stance)
    if _called_off(stances, scores, clashes):
        stances = ["unrelated" if s == "supports" else s for s in stances]
    if "supports" not in stances:
        for index in unprompted:
            stances[index] = "contradicts"
    else:  # "The two leaders also agreed ..." beside the sentence that names them reports nothing differently
        stances = ["unrelated" if i in unnamed and s == "contradicts" else s for i, s in enumerate(stances)]
    stances = _denied_detail(claim, stances, evidence, scores)
    return Judgement(verdict_of(stances), tuple(stances), judgement.backed)


def _called_off(stances: Sequence[Stance], scores: Sequence[float], clashes: Sequence[str]) -> bool:
    """Whether a sentence that says the claim's event is still to come, was called off or went the
    other way (a "strong" conflict) matches the claim at least as closely as every sentence that
    supports it: "Russia will transfer Iskander-M missile systems to Belarus over the coming months"
    outweighs a sentence describing the Iskander-M for "Russia has already delivered Iskander-M
    missile systems to Belarus"."""
    held = [score for stance, score in zip(stances, scores) if stance == "supports"]
    strong = [
        score for stance, score, kind in zip(stances, scores, clashes) if stance == "contradicts" and kind == "strong"
    ]
    return bool(held and strong) and max(strong) >= max(held)


def _misquoted(claim: str, evidence: str, clash: Conflict) -> bool:
    """Whether ``evidence`` holds the words the claim quotes, said by someone else: the quote
    itself makes it the same statement, however little else the two share ("Rapinoe called the
    report \u201cthe nail in the coffin\u201d" against "\u201c... the nail in the coffin,\u201d Dunn said")."""
    return clash.reason.startswith("speakers differ") and bool(quoted_by(claim, evidence))


def _reasoned(clash: Conflict, backed: bool) -> bool:
    """Whether a contradiction the judge saw on a sentence not quite close enough to keep it
    outright has a reason of its own: the model's contradiction head backs it ("met heavy
    resistance" against "without encountering any resistance"), a cancellation or denial ("never
    sold their stakes"), another speaker, or another name in the claim's name's place."""
    return backed or clash.kind in ("strong", "substitution") or (clash.kind == "names" and not clash.unnamed)


def _denied_detail(claim: str, stances: list[Stance], evidence: Sequence[str], scores: Sequence[float]) -> list[Stance]:
    """A support that leaves out a word of the claim which another sentence on the topic (score >=
    ``STRONG_TOPIC``) denies does not stand: "The jury ... awarded Huth $500,000 in damages" does not
    support "the jury also awarded punitive damages" when the next sentence says "No punitive
    compensation was awarded"; that sentence contradicts it. Claims that deny something themselves
    are left to the other checks."""
    supported_by = [lexical.content_words(text) for text, stance in zip(evidence, stances) if stance == "supports"]
    if not supported_by or claim_facts.facts(claim).negated:
        return stances
    wanted = lexical.content_words(claim)
    denying = []
    for index, (text, score) in enumerate(zip(evidence, scores)):
        words_denied = denied(text) & wanted
        if score >= STRONG_TOPIC and words_denied and all(words_denied - words for words in supported_by):
            denying.append(index)
    if not denying:
        return stances
    return ["contradicts" if i in denying else "unrelated" if s == "supports" else s for i, s in enumerate(stances)]


def verdict_of(stances: Sequence[Stance]) -> Verdict:
    """Any support -> supported, else any contradiction -> contradicted, else not_found."""
    return "supported" if "supports" in stances else "contradicted" if "contradicts" in stances else "not_found"
