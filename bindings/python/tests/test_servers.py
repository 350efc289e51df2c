"""One manager, several MCP servers, against a real build/mcp-test-server:
one registration per authorization server, one token per resource (RFC
8707), and no token sent where it does not belong."""

from __future__ import annotations

import json
import urllib.request

import pytest

from mcp_oauth_client import McpClient, McpOAuthConfig, RegistrationError

from conftest import CLIENT_ID, CLIENT_SECRET, McpServer


@pytest.fixture
def fresh_mcp_server():
    server = McpServer()
    try:
        yield server
    finally:
        server.close()


def token_resources(server: McpServer) -> list:
    with urllib.request.urlopen(server.as_url + "/_test/token_requests", timeout=10) as resp:
        return [r["form"].get("resource", [""])[0] for r in json.loads(resp.read())]


def text_of(result: dict) -> str:
    return "".join(c.get("text", "") for c in result.get("content", []) if c.get("type") == "text")


def test_one_manager_two_endpoints_one_registration(fresh_mcp_server, make_manager):
    server = fresh_mcp_server
    m = make_manager(McpOAuthConfig(server_url=server.mcp, grant_type="client_credentials"))
    for url, transport in ((server.mcp, "streamable_http"), (server.sse, "sse")):
        with McpClient.connect(m, url, transport=transport) as client:
            assert text_of(client.call_tool("echo", {"text": "hi"})) == "hi"
    assert server.counts()["register"] == 1, "one registration per authorization server"
    assert token_resources(server) == [server.mcp, server.sse], "one token per resource, each its own"


def test_a_server_of_another_authorization_server_is_refused(fresh_mcp_server, mcp_server, make_manager):
    m = make_manager(
        McpOAuthConfig(server_url=mcp_server.mcp, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                       issuer=mcp_server.as_url)
    )
    with McpClient.connect(m, mcp_server.mcp) as client:
        assert text_of(client.call_tool("echo", {"text": "a"})) == "a"
    with pytest.raises(RegistrationError, match="registered with issuer"):
        McpClient.connect(m, fresh_mcp_server.mcp)
    assert fresh_mcp_server.counts()["token"] == 0, "the secret never went to the other authorization server"
