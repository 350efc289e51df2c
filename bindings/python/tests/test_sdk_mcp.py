"""McpAuth with the official MCP Python SDK (mcp 2.3.0 on httpx2 2.16.2)
against the real build/mcp-test-server: streamable HTTP and SSE, expiry,
step-up, a stampede after expiry, several servers, typed errors, and the
event loop never doing a token request."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.request
from contextlib import asynccontextmanager
from typing import AsyncIterator

import pytest

httpx2 = pytest.importorskip("httpx2")
httpx = pytest.importorskip("httpx")
pytest.importorskip("mcp")

from mcp import ClientSession  # noqa: E402
from mcp.client.sse import sse_client  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402

import mcp_oauth_client.httpx  # noqa: E402
from mcp_oauth_client import McpAuth, McpOAuthConfig, OAuthError  # noqa: E402

from conftest import CLIENT_ID, CLIENT_SECRET, McpServer, assert_no_secret  # noqa: E402


def as_control(server: McpServer, action: str) -> None:
    """POSTs to the test authorization server's control API."""
    req = urllib.request.Request(server.as_url + "/_test/" + action, data=b"{}", method="POST")
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=10):
        pass


def token_requests(server: McpServer) -> int:
    return int(server.counts()["token"])


def cc_config(server: McpServer, url: str = "", secret: str = CLIENT_SECRET) -> McpOAuthConfig:
    """Client credentials in discovery mode: the MCP URL (default server.mcp),
    the client and its issuer (server's authorization server)."""
    return McpOAuthConfig(server_url=url or server.mcp, client_id=CLIENT_ID, client_secret=secret, issuer=server.as_url)


@asynccontextmanager
async def sdk_session(url: str, auth: McpAuth, transport: str = "streamable_http") -> AsyncIterator[ClientSession]:
    """An initialized ClientSession of the MCP SDK over the given transport."""
    if transport == "sse":
        async with sse_client(url, auth=auth) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                yield session
    else:
        # The MCP SDK's own client timeouts (30 s, 300 s to read a stream).
        async with httpx2.AsyncClient(auth=auth, timeout=httpx2.Timeout(30, read=300)) as http:
            async with streamable_http_client(url, http_client=http) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    yield session


def errors_of(exc: BaseException, cls: type) -> list:
    """The exceptions of type cls in exc, looking into exception groups (the
    SDKs' task groups wrap what a request raised) and causes (FastMCP raises
    RuntimeError("Client failed to connect: ...") from it)."""
    if isinstance(exc, cls):
        return [exc]
    inner = [*getattr(exc, "exceptions", ()), *([exc.__cause__] if exc.__cause__ else [])]
    return [e for sub in inner for e in errors_of(sub, cls)]


def text_of(result) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


def test_mcp_auth_is_an_auth_of_both_clients(mcp_server, make_manager):
    auth = McpAuth(make_manager(cc_config(mcp_server)))
    assert isinstance(auth, httpx2.Auth) and isinstance(auth, httpx.Auth)
    # The existing httpx adapter is the same implementation, not a copy.
    assert issubclass(mcp_oauth_client.httpx.OAuth2Auth, McpAuth)
    # httpx2 refused the old adapter with TypeError: Invalid "auth" argument.
    httpx2.AsyncClient(auth=mcp_oauth_client.httpx.OAuth2Auth(auth.manager))


@pytest.mark.parametrize("transport", ["streamable_http", "sse"])
def test_connect_list_call(mcp_server, make_manager, transport):
    url = mcp_server.mcp if transport == "streamable_http" else mcp_server.sse
    auth = McpAuth(make_manager(cc_config(mcp_server, url)))

    async def main():
        async with sdk_session(url, auth, transport) as session:
            names = {t.name for t in (await session.list_tools()).tools}
            echoed = text_of(await session.call_tool("echo", {"text": "héllo"}))
            added = await session.call_tool("add", {"a": 2, "b": 40})
            return names, echoed, added.structured_content

    names, echoed, added = asyncio.run(main())
    assert names == {"echo", "add", "ask", "wait", "whoami", "write_note"}
    assert echoed == "héllo"
    assert added == {"sum": 42}


def test_expired_token_one_token_request(mcp_server, make_manager):
    auth = McpAuth(make_manager(cc_config(mcp_server)))

    async def main():
        async with sdk_session(mcp_server.mcp, auth) as session:
            await session.call_tool("echo", {"text": "before"})
            before = token_requests(mcp_server)
            as_control(mcp_server, "revoke_access_tokens")  # the server now sees it expired
            result = await session.call_tool("echo", {"text": "after"})
            return before, text_of(result)

    before, text = asyncio.run(main())
    assert text == "after"
    assert token_requests(mcp_server) == before + 1


def test_step_up_on_403(mcp_server, make_manager):
    manager = make_manager(cc_config(mcp_server))
    auth = McpAuth(manager)

    async def main():
        async with sdk_session(mcp_server.mcp, auth) as session:
            before = (await session.call_tool("whoami")).structured_content["scopes"]
            saved = await session.call_tool("write_note", {"text": "n"})
            after = (await session.call_tool("whoami")).structured_content["scopes"]
            return before, saved, after

    before, saved, after = asyncio.run(main())
    assert "mcp:write" not in before
    assert not saved.is_error and "saved note" in text_of(saved)
    assert "mcp:write" in after


def test_hundred_concurrent_calls_after_expiry(mcp_server, make_manager):
    auth = McpAuth(make_manager(cc_config(mcp_server)))

    async def main():
        async with sdk_session(mcp_server.mcp, auth) as session:
            await session.call_tool("echo", {"text": "warm"})
            before = token_requests(mcp_server)
            as_control(mcp_server, "revoke_access_tokens")
            results = await asyncio.gather(*(session.call_tool("add", {"a": i, "b": 1}) for i in range(100)))
            return before, results

    before, results = asyncio.run(main())
    assert [r.structured_content["sum"] for r in results] == [i + 1 for i in range(100)]
    assert token_requests(mcp_server) == before + 1


def test_wrong_secret_surfaces_our_typed_error(mcp_server, make_manager):
    auth = McpAuth(make_manager(cc_config(mcp_server, secret="wrong-secret")))
    caught = []

    async def main():
        try:
            async with sdk_session(mcp_server.mcp, auth) as session:
                await session.list_tools()
        except BaseException as exc:  # an ExceptionGroup from the SDK's task group
            caught.extend(errors_of(exc, OAuthError))

    asyncio.run(main())
    assert len(caught) == 1
    err = caught[0]
    assert err.error == "invalid_client" and err.status == 401
    assert_no_secret(err, "wrong-secret")


def test_two_servers_at_once(mcp_server, make_manager):
    other = McpServer()
    try:
        auths = [McpAuth(make_manager(cc_config(s))) for s in (mcp_server, other)]

        async def call(url: str, auth: McpAuth) -> str:
            async with sdk_session(url, auth) as session:
                return (await session.call_tool("whoami")).structured_content["client_id"]

        async def main():
            return await asyncio.gather(call(mcp_server.mcp, auths[0]), call(other.mcp, auths[1]))

        assert asyncio.run(main()) == [CLIENT_ID, CLIENT_ID]
        assert token_requests(other) >= 1
    finally:
        other.close()


def test_token_calls_never_run_on_the_event_loop(mcp_server, make_manager, monkeypatch):
    """Every library call that may wait on the network (a token request, a
    refresh, a step-up) runs in a worker thread, never the loop's."""
    from mcp_oauth_client import _ffi

    threads = []
    for name in ("get_token_json", "handle_response"):
        real = getattr(_ffi, name)

        def spy(*args, _real=real):
            threads.append(threading.get_ident())
            return _real(*args)

        monkeypatch.setattr(_ffi, name, spy)
    auth = McpAuth(make_manager(cc_config(mcp_server)))

    async def main():
        async with sdk_session(mcp_server.mcp, auth) as session:
            await session.call_tool("write_note", {"text": "n"})  # probe, token, step-up
            as_control(mcp_server, "revoke_access_tokens")
            await session.call_tool("echo", {"text": "x"})  # 401, new token
        return threading.get_ident()

    loop_thread = asyncio.run(main())
    assert threads, "no library call observed"
    assert loop_thread not in threads


def test_sync_httpx_client_with_the_mcp_endpoint(mcp_server, make_manager):
    """The sync flow of the same object: a JSON-RPC ping over plain httpx."""
    auth = McpAuth(make_manager(cc_config(mcp_server)))
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
    }
    headers = {"Accept": "application/json, text/event-stream"}
    with httpx.Client(auth=auth) as client:
        r = client.post(mcp_server.mcp, json=body, headers=headers)
    assert r.status_code == 200
    # Discovery mode: a tokenless probe learnt the challenge, then the token.
    assert [h.status_code for h in r.history] == [401]
    assert r.request.headers["Authorization"].startswith("Bearer ")


@pytest.mark.parametrize("dpop_options", [("-dpop-required", "-dpop-nonce")])
def test_dpop_bound_tokens_through_the_sdk(make_manager, dpop_options):
    """A server that takes only DPoP-bound tokens and demands its nonce
    (RFC 9449 §7.1, §9): McpAuth sends each request with the DPoP scheme and
    a fresh proof of the token's key, answers use_dpop_nonce once, and the MCP
    SDK never sees a 401. Also plain httpx (sync) and the requests adapter on
    the same server."""
    server = McpServer(*dpop_options)
    try:
        manager = make_manager(cc_config(server))
        auth = McpAuth(manager)

        async def main():
            async with sdk_session(server.mcp, auth) as session:
                names = {t.name for t in (await session.list_tools()).tools}
                echoed = text_of(await session.call_tool("echo", {"text": "bound"}))
                return names, echoed

        names, echoed = asyncio.run(main())
        assert "echo" in names and echoed == "bound"
        assert manager.token().token_type == "DPoP"
        initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "sync", "version": "0"}}}
        with httpx.Client(auth=auth) as sync:
            answer = sync.post(server.mcp, json=initialize, headers={"Accept": "application/json, text/event-stream"})
        assert answer.status_code == 200
        import requests  # the requests adapter, on the same server
        import mcp_oauth_client.requests

        answer = requests.post(server.mcp, json=initialize, auth=mcp_oauth_client.requests.OAuth2Auth(manager),
                               headers={"Accept": "application/json, text/event-stream"}, timeout=10)
        assert answer.status_code == 200 and answer.request.headers["Authorization"].startswith("DPoP ")
        with urllib.request.urlopen(server.mcp.split("/mcp")[0] + "/_test/mcp_counts", timeout=10) as resp:
            mcp_counts = json.loads(resp.read())
        assert mcp_counts["dpop_requests"] >= 5  # SDK: initialize, tools/list, tools/call; httpx, requests: initialize
        assert server.counts()["dpop_proofs"] == 1  # one token request succeeded (the AS demands its nonce first)
    finally:
        server.close()
