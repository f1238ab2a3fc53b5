"""The fixed start of every answering prompt, evaluated once per machine and kept on disk.

llama.cpp reuses the evaluated tokens a new prompt shares with the previous one, so inside one
process the system message is prefilled once. A fresh process (``attest ask`` from a shell) would
prefill it again: about 130 tokens, 2-3 s on 2 cores. :func:`restore_or_build` instead loads the
model state saved after that prefix (a few MB: the KV cache of those tokens) and builds it when it
is missing. The file's name is a digest of everything that makes the state valid (the prefix
messages, the model file, the context size and llama.cpp's version); a file that does not load is
deleted and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)


def state_path(directory: Path, messages: Sequence[dict[str, str]], model: Path, context: int, batch: int) -> Path:
    import llama_cpp

    stat = model.stat()
    key = json.dumps(
        [list(messages), str(model.resolve()), stat.st_size, stat.st_mtime_ns, context, batch, llama_cpp.__version__]
    )
    return directory / f"prefix-{hashlib.sha256(key.encode()).hexdigest()[:20]}.npz"


def restore_or_build(llama: Any, messages: Sequence[dict[str, str]], path: Path) -> str:
    """Leave ``llama`` with the prefix evaluated; returns "restored" or "built"."""
    if path.exists():
        try:
            _restore(llama, path)
            return "restored"
        except Exception as exc:  # a stale or damaged file: rebuild it
            log.warning("prefix state %s did not load (%s); rebuilding it", path.name, exc)
            path.unlink(missing_ok=True)
            llama.reset()
    llama.create_chat_completion(messages=list(messages), max_tokens=1, temperature=0.0)
    try:
        _save(llama, path)
    except OSError as exc:  # a read-only cache directory costs speed, not the answer
        log.warning("could not keep the prompt prefix state in %s: %s", path.parent, exc)
    return "built"


def _save(llama: Any, path: Path) -> None:
    state = llama.save_state()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez(
                out,
                input_ids=np.asarray(state.input_ids[: state.n_tokens], dtype=np.intc),
                state=np.frombuffer(state.llama_state, dtype=np.uint8),
                seed=np.asarray([state.seed], dtype=np.int64),
            )
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def kept_state(llama: Any, path: Path) -> Any:
    """The saved prefix state as a ``LlamaState`` that ``llama.load_state`` takes: a few MB (the
    prefix's KV cache), without the logits a state saved by llama.cpp carries (hundreds of MB)."""
    from llama_cpp import LlamaState

    with np.load(path) as saved:
        ids = saved["input_ids"].astype(np.intc)
        raw = saved["state"].tobytes()
        seed = int(saved["seed"][0])
    if not 0 < len(ids) <= llama.n_ctx():
        raise ValueError(f"{len(ids)} tokens do not fit the context")
    input_ids = np.zeros(llama.n_ctx(), dtype=np.intc)
    input_ids[: len(ids)] = ids
    # The prefix's logits are never sampled (every prompt goes on past it): zeros stand in for them.
    scores = np.zeros((1, llama.n_vocab()), dtype=np.single)
    return LlamaState(input_ids, scores, len(ids), raw, len(raw), seed)


def _restore(llama: Any, path: Path) -> None:
    llama.load_state(kept_state(llama, path))


def begins_with(messages: Sequence[dict[str, str]], prefix: Sequence[dict[str, str]]) -> bool:
    """Whether a prompt starts with the prefix: its messages, the last one's text at least begun
    ("Evidence:\n" begins "Evidence:\n[1] ...")."""
    if not prefix or len(messages) < len(prefix):
        return False
    *whole, last = prefix
    head = messages[len(prefix) - 1]
    return (
        list(messages[: len(whole)]) == whole
        and head.get("role") == last.get("role")
        and (head.get("content", "").startswith(last.get("content", "")))
    )
