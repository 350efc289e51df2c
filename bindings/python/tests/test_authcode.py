"""Authorization code flow with PKCE, end to end and headless."""

from __future__ import annotations

import asyncio
import urllib.parse
from pathlib import Path

import pytest

import mcp_oauth_client
from conftest import assert_no_secret, authorize_redirect

REDIRECT = "http://127.0.0.1:9/callback"


def query(url: str) -> dict:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def test_end_to_end(server, make_manager):
    m = make_manager(server.code_config(resource="https://mcp.example/api"))
    req = m.begin_authorization()
    assert isinstance(req, mcp_oauth_client.AuthorizationRequest)
    assert req.url.startswith(server.authorize_url + "?")
    params = query(req.url)
    assert params["response_type"] == "code"
    assert params["client_id"] == "public-client"
    assert params["redirect_uri"] == REDIRECT
    assert params["state"] == req.state
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43
    assert params["resource"] == "https://mcp.example/api"
    assert "mcp:read" in params.get("scope", "")

    location = authorize_redirect(req.url)
    assert location.startswith(REDIRECT)
    back = query(location)
    assert back["state"] == req.state and back["code"] and back["iss"] == server.issuer

    m.complete_authorization(location)
    token = m.get_token()
    assert server.protected_status(token) == 200
    assert server.token_count("authorization_code") == 1
    assert m.get_token() == token
    assert server.token_count() == 1


def test_explicit_redirect_uri(server, make_manager):
    cfg = server.code_config()
    cfg.redirect_uri = None
    m = make_manager(cfg)
    req = m.begin_authorization("http://localhost:8123/cb")
    assert query(req.url)["redirect_uri"] == "http://localhost:8123/cb"
    m.complete_authorization(authorize_redirect(req.url))
    assert m.get_token()


def test_refresh_token_after_invalidate(server, make_manager):
    m = make_manager(server.code_config())
    req = m.begin_authorization()
    m.complete_authorization(authorize_redirect(req.url))
    old = m.get_token()
    server.revoke_access_tokens()
    m.invalidate(old)
    new = m.get_token()
    assert new != old
    assert server.token_count("refresh_token") == 1
    assert server.protected_status(new) == 200


def test_concurrent_flows(server, make_manager):
    m = make_manager(server.code_config())
    first, second = m.begin_authorization(), m.begin_authorization()
    assert first.state != second.state
    m.complete_authorization(authorize_redirect(second.url))
    m.complete_authorization(authorize_redirect(first.url))
    assert server.token_count("authorization_code") == 2


def test_state_mismatch(server, make_manager):
    m = make_manager(server.code_config())
    req = m.begin_authorization()
    location = authorize_redirect(req.url)
    forged = location.replace("state=" + urllib.parse.quote(req.state, safe=""), "state=forged-state")
    assert forged != location
    with pytest.raises(mcp_oauth_client.StateMismatchError) as info:
        m.complete_authorization(forged)
    assert info.value.code == -8
    code = query(location)["code"]
    assert code not in str(info.value)
    assert server.token_count() == 0


def test_state_is_single_use(server, make_manager):
    m = make_manager(server.code_config())
    req = m.begin_authorization()
    location = authorize_redirect(req.url)
    m.complete_authorization(location)
    with pytest.raises(mcp_oauth_client.StateMismatchError):
        m.complete_authorization(location)


def test_access_denied(server, make_manager):
    server.deny("access_denied")
    m = make_manager(server.code_config())
    req = m.begin_authorization()
    location = authorize_redirect(req.url)
    assert query(location)["error"] == "access_denied"
    with pytest.raises(mcp_oauth_client.AuthorizationDeniedError) as info:
        m.complete_authorization(location)
    err = info.value
    assert err.code == -9
    assert err.error == "access_denied"
    assert server.token_count() == 0
    with pytest.raises(mcp_oauth_client.AuthorizationRequiredError):
        m.get_token()


def test_issuer_mismatch(server, make_manager):
    m = make_manager(server.code_config(issuer="https://other-issuer.example"))
    req = m.begin_authorization()
    with pytest.raises(mcp_oauth_client.IssuerMismatchError) as info:
        m.complete_authorization(authorize_redirect(req.url))
    assert info.value.code == -11
    assert server.token_count() == 0


def test_code_exchange_oauth_error(server, make_manager):
    server.fail(1, status=400, body='{"error":"invalid_grant"}')
    m = make_manager(server.code_config())
    req = m.begin_authorization()
    location = authorize_redirect(req.url)
    with pytest.raises(mcp_oauth_client.OAuthError) as info:
        m.complete_authorization(location)
    assert info.value.error == "invalid_grant"
    assert query(location)["code"] not in str(info.value)
    assert_no_secret(info.value)


def test_confidential_client_code_flow(server, make_manager):
    cfg = server.code_config(client_secret="test-secret")
    cfg.client_id = "test-client"
    m = make_manager(cfg)
    req = m.begin_authorization()
    m.complete_authorization(authorize_redirect(req.url))
    assert server.protected_status(m.get_token()) == 200


def test_complete_authorization_async(server, make_manager):
    m = make_manager(server.code_config())

    async def main():
        req = m.begin_authorization()
        location = await asyncio.get_running_loop().run_in_executor(None, authorize_redirect, req.url)
        await m.complete_authorization_async(location)
        return await m.get_token_async()

    token = asyncio.run(main())
    assert server.protected_status(token) == 200


BROWSER = str(Path(__file__).resolve().parents[3] / "tests" / "c" / "browser.sh")


def test_authorize_interactively(server, make_manager):
    cfg = server.code_config()
    cfg.redirect_uri = "http://127.0.0.1:0/callback"  # ephemeral loopback listener
    m = make_manager(cfg)
    m.authorize_interactively(open_command=BROWSER, timeout_seconds=10)
    assert server.protected_status(m.get_token()) == 200
    with pytest.raises(mcp_oauth_client.McpOAuthTimeoutError):
        m.authorize_interactively(open_command="true", timeout_seconds=0.3)


@pytest.mark.parametrize("seconds", [float("inf"), 1e300, 1e10])
def test_authorize_interactively_endless_timeouts(server, make_manager, seconds):
    """Issue 12 item 8: +inf is no timeout and huge values are clamped;
    both expired at once before (Duration overflow)."""
    cfg = server.code_config()
    cfg.redirect_uri = "http://127.0.0.1:0/callback"
    m = make_manager(cfg)
    m.authorize_interactively(open_command=BROWSER, timeout_seconds=seconds)
    assert server.protected_status(m.get_token()) == 200


@pytest.mark.parametrize("seconds", [float("nan"), -1.0, float("-inf")])
def test_authorize_interactively_refuses_nan_and_negative_timeouts(server, make_manager, seconds):
    cfg = server.code_config()
    cfg.redirect_uri = "http://127.0.0.1:0/callback"
    m = make_manager(cfg)
    with pytest.raises(mcp_oauth_client.InvalidArgumentError, match="timeout_seconds"):
        m.authorize_interactively(open_command=BROWSER, timeout_seconds=seconds)


def test_open_command_sees_variables_set_after_load(server, make_manager, tmp_path, monkeypatch):
    """Issue 16: the open command gets the environment as it is now (os.environ
    set and deleted after the library was loaded), not as it was at load."""
    seen = tmp_path / "seen"
    opener = tmp_path / "open.sh"
    opener.write_text(
        "#!/bin/sh\n"
        f"printf '%s|%s' \"$MCP_OAUTH_SET_LATE\" \"${{HOME-unset}}\" > '{seen}'\n"
        f"exec '{BROWSER}' \"$1\"\n"
    )
    opener.chmod(0o700)
    cfg = server.code_config()
    cfg.redirect_uri = "http://127.0.0.1:0/callback"
    m = make_manager(cfg)  # the library is loaded by now
    monkeypatch.setenv("MCP_OAUTH_SET_LATE", "set-after-load")
    monkeypatch.delenv("HOME", raising=False)
    m.authorize_interactively(open_command=str(opener), timeout_seconds=10)
    assert seen.read_text() == "set-after-load|unset"


def test_authorize_interactively_with_a_function(server, make_manager):
    """Issue 16: open_command may be a function (e.g. webbrowser.open) as well
    as a program; an exception from it ends the login and is raised."""
    import subprocess

    cfg = server.code_config()
    cfg.redirect_uri = "http://127.0.0.1:0/callback"
    m = make_manager(cfg)
    shown = []

    def show(url):
        shown.append(url)
        subprocess.Popen([BROWSER, url])

    m.authorize_interactively(open_command=show, timeout_seconds=10)
    assert len(shown) == 1 and "/authorize?" in shown[0]
    assert server.protected_status(m.get_token()) == 200

    class NoBrowser(Exception):
        pass

    def refuse(url):
        raise NoBrowser(url)

    with pytest.raises(NoBrowser) as info:
        m.authorize_interactively(open_command=refuse, timeout_seconds=10)
    assert isinstance(info.value.__cause__, mcp_oauth_client.InvalidArgumentError)
