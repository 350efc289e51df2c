"""The right error class (issue 16): an unreachable MCP server is a
NetworkError, not an McpError; a URL that is not an MCP server (a typo'd
path, the authorization server's own URL) is refused at login and at connect
with "no MCP server at URL (HTTP 404)"; a step-up names the missing scope."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from mcp_oauth_client import AuthorizationRequiredError, DiscoveryError, McpClient, McpOAuthConfig, NetworkError

from conftest import CLIENT_ID, CLIENT_SECRET, authorize_redirect, closed_port


@pytest.mark.parametrize("transport", ["streamable_http", "sse", "auto"])
def test_unreachable_mcp_server_is_a_network_error(make_manager, transport):
    url = f"http://127.0.0.1:{closed_port()}/mcp"
    manager = make_manager(McpOAuthConfig(server_url=url))
    with pytest.raises(NetworkError) as info:
        McpClient.connect(manager, url, transport=transport, timeout_seconds=10)
    assert info.value.code == -4


def not_mcp_urls(mcp_server) -> list:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(mcp_server.mcp))
    return [origin + "/mpc", mcp_server.as_url + "/"]


def test_login_to_a_url_that_is_not_an_mcp_server(mcp_server, make_manager):
    for url in not_mcp_urls(mcp_server):
        manager = make_manager(McpOAuthConfig(server_url=url))
        with pytest.raises(DiscoveryError) as info:
            manager.begin_authorization()
        assert str(info.value) == f"mcp-oauth: no MCP server at {url} (HTTP 404)"
        assert info.value.details.get("status") == 404


@pytest.mark.parametrize("transport", ["streamable_http", "sse", "auto"])
def test_connect_to_a_url_that_is_not_an_mcp_server(mcp_server, make_manager, transport):
    url = not_mcp_urls(mcp_server)[0]
    manager = make_manager(
        McpOAuthConfig(server_url=url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, issuer=mcp_server.as_url)
    )
    with pytest.raises(DiscoveryError, match=r"no MCP server at .*/mpc \(HTTP 404\)"):
        McpClient.connect(manager, url, transport=transport, timeout_seconds=10)


def test_step_up_names_the_missing_scope(mcp_server, make_manager):
    """After a 403 insufficient_scope a user client's error names the scope
    its token lacks, not "no token is held"; so does every call until the
    user authorizes again."""
    manager = make_manager(McpOAuthConfig(server_url=mcp_server.mcp, scopes=["mcp:read"]))
    request = manager.begin_authorization()
    manager.complete_authorization(authorize_redirect(request.url))
    with McpClient.connect(manager, mcp_server.mcp) as client:
        with pytest.raises(AuthorizationRequiredError) as info:
            client.call_tool("write_note", {"text": "n"})
        assert 'requires scope "mcp:write", which the token was not granted' in str(info.value)
        assert "no token is held" not in str(info.value)
        with pytest.raises(AuthorizationRequiredError, match='requires scope "mcp:write"'):
            manager.get_token()
        status = manager.status()
        assert "mcp:write" in status.step_up_scopes and not status.has_token
