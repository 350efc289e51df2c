"""OAuthTokenManager.status() and McpClient.status() after real token flows
against build/mcp-test-server: the fields, and never a token or a secret;
closing a client whose token expired requests no token (issue 16)."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

import pytest

from mcp_oauth_client import AuthStatus, McpClient, McpOAuthConfig, SessionStatus

from conftest import CLIENT_ID, CLIENT_SECRET, McpServer, authorize_redirect


def stored_secrets(store: Path) -> list:
    """Every token and secret the file store holds (what status must never show)."""
    found = []
    for path in store.rglob("*.json"):
        doc = json.loads(path.read_text())
        for key in ("access_token", "refresh_token", "client_secret", "dpop_key"):
            if doc.get(key):
                found.append(doc[key])
    return found


def assert_shows_none(status, secrets) -> None:
    texts = [repr(status), str(status), json.dumps(asdict(status), default=str)]
    for secret in secrets:
        for text in texts:
            assert secret not in text, "a token or secret is in the status"


def private_dir(tmp_path: Path) -> str:
    store = tmp_path / "store"
    store.mkdir(mode=0o700)
    return str(store)


def test_status_after_an_authorization_code_login(mcp_server, make_manager, tmp_path):
    store = private_dir(tmp_path)
    manager = make_manager(McpOAuthConfig(server_url=mcp_server.mcp, token_store_dir=store))
    before = manager.status()
    assert isinstance(before, AuthStatus)
    assert not before.has_token and not before.discovered and before.expires_at is None
    assert before.store == {"kind": "file", "dir": store}

    request = manager.begin_authorization()
    assert manager.status().pending_authorizations == 1
    manager.complete_authorization(authorize_redirect(request.url))

    with McpClient.connect(manager, mcp_server.mcp) as client:
        session = client.status()
        assert isinstance(session, SessionStatus)
        assert session.server_url == mcp_server.mcp
        assert session.transport == "streamable_http"
        assert session.session_id
        assert session.protocol_version
        assert session.server_name
        auth = session.auth
        assert auth.has_token and auth.has_refresh_token and auth.discovered
        assert auth.token_type == "Bearer"
        assert "mcp:read" in auth.scopes
        assert auth.issuer == mcp_server.as_url
        assert auth.token_endpoint == mcp_server.as_url + "/token"
        assert auth.resource == mcp_server.mcp
        assert auth.client_source == "dynamic_registration" and auth.client_id.startswith("dcr_")
        assert auth.pending_authorizations == 0
        assert auth.expires_at is not None and auth.expires_at.tzinfo is not None
        assert 3000 < auth.expires_in_seconds <= 3600
        secrets = stored_secrets(Path(store))
        assert len(secrets) >= 2, "the store holds the access and refresh tokens"
        assert_shows_none(session, secrets)
        assert_shows_none(manager.status(), secrets)


def test_status_of_client_credentials_shows_no_secret(mcp_server, make_manager):
    manager = make_manager(
        McpOAuthConfig(server_url=mcp_server.sse, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, issuer=mcp_server.as_url)
    )
    with McpClient.connect(manager, mcp_server.sse, transport="sse") as client:
        token = manager.get_token()
        status = client.status()
        assert status.transport == "sse" and status.session_id == ""
        assert status.auth.client_source == "configured" and status.auth.client_id == CLIENT_ID
        assert status.auth.grant_type == "client_credentials"
        assert status.auth.store is None
        assert_shows_none(status, [token, CLIENT_SECRET])


def test_closing_after_the_token_expired_requests_no_token(make_manager):
    """Closing a client must not fetch a token just to end the session."""
    server = McpServer()
    try:
        server_config(server, token_lifetime_ms=1000)
        manager = make_manager(
            McpOAuthConfig(
                server_url=server.mcp,
                client_id=CLIENT_ID,
                client_secret=CLIENT_SECRET,
                issuer=server.as_url,
                refresh_margin_seconds=0,
            )
        )
        client = McpClient.connect(manager, server.mcp)
        assert client.status().session_id
        deadline = time.monotonic() + 15
        while client.status().auth.has_token:  # until the library stops handing it out
            assert time.monotonic() < deadline
            time.sleep(0.05)
        requested = int(server.counts()["token"])
        client.close()
        assert int(server.counts()["token"]) == requested
    finally:
        server.close()


def server_config(server: McpServer, **settings) -> None:
    import urllib.request

    req = urllib.request.Request(
        server.as_url + "/_test/config",
        data=json.dumps(settings).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        resp.read()


def test_status_of_a_closed_manager_is_an_error(make_manager, mcp_server):
    from mcp_oauth_client import BadHandleError

    manager = make_manager(McpOAuthConfig(server_url=mcp_server.mcp))
    manager.close()
    with pytest.raises(BadHandleError):
        manager.status()

