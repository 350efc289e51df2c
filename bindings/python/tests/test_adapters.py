"""httpx (sync and async) and requests adapters against /protected."""

from __future__ import annotations

import asyncio

import pytest

httpx = pytest.importorskip("httpx")
requests = pytest.importorskip("requests")

import mcp_oauth_client  # noqa: E402
import mcp_oauth_client.httpx  # noqa: E402
import mcp_oauth_client.requests  # noqa: E402


# -- httpx --------------------------------------------------------------------


def test_httpx_sync_injects_bearer(server, make_manager):
    m = make_manager(server.cc_config())
    with httpx.Client(auth=mcp_oauth_client.httpx.OAuth2Auth(m)) as client:
        for _ in range(3):
            r = client.get(server.protected_url)
            assert r.status_code == 200
            assert r.request.headers["Authorization"] == f"Bearer {m.get_token()}"
    assert server.counts()["protected"] == 3
    assert server.token_count() == 1


def test_httpx_sync_401_invalidate_and_retry(server, make_manager):
    m = make_manager(server.cc_config())
    old = m.get_token()
    server.revoke_access_tokens()
    with httpx.Client(auth=mcp_oauth_client.httpx.OAuth2Auth(m)) as client:
        r = client.get(server.protected_url)
    assert r.status_code == 200
    assert [h.status_code for h in r.history] == [401]
    assert m.get_token() != old
    assert server.token_count() == 2
    assert server.counts()["protected"] == 2


def test_httpx_retries_only_once(server, other_server, make_manager):
    # A token of another server is never accepted: 401, retry once with a
    # new token, then the engine's verdict: TokenRejectedError (as the
    # library's own MCP transports decide), carrying the challenge.
    other_server.reset()
    m = make_manager(other_server.cc_config())
    with httpx.Client(auth=mcp_oauth_client.httpx.OAuth2Auth(m)) as client:
        with pytest.raises(mcp_oauth_client.TokenRejectedError) as info:
            client.get(server.protected_url)
    assert info.value.error == "invalid_token" and info.value.status == 401
    assert server.counts()["protected"] == 2
    assert other_server.token_count() == 2


def test_httpx_async(server, make_manager):
    m = make_manager(server.cc_config())
    auth = mcp_oauth_client.httpx.OAuth2Auth(m)

    async def main():
        async with httpx.AsyncClient(auth=auth) as client:
            first = await client.get(server.protected_url)
            server.revoke_access_tokens()
            second = await client.get(server.protected_url)
            return first, second

    first, second = asyncio.run(main())
    assert first.status_code == 200 and not first.history
    assert second.status_code == 200
    assert [h.status_code for h in second.history] == [401]
    assert server.token_count() == 2


def test_httpx_async_cold_cache(server, make_manager):
    server.config(latency_ms=200)
    m = make_manager(server.cc_config())

    async def main():
        async with httpx.AsyncClient(auth=mcp_oauth_client.httpx.OAuth2Auth(m)) as client:
            return await asyncio.gather(*(client.get(server.protected_url) for _ in range(5)))

    responses = asyncio.run(main())
    assert [r.status_code for r in responses] == [200] * 5
    assert server.token_count() == 1


# -- requests -----------------------------------------------------------------


def test_requests_injects_bearer(server, make_manager):
    m = make_manager(server.cc_config())
    auth = mcp_oauth_client.requests.OAuth2Auth(m)
    with requests.Session() as s:
        s.auth = auth
        for _ in range(3):
            r = s.get(server.protected_url, timeout=10)
            assert r.status_code == 200
            assert r.request.headers["Authorization"] == f"Bearer {m.get_token()}"
    assert server.token_count() == 1


def test_requests_401_invalidate_and_retry(server, make_manager):
    m = make_manager(server.cc_config())
    old = m.get_token()
    server.revoke_access_tokens()
    r = requests.get(server.protected_url, auth=mcp_oauth_client.requests.OAuth2Auth(m), timeout=10)
    assert r.status_code == 200
    assert [h.status_code for h in r.history] == [401]
    assert r.request.headers["Authorization"] == f"Bearer {m.get_token()}"
    assert m.get_token() != old
    assert server.token_count() == 2
    assert server.counts()["protected"] == 2


def test_requests_retries_only_once(server, other_server, make_manager):
    other_server.reset()
    m = make_manager(other_server.cc_config())
    r = requests.get(server.protected_url, auth=mcp_oauth_client.requests.OAuth2Auth(m), timeout=10)
    assert r.status_code == 401
    assert len(r.history) == 1
    assert server.counts()["protected"] == 2
    assert other_server.token_count() == 2


def test_requests_retry_rewinds_file_body(server, make_manager, tmp_path):
    # /protected answers GET only; the point is that the body is re-sent.
    m = make_manager(server.cc_config())
    m.get_token()
    server.revoke_access_tokens()
    body = tmp_path / "body.bin"
    body.write_bytes(b"x" * 1000)
    with open(body, "rb") as f:
        r = requests.request("GET", server.protected_url, data=f, auth=mcp_oauth_client.requests.OAuth2Auth(m), timeout=10)
    assert [h.status_code for h in r.history] == [401]
    assert r.status_code == 200
