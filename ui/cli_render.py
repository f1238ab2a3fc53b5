"""How the CLI prints answers, evidence and claim verdicts (terminal-safe plain text)."""

from __future__ import annotations

from rag.answer import Answer
from rag.check import CheckReport, ClaimResult
from rag.safe_text import terminal_safe
from rag.types import Evidence

VERDICT_LABELS = {"supported": "SUPPORTED", "contradicted": "CONTRADICTED", "not_found": "NOT IN THE CORPUS"}


def render_evidence(evidence: list[Evidence]) -> str:
    lines = ["Evidence (verbatim, before the model writes):"]
    for item in evidence:
        p = item.passage
        quote = " ".join(item.sentence.text.split())
        where = f"{p.article.outlet or 'unknown outlet'}, {p.article.published_at or 'undated'}"
        lines.append(f"[{item.number}] {where}: \u201c{quote}\u201d")
    return terminal_safe("\n".join(lines))


def render_answer(answer: Answer) -> str:
    lines = [answer.text, ""]
    if answer.status == Answer.NOT_FOUND:
        s = answer.searched
        filters = ", ".join(f"{k}={v}" for k, v in s.filters.items()) or "none"
        lines.append(
            f'Searched: "{s.query}" (filters: {filters}); looked at {s.passages_considered} passages, '
            f"best relevance {s.best_relevance:.2f} (needs {s.threshold:.2f})."
        )
    shown: set[int] = set()
    for citation in answer.citations:
        p = citation.passage
        if p.number not in shown:
            shown.add(p.number)
            lines.append(f"[{citation.number}] {p.article.label()} \u2014 {p.article.url or p.article.source}")
        quote = " ".join(citation.quote.text.split())
        lines.append(f"    \u201c{quote}\u201d (chars {citation.quote.start}-{citation.quote.end})")
    if answer.notes:
        lines.append("")
        lines.extend(f"Note: {note}" for note in answer.notes)
    if "total" in answer.timings:
        lines.append(f"({_costs(answer)}{', ' + answer.model if answer.model else ''})")
    return terminal_safe("\n".join(lines).rstrip())


def _costs(answer: Answer) -> str:
    """E.g. "6.2 s: evidence 0.3 s, first words 2.9 s; 310 prompt tokens (96 cached) in 2.1 s, ..."."""
    t, g = answer.timings, answer.generation
    text = f"{t['total']:.1f} s"
    marks = (("evidence", "evidence"), ("first_words", "first words"))
    steps = [f"{label} {t[key]:.1f} s" for key, label in marks if key in t]
    if steps:
        text += ": " + ", ".join(steps)
    if g.get("prompt_tokens"):
        text += (
            f"; {g['prompt_tokens']:.0f} prompt tokens ({g.get('cached_tokens', 0):.0f} cached) in "
            f"{g.get('prefill_seconds', 0):.1f} s, {g.get('generated_tokens', 0):.0f} generated in "
            f"{g.get('generation_seconds', 0):.1f} s"
        )
    return text


def render_check(report: CheckReport) -> str:
    claims = [render_claim(number, claim) for number, claim in enumerate(report.claims, start=1)]
    return terminal_safe("\n".join([*claims, check_summary(report)]))


def render_claim(number: int, claim: ClaimResult) -> str:
    lines = [f"{number}. {VERDICT_LABELS[claim.verdict]} ({claim.confidence:.2f})  {' '.join(claim.claim.split())}"]
    for quote in claim.quotes:
        where = quote.article.url or quote.article.source
        label = ", ".join([quote.article.outlet or "unknown outlet", quote.article.published_at or "undated"])
        lines.append(f"   {quote.stance}: \u201c{' '.join(quote.text.split())}\u201d")
        lines.append(f"      \u2014 {label}, {where} (chars {quote.start}-{quote.end})")
    if claim.reported_by:
        lines.append(f"   Reported by: {', '.join(claim.reported_by)}")
    for other in claim.reported_differently:
        lines.append(f"   Reported differently by {other['outlet']}: {other['reason']}")
    if claim.citation_check:
        lines.append(f"   Citation: {claim.citation_check}")
    lines.extend(f"   Note: {note}" for note in claim.notes)
    return "\n".join(lines)


def check_summary(report: CheckReport) -> str:
    counts = report.counts()
    total = report.timings.get("total", 0.0)
    return (
        f"\n{counts['supported']} supported, {counts['contradicted']} contradicted, {counts['not_found']} not in "
        f"the corpus (judge: {report.judge}; {total:.1f} s)"
    )
