"""McpAuth with the MCP Python SDK's client against an MCP server the
project did not write: the SDK's own server class (mcp 2.x MCPServer) with
its bearer-auth middleware, verifying tokens at the test authorization
server's introspection endpoint (tests/sdk/python_mcp_server.py).

Its middleware answers 403 insufficient_scope without a scope parameter and
applies one scope set to every request, so it cannot ask for a step-up:
that is tested against build/mcp-test-server (test_sdk_mcp.py)."""

from __future__ import annotations

import asyncio
import json
import select
import subprocess
import sys
from typing import Iterator

import pytest

pytest.importorskip("mcp")

from mcp_oauth_client import McpAuth, McpOAuthConfig, OAuthError  # noqa: E402

from conftest import CLIENT_ID, CLIENT_SECRET, REPO, AuthServer, assert_no_secret  # noqa: E402
from test_sdk_mcp import errors_of, sdk_session, text_of  # noqa: E402

SERVER_SCRIPT = REPO / "tests" / "sdk" / "python_mcp_server.py"


class PythonMcpServer:
    """tests/sdk/python_mcp_server.py as a process: .mcp is its URL."""

    def __init__(self, as_url: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(SERVER_SCRIPT), as_url], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 30)
        line = self.proc.stdout.readline().decode() if ready else ""
        if not line:
            self.close()
            raise RuntimeError("python_mcp_server.py did not print its URL")
        self.mcp: str = json.loads(line)["mcp"]
        self.as_url = as_url  # its authorization server: the issuer of the client's secret

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@pytest.fixture(scope="module")
def other_as() -> Iterator[AuthServer]:
    server = AuthServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def py_server(other_as: AuthServer) -> Iterator[PythonMcpServer]:
    server = PythonMcpServer(other_as.url)
    try:
        yield server
    finally:
        server.close()


def auth_for(py_server, make_manager, secret: str = CLIENT_SECRET) -> McpAuth:
    config = McpOAuthConfig(server_url=py_server.mcp, client_id=CLIENT_ID, client_secret=secret, issuer=py_server.as_url)
    return McpAuth(make_manager(config))


def test_connect_list_call(py_server, make_manager):
    auth = auth_for(py_server, make_manager)

    async def main():
        async with sdk_session(py_server.mcp, auth) as session:
            names = {t.name for t in (await session.list_tools()).tools}
            return names, text_of(await session.call_tool("echo", {"text": "hé"})), await session.call_tool(
                "add", {"a": 2, "b": 40}
            )

    names, echoed, added = asyncio.run(main())
    assert names == {"echo", "add"}
    assert echoed == "hé"
    assert "42" in text_of(added)


def test_expiry_and_hundred_concurrent_calls(py_server, other_as, make_manager):
    auth = auth_for(py_server, make_manager)

    async def main():
        async with sdk_session(py_server.mcp, auth) as session:
            await session.call_tool("echo", {"text": "warm"})
            first = other_as.token_count()
            other_as.revoke_access_tokens()  # the server's introspection now says inactive
            one = text_of(await session.call_tool("echo", {"text": "after"}))
            second = other_as.token_count()
            other_as.revoke_access_tokens()
            results = await asyncio.gather(*(session.call_tool("add", {"a": i, "b": 1}) for i in range(100)))
            return first, one, second, results

    first, one, second, results = asyncio.run(main())
    assert one == "after" and second == first + 1
    assert all(str(i + 1) in text_of(r) for i, r in enumerate(results))
    assert other_as.token_count() == second + 1


def test_wrong_secret_surfaces_our_typed_error(py_server, make_manager):
    auth = auth_for(py_server, make_manager, secret="wrong-secret")
    caught = []

    async def main():
        try:
            async with sdk_session(py_server.mcp, auth) as session:
                await session.list_tools()
        except BaseException as exc:  # an ExceptionGroup from the SDK's task group
            caught.extend(errors_of(exc, OAuthError))

    asyncio.run(main())
    assert len(caught) == 1 and caught[0].error == "invalid_client"
    assert_no_secret(caught[0], "wrong-secret")
