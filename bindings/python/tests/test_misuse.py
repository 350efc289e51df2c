"""API misuse from Python, the counterpart of tests/c/test_misuse.c: calls
after close, double close, configurations that are not JSON objects or not
representable as JSON, strings with no UTF-8 form (lone surrogates) or a NUL,
8 MiB strings, None and other wrong types where a string is expected, closing
while other threads are inside calls, invalidate() with garbage, tool
arguments that are not JSON, and McpClient use after close. Each must raise
the documented exception (an McpOAuthError subclass; TypeError for an
argument of the wrong Python type), never crash or hang; the session-end check
in conftest.py asserts that no handle leaked. Against the real test server
processes."""

from __future__ import annotations

import asyncio
import threading

import pytest

import mcp_oauth_client
from mcp_oauth_client import (
    BadHandleError,
    ConfigError,
    InvalidArgumentError,
    McpClient,
    McpOAuthConfig,
    McpOAuthError,
    OAuthTokenManager,
    StateMismatchError,
)

from conftest import CLIENT_ID, CLIENT_SECRET

HUGE = 8 << 20  # 8 MiB
# No error message may echo a huge argument back.
MAX_MESSAGE = 4096
JOIN_TIMEOUT = 30  # seconds: a thread still inside a call by then has hung


def cc_manager(server, make_manager, **extra) -> OAuthTokenManager:
    return make_manager(server.cc_config(**extra))


# --- calls after close, double close -------------------------------------------

AFTER_CLOSE = {
    "get_token": lambda m: m.get_token(),
    "token": lambda m: m.token(),
    "get_token_async": lambda m: asyncio.run(m.get_token_async()),
    "token_async": lambda m: asyncio.run(m.token_async()),
    "invalidate": lambda m: m.invalidate("anything"),
    "begin_authorization": lambda m: m.begin_authorization("http://127.0.0.1:9/cb"),
    "complete_authorization": lambda m: m.complete_authorization("http://127.0.0.1:9/cb?code=c&state=s"),
    "complete_authorization_async": lambda m: asyncio.run(
        m.complete_authorization_async("http://127.0.0.1:9/cb?code=c&state=s")
    ),
    "authorize_interactively": lambda m: m.authorize_interactively("true", 0.1),
}


@pytest.mark.parametrize("call", AFTER_CLOSE.values(), ids=AFTER_CLOSE.keys())
def test_manager_call_after_close(server, call):
    m = OAuthTokenManager(server.code_config())
    m.close()
    with pytest.raises(BadHandleError) as info:
        call(m)
    assert info.value.code == mcp_oauth_client._errors.E_BAD_HANDLE


def test_double_close_and_close_after_context_exit(server):
    before = mcp_oauth_client.live_handles()
    m = OAuthTokenManager(server.cc_config())
    m.close()
    m.close()
    with OAuthTokenManager(server.cc_config()) as m2:
        m2.close()  # closed inside the block, then by __exit__
    m2.close()
    assert m.closed and m2.closed
    assert mcp_oauth_client.live_handles() == before


# --- configurations ------------------------------------------------------------

NOT_AN_OBJECT = {
    "json text": '{"client_id": "a"}',
    "invalid json text": "{not json",
    "bytes": b'{"client_id": "a"}',
    "list": [("client_id", "a")],
    "None": None,
    "int": 42,
}


@pytest.mark.parametrize("config", NOT_AN_OBJECT.values(), ids=NOT_AN_OBJECT.keys())
def test_config_not_an_object(config):
    before = mcp_oauth_client.live_handles()
    with pytest.raises(TypeError):
        OAuthTokenManager(config)
    assert mcp_oauth_client.live_handles() == before


NOT_JSON = {
    "nan": {"http_timeout_seconds": float("nan")},
    "infinity": {"refresh_margin_seconds": float("inf")},
    "bytes value": {"client_id": b"\xff\xfe"},
    "set value": {"scopes": {"a", "b"}},
    "object value": {"resource": object()},
}


@pytest.mark.parametrize("extra", NOT_JSON.values(), ids=NOT_JSON.keys())
def test_config_not_representable_as_json(server, extra):
    with pytest.raises(ConfigError):
        OAuthTokenManager({**server.cc_config().to_dict(), **extra})


def test_config_with_itself_inside():
    config = {"client_id": "a"}
    config["scopes"] = [config]  # circular
    with pytest.raises(ConfigError):
        OAuthTokenManager(config)


def test_config_values_of_the_wrong_json_type(server):
    with pytest.raises(ConfigError) as info:
        OAuthTokenManager({**server.cc_config().to_dict(), "client_id": 5})
    assert info.value.field == "client_id"


LONE_SURROGATE = {
    "client_id": {"client_id": "cli\ud800ent"},
    "client_secret": {"client_secret": "\udfff"},
    "scope": {"scopes": ["mcp:\udc80read"]},
    "unknown member name": {"\ud83d": 1},
}


@pytest.mark.parametrize("extra", LONE_SURROGATE.values(), ids=LONE_SURROGATE.keys())
def test_config_with_lone_surrogate(server, extra):
    """A string with no UTF-8 form is refused, not silently changed to U+FFFD."""
    before = mcp_oauth_client.live_handles()
    with pytest.raises(InvalidArgumentError) as info:
        OAuthTokenManager({**server.cc_config().to_dict(), **extra})
    assert "\ud800" not in str(info.value) and "\udfff" not in str(info.value)
    assert mcp_oauth_client.live_handles() == before


def test_dataclass_config_with_lone_surrogate(server):
    with pytest.raises(InvalidArgumentError):
        OAuthTokenManager(McpOAuthConfig(client_id="\ud800", client_secret="s", token_url=server.token_url))


def test_config_with_nul(server):
    """A NUL travels as the JSON escape \\u0000; a URL holding one is refused."""
    with pytest.raises(ConfigError) as info:
        OAuthTokenManager({**server.cc_config().to_dict(), "token_url": server.token_url + "\x00"})
    assert info.value.field == "token_url"


def test_huge_valid_config_works(server):
    """An 8 MiB configuration (a huge scope) is just a configuration."""
    with OAuthTokenManager(server.cc_config(scopes=["s" * HUGE])) as m:
        with pytest.raises(McpOAuthError) as info:
            m.get_token()  # the test server refuses the request or the scope
        assert len(str(info.value)) < MAX_MESSAGE


def test_huge_invalid_config_is_refused_briefly(server):
    with pytest.raises(ConfigError) as info:
        OAuthTokenManager({**server.cc_config().to_dict(), "token_url": "http://as.example/" + "t" * HUGE})
    assert info.value.field == "token_url"
    assert len(str(info.value)) < MAX_MESSAGE
    assert len(repr(info.value.details)) < MAX_MESSAGE


# --- string arguments: wrong types, no UTF-8 form, NUL, huge --------------------

WRONG_TYPE = {
    "invalidate None": lambda m: m.invalidate(None),
    "invalidate int": lambda m: m.invalidate(7),
    "invalidate bytes": lambda m: m.invalidate(b"token"),
    "begin_authorization int": lambda m: m.begin_authorization(80),
    "begin_authorization bytes": lambda m: m.begin_authorization(b"http://127.0.0.1:9/cb"),
    "complete_authorization None": lambda m: m.complete_authorization(None),
    "complete_authorization list": lambda m: m.complete_authorization(["http://127.0.0.1:9/cb"]),
    "authorize_interactively command int": lambda m: m.authorize_interactively(1, 0.1),
    "generate_code_challenge None": lambda m: mcp_oauth_client.generate_code_challenge(None),
}


@pytest.mark.parametrize("call", WRONG_TYPE.values(), ids=WRONG_TYPE.keys())
def test_wrong_type_where_a_string_is_expected(server, make_manager, call):
    m = make_manager(server.code_config())
    with pytest.raises(TypeError):
        call(m)


NO_UTF8 = {
    "invalidate": lambda m: m.invalidate("tok\udc80en"),
    "begin_authorization": lambda m: m.begin_authorization("http://127.0.0.1:9/\ud800"),
    "complete_authorization": lambda m: m.complete_authorization("http://127.0.0.1:9/cb?state=\udfff"),
    "authorize_interactively": lambda m: m.authorize_interactively("xdg-open\ud800", 0.1),
    "generate_code_challenge": lambda m: mcp_oauth_client.generate_code_challenge("v" * 42 + "\ud800"),
}


@pytest.mark.parametrize("call", NO_UTF8.values(), ids=NO_UTF8.keys())
def test_lone_surrogate_argument(server, make_manager, call):
    m = make_manager(server.code_config())
    with pytest.raises(InvalidArgumentError) as info:
        call(m)
    assert info.value.code == mcp_oauth_client._errors.E_INVALID_ARGUMENT


NUL = {
    "invalidate": lambda m: m.invalidate("tok\x00en"),
    "begin_authorization": lambda m: m.begin_authorization("http://127.0.0.1:9/\x00"),
    "complete_authorization": lambda m: m.complete_authorization("http://127.0.0.1:9/cb\x00?state=x"),
    "generate_code_challenge": lambda m: mcp_oauth_client.generate_code_challenge("v" * 42 + "\x00"),
}


@pytest.mark.parametrize("call", NUL.values(), ids=NUL.keys())
def test_nul_in_argument(server, make_manager, call):
    m = make_manager(server.code_config())
    with pytest.raises(InvalidArgumentError):
        call(m)


def test_huge_string_arguments(server, make_manager):
    m = make_manager(server.code_config())
    # An 8 MiB redirect URL carries no known state.
    with pytest.raises(StateMismatchError) as info:
        m.complete_authorization("http://127.0.0.1:9/cb?code=c&state=" + "s" * HUGE)
    assert len(str(info.value)) < MAX_MESSAGE
    # An 8 MiB token is simply not the cached one.
    m.invalidate("t" * HUGE)
    # An 8 MiB redirect URI: refused, or a URL that carries it; never echoed.
    try:
        request = m.begin_authorization("http://127.0.0.1:9/" + "p" * HUGE)
        assert len(request.url) > HUGE
    except McpOAuthError as exc:
        assert len(str(exc)) < MAX_MESSAGE
    with pytest.raises(InvalidArgumentError):
        mcp_oauth_client.generate_code_challenge("v" * HUGE)


# --- invalidate with garbage ----------------------------------------------------

GARBAGE = ["", " ", "Bearer x", "\x01\x02\x7f", "é" * 100, "a" * 10000]


def test_invalidate_with_garbage_keeps_the_cached_token(server, make_manager):
    m = cc_manager(server, make_manager)
    token = m.get_token()
    for junk in GARBAGE:
        m.invalidate(junk)
    assert m.get_token() == token
    assert server.token_count() == 1


def test_invalidate_with_another_managers_token(server, make_manager):
    a, b = cc_manager(server, make_manager), cc_manager(server, make_manager)
    ta, tb = a.get_token(), b.get_token()
    a.invalidate(tb)
    assert a.get_token() == ta


# --- closing while other threads are inside calls -------------------------------


def run_threads(n, target):
    threads = [threading.Thread(target=target, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    return threads


def join_all(threads):
    for t in threads:
        t.join(JOIN_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a thread is still inside a call after close()"


def test_close_while_threads_wait_for_a_token(server):
    """Eight threads blocked in the library on a slow token endpoint; close()
    frees the handle under them: each gets a token or BadHandleError."""
    server.config(latency_ms=2000)
    m = OAuthTokenManager(server.cc_config(http_timeout_seconds=10))
    outcomes, lock = [], threading.Lock()

    def call():
        try:
            m.get_token()
            result = "token"
        except BadHandleError:
            result = "closed"
        except McpOAuthError as exc:  # the request cancelled by close()
            result = type(exc).__name__
        with lock:
            outcomes.append(result)

    threads = run_threads(8, call)
    # The token request reaching the server means the callers are inside the
    # library, waiting for it.
    deadline = threading.Event()
    while server.token_count() == 0 and not deadline.wait(0.01):
        pass
    m.close()
    join_all(threads)
    assert len(outcomes) == 8
    assert "token" not in outcomes, "a token was served after close() (latency 2 s)"
    assert set(outcomes) <= {"closed", "NetworkError", "McpOAuthTimeoutError"}, outcomes


def test_close_while_threads_call_everything(server):
    m = OAuthTokenManager(server.code_config())
    started = threading.Barrier(7)
    errors = []

    def loop(call):
        def run():
            started.wait()
            for _ in range(2000):
                try:
                    call()
                except BadHandleError:
                    return
                except McpOAuthError:
                    pass  # e.g. AuthorizationRequiredError before close
                except BaseException as exc:  # anything else is a bug
                    errors.append(exc)
                    return

        return run

    calls = [
        m.get_token,
        m.token,
        lambda: m.invalidate("x"),
        lambda: m.begin_authorization("http://127.0.0.1:9/cb"),
        lambda: m.complete_authorization("http://127.0.0.1:9/cb?code=c&state=s"),
        lambda: asyncio.run(m.get_token_async()),
    ]
    threads = [threading.Thread(target=loop(c), daemon=True) for c in calls]
    for t in threads:
        t.start()
    started.wait()
    m.close()
    join_all(threads)
    assert errors == []


def test_close_while_async_calls_are_pending(server):
    server.config(latency_ms=1000)
    m = OAuthTokenManager(server.cc_config(http_timeout_seconds=10))

    async def main():
        pending = [asyncio.ensure_future(m.get_token_async()) for _ in range(4)]
        while server.token_count() == 0:
            await asyncio.sleep(0.01)
        m.close()
        return await asyncio.wait_for(asyncio.gather(*pending, return_exceptions=True), JOIN_TIMEOUT)

    results = asyncio.run(main())
    assert all(isinstance(r, McpOAuthError) for r in results), results


# --- McpClient ----------------------------------------------------------------


def cc_auth(server):
    return McpOAuthConfig(server_url=server.mcp, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, issuer=server.as_url)


CLIENT_AFTER_CLOSE = {
    "list_tools": lambda c: c.list_tools(),
    "call_tool": lambda c: c.call_tool("echo", {"text": "x"}),
    "request": lambda c: c.request("ping"),
    "list_tools_async": lambda c: asyncio.run(c.list_tools_async()),
    "call_tool_async": lambda c: asyncio.run(c.call_tool_async("echo", {"text": "x"})),
    "request_async": lambda c: asyncio.run(c.request_async("ping")),
}


@pytest.mark.parametrize("call", CLIENT_AFTER_CLOSE.values(), ids=CLIENT_AFTER_CLOSE.keys())
def test_mcp_client_after_close(mcp_server, call):
    client = McpClient.connect(cc_auth(mcp_server), mcp_server.mcp)
    client.close()
    client.close()  # idempotent
    with pytest.raises(BadHandleError):
        call(client)


@pytest.fixture
def client(mcp_server):
    c = McpClient.connect(cc_auth(mcp_server), mcp_server.mcp)
    yield c
    c.close()


BAD_ARGUMENTS = {
    "json text": ("echo", '{"text": "x"}', TypeError),
    "invalid json text": ("echo", "{not json", TypeError),
    "list": ("echo", ["x"], TypeError),
    "nan": ("echo", {"n": float("nan")}, InvalidArgumentError),
    "set": ("echo", {"text": {"x"}}, InvalidArgumentError),
    "bytes": ("echo", {"text": b"x"}, InvalidArgumentError),
    "lone surrogate": ("echo", {"text": "\ud800"}, InvalidArgumentError),
    "lone surrogate name": ("ec\ud800ho", None, InvalidArgumentError),
    "NUL name": ("echo\x00", None, InvalidArgumentError),
    "None name": (None, None, TypeError),
}


@pytest.mark.parametrize("name,arguments,error", BAD_ARGUMENTS.values(), ids=BAD_ARGUMENTS.keys())
def test_call_tool_with_bad_arguments(client, name, arguments, error):
    with pytest.raises(error):
        client.call_tool(name, arguments)
    assert client.call_tool("echo", {"text": "still fine"})["content"]


def test_call_tool_with_circular_arguments(client):
    args = {"text": "x"}
    args["self"] = args
    with pytest.raises(InvalidArgumentError):
        client.call_tool("echo", args)


def test_request_with_bad_params(client):
    with pytest.raises(TypeError):
        client.request("ping", "{}")
    with pytest.raises(InvalidArgumentError):
        client.request("ping", {"x": float("inf")})
    with pytest.raises(TypeError):
        client.request(None)


def test_connect_with_bad_arguments(mcp_server, make_manager):
    manager = make_manager(cc_auth(mcp_server))
    with pytest.raises(TypeError):
        McpClient.connect(manager, None)
    with pytest.raises(TypeError):
        McpClient.connect("not a manager", mcp_server.mcp)
    with pytest.raises(InvalidArgumentError):
        McpClient.connect(manager, mcp_server.mcp + "\ud800")
    with pytest.raises(McpOAuthError):
        McpClient.connect(manager, mcp_server.mcp, transport="carrier-pigeon")
    manager.close()
    with pytest.raises(BadHandleError):
        McpClient.connect(manager, mcp_server.mcp)


def test_mcp_client_close_while_threads_call_tools(mcp_server):
    client = McpClient.connect(cc_auth(mcp_server), mcp_server.mcp)
    inside = threading.Barrier(5)
    outcomes, errors = [], []

    def caller():
        inside.wait()
        while True:
            try:
                client.call_tool("echo", {"text": "x"})
                outcomes.append("result")
            except BadHandleError:
                outcomes.append("closed")
                return
            except BaseException as exc:
                errors.append(exc)
                return

    threads = run_threads(4, caller)
    inside.wait()
    client.close()
    join_all(threads)
    assert errors == []
    assert outcomes.count("closed") == 4
