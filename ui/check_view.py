"""The Check tab: paste text, get a verdict per sentence as each one is ready, with the quotes
highlighted in their article as in the sources panel, the outlets that report the claim and those
that report it differently."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rag.check import ClaimResult, Quote
from rag.pipeline import Pipeline
from rag.types import Filters
from ui.render import article_view, esc, link_allowed

VERDICTS = {"supported": "Supported", "contradicted": "Contradicted", "not_found": "Not in the corpus"}
CSS = """
#check-results .claim { border: 1px solid #d1d5db; border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
#check-results .verdict { font-weight: 700; padding: 1px 6px; border-radius: 4px; margin-right: 6px; }
#check-results .supported .verdict { background: #dcfce7; color: #166534; }
#check-results .contradicted .verdict { background: #fee2e2; color: #991b1b; }
#check-results .not_found .verdict { background: #e5e7eb; color: #374151; }
#check-results mark.quote { background: #fde68a; color: #1f2937; padding: 1px 0; border-radius: 2px; }
#check-results .quote-card { margin: 6px 0 6px 12px; font-size: 0.92em; }
#check-results .differently { color: #991b1b; }
"""


def claim_html(number: int, claim: ClaimResult, articles: dict[str, str]) -> str:
    parts = [
        f'<div class="claim {claim.verdict}" data-verdict="{claim.verdict}">',
        f'<div><span class="verdict">{VERDICTS[claim.verdict]}</span>'
        f'<span class="confidence">({claim.confidence:.2f})</span> {number}. {esc(claim.claim)}</div>',
    ]
    for quote in claim.quotes:
        parts.append(quote_html(quote, articles.get(quote.article.doc_id)))
    if claim.reported_by:
        parts.append(f'<div class="reported-by">Reported by: {esc(", ".join(claim.reported_by))}</div>')
    for other in claim.reported_differently:
        parts.append(
            f'<div class="differently">Reported differently by {esc(other["outlet"])}: {esc(other["reason"])}</div>'
        )
    if claim.citation_check:
        parts.append(f'<div class="citation-check">{esc(claim.citation_check)}</div>')
    if claim.notes:
        notes = "".join(f"<li>{esc(n)}</li>" for n in claim.notes)
        parts.append(f'<details class="notes"><summary>Notes</summary><ul>{notes}</ul></details>')
    parts.append("</div>")
    return "".join(parts)


def quote_html(quote: Quote, article: str | None) -> str:
    a = quote.article
    where = esc(a.url) if link_allowed(a.url) else esc(a.source)
    header = (
        f'<div class="quote-head">{esc(quote.stance)}: <b class="outlet">{esc(a.outlet or "unknown outlet")}</b> '
        f'<span class="date">{esc(a.published_at or "undated")}</span> <code>{where}</code> '
        f'<span class="chars">chars {quote.start}\u2013{quote.end}</span></div>'
    )
    if article is not None and article[quote.start : quote.end] == quote.text:
        body = article_view(article, (quote.start, quote.end), [(quote.start, quote.end)])
        text = (
            f'<details class="article"><summary><mark class="quote">{esc(quote.text)}</mark></summary>{body}</details>'
        )
    else:
        text = f'<mark class="quote">{esc(quote.text)}</mark>'
    return f'<div class="quote-card" data-doc-id="{esc(a.doc_id)}">{header}{text}</div>'


def stream_check(pipeline: Pipeline, text: str, filters: Filters | None = None) -> Iterator[str]:
    """The results panel's HTML after each claim is checked."""
    if not text.strip():
        yield '<p class="empty">Paste text to check, one claim per sentence.</p>'
        return
    done: list[str] = []
    articles: dict[str, str] = {}
    yield '<p class="checking">Checking\u2026</p>'
    for number, claim in enumerate(pipeline.checker.iter_check(text, filters), start=1):
        for quote in claim.quotes:
            if quote.article.doc_id not in articles:
                record = pipeline.store.document(quote.article.doc_id)
                if record is not None:
                    articles[quote.article.doc_id] = record.text
        done.append(claim_html(number, claim, articles))
        yield "".join(done) + '<p class="checking">Checking\u2026</p>'
    yield "".join(done) or '<p class="empty">No sentence to check.</p>'


def build(pipeline: Pipeline) -> None:
    """The tab's widgets and events; call inside ``gr.Tab``."""
    import gradio as gr

    text = gr.Textbox(lines=5, label="Text to check", placeholder="Paste a paragraph; each sentence is a claim.",
                      elem_id="check-text")  # fmt: skip
    button = gr.Button("Check", variant="primary", elem_id="check-send")
    results = gr.HTML(f"<style>{CSS}</style>", elem_id="check-results")

    def run(value: str) -> Iterator[Any]:
        for html in stream_check(pipeline, value):
            yield f"<style>{CSS}</style>{html}"

    for trigger in (button.click, text.submit):
        trigger(run, [text], [results], api_visibility="private", show_progress="hidden")
