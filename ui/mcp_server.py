"""Attest as an MCP server (the official ``mcp`` SDK): ``attest mcp`` speaks stdio (desktop
assistants, IDEs), and ``attest serve`` offers the same tools over streamable HTTP at ``/mcp``.

Tools, each with typed (structured) results that carry the citations and verbatim quotes with
their offsets into the article (``get_article``'s ``text``):

- ``search(query)``: the best-matching passages and their best sentences, no LLM;
- ``ask(question)``: a cited answer (or "not in the corpus" with what was searched);
- ``check_claims(text)``: supported / contradicted / not in the corpus, per sentence;
- ``get_article(doc_id)``: one article's metadata and full text.

``search``, ``ask`` and ``check_claims`` take optional ``outlet``, ``since``, ``until`` and
``as_of`` (``YYYY-MM-DD``) filters. A bad argument or an empty index is a tool error whose one
line says how to fix it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from rag.pipeline import Pipeline
from rag.types import Passage
from ui import public
from ui.filters import parse_filters

T = TypeVar("T")
API_LABELS = {"since": "since", "until": "until", "as_of": "as_of"}
INSTRUCTIONS = (
    "Attest answers from the user's own indexed news articles. Every answer sentence cites the exact "
    "passage (outlet, date, character offsets, verbatim quote) it rests on, or the reply is 'not in the "
    "corpus'. Use search for evidence, ask for a cited answer, check_claims to verify a text, and "
    "get_article to read a cited article (quote offsets point into its text)."
)


class Quote(BaseModel):
    """A verbatim span of an article: ``article.text[start:end] == text``."""

    start: int
    end: int
    text: str


class ArticleRef(BaseModel):
    doc_id: str
    title: str = ""
    outlet: str = ""
    published_at: str = ""
    url: str = ""
    source: str = ""


class SearchHit(ArticleRef):
    number: int
    passage_start: int
    passage_end: int
    passage: str
    score: float = Field(description="cosine similarity of the passage to the query")
    relevance: float = Field(description="best sentence-level match to the query (0..1)")
    quotes: list[Quote] = Field(description="the passage's best-matching sentences, verbatim")


class SearchResult(BaseModel):
    query: str
    filters: dict[str, str]
    passages: list[SearchHit]


class Citation(ArticleRef):
    number: int
    passage_start: int
    passage_end: int
    quote: Quote
    support: float


class AnswerSentence(BaseModel):
    text: str
    citations: list[int]
    supported: bool


class AskResult(BaseModel):
    question: str
    status: str = Field(description="'answered' or 'not_found' (not in the corpus)")
    answer: str = Field(description="the answer with its [n] markers")
    short_answer: str = ""
    sentences: list[AnswerSentence]
    citations: list[Citation]
    searched: dict[str, Any] = Field(description="query, filters, passages considered, best relevance, threshold")
    notes: list[str]


class ClaimQuote(ArticleRef):
    stance: str = Field(description="supports, contradicts or unrelated")
    quote: Quote
    score: float


class ClaimVerdict(BaseModel):
    claim: str
    verdict: str = Field(description="supported, contradicted or not_found")
    confidence: float
    quotes: list[ClaimQuote]
    reported_by: list[str]
    reported_differently: list[dict[str, str]]
    citation_check: str = ""
    notes: list[str]


class CheckResult(BaseModel):
    claims: list[ClaimVerdict]
    counts: dict[str, int]
    judge: str


class Article(ArticleRef):
    chunks: int
    text: str


def _hit(p: Passage) -> SearchHit:
    return SearchHit(
        **p.article.to_dict(),
        number=p.number,
        passage_start=p.start,
        passage_end=p.end,
        passage=p.text,
        score=round(p.score, 4),
        relevance=round(p.relevance, 4),
        quotes=[Quote(**s.to_dict()) for s in p.sentences],
    )


class AttestTools:
    """The tools' work over one pipeline, without the MCP plumbing (unit-testable)."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def search(
        self, query: str, outlet: str = "", since: str = "", until: str = "", as_of: str = "", top_k: int = 0
    ) -> SearchResult:
        filters = parse_filters(outlet, since, until, as_of, API_LABELS)
        passages = self.pipeline.search(query, filters, top_k=top_k or None)
        return SearchResult(
            query=" ".join(query.split()), filters=filters.describe(), passages=[_hit(p) for p in passages]
        )

    def ask(self, question: str, outlet: str = "", since: str = "", until: str = "", as_of: str = "") -> AskResult:
        answer = self.pipeline.ask(question, parse_filters(outlet, since, until, as_of, API_LABELS))
        citations = [
            Citation(
                **c.passage.article.to_dict(),
                number=c.number,
                passage_start=c.passage.start,
                passage_end=c.passage.end,
                quote=Quote(**c.quote.to_dict()),
                support=round(c.support, 3),
            )
            for c in answer.citations
        ]
        return AskResult(
            question=answer.question,
            status=answer.status,
            answer=answer.text,
            short_answer=answer.short,
            sentences=[
                AnswerSentence(text=s.text, citations=[c.number for c in s.citations], supported=s.supported)
                for s in answer.sentences
            ],
            citations=citations,
            searched=asdict(answer.searched),
            notes=answer.notes,
        )

    def check_claims(
        self, text: str, outlet: str = "", since: str = "", until: str = "", as_of: str = ""
    ) -> CheckResult:
        report = self.pipeline.check(text, parse_filters(outlet, since, until, as_of, API_LABELS))
        claims = [
            ClaimVerdict(
                claim=c.claim,
                verdict=c.verdict,
                confidence=round(c.confidence, 3),
                quotes=[
                    ClaimQuote(
                        **q.article.to_dict(),
                        stance=q.stance,
                        quote=Quote(start=q.start, end=q.end, text=q.text),
                        score=round(q.score, 3),
                    )
                    for q in c.quotes
                ],
                reported_by=c.reported_by,
                reported_differently=c.reported_differently,
                citation_check=c.citation_check,
                notes=c.notes,
            )
            for c in report.claims
        ]
        return CheckResult(claims=claims, counts=report.counts(), judge=report.judge)

    def get_article(self, doc_id: str) -> Article:
        record = self.pipeline.store.document(doc_id.strip())
        if record is None:
            raise ValueError("no article with that id in the index; search first and use a passage's doc_id")
        return Article(**record.article.to_dict(), chunks=record.n_chunks, text=record.text)


def build_server(pipeline: Pipeline) -> Any:
    """The MCP server (``mcp.server.mcpserver.MCPServer``) with Attest's four tools."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    tools = AttestTools(pipeline)
    server = MCPServer("attest", instructions=INSTRUCTIONS, log_level="WARNING")

    def guarded(call: Callable[[], T]) -> T:
        try:
            return call()
        except Exception as exc:  # one line, no paths: the model reads it and can correct itself
            raise ToolError(public.error_line(exc)) from exc

    @server.tool()
    def search(
        query: str, outlet: str = "", since: str = "", until: str = "", as_of: str = "", top_k: int = 0
    ) -> SearchResult:
        """Search the indexed news articles: the best-matching passages with their best sentences
        (verbatim, with character offsets), outlet and date. No LLM. Optional filters: outlet, and
        since / until / as_of dates (YYYY-MM-DD; as_of ignores later articles). top_k: passages (default 6)."""
        return guarded(lambda: tools.search(query, outlet, since, until, as_of, top_k))

    @server.tool()
    def ask(question: str, outlet: str = "", since: str = "", until: str = "", as_of: str = "") -> AskResult:
        """Answer a question from the indexed news articles. Every sentence cites [n] the exact passage
        it rests on (citations: outlet, date, offsets, verbatim quote), or the status is 'not_found'
        with what was searched. Optional filters: outlet, since / until / as_of (YYYY-MM-DD)."""
        return guarded(lambda: tools.ask(question, outlet, since, until, as_of))

    @server.tool()
    def check_claims(text: str, outlet: str = "", since: str = "", until: str = "", as_of: str = "") -> CheckResult:
        """Check a text sentence by sentence against the indexed articles: supported, contradicted or
        not in the corpus, with the verbatim quotes (and outlets) behind each verdict."""
        return guarded(lambda: tools.check_claims(text, outlet, since, until, as_of))

    @server.tool()
    def get_article(doc_id: str) -> Article:
        """One indexed article: title, outlet, date, URL or file, and full text (quote offsets point into it)."""
        return guarded(lambda: tools.get_article(doc_id))

    return server


def run_stdio(pipeline: Pipeline) -> None:
    """Serve the tools on standard input/output until the client closes them."""
    build_server(pipeline).run("stdio")
