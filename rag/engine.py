"""The one composition point of Attest: settings -> store, embedder, LLM -> :class:`Pipeline`.

Every interface (``attest`` CLI and its terminal chat, the web UI, the OpenAI-compatible API, the
MCP server, the LlamaIndex adapter) gets its engine here and talks to it through the pipeline and
:class:`~rag.conversation.Conversation`; none wires components of its own. The heavy pieces load
on first use (rag/pipeline.py), so building an engine is instant.
"""

from __future__ import annotations

from index.embedding import Embedder
from index.settings import Settings
from rag.conversation import Conversation
from rag.llm import LLM
from rag.pipeline import Pipeline


def build_pipeline(
    settings: Settings | None = None, *, embedder: Embedder | None = None, llm: LLM | None = None
) -> Pipeline:
    """The engine for ``settings`` (default: read from the ``ATTEST_*`` environment).

    ``embedder`` and ``llm`` replace the configured ones (tests hand in fakes; ``attest eval``
    shares loaded models)."""
    return Pipeline(settings if settings is not None else Settings(), embedder=embedder, llm=llm)


def new_conversation(pipeline: Pipeline) -> Conversation:
    """An empty conversation over ``pipeline``: follow-up questions are read in its context."""
    return Conversation(pipeline)
