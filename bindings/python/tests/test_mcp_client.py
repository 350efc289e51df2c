"""McpClient and MultiServerMcpClient against the real build/mcp-test-server:
discovery, dynamic registration, authorization code + PKCE, client
credentials, step-up, both transports, errors, async, lifetimes."""

from __future__ import annotations

import asyncio
import gc
import json

import pytest

import mcp_oauth_client
from mcp_oauth_client import (
    AuthorizationRequiredError,
    BadHandleError,
    ConfigError,
    McpClient,
    McpError,
    McpOAuthConfig,
    MultiServerMcpClient,
    RegistrationError,
    ResourceMismatchError,
)
from mcp_oauth_client import _client, _errors

from conftest import CLIENT_ID, CLIENT_SECRET, McpServer, assert_no_secret, authorize_redirect

TOOLS = {"echo", "add", "whoami", "ask", "write_note", "wait"}


def authorize(manager: mcp_oauth_client.OAuthTokenManager) -> None:
    """Runs the authorization code flow headlessly (the test AS auto-approves)."""
    request = manager.begin_authorization()
    manager.complete_authorization(authorize_redirect(request.url))


def text_of(result: dict) -> str:
    return "".join(c.get("text", "") for c in result.get("content", []) if c.get("type") == "text")


def whoami(client: McpClient) -> dict:
    result = client.call_tool("whoami")
    assert not result.get("isError"), result
    return result["structuredContent"]


def cc_config(server: McpServer, url: str = "", **extra) -> McpOAuthConfig:
    """Client credentials in discovery mode: the MCP URL (default server.mcp),
    the client and its issuer (server's authorization server)."""
    return McpOAuthConfig(
        server_url=url or server.mcp, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, issuer=server.as_url, **extra
    )


@pytest.fixture(scope="module")
def mismatch_server():
    server = McpServer("-prm-resource", "https://other.example/mcp")
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def no_registration_server():
    server = McpServer("-no-registration")
    try:
        yield server
    finally:
        server.close()


# -- end to end ---------------------------------------------------------------


@pytest.mark.parametrize("transport", ["streamable_http", "sse"])
def test_end_to_end_from_the_mcp_url_only(mcp_server, make_manager, transport):
    """Knowing only the MCP URL: discovery, dynamic registration, then the
    authorization code flow with PKCE, then tools over the transport."""
    url = mcp_server.mcp if transport == "streamable_http" else mcp_server.sse
    registered = int(mcp_server.counts().get("register", 0))
    manager = make_manager(McpOAuthConfig(server_url=url))

    with pytest.raises(AuthorizationRequiredError):
        McpClient.connect(manager, url, transport=transport)

    request = manager.begin_authorization()
    assert "code_challenge_method=S256" in request.url
    assert "client_id=" in request.url
    location = authorize_redirect(request.url)
    assert "code=" in location and f"state={request.state}" in location
    manager.complete_authorization(location)
    assert int(mcp_server.counts()["register"]) == registered + 1

    with McpClient.connect(manager, url, transport=transport, client_name="py-e2e", timeout_seconds=20) as client:
        assert client.transport == transport and not client.closed
        assert {t["name"] for t in client.list_tools()} == TOOLS
        assert text_of(client.call_tool("echo", {"text": "héllo"})) == "héllo"
        added = client.call_tool("add", {"a": 2, "b": 40})
        assert "42" in json.dumps(added)
        me = whoami(client)
        assert me["client_id"].startswith("dcr_") and me["subject"] == "test-user"
        assert client.request("ping") == {}
    assert client.closed


def test_client_credentials_by_discovery(mcp_server, make_manager):
    registered = int(mcp_server.counts().get("register", 0))
    manager = make_manager(cc_config(mcp_server))
    with McpClient.connect(manager, mcp_server.mcp) as client:
        me = whoami(client)
        assert me["client_id"] == CLIENT_ID
        assert text_of(client.call_tool("echo", {"text": "x"})) == "x"
    assert int(mcp_server.counts()["register"]) == registered  # pre-registered: no DCR


def test_every_listed_transport_is_the_library_s(mcp_server, make_manager):
    """TRANSPORTS lists what the library accepts: each connects ("auto" falls
    back to HTTP+SSE for the SSE endpoint), and another is a ConfigError."""
    urls = {"streamable_http": mcp_server.mcp, "sse": mcp_server.sse, "auto": mcp_server.sse}
    assert set(_client.TRANSPORTS) == set(urls)
    def machine(url: str) -> mcp_oauth_client.OAuthTokenManager:
        return make_manager(
            McpOAuthConfig(server_url=url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, issuer=mcp_server.as_url)
        )

    for transport in _client.TRANSPORTS:
        url = urls[transport]
        with McpClient.connect(machine(url), url, transport=transport) as client:
            assert text_of(client.call_tool("echo", {"text": transport})) == transport
    with pytest.raises(ConfigError):
        McpClient.connect(machine(mcp_server.mcp), mcp_server.mcp, transport="websocket")


def test_step_up_client_credentials(mcp_server, make_manager):
    manager = make_manager(cc_config(mcp_server))
    with McpClient.connect(manager, mcp_server.mcp) as client:
        assert "mcp:write" not in whoami(client)["scopes"]
        result = client.call_tool("write_note", {"text": "note"})
        assert not result.get("isError"), result
        assert "saved note" in text_of(result)
        assert "mcp:write" in whoami(client)["scopes"]


def test_step_up_authorization_code_needs_the_user_again(mcp_server, make_manager):
    manager = make_manager(McpOAuthConfig(server_url=mcp_server.mcp))
    with pytest.raises(AuthorizationRequiredError):
        McpClient.connect(manager, mcp_server.mcp)
    # A 401 challenge taught the client the scope it needs now (mcp:read).
    authorize(manager)
    with McpClient.connect(manager, mcp_server.mcp) as client:
        assert "mcp:write" not in whoami(client)["scopes"]
        with pytest.raises(AuthorizationRequiredError):
            client.call_tool("write_note", {"text": "n"})
        authorize(manager)  # the widened scope is requested this time
        assert "saved note" in text_of(client.call_tool("write_note", {"text": "n"}))


def test_config_as_auth_is_owned_and_gets_the_server_url(mcp_server):
    before = mcp_oauth_client.live_handles()
    client = McpClient.connect(
        McpOAuthConfig(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, issuer=mcp_server.as_url), mcp_server.mcp
    )
    assert mcp_oauth_client.live_handles() == before + 2  # a manager and a session
    assert client.manager.get_token()
    client.close()
    assert client.manager.closed
    assert mcp_oauth_client.live_handles() == before


def test_dict_config_as_auth(mcp_server):
    auth = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "issuer": mcp_server.as_url}
    with McpClient.connect(auth, mcp_server.sse, "sse") as c:
        assert whoami(c)["client_id"] == CLIENT_ID


# -- MultiServerMcpClient -------------------------------------------------------


def test_multi_server_two_servers_two_transports(mcp_server, make_manager):
    sse_manager = make_manager(cc_config(mcp_server, mcp_server.sse))
    servers = {
        "notes": {
            "url": mcp_server.mcp,
            "transport": "streamable_http",
            "auth": McpOAuthConfig(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, issuer=mcp_server.as_url),
        },
        "search": {"url": mcp_server.sse, "transport": "sse", "auth": sse_manager, "timeout_seconds": 20},
    }
    with MultiServerMcpClient(servers) as multi:
        assert multi.servers == ["notes", "search"]
        tools = multi.get_tools()
        assert len(tools) == 2 * len(TOOLS)
        assert {(t["server"], t["name"]) for t in tools} == {(s, n) for s in servers for n in TOOLS}
        assert text_of(multi.call_tool("notes", "echo", {"text": "a"})) == "a"
        assert text_of(multi.call_tool("search", "echo", {"text": "b"})) == "b"
        session = multi.session("search")
        assert session is multi.session("search") and session.transport == "sse"
        assert {t["name"] for t in multi.get_tools("notes")} == TOOLS
        with pytest.raises(KeyError):
            multi.session("nope")
        owned = multi.manager("notes")
    assert multi.closed and session.closed
    assert owned.closed  # created from a configuration: closed with the client
    assert not sse_manager.closed  # the caller's manager stays open
    with pytest.raises(BadHandleError):
        multi.call_tool("notes", "echo", {"text": "a"})


def test_multi_server_rejects_bad_descriptions():
    with pytest.raises(TypeError):
        MultiServerMcpClient({"a": {"transport": "sse"}})
    with pytest.raises(TypeError):
        MultiServerMcpClient({"a": {"url": "http://127.0.0.1:1/mcp", "bogus": 1}})


# -- errors ----------------------------------------------------------------------


@pytest.fixture
def cc_client(mcp_server, make_manager):
    manager = make_manager(cc_config(mcp_server))
    client = McpClient.connect(manager, mcp_server.mcp)
    yield client
    client.close()


def test_unknown_tool(cc_client):
    try:
        result = cc_client.call_tool("no_such_tool", {})
    except McpError as exc:
        assert exc.code == _errors.E_MCP
        assert exc.rpc_code is not None and exc.rpc_code < 0
        assert "no_such_tool" in str(exc)
        assert_no_secret(exc)
    else:
        assert result.get("isError") is True


def test_tool_error_is_a_result(cc_client):
    result = cc_client.call_tool("add", {"a": "not a number"})
    # Invalid arguments: either an isError result or a JSON-RPC error.
    assert result.get("isError") is True


def test_unsupported_method_and_bad_arguments(cc_client):
    with pytest.raises(ConfigError) as info:
        cc_client.request("sampling/createMessage", {})
    assert info.value.field == "method"
    with pytest.raises(TypeError):
        cc_client.call_tool("echo", ["not", "an", "object"])
    # Regression: arguments not representable as JSON raised json's bare
    # ValueError/TypeError; they are an InvalidArgumentError.
    with pytest.raises(mcp_oauth_client.InvalidArgumentError):
        cc_client.call_tool("echo", {"n": float("nan")})
    with pytest.raises(mcp_oauth_client.InvalidArgumentError):
        cc_client.call_tool("echo", {"text": "\ud800"})
    assert cc_client.request("tools/list")["tools"]


def test_closed_client_raises_bad_handle(mcp_server, make_manager):
    client = McpClient.connect(make_manager(cc_config(mcp_server)), mcp_server.mcp)
    client.close()
    client.close()  # idempotent
    for call in (client.list_tools, lambda: client.call_tool("echo"), lambda: client.request("ping")):
        with pytest.raises(BadHandleError):
            call()


def test_closed_manager_makes_calls_fail(mcp_server):
    manager = mcp_oauth_client.OAuthTokenManager(cc_config(mcp_server))
    manager.close()
    with pytest.raises(BadHandleError):
        McpClient.connect(manager, mcp_server.mcp)


def test_manager_closed_under_an_open_client(mcp_server):
    manager = mcp_oauth_client.OAuthTokenManager(cc_config(mcp_server, http_timeout_seconds=5))
    with McpClient.connect(manager, mcp_server.mcp, timeout_seconds=5) as client:
        manager.close()
        # Every request asks the manager for its token, and a closed manager
        # has none to give: each call fails cleanly, none crashes.
        for _ in range(2):
            with pytest.raises(BadHandleError, match="token manager is closed"):
                client.call_tool("echo", {"text": "x"})


def test_bad_transport_is_a_config_error(mcp_server, make_manager):
    with pytest.raises(ConfigError):
        McpClient.connect(make_manager(cc_config(mcp_server)), mcp_server.mcp, transport="carrier-pigeon")


@pytest.fixture
def attacker_server():
    """An MCP server whose metadata names its own authorization server, which
    accepts test-client's secret: a leak shows as a token request there."""
    server = McpServer()
    try:
        yield server
    finally:
        server.close()


def test_secret_goes_only_to_its_issuer(attacker_server, mcp_server, make_manager):
    # The quick start without issuer: refused before anything is sent.
    with pytest.raises(ConfigError) as info:
        manager = make_manager(McpOAuthConfig(server_url=attacker_server.mcp, client_id=CLIENT_ID, client_secret=CLIENT_SECRET))
        manager.get_token()  # the attack as it went before the fix
    assert info.value.field == "issuer" and "issued them" in str(info.value)
    # With the client's real issuer (another authorization server).
    manager = make_manager(cc_config(mcp_server, attacker_server.mcp))
    with pytest.raises(RegistrationError, match="registered with issuer"):
        manager.get_token()
    with pytest.raises(RegistrationError):
        McpClient.connect(manager, attacker_server.mcp)
    counts = attacker_server.counts()
    assert int(counts.get("token", 0)) == 0 and int(counts.get("metadata", 0)) == 0


def test_resource_mismatch(mismatch_server, make_manager):
    manager = make_manager(cc_config(mismatch_server))
    with pytest.raises(ResourceMismatchError) as info:
        McpClient.connect(manager, mismatch_server.mcp)
    assert info.value.code == _errors.E_RESOURCE_MISMATCH
    assert_no_secret(info.value)
    assert int(mismatch_server.counts().get("token", 0)) == 0


def test_token_rejected(mcp_server, make_manager):
    """Tokens issued for another resource (RFC 8707): the server refuses the
    new token too, which is TokenRejectedError with its challenge."""
    manager = make_manager(cc_config(mcp_server, resource="https://other.example/mcp"))
    with pytest.raises(mcp_oauth_client.TokenRejectedError) as info:
        McpClient.connect(manager, mcp_server.mcp, timeout_seconds=5)
    err = info.value
    assert (err.code, err.status, err.error) == (_errors.E_TOKEN_REJECTED, 401, "invalid_token")
    assert manager.get_token() not in str(err)
    assert_no_secret(err)


def test_registration_impossible(no_registration_server, make_manager):
    manager = make_manager(McpOAuthConfig(server_url=no_registration_server.mcp))
    with pytest.raises(RegistrationError) as info:
        manager.begin_authorization()
    assert info.value.code == _errors.E_REGISTRATION


def test_error_classes_from_codes():
    e = _errors.error_for(-15, json.dumps({"code": -15, "message": "m", "rpc_code": -32601}), "x")
    assert type(e) is McpError and e.rpc_code == -32601
    e = _errors.error_for(-18, json.dumps({"code": -18, "message": "m", "error": "invalid_client_metadata",
                                           "error_description": "d", "status": 400}), "x")
    assert isinstance(e, RegistrationError) and (e.error, e.error_description, e.status) == (
        "invalid_client_metadata", "d", 400)
    assert isinstance(_errors.error_for(-16, None, "x"), mcp_oauth_client.DiscoveryError)
    assert isinstance(_errors.error_for(-19, None, "x"), mcp_oauth_client.InsufficientScopeError)
    assert isinstance(_errors.error_for(-17, None, "x"), ResourceMismatchError)


# -- lifetimes ---------------------------------------------------------------------


def test_finalizer_closes_a_dropped_client(mcp_server, make_manager):
    manager = make_manager(cc_config(mcp_server))
    before = mcp_oauth_client.live_handles()
    client = McpClient.connect(manager, mcp_server.mcp)
    assert mcp_oauth_client.live_handles() == before + 1
    del client
    gc.collect()
    assert mcp_oauth_client.live_handles() == before
    # The session kept the manager alive while it was open; it still works.
    assert manager.get_token()


# -- asyncio -------------------------------------------------------------------------


def test_async_variants(mcp_server, make_manager):
    manager = make_manager(cc_config(mcp_server))

    async def main():
        async with await McpClient.connect_async(manager, mcp_server.mcp) as client:
            tools = await client.list_tools_async()
            echoes = await asyncio.gather(*(client.call_tool_async("echo", {"text": str(i)}) for i in range(8)))
            ping = await client.request_async("ping")
            with pytest.raises(McpError):
                await client.request_async("tools/call", {"name": "no_such_tool"})
            return tools, echoes, ping

    tools, echoes, ping = asyncio.run(main())
    assert {t["name"] for t in tools} == TOOLS
    assert [text_of(r) for r in echoes] == [str(i) for i in range(8)]
    assert ping == {}


def test_async_authorization_required_then_retry(mcp_server, make_manager):
    manager = make_manager(McpOAuthConfig(server_url=mcp_server.sse))

    async def main():
        with pytest.raises(AuthorizationRequiredError):
            await McpClient.connect_async(manager, mcp_server.sse, transport="sse")
        request = manager.begin_authorization()
        await manager.complete_authorization_async(authorize_redirect(request.url))
        client = await McpClient.connect_async(manager, mcp_server.sse, transport="sse")
        try:
            return await client.call_tool_async("echo", {"text": "async"})
        finally:
            client.close()

    assert text_of(asyncio.run(main())) == "async"


def test_multi_server_async(mcp_server):
    auth = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "issuer": mcp_server.as_url}
    servers = {
        "a": {"url": mcp_server.mcp, "auth": auth},
        "b": {"url": mcp_server.sse, "transport": "sse", "auth": auth},
    }

    async def main():
        async with MultiServerMcpClient(servers) as multi:
            tools = await multi.get_tools_async()
            result = await multi.call_tool_async("b", "add", {"a": 1, "b": 1})
            return tools, result

    tools, result = asyncio.run(main())
    assert len(tools) == 2 * len(TOOLS)
    assert "2" in json.dumps(result)
