"""Device authorization grant (RFC 8628) against the real oauth-test-server,
with the user's decision made through its control API."""

from __future__ import annotations

import asyncio
import dataclasses
import re

import pytest

import mcp_oauth_client
from conftest import PUBLIC_CLIENT_ID, AuthServer

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def device_config(server: AuthServer) -> mcp_oauth_client.McpOAuthConfig:
    """A public client configured with the server's device authorization endpoint."""
    return mcp_oauth_client.McpOAuthConfig(
        client_id=PUBLIC_CLIENT_ID,
        token_url=server.token_url,
        device_authorization_url=server.url + "/device_authorization",
        scopes=["mcp:read"],
    )


def decide(server: AuthServer, user_code: str, action: str) -> None:
    """Approves or denies as the user would on the verification page."""
    server._call("POST", "/_test/device", {"user_code": user_code, "action": action})


@pytest.fixture
def fast(server: AuthServer) -> AuthServer:
    """The server, polled every second instead of every five."""
    server.config(device_interval_ms=1000)
    return server


def test_begin_returns_what_to_show(fast, make_manager):
    fast.config(device_code_lifetime_ms=120_000)
    m = make_manager(device_config(fast))
    d = m.begin_device_authorization()
    assert isinstance(d, mcp_oauth_client.DeviceAuthorization)
    assert re.fullmatch(r"[A-Z]{4}-[A-Z]{4}", d.user_code)
    assert d.verification_uri == fast.url + "/device"
    assert d.verification_uri_complete == f"{fast.url}/device?user_code={d.user_code}"
    assert 119 <= d.expires_in <= 120
    assert d.interval == 1
    assert [f.name for f in dataclasses.fields(d)] == [
        "user_code",
        "verification_uri",
        "verification_uri_complete",
        "expires_in",
        "interval",
    ]
    assert fast.counts()["device_authorization"] == 1


def test_approved(fast, make_manager):
    m = make_manager(device_config(fast))
    d = m.begin_device_authorization()
    with pytest.raises(mcp_oauth_client.AuthorizationRequiredError):
        m.get_token()
    decide(fast, d.user_code, "approve")
    m.complete_device_authorization(timeout_seconds=30)
    token = m.get_token()
    assert fast.protected_status(token) == 200
    assert fast.token_count(DEVICE_GRANT) == 1
    assert m.token().scope == "mcp:read"


def test_timeout_keeps_it_pending(fast, make_manager):
    m = make_manager(device_config(fast))
    d = m.begin_device_authorization()
    with pytest.raises(mcp_oauth_client.McpOAuthTimeoutError) as info:
        m.complete_device_authorization(timeout_seconds=1)
    assert info.value.details.get("error") != "expired_token"
    decide(fast, d.user_code, "approve")
    m.complete_device_authorization(timeout_seconds=30)
    assert m.get_token()


def test_denied(fast, make_manager):
    m = make_manager(device_config(fast))
    d = m.begin_device_authorization()
    decide(fast, d.user_code, "deny")
    with pytest.raises(mcp_oauth_client.AuthorizationDeniedError) as info:
        m.complete_device_authorization(timeout_seconds=30)
    assert info.value.details["error"] == "access_denied"
    with pytest.raises(mcp_oauth_client.InvalidArgumentError):
        m.complete_device_authorization(timeout_seconds=1)  # nothing pending any more


def test_expired(fast, make_manager):
    fast.config(device_code_lifetime_ms=1500)
    m = make_manager(device_config(fast))
    m.begin_device_authorization()
    with pytest.raises(mcp_oauth_client.McpOAuthTimeoutError) as info:
        m.complete_device_authorization(timeout_seconds=30)
    assert info.value.error == "expired_token" == info.value.details["error"]


def test_authorize_device_with_prompt(fast, make_manager):
    fast.config(device_auto_approve_polls=2)
    m = make_manager(device_config(fast))
    shown = []
    m.authorize_device(shown.append, timeout_seconds=30)
    assert len(shown) == 1 and shown[0].user_code
    assert fast.token_count(DEVICE_GRANT) == 2
    assert m.get_token()


def test_prompt_failure_ends_the_flow(fast, make_manager):
    m = make_manager(device_config(fast))

    def prompt(_: mcp_oauth_client.DeviceAuthorization) -> None:
        raise RuntimeError("no terminal")

    with pytest.raises(RuntimeError, match="no terminal"):
        m.authorize_device(prompt)
    assert fast.token_count(DEVICE_GRANT) == 0


def test_async(fast, make_manager):
    m = make_manager(device_config(fast))

    shown: list[mcp_oauth_client.DeviceAuthorization] = []

    async def prompt(d: mcp_oauth_client.DeviceAuthorization) -> None:
        await asyncio.sleep(0)
        shown.append(d)

    async def main() -> str:
        task = asyncio.ensure_future(m.authorize_device_async(prompt, timeout_seconds=30))
        # The loop keeps running while the call polls: it sees a poll
        # answered "pending" with the call still waiting, then approves.
        while fast.token_count(DEVICE_GRANT) < 1:
            await asyncio.sleep(0.01)
        assert not task.done(), "the call blocked the loop while polling"
        decide(fast, shown[0].user_code, "approve")
        await task
        polls = fast.token_count(DEVICE_GRANT)
        d = await m.begin_device_authorization_async()
        decide(fast, d.user_code, "approve")
        await m.complete_device_authorization_async(timeout_seconds=30)
        assert fast.token_count(DEVICE_GRANT) == polls + 1
        return await m.get_token_async()

    assert asyncio.run(main())


def test_unsupported_and_misuse(server, make_manager):
    cc = make_manager(server.cc_config())
    with pytest.raises(mcp_oauth_client.UnsupportedError):
        cc.begin_device_authorization()
    with pytest.raises(mcp_oauth_client.InvalidArgumentError):
        cc.complete_device_authorization()

    m = make_manager(device_config(server))
    m.close()
    with pytest.raises(mcp_oauth_client.BadHandleError):
        m.begin_device_authorization()
    with pytest.raises(mcp_oauth_client.BadHandleError):
        m.complete_device_authorization()


def test_timeout_is_the_deprecated_name_of_timeout_seconds(fast, make_manager):
    """One vocabulary (issue 16): every wait is timeout_seconds=; timeout=
    still works with a DeprecationWarning, and both at once is an error."""
    m = make_manager(device_config(fast))
    m.begin_device_authorization()
    with pytest.warns(DeprecationWarning, match="timeout_seconds"):
        with pytest.raises(mcp_oauth_client.McpOAuthTimeoutError):
            m.complete_device_authorization(timeout=1)
    with pytest.raises(TypeError, match="timeout_seconds"):
        m.complete_device_authorization(timeout_seconds=1, timeout=1)
