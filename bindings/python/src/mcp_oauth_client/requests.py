"""requests adapter: ``requests.get(url, auth=OAuth2Auth(manager))``.

Every request carries the engine's headers for the manager's token
(``Authorization: Bearer <token>``, or for a DPoP-bound token the DPoP scheme
and a fresh proof, RFC 9449 §7.1; and the configured ``mcp_headers``). When the
resource server answers 401 (RFC 6750 §3.1), a response hook invalidates the
token and re-sends the request once with a fresh token (like requests'
own HTTPDigestAuth); a 401 asking for a new DPoP nonce is answered once with
the same token first. Earlier responses are kept in ``response.history``.

Importing this module imports requests (``pip install mcp-oauth-client[requests]``);
the rest of the package does not need it.
"""

from __future__ import annotations

from typing import Any, Optional, cast

import requests
from requests.cookies import extract_cookies_to_jar

from ._manager import OAuthTokenManager

__all__ = ["OAuth2Auth"]



def _authorize(r: requests.PreparedRequest, manager: OAuthTokenManager, token: str) -> None:
    r.headers.update(manager.request_headers(cast(str, r.method), cast(str, r.url), token))


class OAuth2Auth(requests.auth.AuthBase):
    """A :class:`requests.auth.AuthBase` taking bearer tokens from an OAuthTokenManager.

    Safe to share between threads and sessions: it keeps no per-request
    state of its own.
    """

    def __init__(self, manager: OAuthTokenManager) -> None:
        self.manager = manager

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        token = self.manager.get_token()
        _authorize(r, self.manager, token)
        position: Optional[int] = None
        body = r.body
        if body is not None and hasattr(body, "tell") and hasattr(body, "seek"):
            try:
                position = body.tell()
            except OSError:
                position = None
        r.register_hook("response", _RetryOn401(self.manager, token, position))
        return r

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OAuth2Auth) and other.manager is self.manager

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"OAuth2Auth({self.manager!r})"


class _RetryOn401:
    """Response hook: on a 401, send again once for a new DPoP nonce, then
    invalidate the token and re-send once with a fresh one."""

    def __init__(self, manager: OAuthTokenManager, token: str, body_position: Optional[int]) -> None:
        self.manager = manager
        self.token = token
        self.body_position = body_position

    def __call__(self, r: requests.Response, **kwargs: Any) -> requests.Response:
        if r.status_code != 401:
            return r
        url = cast(str, r.request.url)
        if self.manager.dpop_nonce(url, self.token, 401, r.headers.get("WWW-Authenticate"), r.headers.get("DPoP-Nonce")):
            r = self._resend(r, self.token, **kwargs)
            if r.status_code != 401:
                return r
        self.manager.invalidate(self.token)
        return self._resend(r, self.manager.get_token(), **kwargs)

    def _resend(self, r: requests.Response, token: str, **kwargs: Any) -> requests.Response:
        request = r.request
        body = request.body
        if body is not None and not isinstance(body, (bytes, str)):
            if self.body_position is None:
                return r  # a one-shot stream cannot be sent again
            cast(Any, body).seek(self.body_position)
        # Consume the content so the connection can be released for reuse.
        _ = r.content
        r.close()
        # The re-sent request goes straight to the adapter, so no response
        # hook (this one included) runs on its answer.
        prep = request.copy()
        if prep._cookies is not None:
            extract_cookies_to_jar(prep._cookies, request, r.raw)
            prep.prepare_cookies(prep._cookies)
        _authorize(prep, self.manager, token)
        retried = r.connection.send(prep, **kwargs)
        retried.history.extend([*r.history, r])
        retried.request = prep
        return retried
