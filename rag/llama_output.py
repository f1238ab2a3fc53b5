"""Load a llama.cpp model without taking the process's output away.

llama-cpp-python keeps llama.cpp's load messages off the terminal by pointing file descriptors 1
and 2, and ``sys.stdout``/``sys.stderr``, at /dev/null while a model loads (its
``suppress_stdout_stderr``). That holds for the whole process, not just the loading thread: `attest
serve` loads the model on a thread as it starts (``Pipeline.warm_up``), so whatever the server
printed meanwhile was lost, its "Attest is serving on http://..." line among it. Here llama.cpp's
messages go to the debug log through llama.cpp's own log callback instead, and models load without
the redirect.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from types import TracebackType
from typing import Any

log = logging.getLogger("attest.llama_cpp")
_lock = threading.Lock()
_callback: Any = None  # llama.cpp keeps a pointer to it: it must live as long as the process


class _KeepOutput:
    """Stands in for llama-cpp-python's ``suppress_stdout_stderr``: leaves the output alone."""

    def __init__(self, disable: bool = True) -> None:  # the signature it replaces; nothing to keep
        pass

    def __enter__(self) -> _KeepOutput:
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        return None


def keep_output() -> None:
    """Route llama.cpp's messages to the debug log and stop llama-cpp-python from redirecting the
    process's output while it loads a model; idempotent."""
    global _callback
    with _lock:
        if _callback is not None:
            return
        import llama_cpp
        from llama_cpp import _internals
        from llama_cpp import llama as llama_module

        @llama_cpp.llama_log_callback  # type: ignore[misc]
        def to_debug_log(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
            log.debug("%s", text.decode("utf-8", "replace").rstrip())

        llama_cpp.llama_log_set(to_debug_log, ctypes.c_void_p(0))
        llama_module.suppress_stdout_stderr = _KeepOutput  # type: ignore[misc,assignment]
        _internals.suppress_stdout_stderr = _KeepOutput  # type: ignore[misc,assignment]
        _callback = to_debug_log
