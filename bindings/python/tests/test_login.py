"""The manager's own login (config member ``login``) against the real test
servers: callers that need a user share one login — the interactive flow
driven by tests/c/browser.sh as ``open_command``, or the device grant
auto-approved by the test authorization server."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import mcp_oauth_client
from mcp_oauth_client import McpClient, McpOAuthConfig, OAuthTokenManager

from conftest import PUBLIC_CLIENT_ID, AuthServer, McpServer, authorize_redirect

BROWSER = str(Path(__file__).resolve().parents[3] / "tests" / "c" / "browser.sh")


def browser_login(server: AuthServer) -> McpOAuthConfig:
    return server.code_config(redirect_uri="http://127.0.0.1:0/callback", login="browser", open_command=BROWSER)


def test_concurrent_callers_share_one_browser_login(server, make_manager):
    m = make_manager(browser_login(server))
    with ThreadPoolExecutor(6) as pool:
        tokens = list(pool.map(lambda _: m.get_token(), range(6)))
    assert len(set(tokens)) == 1
    assert server.counts()["authorize"] == 1
    assert server.protected_status(tokens[0]) == 200


def test_concurrent_async_callers_share_one_browser_login(server, make_manager):
    m = make_manager(browser_login(server))

    async def main() -> list:
        return await asyncio.gather(*(m.get_token_async() for _ in range(6)))

    assert len(set(asyncio.run(main()))) == 1
    assert server.counts()["authorize"] == 1


def test_device_login_shows_the_code_on_stderr_once(server, make_manager, capfd):
    server.config(device_interval_ms=1000, device_auto_approve_polls=1)
    m = make_manager(
        McpOAuthConfig(
            client_id=PUBLIC_CLIENT_ID,
            token_url=server.token_url,
            device_authorization_url=server.url + "/device_authorization",
            login="device",
        )
    )
    with ThreadPoolExecutor(4) as pool:
        tokens = list(pool.map(lambda _: m.get_token(), range(4)))
    assert len(set(tokens)) == 1
    assert server.counts()["device_authorization"] == 1
    shown = capfd.readouterr().err
    assert shown.count("enter the code") == 1, shown
    assert server.url + "/device" in shown


def test_login_none_is_the_default(server, make_manager):
    m = make_manager(server.code_config())
    with pytest.raises(mcp_oauth_client.AuthorizationRequiredError):
        m.get_token()
    assert server.counts()["authorize"] == 0


def test_an_mcp_client_logs_in_by_itself(mcp_server: McpServer, make_manager):
    m = make_manager(McpOAuthConfig(server_url=mcp_server.mcp, login="browser", open_command=BROWSER))
    before = mcp_server.counts()["authorize"]
    with McpClient.connect(m, mcp_server.mcp) as client:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda i: client.call_tool("echo", {"text": str(i)}), range(4)))
    assert [r["content"][0]["text"] for r in results] == ["0", "1", "2", "3"]
    assert mcp_server.counts()["authorize"] == before + 1


# -- the application's login function (login_handler) ----------------------


class CountingHandler:
    """A login function following the URL headlessly, as a user approving would."""

    def __init__(self) -> None:
        self.urls: list = []

    def __call__(self, url: str) -> str:
        self.urls.append(url)
        return authorize_redirect(url)


def test_login_handler_is_called_once_for_concurrent_threads(server):
    handler = CountingHandler()
    with OAuthTokenManager(server.code_config(), login_handler=handler) as m:
        with ThreadPoolExecutor(6) as pool:
            tokens = list(pool.map(lambda _: m.get_token(), range(6)))
    assert len(set(tokens)) == 1
    assert len(handler.urls) == 1
    assert server.counts()["authorize"] == 1
    assert server.protected_status(tokens[0]) == 200


def test_async_login_handler_is_awaited_once_for_concurrent_coroutines(server):
    calls = []

    async def handler(url: str) -> str:
        calls.append(url)
        return await asyncio.get_running_loop().run_in_executor(None, authorize_redirect, url)

    async def main() -> list:
        with OAuthTokenManager(server.code_config(), login_handler=handler) as m:
            return await asyncio.gather(*(m.get_token_async() for _ in range(6)))

    assert len(set(asyncio.run(main()))) == 1
    assert len(calls) == 1


def test_login_handler_drives_an_mcp_client(mcp_server: McpServer):
    handler = CountingHandler()
    before = mcp_server.counts()["authorize"]
    with OAuthTokenManager(McpOAuthConfig(server_url=mcp_server.mcp), login_handler=handler) as m:
        with McpClient.connect(m, mcp_server.mcp) as client:
            assert client.call_tool("echo", {"text": "x"})["content"][0]["text"] == "x"
    assert len(handler.urls) == 1
    assert mcp_server.counts()["authorize"] == before + 1


def test_login_handler_failure_reaches_the_caller_and_is_not_sticky(server):
    def refuse(url: str) -> str:
        raise RuntimeError("the user closed the window")

    with OAuthTokenManager(server.code_config(), login_handler=refuse) as m:
        with pytest.raises(RuntimeError, match="closed the window"):
            m.get_token()
    handler = CountingHandler()
    with OAuthTokenManager(server.code_config(), login_handler=handler) as m:
        m.get_token()
        assert len(handler.urls) == 1
    with OAuthTokenManager(server.code_config(), login_handler=lambda url: None) as m:
        with pytest.raises(TypeError, match="redirected to"):
            m.get_token()
    with pytest.raises(TypeError, match="callable"):
        OAuthTokenManager(server.code_config(), login_handler="xdg-open")


def test_device_handler_shows_the_code_once_for_concurrent_threads(server):
    server.config(device_interval_ms=1000, device_auto_approve_polls=1)
    shown = []
    config = McpOAuthConfig(
        client_id=PUBLIC_CLIENT_ID,
        token_url=server.token_url,
        device_authorization_url=server.url + "/device_authorization",
    )
    with OAuthTokenManager(config, device_handler=shown.append) as m:
        with ThreadPoolExecutor(4) as pool:
            tokens = list(pool.map(lambda _: m.get_token(), range(4)))
    assert len(set(tokens)) == 1
    assert len(shown) == 1 and isinstance(shown[0], mcp_oauth_client.DeviceAuthorization)
    assert shown[0].verification_uri == server.url + "/device"
    assert server.counts()["device_authorization"] == 1
    with pytest.raises(TypeError, match="not both"):
        OAuthTokenManager(config, device_handler=shown.append, login_handler=lambda url: url)
