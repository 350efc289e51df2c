"""client_credentials tokens: fetch, cache, refresh, single flight, invalidate, close."""

from __future__ import annotations

import gc
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

import mcp_oauth_client
from mcp_oauth_client import _ffi


def test_fetch_once_then_cached(server, make_manager):
    m = make_manager(server.cc_config(scopes=["mcp:read"]))
    first = m.get_token()
    assert first
    for _ in range(1000):
        assert m.get_token() == first
    assert server.token_count() == 1
    assert server.token_count("client_credentials") == 1
    assert server.protected_status(first) == 200


def test_token_object(server, make_manager):
    m = make_manager(server.cc_config(scopes=["mcp:read"]))
    tok = m.token()
    assert isinstance(tok, mcp_oauth_client.Token)
    assert tok.access_token == m.get_token()
    assert tok.token_type == "Bearer"
    assert tok.expires_at is not None and tok.expires_at.tzinfo is not None
    assert tok.expires_at.utcoffset() == timedelta(0)
    now = datetime.now(timezone.utc)
    assert now + timedelta(minutes=55) < tok.expires_at < now + timedelta(minutes=65)
    assert isinstance(tok.scope, str)
    assert tok.access_token not in repr(tok)
    assert m.token() is tok  # served from the cache


def test_cached_path_does_not_call_library(server, make_manager, monkeypatch):
    m = make_manager(server.cc_config())
    tok = m.get_token()
    calls = []
    real = _ffi.get_token_json
    monkeypatch.setattr(_ffi, "get_token_json", lambda h: calls.append(h) or real(h))
    for _ in range(10000):
        assert m.get_token() == tok
        m.token()
    assert calls == []


def test_no_expiry_token_is_cached(server, make_manager):
    server.config(token_lifetime_ms=-1)  # no expires_in
    m = make_manager(server.cc_config())
    tok = m.token()
    assert tok.expires_at is None
    assert m.get_token() == tok.access_token
    assert server.token_count() == 1


def test_cold_cache_32_threads_single_request(server, make_manager):
    server.config(latency_ms=300)
    m = make_manager(server.cc_config())
    barrier = threading.Barrier(32)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(m.get_token())
        except Exception as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert len(results) == 32 and len(set(results)) == 1
    assert server.token_count() == 1


def test_proactive_background_refresh(server, make_manager):
    # 4 s tokens, 1.5 s margin: refresh starts at ~2.5 s, the token is handed
    # out until ~3.8 s. The server holds the refresh for 1.5 s: a caller that
    # waited on it would get the new token, so getting the old one while the
    # refresh is in flight shows it did not wait.
    server.config(token_lifetime_ms=4000)
    m = make_manager(server.cc_config(refresh_margin_seconds=1.5))
    first = m.get_token()
    assert server.token_count() == 1
    server.config(latency_ms=1500)
    deadline = time.monotonic() + 15
    while server.token_count() < 2:  # each call in the window nudges the refresh
        assert m.get_token() == first
        assert time.monotonic() < deadline, "the refresh request never arrived"
        time.sleep(0.02)
    assert m.get_token() == first, "a caller waited for the refresh"
    while (new := m.get_token()) == first:
        assert time.monotonic() < deadline, "no refreshed token arrived"
        time.sleep(0.02)
    assert server.token_count() == 2
    assert server.protected_status(new) == 200


def test_expired_token_refetched(server, make_manager):
    server.config(token_lifetime_ms=1000)
    m = make_manager(server.cc_config(refresh_margin_seconds=0))
    first = m.token()
    # Wait for the token's own expiry, as the library reported it.
    while (left := first.expires_at.timestamp() - time.time()) >= 0:
        time.sleep(left + 0.001)
    second = m.get_token()
    assert second != first.access_token
    assert server.token_count() >= 2


def test_invalidate_after_revocation(server, make_manager):
    m = make_manager(server.cc_config())
    old = m.get_token()
    server.revoke_access_tokens()
    assert server.protected_status(old) == 401
    m.invalidate(old)
    new = m.get_token()
    assert new != old
    assert server.protected_status(new) == 200
    assert server.token_count() == 2


def test_invalidate_token_object(server, make_manager):
    m = make_manager(server.cc_config())
    old = m.token()
    m.invalidate(old)
    assert m.token().access_token != old.access_token
    assert server.token_count() == 2


def test_invalidate_stale_token_keeps_current(server, make_manager):
    m = make_manager(server.cc_config())
    current = m.get_token()
    m.invalidate("some-other-token")
    assert m.get_token() == current
    assert server.token_count() == 1


def test_use_after_close_and_double_close(server):
    before = mcp_oauth_client.live_handles()
    m = mcp_oauth_client.OAuthTokenManager(server.cc_config())
    assert mcp_oauth_client.live_handles() == before + 1
    tok = m.get_token()
    m.close()
    assert m.closed
    assert mcp_oauth_client.live_handles() == before
    m.close()  # idempotent
    for call in (
        m.get_token,
        m.token,
        lambda: m.invalidate(tok),
        lambda: m.begin_authorization("http://127.0.0.1:9/cb"),
        lambda: m.complete_authorization("http://127.0.0.1:9/cb?code=x&state=y"),
    ):
        with pytest.raises(mcp_oauth_client.BadHandleError) as info:
            call()
        assert info.value.code == -2
        assert tok not in str(info.value)


def test_context_manager_closes(server):
    before = mcp_oauth_client.live_handles()
    with mcp_oauth_client.OAuthTokenManager(server.cc_config()) as m:
        assert m.get_token()
        assert mcp_oauth_client.live_handles() == before + 1
    assert m.closed
    assert mcp_oauth_client.live_handles() == before
    with pytest.raises(mcp_oauth_client.BadHandleError):
        m.get_token()


def test_finalizer_frees_unclosed_manager(server):
    before = mcp_oauth_client.live_handles()
    m = mcp_oauth_client.OAuthTokenManager(server.cc_config())
    m.get_token()
    assert mcp_oauth_client.live_handles() == before + 1
    del m
    gc.collect()
    assert mcp_oauth_client.live_handles() == before


def test_close_while_other_threads_read(server):
    m = mcp_oauth_client.OAuthTokenManager(server.cc_config())
    m.get_token()
    stop = threading.Event()
    read = threading.Event()  # a reader got the token
    refused = threading.Event()  # a reader found the handle closed

    def reader():
        while not stop.is_set():
            try:
                m.get_token()
                read.set()
            except mcp_oauth_client.BadHandleError:
                refused.set()

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    assert read.wait(10), "no reader got the token"
    m.close()
    assert refused.wait(10), "no reader saw the handle closed"
    stop.set()
    for t in threads:
        t.join(10)
    with pytest.raises(mcp_oauth_client.BadHandleError):
        m.get_token()


def test_many_threads_hammer_cached_path(server, make_manager):
    m = make_manager(server.cc_config())
    tok = m.get_token()
    bad = []

    def worker():
        for _ in range(20000):
            if m.get_token() != tok:
                bad.append(1)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not bad
    assert server.token_count() == 1
