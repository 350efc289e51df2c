"""McpAuth: one auth flow for httpx and httpx2 (the HTTP client of the
official MCP Python SDK 2.x), driven by the engine's decisions.

The flow is httpx's ``auth_flow`` protocol (a generator that yields requests
and receives their responses), which httpx2 kept. :class:`McpAuth` derives
from whichever of ``httpx.Auth`` and ``httpx2.Auth`` are installed, so one
object passes both clients' ``isinstance`` checks.

Per request (``mcp_oauth_needs_challenge``, ``mcp_oauth_request_headers``,
``mcp_oauth_dpop_nonce`` and ``mcp_oauth_handle_response`` in the C header):
each send carries the engine's headers (Bearer, or DPoP with a fresh proof
for a DPoP-bound token, and the configured ``mcp_headers``); in discovery mode the very first request goes out without
a token so that the MCP server's 401 names its metadata and scope; a 401
invalidates the token and re-sends once, only with a different token; a 403
``insufficient_scope`` widens the scope (step-up) and re-sends once. What
to do is the engine's decision; this module only moves headers.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncGenerator, Generator, List, Optional, Tuple

from ._manager import OAuthTokenManager

__all__ = ["McpAuth"]


def _auth_bases() -> Tuple[type, ...]:
    bases: List[type] = []
    for name in ("httpx2", "httpx"):
        try:
            module = __import__(name)
        except ImportError:
            continue
        bases.append(module.Auth)
    if not bases:
        raise ImportError("mcp_oauth_client.McpAuth needs httpx2 or httpx: pip install httpx2 (or httpx)")
    return tuple(bases)


def _challenge(response: Any) -> Optional[str]:
    """The response's WWW-Authenticate values joined as RFC 9110 §5.3 allows."""
    values = response.headers.get_list("www-authenticate")
    return ", ".join(values) if values else None


class _Flow:
    """The state of one request: the token it carries, the status that made
    it go out again (0 for the first send), whether this send was repeated
    for a DPoP nonce, and the header names the engine set on the last send."""

    __slots__ = ("manager", "token", "previous", "nonce_retried", "sent")

    def __init__(self, manager: OAuthTokenManager, token: str) -> None:
        self.manager = manager
        self.token = token
        self.previous = 0
        self.nonce_retried = False
        self.sent: Tuple[str, ...] = ()

    def authorize(self, request: Any) -> Any:
        """Sets the engine's headers for this send (a DPoP proof is good for
        one request only)."""
        for name in self.sent:
            request.headers.pop(name, None)
        request.headers.pop("Authorization", None)
        headers = self.manager.request_headers(request.method, str(request.url), self.token)
        request.headers.update(headers)
        self.sent = tuple(headers)
        return request

    def resend_for_nonce(self, request: Any, response: Any) -> bool:
        """True to send the request once more for the server's new DPoP
        nonce (RFC 9449 §9); the nonce is kept either way."""
        if self.nonce_retried or not self.token:
            return False
        challenge = _challenge(response)
        if not self.manager.dpop_nonce(
            str(request.url), self.token, response.status_code, challenge, response.headers.get("dpop-nonce")
        ):
            return False
        self.nonce_retried = True
        return True

    def advance(self, response: Any, retry: Optional[str]) -> bool:
        """Takes the engine's verdict: True to send the request again."""
        if not retry:
            return False
        if self.token:
            self.previous = response.status_code
        self.token = retry
        self.nonce_retried = False
        return True


def _needs_engine(response: Any, flow: _Flow) -> bool:
    # A response below 400 to a first send is final and needs no call
    # (unless it ends a step-up, which only a re-sent request can do).
    return response.status_code >= 400 or flow.previous != 0


class McpAuth(*_auth_bases()):  # type: ignore[misc]
    """Authorizes an httpx / httpx2 client's requests to MCP servers with an
    :class:`OAuthTokenManager`'s tokens.

    ``httpx2.AsyncClient(auth=McpAuth(manager))`` for the MCP Python SDK's
    ``streamable_http_client`` and ``sse_client``; equally ``httpx.Client``,
    ``httpx.AsyncClient`` and ``httpx2.Client``. Safe to share between
    clients, threads and tasks: it keeps no per-request state of its own.
    Several servers at once: one manager (and one McpAuth) per server.

    The async flow never blocks the event loop: a cached token is taken
    without I/O, and every token request, refresh and step-up runs in a
    worker thread. Errors are the package's exceptions (e.g.
    :class:`OAuthError` for a wrong secret, :class:`AuthorizationRequiredError`
    when a user must log in), raised from the request.
    """

    # The flows read the body up front so the request can be sent again.
    requires_request_body = True

    def __init__(self, manager: OAuthTokenManager) -> None:
        self.manager = manager

    def sync_auth_flow(self, request: Any) -> Generator[Any, Any, None]:
        m = self.manager
        request.read()
        flow = _Flow(m, "" if m.needs_challenge() else m.get_token())
        while True:
            response = yield flow.authorize(request)
            if flow.resend_for_nonce(request, response):
                continue
            if not _needs_engine(response, flow):
                return
            retry = m.handle_response(response.status_code, _challenge(response), flow.token, flow.previous)
            if not flow.advance(response, retry):
                return

    async def async_auth_flow(self, request: Any) -> AsyncGenerator[Any, Any]:
        m = self.manager
        await request.aread()
        flow = _Flow(m, "" if m.needs_challenge() else await m.get_token_async())
        loop = asyncio.get_running_loop()
        while True:
            response = yield flow.authorize(request)
            if flow.resend_for_nonce(request, response):
                continue
            if not _needs_engine(response, flow):
                return
            # The engine may request a token: off the event loop.
            retry = await loop.run_in_executor(
                None, m.handle_response, response.status_code, _challenge(response), flow.token, flow.previous
            )
            if not flow.advance(response, retry):
                return

    def __repr__(self) -> str:
        return f"McpAuth({self.manager!r})"
