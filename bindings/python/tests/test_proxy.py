"""Enterprise networks: the proxy variables are read at each request from
the process's environment as it is then (os.environ set after the library
loaded counts)."""

from __future__ import annotations

import pytest

from mcp_oauth_client import McpOAuthConfig, NetworkError


def test_https_proxy_set_after_load_is_used(make_manager, monkeypatch):
    monkeypatch.delenv("HTTPS_PROXY", raising=False)
    monkeypatch.delenv("https_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    manager = make_manager(
        McpOAuthConfig(
            client_id="c", client_secret="s3cr3t-value", token_url="https://as.invalid/token", http_timeout_seconds=5
        )
    )
    with pytest.raises(NetworkError) as direct:
        manager.get_token()
    assert "proxyconnect" not in str(direct.value)

    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:1")  # nothing listens there
    with pytest.raises(NetworkError) as proxied:
        manager.get_token()
    assert "proxyconnect" in str(proxied.value)

    monkeypatch.setenv("NO_PROXY", ".invalid")
    with pytest.raises(NetworkError) as bypassed:
        manager.get_token()
    assert "proxyconnect" not in str(bypassed.value)
