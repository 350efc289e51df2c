"""McpAuth with LangChain MCP adapters 0.3.2 (on the MCP Python SDK 1.x and
httpx 0.28): one auth object per connection of a ``MultiServerMCPClient``,
against the real build/mcp-test-server. Runs in build/py-venv-langchain
(run-langchain-tests.sh); skipped where langchain-mcp-adapters is absent."""

from __future__ import annotations

import asyncio
import json
import urllib.request

import pytest

pytest.importorskip("langchain_mcp_adapters")

from langchain_mcp_adapters.client import MultiServerMCPClient  # noqa: E402

from mcp_oauth_client import McpAuth, McpOAuthConfig, OAuthError  # noqa: E402

from conftest import CLIENT_ID, CLIENT_SECRET, McpServer, assert_no_secret  # noqa: E402


def auth_for(server: McpServer, url: str, make_manager, secret: str = CLIENT_SECRET) -> McpAuth:
    """Client credentials for url, a discovery endpoint of server, with the
    issuer of the secret (server's authorization server)."""
    config = McpOAuthConfig(server_url=url, client_id=CLIENT_ID, client_secret=secret, issuer=server.as_url)
    return McpAuth(make_manager(config))


def revoke(server: McpServer) -> None:
    req = urllib.request.Request(server.as_url + "/_test/revoke_access_tokens", data=b"{}", method="POST")
    with urllib.request.urlopen(req, timeout=10):
        pass


def tokens(server: McpServer) -> int:
    return int(server.counts()["token"])


def errors_of(exc: BaseException, cls: type) -> list:
    if isinstance(exc, cls):
        return [exc]
    inner = [*getattr(exc, "exceptions", ()), *([exc.__cause__] if exc.__cause__ else [])]
    return [e for sub in inner for e in errors_of(sub, cls)]


def test_multi_server_client(mcp_server: McpServer, make_manager):
    other = McpServer()
    try:
        client = MultiServerMCPClient(
            {
                "notes": {"transport": "streamable_http", "url": mcp_server.mcp, "auth": auth_for(mcp_server, mcp_server.mcp, make_manager)},
                "other": {"transport": "sse", "url": other.sse, "auth": auth_for(other, other.sse, make_manager)},
            }
        )

        async def main():
            tools = {t.name: t for t in await client.get_tools(server_name="notes")}
            other_tools = await client.get_tools(server_name="other")
            added = await tools["add"].ainvoke({"a": 2, "b": 40})
            saved = await tools["write_note"].ainvoke({"text": "n"})  # 403 → step-up
            before = tokens(mcp_server)
            revoke(mcp_server)
            echoed = await tools["echo"].ainvoke({"text": "after"})
            return tools, other_tools, added, saved, before, echoed

        tools, other_tools, added, saved, before, echoed = asyncio.run(main())
        assert set(tools) == {"echo", "add", "ask", "wait", "whoami", "write_note"}
        assert {t.name for t in other_tools} == set(tools)
        assert "42" in json.dumps(added, default=str)
        assert "saved note" in json.dumps(saved, default=str)
        assert "after" in json.dumps(echoed, default=str)
        assert tokens(mcp_server) == before + 1
    finally:
        other.close()


def test_wrong_secret(mcp_server: McpServer, make_manager):
    client = MultiServerMCPClient(
        {"notes": {"transport": "streamable_http", "url": mcp_server.mcp, "auth": auth_for(mcp_server, mcp_server.mcp, make_manager, "wrong-secret")}}
    )
    caught = []

    async def main():
        try:
            await client.get_tools()
        except BaseException as exc:
            caught.extend(errors_of(exc, OAuthError))

    asyncio.run(main())
    assert len(caught) == 1 and caught[0].error == "invalid_client"
    assert_no_secret(caught[0], "wrong-secret")
