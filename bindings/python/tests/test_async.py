"""asyncio: the cached path returns at once; network waits run off the loop."""

from __future__ import annotations

import asyncio

import pytest

import mcp_oauth_client
from mcp_oauth_client import _ffi


def test_loop_keeps_running_during_slow_token_request(server, make_manager):
    # The server holds the token request until the client gives up: the
    # loop, free meanwhile, sees the request arrive while the call is still
    # pending, then cancels it.
    server.fail(1, mode="hang")
    m = make_manager(server.cc_config(http_timeout_seconds=30))

    async def main() -> None:
        task = asyncio.create_task(m.get_token_async())
        while server.token_count() < 1:
            await asyncio.sleep(0.01)
        assert not task.done(), "the call blocked the loop until it ended"
        m.cancel()
        with pytest.raises(mcp_oauth_client.McpOAuthCancelledError):
            await task

    asyncio.run(main())
    assert server.token_count() == 1


def test_cached_async_path_calls_nothing(server, make_manager, monkeypatch):
    m = make_manager(server.cc_config())
    token = m.get_token()
    calls = []
    monkeypatch.setattr(_ffi, "get_token_json", lambda h: calls.append(h))

    async def main():
        loop = asyncio.get_running_loop()
        monkeypatch.setattr(loop, "run_in_executor", lambda *a: calls.append(a))
        return [await m.get_token_async() for _ in range(1000)], await m.token_async()

    tokens, tok = asyncio.run(main())
    assert set(tokens) == {token}
    assert tok.access_token == token
    assert calls == []


def test_concurrent_async_callers_share_one_request(server, make_manager):
    server.config(latency_ms=300)
    m = make_manager(server.cc_config())

    async def main():
        return await asyncio.gather(*(m.get_token_async() for _ in range(20)))

    tokens = asyncio.run(main())
    assert len(set(tokens)) == 1
    assert server.token_count() == 1


def test_async_errors_propagate(server, make_manager):
    server.fail(1, status=400, body='{"error":"invalid_client"}')
    m = make_manager(server.cc_config())

    async def main():
        with pytest.raises(mcp_oauth_client.OAuthError):
            await m.token_async()
        return await m.token_async()

    tok = asyncio.run(main())
    assert isinstance(tok, mcp_oauth_client.Token)


def test_async_after_close(server):
    m = mcp_oauth_client.OAuthTokenManager(server.cc_config())
    m.close()

    async def main():
        with pytest.raises(mcp_oauth_client.BadHandleError):
            await m.get_token_async()

    asyncio.run(main())
