"""requests adapter: ``requests.get(url, auth=OAuth2Auth(manager))``.

Injects ``Authorization: Bearer <token>`` into every request. When the
resource server answers 401 (RFC 6750 §3.1), a response hook invalidates the
token and re-sends the request once with a fresh token (like requests'
own HTTPDigestAuth); the first response is kept in ``response.history``.

Importing this module imports requests (``pip install mcp-oauth-client[requests]``);
the rest of the package does not need it.
"""

from __future__ import annotations

from typing import Any, Optional, cast

import requests
from requests.cookies import extract_cookies_to_jar

from ._manager import OAuthTokenManager

__all__ = ["OAuth2Auth"]

_BEARER = "Bearer "


class OAuth2Auth(requests.auth.AuthBase):
    """A :class:`requests.auth.AuthBase` taking bearer tokens from an OAuthTokenManager.

    Safe to share between threads and sessions: it keeps no per-request
    state of its own.
    """

    def __init__(self, manager: OAuthTokenManager) -> None:
        self.manager = manager

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = _BEARER + self.manager.get_token()
        position: Optional[int] = None
        body = r.body
        if body is not None and hasattr(body, "tell") and hasattr(body, "seek"):
            try:
                position = body.tell()
            except OSError:
                position = None
        r.register_hook("response", _RetryOn401(self.manager, position))
        return r

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OAuth2Auth) and other.manager is self.manager

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"OAuth2Auth({self.manager!r})"


class _RetryOn401:
    """Response hook: on a 401, invalidate the token and re-send once."""

    def __init__(self, manager: OAuthTokenManager, body_position: Optional[int]) -> None:
        self.manager = manager
        self.body_position = body_position

    def __call__(self, r: requests.Response, **kwargs: Any) -> requests.Response:
        if r.status_code != 401:
            return r
        request = r.request
        body = request.body
        if body is not None and not isinstance(body, (bytes, str)):
            if self.body_position is None:
                return r  # a one-shot stream cannot be sent again
            cast(Any, body).seek(self.body_position)
        sent = request.headers.get("Authorization", "")
        if isinstance(sent, bytes):
            sent = sent.decode("latin-1")
        if sent.startswith(_BEARER):
            self.manager.invalidate(sent[len(_BEARER) :])
        # Consume the content so the connection can be released for reuse.
        _ = r.content
        r.close()
        # The re-sent request goes straight to the adapter, so no response
        # hook (this one included) runs on its answer: one retry at most.
        prep = request.copy()
        if prep._cookies is not None:
            extract_cookies_to_jar(prep._cookies, request, r.raw)
            prep.prepare_cookies(prep._cookies)
        prep.headers["Authorization"] = _BEARER + self.manager.get_token()
        retried = r.connection.send(prep, **kwargs)
        retried.history.append(r)
        retried.request = prep
        return retried
