"""AuthStatus and SessionStatus: what a manager and a session show of their state."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, Optional, Tuple

from ._errors import E_INTERNAL, InternalError

__all__ = ["AuthStatus", "SessionStatus"]


@dataclass(frozen=True)
class AuthStatus:
    """What an :class:`OAuthTokenManager` holds and uses now
    (:meth:`OAuthTokenManager.status`): never a token, a secret or a
    password, so it may be printed or logged. URLs are shown without
    userinfo and query. A string not known yet is ``""``.

    Attributes:
        server_url: the MCP server (config ``server_url``).
        grant_type: config ``grant_type``.
        discovered: the authorization server is known (configured, or found
            by discovery, which runs with the first token request).
        has_token: a valid access token is cached.
        token_type: ``"Bearer"`` or ``"DPoP"``, of the cached token.
        expires_at: when the cached token expires (UTC), ``None`` when no
            token is cached or the server gave no lifetime.
        expires_in_seconds: seconds until then (negative once past), or
            ``None``.
        has_refresh_token: a refresh token is held (RFC 6749 §6).
        scopes: the scopes granted to the cached token.
        requested_scopes: the scopes the next token request asks for.
        challenged_scopes: the scopes of the MCP server's latest challenge.
        step_up_scopes: the scopes a step-up still needs a user to authorize.
        issuer: the authorization server's issuer.
        authorization_server: the one the protected resource metadata listed.
        token_endpoint: the token endpoint in use.
        resource: the RFC 8707 resource indicator sent with token requests.
        client_id: the client identifier in use.
        client_source: ``"configured"``, ``"dynamic_registration"`` or
            ``"client_id_metadata_document"``.
        token_endpoint_auth_method: e.g. ``"client_secret_basic"``, ``"none"``.
        store: the token store (``{"kind": "file", "dir": ...}`` or
            ``{"kind": "redis", "location": ...}``), ``None`` in memory only.
        pending_authorizations: authorization code flows begun and not
            completed.
        closed: the manager was closed.
    """

    server_url: str
    grant_type: str
    discovered: bool
    has_token: bool
    token_type: str
    expires_at: Optional[datetime]
    expires_in_seconds: Optional[int]
    has_refresh_token: bool
    scopes: Tuple[str, ...]
    requested_scopes: Tuple[str, ...]
    challenged_scopes: Tuple[str, ...]
    step_up_scopes: Tuple[str, ...]
    issuer: str
    authorization_server: str
    token_endpoint: str
    resource: str
    client_id: str
    client_source: str
    token_endpoint_auth_method: str
    store: Optional[Dict[str, str]]
    pending_authorizations: int
    closed: bool

    @classmethod
    def _from_doc(cls, doc: Dict[str, Any]) -> "AuthStatus":
        expires_at = doc.get("expires_at")
        left = doc.get("expires_in_seconds")
        store = doc.get("store")
        return cls(
            server_url=str(doc.get("server_url") or ""),
            grant_type=str(doc.get("grant_type") or ""),
            discovered=bool(doc.get("discovered")),
            has_token=bool(doc.get("has_token")),
            token_type=str(doc.get("token_type") or ""),
            expires_at=datetime.fromisoformat(expires_at.replace("Z", "+00:00")) if expires_at else None,
            expires_in_seconds=int(left) if left is not None else None,
            has_refresh_token=bool(doc.get("has_refresh_token")),
            scopes=tuple(doc.get("scopes") or ()),
            requested_scopes=tuple(doc.get("requested_scopes") or ()),
            challenged_scopes=tuple(doc.get("challenged_scopes") or ()),
            step_up_scopes=tuple(doc.get("step_up_scopes") or ()),
            issuer=str(doc.get("issuer") or ""),
            authorization_server=str(doc.get("authorization_server") or ""),
            token_endpoint=str(doc.get("token_endpoint") or ""),
            resource=str(doc.get("resource") or ""),
            client_id=str(doc.get("client_id") or ""),
            client_source=str(doc.get("client_source") or ""),
            token_endpoint_auth_method=str(doc.get("token_endpoint_auth_method") or ""),
            store={str(k): str(v) for k, v in store.items()} if isinstance(store, dict) else None,
            pending_authorizations=int(doc.get("pending_authorizations") or 0),
            closed=bool(doc.get("closed")),
        )


@dataclass(frozen=True)
class SessionStatus:
    """What an :class:`McpClient` shows of its session
    (:meth:`McpClient.status`); never a token or a secret.

    Attributes:
        server_url: the MCP server, without userinfo and query.
        transport: ``"streamable_http"`` or ``"sse"`` (the one in use after
            ``"auto"``).
        session_id: the ``Mcp-Session-Id`` the server assigned, ``""`` when
            none (always over ``"sse"``).
        protocol_version: the MCP version the initialization negotiated.
        server_name: the server's ``serverInfo`` name.
        server_version: its version.
        auth: the status of the session's token manager.
    """

    server_url: str
    transport: str
    session_id: str
    protocol_version: str
    server_name: str
    server_version: str
    auth: AuthStatus

    @classmethod
    def _from_doc(cls, doc: Dict[str, Any]) -> "SessionStatus":
        return cls(
            server_url=str(doc.get("server_url") or ""),
            transport=str(doc.get("transport") or ""),
            session_id=str(doc.get("session_id") or ""),
            protocol_version=str(doc.get("protocol_version") or ""),
            server_name=str(doc.get("server_name") or ""),
            server_version=str(doc.get("server_version") or ""),
            auth=AuthStatus._from_doc(doc.get("auth") or {}),
        )


def parse_status(raw: str, kind: Any) -> Any:
    """Decodes the library's status JSON into ``kind`` (AuthStatus or SessionStatus)."""
    try:
        return kind._from_doc(json.loads(raw))
    except (ValueError, TypeError, AttributeError):
        raise InternalError("mcp-oauth: the library returned a malformed status", E_INTERNAL) from None
