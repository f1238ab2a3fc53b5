"""Claim checking: split a text into claims and say, for each, whether the corpus supports it,
contradicts it or is silent, with verbatim quotes (exact offsets, outlet, date) and a confidence.

For every claim: retrieve chunks, score their sentences (and adjacent pairs) against the claim,
keep the best sentence of each of the top articles as evidence; with no evidence on the claim's
topic the verdict is ``not_found`` without asking the LLM. Otherwise the shared :class:`Judge`
labels each evidence sentence (supports / contradicts / unrelated) in batched, schema-constrained
calls, and :func:`judge.guard` checks those labels lexically. Outlets that support the claim are
listed; outlets whose evidence contradicts it are flagged as reporting it differently. Claims that
carry their own citation (``[1]`` with a reference list, a URL, or an outlet's name) are checked
against the source they cite.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from index import metadata
from index import sentences as splitter
from index.embedding import Embedder
from index.settings import Settings
from rag import conjuncts
from rag import evidence as scoring
from rag.judge import Case, Judge, Judgement, Verdict, conflict, guard
from rag.retrieve import Hit, Retriever
from rag.types import ArticleRef, Filters

_REFERENCE = re.compile(r"^\s*\[(\d+)\]\s*(\S.*)$", re.M)
_MARKER = re.compile(r"\s*\[(\d+)\]")
_URL = re.compile(r"https?://[^\s)\]]+")


@dataclass(frozen=True)
class Quote:
    """A verbatim span of an indexed article: ``article_text[start:end] == text``."""

    article: ArticleRef
    start: int
    end: int
    text: str
    score: float  # how closely it matches the claim (0..1)
    stance: str = "unrelated"

    def to_dict(self) -> dict[str, Any]:
        """The quote as ``attest check --json`` gives it: the article's fields beside the span's."""
        return {**self.article.to_dict(), **{k: v for k, v in asdict(self).items() if k != "article"}}


@dataclass
class ClaimResult:
    claim: str
    start: int  # offsets of the claim in the checked text
    end: int
    verdict: Verdict
    confidence: float
    quotes: list[Quote] = field(default_factory=list)  # the evidence behind the verdict, best first
    reported_by: list[str] = field(default_factory=list)  # outlets whose text supports the claim
    reported_differently: list[dict[str, str]] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)  # what the claim itself cites
    citation_check: str = ""
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["quotes"] = [q.to_dict() for q in self.quotes]  # flat, as before quotes held an ArticleRef
        return out


@dataclass
class CheckReport:
    text: str
    claims: list[ClaimResult]
    judge: str
    timings: dict[str, float] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out = {"supported": 0, "contradicted": 0, "not_found": 0}
        for claim in self.claims:
            out[claim.verdict] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "claims": [c.to_dict() for c in self.claims],
            "counts": self.counts(),
            "judge": self.judge,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }


@dataclass
class _Claim:
    text: str  # as written
    clean: str  # without markers and URLs, for retrieval and judging
    start: int
    end: int
    cited_outlets: list[str]
    cited: list[str]


class ClaimChecker:
    def __init__(self, settings: Settings, retriever: Retriever, embedder: Embedder, judge: Judge) -> None:
        self.settings = settings
        self.retriever = retriever
        self.embedder = embedder
        self.judge = judge
        self.max_evidence = 6  # evidence windows judged per claim
        self.windows_per_article = 3  # the best windows of an article, none inside another
        self.min_topic = settings.min_relevance  # evidence below this is off the claim's topic
        self.max_joined = 3  # pairs of windows judged together for a two-part claim (rag/conjuncts.py)

    def check(self, text: str, filters: Filters | None = None) -> CheckReport:
        started = time.perf_counter()
        results = list(self.iter_check(text, filters))
        return CheckReport(text, results, self.judge.name, {"total": time.perf_counter() - started})

    def iter_check(self, text: str, filters: Filters | None = None) -> Iterator[ClaimResult]:
        """Each claim's result as soon as it is ready (for streaming), in the order of the text."""
        if not text.strip():
            raise ValueError('nothing to check; pass a claim, e.g. attest check "Putin visited Islamabad in 2012."')
        self.retriever.check_ready()
        outlets = sorted({d.meta.outlet for d in self.retriever.store.documents() if d.meta.outlet})
        for claim in split_claims(text, outlets):
            quotes, aliases = self._evidence(claim, filters)
            judgement = self.judge.judge([self.case(claim, quotes, aliases)])[0] if quotes else None
            yield self._result(claim, quotes, judgement, aliases)

    def _together(self, claim: _Claim, quotes: list[Quote], aliases: dict[str, str]) -> tuple[int, int] | None:
        """Two windows of one article that state a two-part claim together (:mod:`rag.conjuncts`),
        judged joined in the article's order by the same judge and guard; None if none do."""
        found = conjuncts.pairs(claim.clean, [q.text for q in quotes], [q.article.doc_id for q in quotes], aliases)
        ordered = [(i, j) if quotes[i].start <= quotes[j].start else (j, i) for i, j in found[: self.max_joined]]
        if not ordered:
            return None
        texts = [f"{quotes[i].text} {quotes[j].text}" for i, j in ordered]
        joined = [scoring.Sentence(0, len(text), text) for text in texts]
        scores = [float(s) for s in scoring.match_scores(self.embedder, [claim.clean], joined, aliases)[0]]
        articles = [quotes[i].article for i, _ in ordered]
        case = Case(claim.clean, texts, aliases, [a.published_at for a in articles], [a.title for a in articles])
        judged = self.judge.judge([case])[0]
        checked = guard(claim.clean, judged, texts, scores, self.settings.min_support, aliases, case.dates, case.titles)
        return next((pair for pair, stance in zip(ordered, checked.stances) if stance == "supports"), None)

    @staticmethod
    def case(claim: _Claim, quotes: list[Quote], aliases: dict[str, str]) -> Case:
        """What the judge reads for one claim: its evidence windows, the acronyms their articles
        define and each window's article date and title."""
        articles = [q.article for q in quotes]
        return Case(
            claim.clean,
            [q.text for q in quotes],
            aliases,
            [a.published_at for a in articles],
            [a.title for a in articles],
        )

    def _evidence(self, claim: _Claim, filters: Filters | None) -> tuple[list[Quote], dict[str, str]]:
        """The best sentence (or adjacent pair) of each of the top articles, on the claim's topic,
        and the acronyms those articles define."""
        # A claim is not a question about the latest news: no recency prior (an old claim would lose its article).
        hits = self.retriever.with_settings(recency_half_life_days=0.0).search(
            claim.clean, self.settings.top_k + 2, filters
        )
        windows: list[tuple[Hit, scoring.Sentence]] = []
        for hit in hits:
            for window in scoring.windows(scoring.sentences_of(hit.text, hit.start), hit.text, hit.start):
                windows.append((hit, window))
        aliases = self.retriever.acronyms([hit.text for hit in hits], used_in=claim.clean)
        if not windows:
            return [], aliases
        scores = scoring.match_scores(self.embedder, [claim.clean], [w for _, w in windows], aliases)[0]
        chosen: list[Quote] = []
        per_doc: dict[str, int] = {}
        for index in np.argsort(-scores, kind="stable"):
            (hit, window), score = windows[index], float(scores[index])
            doc_id = hit.article.doc_id
            if score < self.min_topic or len(chosen) >= self.max_evidence:
                break
            overlaps = any(q.article.doc_id == doc_id and _nested(q, window) for q in chosen)
            if overlaps or per_doc.get(doc_id, 0) >= self.windows_per_article:
                continue
            per_doc[doc_id] = per_doc.get(doc_id, 0) + 1
            chosen.append(Quote(hit.article, window.start, window.end, window.text, round(score, 3)))
        return chosen, aliases

    def _result(
        self, claim: _Claim, quotes: list[Quote], judgement: Judgement | None, aliases: dict[str, str]
    ) -> ClaimResult:
        result = ClaimResult(claim.text, claim.start, claim.end, "not_found", 0.0, cited=claim.cited)
        if not quotes or judgement is None:
            result.confidence = 0.9
            result.notes.append("No indexed article addresses this claim; the judge was not asked.")
            return result
        checked = guard(
            claim.clean,
            judgement,
            [q.text for q in quotes],
            [q.score for q in quotes],
            self.settings.min_support,
            aliases,
            [q.article.published_at for q in quotes],
            [q.article.title for q in quotes],
        )
        for quote, said, kept in zip(quotes, judgement.stances, checked.stances):
            if said != kept:
                why = (
                    conflict(claim.clean, quote.text, aliases, quote.article.title).reason
                    or f"match score {quote.score:.2f}"
                )
                result.notes.append(
                    f"The judge said '{said}' of the quote from {_outlet_label(quote)}; "
                    f"the checks make it '{kept}' ({why})."
                )
        if checked.verdict != "supported" and (together := self._together(claim, quotes, aliases)):
            stances = tuple("supports" if i in together else s for i, s in enumerate(checked.stances))
            checked = replace(checked, verdict="supported", stances=stances)
            result.notes.append(
                f"Two sentences of {_outlet_label(quotes[together[0]])} state the claim together; neither does alone."
            )
        labelled = _own_account([replace(q, stance=s) for q, s in zip(quotes, checked.stances)])
        supporting = [q for q in labelled if q.stance == "supports"]
        contradicting = [q for q in labelled if q.stance == "contradicts"]
        result.verdict = checked.verdict
        if checked.verdict == "supported":
            result.quotes = supporting + contradicting
            result.confidence = _confidence(supporting[0].score, agrees=judgement.verdict == "supported")
            result.reported_by = sorted({_outlet_label(q) for q in supporting})
            result.reported_differently = [
                {"outlet": _outlet_label(q), "quote": q.text, "reason": _difference(claim.clean, q, aliases)}
                for q in contradicting
            ]
        elif checked.verdict == "contradicted":
            result.quotes = contradicting
            result.confidence = _confidence(contradicting[0].score, agrees=judgement.verdict == "contradicted")
        else:
            result.confidence = round(1.0 - max(q.score for q in quotes) / 2, 3)
            result.notes.append("Articles on this topic exist, but none states or contradicts the claim.")
        result.citation_check = _citation_check(claim, supporting, labelled)
        return result


def _own_account(labelled: list[Quote]) -> list[Quote]:
    """The quotes with no contradiction from an article that also states the claim: an article
    does not report its own statement differently, so its sentence with another figure is about
    something else ("$4.16 a gallon on Wednesday" beside "$4.37 a gallon on Tuesday")."""
    stating = {q.article.doc_id for q in labelled if q.stance == "supports"}
    return [
        replace(q, stance="unrelated") if q.stance == "contradicts" and q.article.doc_id in stating else q
        for q in labelled
    ]


def _confidence(score: float, agrees: bool) -> float:
    """0.5-1.0 from how well the quote matches, lowered when the judge's own verdict disagreed."""
    value = 0.5 + 0.5 * min(1.0, score / 0.8)
    return round(value if agrees else value * 0.8, 3)


def _outlet_label(quote: Quote) -> str:
    return quote.article.outlet or f"unknown outlet ({quote.article.source.rsplit('/', 1)[-1]})"


def _difference(claim: str, quote: Quote, aliases: dict[str, str]) -> str:
    return (
        conflict(claim, quote.text, aliases, quote.article.title).reason
        or "the judge found this account incompatible with the claim"
    )


def _citation_check(claim: _Claim, supporting: list[Quote], labelled: list[Quote]) -> str:
    if not claim.cited_outlets:
        return ""
    wanted = [o.lower() for o in claim.cited_outlets]

    def cited(q: Quote) -> bool:
        names = f"{q.article.outlet} {q.article.url} {q.article.source}".lower()
        return any(w in names for w in wanted)

    if any(cited(q) for q in supporting):
        return "The cited source supports this claim."
    if supporting:
        others = ", ".join(sorted({_outlet_label(q) for q in supporting}))
        return f"The cited source does not support this claim; support exists only elsewhere: {others}."
    if any(cited(q) for q in labelled):
        return "The cited source was found but does not support this claim."
    return "The cited source is not in the corpus or does not address this claim."


def split_claims(text: str, known_outlets: list[str]) -> list[_Claim]:
    """Sentences of ``text`` as claims, with what each cites: ``[n]`` resolved through a trailing
    reference list (``[1] https://...`` lines), URLs, and names of outlets in the index."""
    body_end, references = _reference_list(text)
    claims = []
    for span in splitter.split(text[:body_end]):
        markers = [int(n) for n in _MARKER.findall(span.text)]
        urls = _URL.findall(span.text)
        clean = " ".join(_URL.sub("", _MARKER.sub("", span.text)).split())
        if len(clean.split()) < 3:
            continue
        cited = [f"[{n}] {references[n]}" if n in references else f"[{n}]" for n in markers] + urls
        cited_outlets = [metadata.outlet_from_url(u) for u in urls]
        for n in markers:
            reference = references.get(n, "")
            cited_outlets += [metadata.outlet_from_url(u) for u in _URL.findall(reference)]
            cited_outlets += [o for o in known_outlets if _mentions(reference, o)]
        named = [o for o in known_outlets if _mentions(clean, o)]
        for outlet in named:
            clean = _without_attribution(clean, outlet)
        cited_outlets += named
        claims.append(_Claim(span.text, clean, span.start, span.end, sorted(set(filter(None, cited_outlets))), cited))
    return claims


_SAID = r"(?:said|says|reported|reports|wrote|writes|stated|states|noted|notes|added|adds)"


def _without_attribution(claim: str, outlet: str) -> str:
    """The claim without "…, TASS said." / "according to TASS" / "(AA)": what is checked is the
    statement; who said it is checked against the cited source."""
    for name in _outlet_names(outlet):
        n = re.escape(name)
        for pattern in (
            rf",?\s*(?:according to|as reported by|reported by|via)\s+(?:the\s+)?{n}\b",
            rf",?\s*\b{n}\s+{_SAID}\b",
            rf"^\s*{n}\s+{_SAID}\s+(?:that\s+)?",
            rf"\s*\({n}\)",
        ):
            claim = re.sub(pattern, "", claim, flags=re.I)
    claim = " ".join(claim.split()).lstrip(",;: ")
    return claim[:1].upper() + claim[1:] if claim else claim


def _reference_list(text: str) -> tuple[int, dict[int, str]]:
    """Where the body ends, and the trailing ``[n] source`` lines after it (if any)."""
    references: dict[int, str] = {}
    body_end = len(text)
    position = len(text)
    for line in reversed(text.splitlines(keepends=True)):
        position -= len(line)
        if not line.strip():
            continue
        match = _REFERENCE.match(line)
        if not match:
            break
        references[int(match.group(1))] = match.group(2).strip()
        body_end = position
    return body_end, references


def _mentions(text: str, outlet: str) -> bool:
    """Whether ``text`` names ``outlet`` (its full name or the code in parentheses, e.g. AA)."""
    return any(re.search(rf"\b{re.escape(name)}\b", text) for name in _outlet_names(outlet))


def _outlet_names(outlet: str) -> list[str]:
    """ "Anadolu Agency (AA)" -> ["Anadolu Agency (AA)", "Anadolu Agency", "AA"]."""
    bare = re.sub(r"\s*\([^)]*\)", "", outlet).strip()
    return [name for name in dict.fromkeys([outlet, bare, *re.findall(r"\(([^)]+)\)", outlet)]) if name]


def _nested(quote: Quote, window: scoring.Sentence) -> bool:
    """Whether one of the two spans holds the other. Windows that only share a sentence are both
    judged: "For that win he earned $4 million." reads one way after the sentence that names the
    win and another before the next one."""
    return (quote.start <= window.start and window.end <= quote.end) or (
        window.start <= quote.start and quote.end <= window.end
    )
