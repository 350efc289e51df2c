"""Logging: the library's events in the logger "mcp_oauth_client", at DEBUG
during a whole flow (discovery, registration, client_credentials, refresh,
an authorization code flow with PKCE), every step told and no credential
quoted."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import urllib.request

from conftest import CLIENT_ID, CLIENT_SECRET, McpServer, authorize_redirect

from mcp_oauth_client import McpOAuthConfig


def _token_requests(server: McpServer):
    with urllib.request.urlopen(server.as_url + "/_test/token_requests", timeout=10) as resp:
        return json.loads(resp.read())


def test_debug_log_of_a_whole_flow_quotes_no_credential(make_manager, caplog):
    server = McpServer("-refresh-for-client-credentials")
    try:
        caplog.set_level(logging.DEBUG, logger="mcp_oauth_client")
        registered = make_manager(McpOAuthConfig(server_url=server.mcp, grant_type="client_credentials"))
        tok0 = registered.get_token()
        machine = make_manager(
            McpOAuthConfig(server_url=server.mcp, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, issuer=server.as_url)
        )
        tok1 = machine.get_token()
        machine.invalidate(tok1)
        tok2 = machine.get_token()  # the refresh_token grant
        user = make_manager(McpOAuthConfig(server_url=server.mcp))
        request = user.begin_authorization()
        user.complete_authorization(authorize_redirect(request.url))
        tok3 = user.get_token()
        forms = [r["form"] for r in _token_requests(server)]
    finally:
        server.close()

    records = [r for r in caplog.records if r.name == "mcp_oauth_client"]
    events = {r.mcp_oauth_event for r in records}
    assert {
        "discovery.start",
        "discovery.resource_metadata",
        "discovery.auth_server",
        "discovery.done",
        "registration.request",
        "registration.done",
        "token.request",
        "token.response",
        "token.refresh",
        "authorization.begin",
        "authorization.complete",
        "http.request",
    } <= events
    grants = {r.mcp_oauth_fields.get("grant_type") for r in records if r.mcp_oauth_event == "token.request"}
    assert {"client_credentials", "refresh_token", "authorization_code"} <= grants
    levels = {r.mcp_oauth_event: r.levelno for r in records}
    assert levels["token.request"] == logging.DEBUG and levels["token.refresh"] == logging.INFO
    assert any(r.getMessage().startswith("token.request: token request grant_type=") for r in records)

    secrets = {"client secret": CLIENT_SECRET, "tokens": [tok0, tok1, tok2, tok3]}
    for form in forms:
        for param in ("code", "code_verifier", "refresh_token"):
            secrets.setdefault(param, []).extend(form.get(param, []))
    assert secrets["code"] and secrets["code_verifier"] and secrets["refresh_token"]
    text = "\n".join(f"{r.getMessage()} {r.mcp_oauth_fields}" for r in records)
    for name, values in secrets.items():
        for value in [values] if isinstance(values, str) else values:
            assert len(value) >= 8
            assert value not in text, f"the log quotes a {name}"


def test_events_below_the_logger_level_are_not_delivered(server, make_manager, caplog):
    caplog.set_level(logging.INFO, logger="mcp_oauth_client")
    make_manager(server.cc_config()).get_token()
    records = [r for r in caplog.records if r.name == "mcp_oauth_client"]
    assert any(r.mcp_oauth_event == "token.response" for r in records)
    assert all(r.levelno >= logging.INFO for r in records)


def test_the_callback_is_installed_when_the_library_loads_not_at_import():
    code = (
        "import sys, mcp_oauth_client; "
        "assert 'mcp_oauth_client._logging' not in sys.modules, 'installed at import'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
