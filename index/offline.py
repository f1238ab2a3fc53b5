"""Switch off everything that would reach the network at run time.

Called before any vendor library is imported (see ``index/__init__.py``). Each line names the
trap it closes; ``tests/test_offline.py`` proves ingest + ask make no non-loopback connection.
"""

from __future__ import annotations

import os
from pathlib import Path


def tiktoken_cache_dir() -> Path | None:
    """The BPE files that llama-index-core ships, so tiktoken never fetches them."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("llama_index.core")
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "_static" / "tiktoken_cache"
    return path if path.is_dir() else None


def configure() -> None:
    """Set the environment defaults that keep every library offline (user values win)."""
    defaults = {
        "HF_HUB_OFFLINE": "1",  # Hugging Face code retries a hub id for ~70 s otherwise
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "ANONYMIZED_TELEMETRY": "False",  # Chroma's posthog telemetry
        "GRADIO_ANALYTICS_ENABLED": "False",  # Gradio's version check and analytics
        "DO_NOT_TRACK": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    cache = tiktoken_cache_dir()
    if cache is not None:
        os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(cache))
