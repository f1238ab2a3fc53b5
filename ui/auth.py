"""The bearer key of ``attest serve``'s machine endpoints (the OpenAI-compatible API and MCP):
``ATTEST_API_KEY``. Unset, they are open, as the rest of a server bound to 127.0.0.1 is; a server
reachable from other machines says so on start (ui/server.py)."""

from __future__ import annotations

import hmac
import json
from typing import Any

Scope = dict[str, Any]


class ApiKeyError(Exception):
    """A request without the right ``Authorization: Bearer`` key."""


def check_bearer(header: str | None, key: str | None) -> None:
    """Raise :class:`ApiKeyError` unless ``header`` is ``Bearer <key>`` (any header when no key)."""
    if not key:
        return
    scheme, _, given = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiKeyError("missing API key: send the header 'Authorization: Bearer <ATTEST_API_KEY>'")
    if not hmac.compare_digest(given.strip().encode(), key.encode()):
        raise ApiKeyError("incorrect API key: use the server's ATTEST_API_KEY")


class RequireBearer:
    """ASGI wrapper: HTTP requests to ``app`` need the bearer key (401 with an OpenAI-style body)."""

    def __init__(self, app: Any, key: str | None) -> None:
        self.app = app
        self.key = key

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and self.key:
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            try:
                check_bearer(headers.get("authorization"), self.key)
            except ApiKeyError as exc:
                body = json.dumps(
                    {
                        "error": {
                            "message": str(exc),
                            "type": "invalid_request_error",
                            "param": None,
                            "code": "invalid_api_key",
                        }
                    }
                ).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"www-authenticate", b"Bearer"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
