"""MCP 2026-07-28 and the auth extensions end to end against the real
build/mcp-test-server: DPoP (RFC 9449) with nonces, authorization-server
migration (SEP-2352) and workload identity federation (RFC 7523 §2.1)."""

from __future__ import annotations

import json
import os
import sys
import urllib.request

import pytest

from mcp_oauth_client import AuthorizationRequiredError, ConfigError, InsufficientScopeError, McpClient, McpOAuthConfig

from conftest import CLIENT_ID, CLIENT_SECRET, McpServer, authorize_redirect


def _post(url: str, body: dict) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.loads(resp.read())


def _origin(url: str) -> str:
    return url.split("/mcp")[0]


def _echo(client: McpClient, text: str) -> str:
    result = client.call_tool("echo", {"text": text})
    return "".join(c.get("text", "") for c in result["content"])


@pytest.fixture
def spec_server(request):
    server = McpServer(*request.param)
    try:
        yield server
    finally:
        server.close()


@pytest.mark.parametrize("spec_server", [("-dpop-required", "-dpop-nonce")], indirect=True)
def test_dpop_with_nonces(spec_server, make_manager):
    manager = make_manager(McpOAuthConfig(server_url=spec_server.mcp, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                                          issuer=spec_server.as_url))
    with McpClient.connect(manager, spec_server.mcp) as client:
        assert _echo(client, "one") == "one"
        assert _echo(client, "two") == "two"
    assert manager.token().token_type == "DPoP"
    assert spec_server.counts()["dpop_proofs"] == 1
    assert _get(_origin(spec_server.mcp) + "/_test/mcp_counts")["dpop_requests"] >= 3


@pytest.mark.parametrize("spec_server", [("-dpop",)], indirect=True)
def test_dpop_by_configuration(spec_server, make_manager, tmp_path):
    store = tmp_path / "store"
    manager = make_manager(McpOAuthConfig(server_url=spec_server.mcp, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                                          issuer=spec_server.as_url, dpop=True, token_store_dir=str(store)))
    with McpClient.connect(manager, spec_server.mcp) as client:
        assert _echo(client, "x") == "x"
    [entry] = [json.loads(p.read_text()) for p in store.glob("*.json")]
    assert entry["token_type"] == "DPoP" and "PRIVATE KEY" in entry["dpop_key"]
    for p in store.glob("*.json"):
        assert oct(p.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("spec_server", [()], indirect=True)
def test_migration_user_client(spec_server, make_manager):
    manager = make_manager(McpOAuthConfig(server_url=spec_server.mcp))
    with pytest.raises(AuthorizationRequiredError):
        McpClient.connect(manager, spec_server.mcp)
    manager.complete_authorization(authorize_redirect(manager.begin_authorization().url))
    with McpClient.connect(manager, spec_server.mcp) as client:
        assert _echo(client, "before") == "before"
        as2 = _post(_origin(spec_server.mcp) + "/_test/migrate_as", {})["as"]
        with pytest.raises(AuthorizationRequiredError):
            client.call_tool("echo", {"text": "x"})
        request = manager.begin_authorization()
        assert request.url.startswith(as2)
        manager.complete_authorization(authorize_redirect(request.url))
        assert _echo(client, "after") == "after"
    assert _get(as2 + "/_test/counts")["register"] == 1


@pytest.mark.parametrize("spec_server", [("-workload-tokens",)], indirect=True)
def test_workload_identity(spec_server, make_manager, tmp_path):
    token = _post(spec_server.as_url + "/_test/workload_token", {"sub": "py-job"})["token"]
    path = tmp_path / "jwt"
    path.write_text(token)
    for cfg in (
        McpOAuthConfig(server_url=spec_server.mcp, workload_identity_token_file=str(path)),
        McpOAuthConfig(server_url=spec_server.mcp, workload_identity_token_command=[sys.executable, "-c",
                                                                                    f"print(open({str(path)!r}).read())"]),
        McpOAuthConfig(server_url=spec_server.mcp, workload_identity_token=token),
    ):
        manager = make_manager(cfg)
        with McpClient.connect(manager, spec_server.mcp) as client:
            me = client.call_tool("whoami")["structuredContent"]
            assert me["client_id"] == "workload:py-job"
    assert spec_server.counts()["workload_grants"] == 3
    with pytest.raises(ConfigError) as exc:
        make_manager(McpOAuthConfig(server_url=spec_server.mcp, workload_identity_token=token,
                                    workload_identity_token_file=os.devnull))
    assert "workload_identity_token" in str(exc.value)


@pytest.mark.parametrize("spec_server", [("-withhold-scopes", "mcp:write")], indirect=True)
def test_step_up_scope_not_granted(spec_server, make_manager):
    manager = make_manager(McpOAuthConfig(server_url=spec_server.mcp))
    with pytest.raises(AuthorizationRequiredError):
        McpClient.connect(manager, spec_server.mcp)
    manager.complete_authorization(authorize_redirect(manager.begin_authorization().url))
    with McpClient.connect(manager, spec_server.mcp) as client:
        with pytest.raises(AuthorizationRequiredError) as exc:
            client.call_tool("write_note", {"text": "x"})
        assert "mcp:write" in str(exc.value)
        with pytest.raises(InsufficientScopeError) as exc:
            manager.complete_authorization(authorize_redirect(manager.begin_authorization().url))
        assert "mcp:write" in str(exc.value)
