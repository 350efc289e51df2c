"""httpx adapter: ``httpx.Client(auth=OAuth2Auth(manager))``.

:class:`OAuth2Auth` is :class:`mcp_oauth_client.McpAuth` under the name this
module always had: the same flow for httpx and httpx2 (bearer injection, a
401 re-sent once only with a different token, a 403 ``insufficient_scope``
stepped up, a second 401 raised as :class:`TokenRejectedError`), sync and
async, never blocking the event loop on a token request.

Importing this module imports httpx (``pip install mcp-oauth-client[httpx]``); the
rest of the package does not need it.
"""

from __future__ import annotations

import httpx  # noqa: F401  (this module's promise: httpx is there)

from ._auth import McpAuth

__all__ = ["OAuth2Auth"]


class OAuth2Auth(McpAuth):
    """An :class:`httpx.Auth` (and ``httpx2.Auth`` when installed) taking
    bearer tokens from an OAuthTokenManager; see :class:`McpAuth`."""

    def __repr__(self) -> str:
        return f"OAuth2Auth({self.manager!r})"
