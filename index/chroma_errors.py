"""Errors of the Chroma layer: a Chroma server that stops answering becomes one clear
:class:`StoreError` (not an empty index), and the next call simply tries again."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar


class StoreError(RuntimeError):
    pass


F = TypeVar("F", bound=Callable[..., Any])


def unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` means the Chroma server did not answer (connection refused, reset, timeout)."""
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    names = {c.__name__ for c in type(exc).__mro__} | {c.__module__.split(".")[0] for c in type(exc).__mro__}
    text = str(exc).lower()
    return bool(names & {"httpx", "TransportError", "ConnectError", "RemoteProtocolError"}) or any(
        words in text for words in ("could not connect", "connection refused", "connect error", "connection reset")
    )


def server_errors(method: F) -> F:
    """A Chroma server that stops answering becomes one :class:`StoreError` saying so (not an
    empty index); the next call tries the server again, so it recovers without a restart."""

    @wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except Exception as exc:
            if self.settings.chroma_url and unreachable(exc):  # self: a Store
                raise StoreError(self.unreachable_message(exc)) from exc
            raise

    return wrapper  # type: ignore[return-value]


__all__ = ["StoreError", "server_errors", "unreachable"]
