"""The one factory that picks model backends from :class:`Settings`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from index.cpu import CpuBudget
from index.embedding import Embedder, MiniLMOnnxEmbedder
from index.settings import Settings
from rag import local_model, prompt
from rag.judge import Judge
from rag.llm import LLM, LlamaCppLLM, OpenAICompatibleLLM


def make_budget(settings: Settings) -> CpuBudget:
    """The machine's CPU budget shared by the embedder and the local LLM (index/cpu.py)."""
    return CpuBudget(settings.cpu_lock)


def make_embedder(settings: Settings, budget: CpuBudget | None = None) -> Embedder:
    """``ATTEST_EMBED_BACKEND``: the packaged MiniLM on this machine, or an OpenAI-compatible server."""
    if settings.embed_backend == "openai":
        from index.embed_openai import OpenAIEmbedder

        return OpenAIEmbedder(
            base_url=settings.embed_base_url,
            model=settings.embed_model,
            api_key=settings.embed_api_key,
            batch_size=settings.embed_batch_size,
            concurrency=settings.embed_concurrency,
            retries=settings.embed_retries,
            timeout=settings.embed_timeout,
        )
    return MiniLMOnnxEmbedder(threads=settings.embed_threads, batch_size=settings.embed_batch_size, budget=budget)


def make_judge(settings: Settings, llm: Callable[[], LLM]) -> Judge:
    """The judge of claim checks and answer citations (``ATTEST_JUDGE``): ``nli`` (default; the
    LLM judge stands in when the NLI package is missing) or ``llm``. ``llm`` is called only if the
    LLM is needed."""
    if settings.judge == "llm":
        return Judge(llm(), batch_size=settings.judge_batch_size)
    from rag.nli import ContradictionModel
    from rag.nli_judge import NLIJudge

    return NLIJudge(
        ContradictionModel(threads=settings.nli_threads),
        llm,
        batch_size=settings.judge_batch_size,
        confirm=settings.judge_confirm,
    )


def make_judge_llm(settings: Settings) -> LLM:
    """The citation judge of ``attest eval``: the answering LLM unless settings name another server."""
    if settings.eval_judge_backend == "openai":
        return make_llm(
            settings.model_copy(
                update={
                    "llm_backend": "openai",
                    "openai_base_url": settings.eval_judge_base_url or settings.openai_base_url,
                    "openai_model": settings.eval_judge_model or settings.openai_model,
                    "llm_temperature": 0.0,
                }
            )
        )
    return make_llm(settings)


def make_llm(settings: Settings, budget: CpuBudget | None = None) -> LLM:
    if settings.llm_backend == "openai":
        return OpenAICompatibleLLM(
            base_url=settings.openai_base_url,
            model=settings.openai_model,
            api_key=settings.openai_api_key,
            timeout=settings.openai_timeout,
            temperature=settings.llm_temperature,
        )
    explicit = settings.local_model_path
    if explicit is not None:
        path: Callable[[], Path] = lambda: explicit  # noqa: E731
        name = f"{explicit.name} (local llama.cpp)"
    else:
        path = lambda: local_model.ensure_quant(settings.model_cache_dir, settings.local_quant)  # noqa: E731
        name = local_model.NAME.replace("Q4_K_M", settings.local_quant.upper())
    return LlamaCppLLM(
        path,
        name=name,
        threads=settings.llm_threads,
        context=settings.llm_context,
        temperature=settings.llm_temperature,
        budget=budget,
        prefix=prompt.prefix_messages(),  # restored from disk by the next process (rag/prefix_cache.py)
        state_dir=settings.model_cache_dir,
        more_prefixes=[prompt.followup_prefix()],  # kept from a conversation's first follow-up rewrite
    )
