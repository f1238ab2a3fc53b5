"""What the web server may tell a client: errors as one short line without absolute paths or
the client's own input echoed back, and settings without the server's folder layout."""

from __future__ import annotations

import re
from typing import Any

MAX_ERROR = 240
_PATH = re.compile(r"(?<![\w.:/])(?:~|/)(?:[^\s'\"`,;()]+/)*([^\s'\"`,;()/]+)/?")


def strip_paths(text: str) -> str:
    """``/home/me/.attest/data/chroma`` -> ``…/chroma``: a path's last component only."""
    return _PATH.sub(lambda m: "\u2026/" + m.group(1), text)


def error_line(exc: BaseException) -> str:
    """An exception as a client sees it: first line, no absolute paths, at most 240 characters."""
    first = (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]
    line = strip_paths(first)
    return line if len(line) <= MAX_ERROR else line[: MAX_ERROR - 1] + "\u2026"


def redact(value: Any) -> Any:
    """``value`` (settings, as ``/info`` returns them) with every absolute path shortened."""
    if isinstance(value, dict):
        return {k: redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if isinstance(value, str) and ("/" in value or value.startswith("~")):
        return value if "://" in value else strip_paths(value)
    return value
