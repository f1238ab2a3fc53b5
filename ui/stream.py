"""Streaming for the chat: run a blocking call that reports tokens in a thread, and read the
answer out of the model's half-written JSON reply (``{"answer": "Bishkek", "cite": [3]}``; older
replies held ``{"sentences": [{"text": ...}]}``)."""

from __future__ import annotations

import json
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
_TEXT = re.compile(r'"(?:text|answer)"\s*:\s*"((?:[^"\\]|\\.)*)(")?', re.S)
_DONE = object()


def partial_sentences(raw: str) -> list[str] | None:
    """The answer (or the ``text`` values of the sentences) written so far, the last one possibly
    cut off; ``None`` when the reply is not JSON (then it is shown as it comes)."""
    stripped = raw.lstrip()
    if not stripped:
        return []
    if not stripped.startswith("{"):
        return None
    return [_unescape(match.group(1), closed=bool(match.group(2))) for match in _TEXT.finditer(stripped)]


def _unescape(body: str, closed: bool) -> str:
    if not closed:  # a cut-off escape (a lone backslash or part of \\uXXXX) is dropped
        body = re.sub(r"\\(u[0-9a-fA-F]{0,3})?$", "", body)
    try:
        value = json.loads(f'"{body}"')
    except json.JSONDecodeError:
        return body
    return value if isinstance(value, str) else body


@dataclass
class Progress(Generic[T]):
    """One step of a streamed call: the text so far, and the result once it is done."""

    raw: str
    done: bool = False
    result: T | None = None


def stream_call(call: Callable[[Callable[[str], None]], T], interval: float = 0.1) -> Iterator[Progress[T]]:
    """Run ``call(on_token)`` in a thread; yield the accumulated text at most every ``interval``
    seconds while tokens arrive (an empty token asks for an update too: the call has news of its
    own, such as evidence found), then once with ``done=True`` and the result. Errors propagate."""
    pieces: queue.Queue[object] = queue.Queue()
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = call(pieces.put)
        except BaseException as exc:  # handed to the consumer's thread
            outcome["error"] = exc
        finally:
            pieces.put(_DONE)

    worker = threading.Thread(target=run, name="attest-answer", daemon=True)
    worker.start()
    raw = ""
    news = False  # something arrived since the last update
    last = 0.0
    finished = False
    while not finished:
        wait = max(0.0, interval - (time.monotonic() - last)) if news else None
        try:
            batch = [pieces.get(timeout=wait)]
        except queue.Empty:
            batch = []
        while not pieces.empty():  # take whatever else has arrived
            batch.append(pieces.get_nowait())
        for item in batch:
            if item is _DONE:
                finished = True
            else:
                raw += str(item)
                news = True
        if not finished and news and time.monotonic() - last >= interval:
            last = time.monotonic()
            news = False
            yield Progress(raw)
    worker.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    yield Progress(raw, done=True, result=outcome.get("result"))  # type: ignore[arg-type]
