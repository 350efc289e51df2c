"""McpAuth with FastMCP 4.1.6's client: ``fastmcp.Client(url, auth=McpAuth(manager))``
against the real build/mcp-test-server (streamable HTTP and SSE)."""

from __future__ import annotations

import asyncio

import pytest

fastmcp = pytest.importorskip("fastmcp")

from mcp_oauth_client import McpAuth, McpOAuthConfig, OAuthError  # noqa: E402

from conftest import CLIENT_ID, CLIENT_SECRET, McpServer, assert_no_secret  # noqa: E402
from test_sdk_mcp import as_control, errors_of, token_requests  # noqa: E402


def auth_for(server: McpServer, url: str, make_manager, secret: str = CLIENT_SECRET) -> McpAuth:
    """Client credentials for url, a discovery endpoint of server, with the
    issuer of the secret (server's authorization server)."""
    config = McpOAuthConfig(server_url=url, client_id=CLIENT_ID, client_secret=secret, issuer=server.as_url)
    return McpAuth(make_manager(config))


def text_of(result) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


# Over HTTP+SSE the answers come on the event stream, so the test server
# reports a missing scope as a tool error there, not as an HTTP 403: step-up
# is exercised over streamable HTTP only.
@pytest.mark.parametrize("endpoint,step_up", [("mcp", True), ("sse", False)])
def test_fastmcp_client(mcp_server: McpServer, make_manager, endpoint, step_up):
    url = getattr(mcp_server, endpoint)
    auth = auth_for(mcp_server, url, make_manager)

    async def main():
        async with fastmcp.Client(url, auth=auth) as client:
            names = {t.name for t in await client.list_tools()}
            echoed = text_of(await client.call_tool("echo", {"text": "hi"}))
            saved = text_of(await client.call_tool("write_note", {"text": "n"})) if step_up else None
            before = token_requests(mcp_server)
            as_control(mcp_server, "revoke_access_tokens")
            results = await asyncio.gather(*(client.call_tool("add", {"a": i, "b": 1}) for i in range(100)))
            return names, echoed, saved, before, results

    names, echoed, saved, before, results = asyncio.run(main())
    assert names == {"echo", "add", "ask", "wait", "whoami", "write_note"}
    assert echoed == "hi"
    assert not step_up or "saved note" in saved
    assert [r.structured_content["sum"] for r in results] == [i + 1 for i in range(100)]
    assert token_requests(mcp_server) == before + 1


def test_fastmcp_wrong_secret(mcp_server: McpServer, make_manager):
    """FastMCP raises RuntimeError("Client failed to connect: ...") from our OAuthError."""
    auth = auth_for(mcp_server, mcp_server.mcp, make_manager, secret="wrong-secret")
    caught = []

    async def main():
        try:
            async with fastmcp.Client(mcp_server.mcp, auth=auth) as client:
                await client.list_tools()
        except BaseException as exc:
            caught.extend(errors_of(exc, OAuthError))

    asyncio.run(main())
    assert len(caught) == 1 and caught[0].error == "invalid_client"
    assert_no_secret(caught[0], "wrong-secret")
