"""The settings the app runs with, as the Settings tab and ``/info`` show them: models, index
location and size, answering thresholds, where uploads go, and how the UI is served."""

from __future__ import annotations

from typing import Any

from rag.pipeline import Pipeline
from ui.render import md_text


def details(pipeline: Pipeline, host: str, port: int) -> dict[str, Any]:
    s = pipeline.settings
    out = pipeline.info()
    out["ui"] = {
        "host": host,
        "port": port,
        "login": bool(s.auth_user and s.auth_password),
        "upload_dir": str(s.uploads_path),
        "upload_max_mb": s.upload_max_mb,
    }
    out["answering"] = {
        "top_k": s.top_k,
        "min_relevance": s.min_relevance,
        "min_support": s.min_support,
        "judge_answers": s.judge_answers,
    }
    return out


def markdown(info: dict[str, Any]) -> str:
    index, ui, answering = info["index"], info["ui"], info["answering"]
    judged = "yes" if answering["judge_answers"] else "no"
    rows = [
        ("LLM", info["llm"]),
        ("Embedder", info["embedder"]),
        ("Index", f"{index['mode']} Chroma at {index['location']} (collection {index['collection']})"),
        ("Documents", index["documents"]),
        ("Chunks", index["chunks"]),
        ("Data folder", info["data_dir"]),
        ("Model cache", info["model_cache_dir"]),
        ("Uploads", f"{ui['upload_dir']} (up to {ui['upload_max_mb']} MB per file)"),
        ("Retrieval", f"top {answering['top_k']} passages, relevance \u2265 {answering['min_relevance']}"),
        ("Citations", f"support \u2265 {answering['min_support']}; re-checked by the judge: {judged}"),
        ("Web UI", f"{ui['host']}:{ui['port']}, login {'required' if ui['login'] else 'off'}"),
    ]
    table = "\n".join(f"| {name} | {md_text(str(value))} |" for name, value in rows)
    return (
        "| Setting | Value |\n|---|---|\n" + table + "\n\nChange these with `ATTEST_*` environment variables "
        "(see the README) and restart `attest serve`."
    )
