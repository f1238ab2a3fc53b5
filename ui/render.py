"""What the web UI shows, as plain strings: chat Markdown with clickable ``[n]``, the sources
panel (passages with the exact quotes highlighted, the whole article on demand), the "not in the
corpus" search summary, and the Markdown/JSON exports. No Gradio here, so it is unit-testable.

Offsets: a quote's ``start``/``end`` point into the article text that ``Store.document`` returns;
a passage's ``start`` is where its text begins in that article. Highlighting slices the shown text
at exactly those offsets, so the highlighted characters are the source's own.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from rag.types import Answer, Citation, Evidence, SearchInfo

ARTICLE_WINDOW = 60_000  # characters of a very long article shown around the cited passage
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


@dataclass
class Turn:
    """One answered question of a chat session, with what the sources panel needs to show it."""

    number: int
    asked: str  # as typed
    answer: Answer
    standalone: str = ""  # the stand-alone rewrite that was searched, when it differs
    articles: dict[str, str] = field(default_factory=dict)  # doc_id -> full article text


def md_text(text: str) -> str:
    """Plain text safe to put in chat Markdown (no accidental emphasis, links or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def link_allowed(url: str) -> bool:
    """Only http(s) URLs with a host become links (an article's metadata is not trusted)."""
    try:
        parsed = urlparse(url.strip())
    except ValueError:
        return False
    return parsed.scheme.lower() in ("http", "https") and bool(parsed.netloc) and url.strip() == url


def quote_key(citation: Citation) -> str:
    return f"{citation.quote.start}-{citation.quote.end}"


def cite_link(turn: int, citation: Citation) -> str:
    p = citation.passage
    title = esc(f"{p.article.outlet or 'unknown outlet'}, {p.article.published_at or 'undated'}")
    href = f"#src-{turn}-{citation.number}-{quote_key(citation)}"
    return f'<a class="cite" href="{href}" title="{title}">[{citation.number}]</a>'


def filters_text(filters: dict[str, str]) -> str:
    labels = {"outlet": "outlet", "since": "since", "until": "until", "as_of": "as of"}
    return ", ".join(f"{labels.get(k, k)} {v}" for k, v in filters.items()) or "none"


def searched_text(searched: SearchInfo) -> str:
    return (
        f"Searched for \u201c{searched.query}\u201d (filters: {filters_text(searched.filters)}); "
        f"looked at {searched.passages_considered} passages, best relevance {searched.best_relevance:.2f} "
        f"(needs {searched.threshold:.2f})."
    )


def chat_markdown(turn: Turn) -> str:
    """The assistant's chat message for a finished answer."""
    answer = turn.answer
    lines: list[str] = []
    if turn.standalone and turn.standalone != turn.asked:
        lines.append(f"<small class='searched-as'>Searched as: \u201c{md_text(turn.standalone)}\u201d</small>")
    if answer.status == Answer.NOT_FOUND:
        lines.append("**Not in the corpus:** no indexed article answers this question.")
        lines.append(f"<small class='searched'>{md_text(searched_text(answer.searched))}</small>")
        reasons = [n for n in answer.notes if "not asked" in n or "found no answer" in n or "could not be read" in n]
        if reasons:
            lines.append(f"<small class='searched'>{md_text(reasons[0])}</small>")
    else:
        parts = []
        for sentence in answer.sentences:
            links = "".join(cite_link(turn.number, c) for c in sentence.citations)
            text = md_text(sentence.text) + (" " + links if links else "")
            if not sentence.supported:
                text += " <span class='unsupported'>(unsupported: no passage in the corpus states this)</span>"
            parts.append(text)
        lines.append(" ".join(parts))
    if answer.evidence:
        lines.append(evidence_details(answer.evidence))
    meta = []
    if "total" in answer.timings:
        meta.append(f"{answer.timings['total']:.1f} s")
    if answer.model:
        meta.append(md_text(answer.model))
    lines.append("<small class='meta done'>" + (" \u00b7 ".join(meta) or "done") + "</small>")  # done: final
    return "\n\n".join(lines)


def streaming_markdown(sentences: Sequence[str] | None, raw: str, phase: str, evidence: Sequence[Evidence] = ()) -> str:
    """The chat message while the model writes: its answer so far, what happens next, and the
    evidence it is reading (verbatim, numbered as the answer will cite it) as soon as it is found."""
    # Not JSON (sentences is None): the text as it comes.
    body = md_text(raw) if sentences is None else " ".join(md_text(s) for s in sentences)
    status = f"<small class='meta'>{esc(phase)}</small>"
    out = f"{body} \u258d\n\n{status}" if body else status
    return out + ("\n\n" + evidence_markdown(evidence) if evidence else "")


def evidence_details(evidence: Sequence[Evidence]) -> str:
    """The evidence the model read, folded under the finished answer (HTML, escaped)."""
    rows = "".join(
        f"<li><b>[{e.number}]</b> {esc(e.passage.article.outlet or 'unknown outlet')}, "
        f"{esc(e.passage.article.published_at or 'undated')}: \u201c{esc(' '.join(e.sentence.text.split()))}\u201d</li>"
        for e in evidence
    )
    summary = f"<summary>Evidence the model read ({len(evidence)})</summary>"
    return f"<details class='evidence'>{summary}<ul>{rows}</ul></details>"


def evidence_markdown(evidence: Sequence[Evidence]) -> str:
    """The evidence sentences as a list: ``[n]`` outlet, date: \u201cquote\u201d."""
    rows = ["<div class='evidence'><b>Evidence</b> (verbatim, as the answer will cite it)</div>", ""]
    for item in evidence:
        p = item.passage
        where = md_text(f"{p.article.outlet or 'unknown outlet'}, {p.article.published_at or 'undated'}")
        rows.append(f"- **[{item.number}]** {where}: \u201c{md_text(item.sentence.text)}\u201d")
    return "\n".join(rows)


# -- sources panel --------------------------------------------------------------------------


def highlight(text: str, base: int, quotes: Iterable[tuple[int, int]], span: tuple[int, int] | None = None) -> str:
    """``text`` (which starts at offset ``base`` of its article) as HTML, each quote wrapped in
    ``<mark class="quote" data-quotes="start-end ...">`` and the cited passage (``span``, article
    offsets) in ``<span class="passage-span">``. Overlapping quotes share marks."""
    end_of_text = base + len(text)
    marks = sorted({(max(s, base), min(e, end_of_text), f"{s}-{e}") for s, e in quotes if s < end_of_text and e > base})
    cuts = {base, end_of_text}
    for s, e, _ in marks:
        cuts.update((s, e))
    if span:
        cuts.update(c for c in span if base < c < end_of_text)
    points = sorted(cuts)
    out: list[str] = []
    in_span = False
    for left, right in zip(points, points[1:]):
        if span:
            inside = span[0] <= left < span[1]
            if inside and not in_span:
                out.append('<span class="passage-span">')
            elif not inside and in_span:
                out.append("</span>")
            in_span = inside
        piece = esc(text[left - base : right - base])
        keys = [key for s, e, key in marks if s <= left and right <= e]
        if keys:
            out.append(f'<mark class="quote" data-quotes="{" ".join(keys)}">{piece}</mark>')
        else:
            out.append(piece)
    if in_span:
        out.append("</span>")
    return "".join(out)


def article_view(article: str, span: tuple[int, int], quotes: list[tuple[int, int]]) -> str:
    """The whole article with the passage and its quotes marked (a window around them if huge)."""
    base = 0
    shown = article
    prefix = suffix = ""
    if len(article) > ARTICLE_WINDOW:
        middle = (span[0] + span[1]) // 2
        base = max(0, min(middle - ARTICLE_WINDOW // 2, len(article) - ARTICLE_WINDOW))
        shown = article[base : base + ARTICLE_WINDOW]
        if base > 0:
            prefix = f'<p class="cut">[{base} characters before this are not shown]</p>'
        if base + ARTICLE_WINDOW < len(article):
            suffix = f'<p class="cut">[{len(article) - base - ARTICLE_WINDOW} characters after this are not shown]</p>'
    return prefix + highlight(shown, base, quotes, span) + suffix


def source_card(turn: int, citations: list[Citation], article: str | None) -> str:
    """One cited passage: where it is from, its text with the quotes highlighted, the whole article."""
    first = citations[0]
    p = first.passage
    a = p.article
    quotes = [(c.quote.start, c.quote.end) for c in citations]
    title = f"<cite>{esc(a.title)}</cite>" if a.title else "<cite class='untitled'>untitled</cite>"
    if link_allowed(a.url):
        where = f'<a class="where" href="{esc(a.url)}" target="_blank" rel="noopener noreferrer">{esc(a.url)}</a>'
    elif a.url:  # javascript:, data:, file: ... are shown as text, never as a link
        where = f'<code class="where">{esc(a.url)}</code>'
    else:
        where = f'<code class="where">{esc(a.source)}</code>'
    support = max(c.support for c in citations)
    parts = [
        f'<article class="source" id="src-{turn}-{p.number}" data-doc-id="{esc(a.doc_id)}" '
        f'data-start="{p.start}" data-end="{p.end}">',
        f'<header><span class="num">[{p.number}]</span> <b class="outlet">{esc(a.outlet or "unknown outlet")}</b>'
        f' <span class="date">{esc(a.published_at or "undated")}</span></header>',
        f'<div class="title">{title}</div>',
        f'<div class="origin">{where} <span class="chars">chars {p.start}\u2013{p.end} \u00b7 '
        f"support {support:.2f}</span></div>",
        f'<div class="passage">{highlight(p.text, p.start, quotes)}</div>',
    ]
    if article is not None and article[p.start : p.end] == p.text:
        parts.append(
            '<details class="article"><summary>Show whole article</summary>'
            f'<div class="article-text">{article_view(article, (p.start, p.end), quotes)}</div></details>'
        )
    elif article is None:
        parts.append('<p class="cut">The whole article is no longer in the index.</p>')
    parts.append("</article>")
    return "".join(parts)


def turn_html(turn: Turn, latest: bool) -> str:
    answer = turn.answer
    by_number: dict[int, list[Citation]] = {}
    for citation in answer.citations:
        by_number.setdefault(citation.number, []).append(citation)
    body: list[str] = []
    if turn.standalone and turn.standalone != turn.asked:
        body.append(f'<p class="searched-as">Searched as: \u201c{esc(turn.standalone)}\u201d</p>')
    if answer.status == Answer.NOT_FOUND:
        body.append(
            '<div class="not-found"><b>Not in the corpus.</b> '
            f'<span class="searched">{esc(searched_text(answer.searched))}</span></div>'
        )
    for citations in by_number.values():
        body.append(source_card(turn.number, citations, turn.articles.get(citations[0].passage.article.doc_id)))
    if answer.notes:
        notes = "".join(f"<li>{esc(note)}</li>" for note in answer.notes)
        body.append(
            f'<details class="notes"><summary>What the checks changed ({len(answer.notes)})</summary>'
            f"<ul>{notes}</ul></details>"
        )
    count = len(by_number)
    label = f"{count} source{'s' if count != 1 else ''}" if count else "no sources"
    return (
        f'<section class="turn" id="turn-{turn.number}"><details class="turn-box"{" open" if latest else ""}>'
        f'<summary><span class="turn-q">{esc(turn.asked)}</span> <span class="turn-n">{label}</span></summary>'
        f"{''.join(body)}</details></section>"
    )


def sources_html(turns: Sequence[Turn]) -> str:
    """The sources panel: the latest answer's sources open, earlier answers folded below."""
    if not turns:
        return (
            '<div class="sources-empty"><b>Sources</b><p>Ask a question: each cited passage appears here with '
            "the exact sentence it rests on highlighted. Click a [n] in an answer to jump to it.</p></div>"
        )
    ordered = sorted(turns, key=lambda t: t.number, reverse=True)
    return '<div class="sources">' + "".join(turn_html(t, i == 0) for i, t in enumerate(ordered)) + "</div>"


# -- exports --------------------------------------------------------------------------------


def export_dict(turn: Turn) -> dict[str, Any]:
    data = turn.answer.to_dict()
    data["asked"] = turn.asked
    data["standalone_question"] = turn.standalone or turn.asked
    return data


def export_markdown(turn: Turn) -> str:
    answer = turn.answer
    lines = [f"# {turn.asked}", ""]
    if turn.standalone and turn.standalone != turn.asked:
        lines += [f"Searched as: \u201c{turn.standalone}\u201d", ""]
    lines += ["## Answer", "", answer.text, ""]
    if answer.citations:
        lines += ["## Sources", ""]
        for c in answer.citations:
            p = c.passage
            where = f"{p.article.url or p.article.source} (quote: chars {c.quote.start}-{c.quote.end})"
            lines.append(f"[{c.number}] {p.article.label()} \u2014 {where}")
            lines.append("")
            lines.append("> " + " ".join(c.quote.text.split()))
            lines.append("")
    lines += ["## Searched", "", searched_text(answer.searched), ""]
    if answer.notes:
        lines += ["## Notes", ""] + [f"- {note}" for note in answer.notes] + [""]
    if answer.model:
        lines.append(f"_Model: {answer.model}; {answer.timings.get('total', 0.0):.1f} s_")
    return "\n".join(lines).rstrip() + "\n"


def export_json(turn: Turn) -> str:
    return json.dumps(export_dict(turn), ensure_ascii=False, indent=2)


def slug(text: str, limit: int = 40) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:limit].strip("-") or "answer"
