"""httpx adapter: ``httpx.Client(auth=OAuth2Auth(manager))``.

Injects ``Authorization: Bearer <token>`` into every request. When the
resource server answers 401 (RFC 6750 §3.1), the token is invalidated and the
request is sent once more with a fresh token. Works with both
``httpx.Client`` and ``httpx.AsyncClient`` (the async flow never blocks the
event loop on a token request).

Importing this module imports httpx (``pip install mcp-oauth-client[httpx]``); the
rest of the package does not need it.
"""

from __future__ import annotations

from typing import AsyncGenerator, Generator

import httpx

from ._manager import OAuthTokenManager

__all__ = ["OAuth2Auth"]


class OAuth2Auth(httpx.Auth):
    """An :class:`httpx.Auth` taking bearer tokens from an OAuthTokenManager."""

    # The body is read up front so the request can be sent a second time.
    requires_request_body = True

    def __init__(self, manager: OAuthTokenManager) -> None:
        self.manager = manager

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.manager.get_token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            self.manager.invalidate(token)
            request.headers["Authorization"] = f"Bearer {self.manager.get_token()}"
            yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self.manager.get_token_async()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            self.manager.invalidate(token)
            request.headers["Authorization"] = f"Bearer {await self.manager.get_token_async()}"
            yield request

    def __repr__(self) -> str:
        return f"OAuth2Auth({self.manager!r})"
