"""Every exception class, triggered against the real server; no secret leaks."""

from __future__ import annotations

import json
import pickle

import pytest

import mcp_oauth_client
from mcp_oauth_client import _errors
from conftest import (
    CLIENT_ID,
    LEAK_CLIENT_ID,
    LEAK_CLIENT_SECRET,
    assert_no_secret,
    closed_port,
)


def test_exceptions_pickle():
    err = _errors.error_for(-6, '{"code":-6,"message":"m","error":"invalid_client","status":401}', "x")
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is mcp_oauth_client.OAuthError
    assert (copy.error, copy.status, copy.code, str(copy)) == ("invalid_client", 401, -6, "m")


def test_oauth_error_wrong_secret(server, make_manager):
    m = make_manager(
        mcp_oauth_client.McpOAuthConfig(
            client_id=LEAK_CLIENT_ID, client_secret="wrong-" + LEAK_CLIENT_SECRET, token_url=server.token_url
        )
    )
    with pytest.raises(mcp_oauth_client.OAuthError) as info:
        m.get_token()
    err = info.value
    assert err.code == -6
    assert err.error == "invalid_client"
    assert err.status == 401
    assert err.details["error"] == "invalid_client"
    assert_no_secret(err, "wrong-" + LEAK_CLIENT_SECRET)


def test_oauth_error_wrong_secret_post(server, make_manager):
    m = make_manager(
        mcp_oauth_client.McpOAuthConfig(
            client_id=CLIENT_ID,
            client_secret="not-" + LEAK_CLIENT_SECRET,
            token_url=server.token_url,
            token_endpoint_auth_method="client_secret_post",
        )
    )
    with pytest.raises(mcp_oauth_client.OAuthError) as info:
        m.get_token()
    assert info.value.error == "invalid_client"
    assert_no_secret(info.value, "not-" + LEAK_CLIENT_SECRET)


def test_oauth_error_from_injected_body(server, make_manager):
    server.fail(
        1,
        status=400,
        body='{"error":"invalid_scope","error_description":"no such scope","error_uri":"https://as.example/e"}',
    )
    m = make_manager(server.cc_config())
    with pytest.raises(mcp_oauth_client.OAuthError) as info:
        m.get_token()
    err = info.value
    assert (err.error, err.error_description, err.error_uri, err.status) == (
        "invalid_scope",
        "no such scope",
        "https://as.example/e",
        400,
    )
    assert_no_secret(err)
    # The failure was one-shot: the next call succeeds.
    assert m.get_token()


def test_network_error_closed_port(make_manager):
    port = closed_port()
    m = make_manager(
        mcp_oauth_client.McpOAuthConfig(
            client_id="c",
            client_secret=LEAK_CLIENT_SECRET,
            token_url=f"http://127.0.0.1:{port}/token",
            http_timeout_seconds=5,
        )
    )
    with pytest.raises(mcp_oauth_client.NetworkError) as info:
        m.get_token()
    assert info.value.code == -4
    assert_no_secret(info.value)


def test_network_error_connection_reset(server, make_manager):
    server.fail(3, mode="reset")  # every attempt of the bounded retry
    m = make_manager(server.cc_config(http_timeout_seconds=5))
    with pytest.raises((mcp_oauth_client.NetworkError, mcp_oauth_client.ProtocolError)) as info:
        m.get_token()
    assert_no_secret(info.value)
    assert server.counts()["token"] == 3


def test_transient_failure_is_retried(server, make_manager):
    """A 503 or a reset connection is retried (with backoff) for a caller without a token."""
    server.fail(1, status=503, body="busy", content_type="text/plain")
    server.fail(1, mode="reset")
    m = make_manager(server.cc_config(http_timeout_seconds=5))
    assert m.get_token()
    assert server.counts()["token"] == 3


def test_timeout_on_hanging_server(server, make_manager):
    server.fail(1, mode="hang")
    m = make_manager(server.cc_config(http_timeout_seconds=1))
    # The hanging request reached the server and the configured timeout
    # ended it (the server never answers: a lost timeout would hang).
    with pytest.raises(mcp_oauth_client.McpOAuthTimeoutError) as info:
        m.get_token()
    assert server.token_count() >= 1
    assert isinstance(info.value, TimeoutError)
    assert info.value.code == -5
    assert_no_secret(info.value)


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("<html>not json</html>", "text/html"),
        ('{"token_type":"Bearer","expires_in":60}', "application/json"),  # no access_token
        ('{"access_token":"x","token_type":"mac"}', "application/json"),  # not Bearer
    ],
)
def test_protocol_error_malformed_body(server, make_manager, body, content_type):
    server.fail(1, status=200, body=body, content_type=content_type)
    m = make_manager(server.cc_config())
    with pytest.raises(mcp_oauth_client.ProtocolError) as info:
        m.get_token()
    assert info.value.code == -7
    assert_no_secret(info.value)


def test_protocol_error_redirect(server, make_manager):
    server.fail(1, mode="redirect")
    m = make_manager(server.cc_config())
    with pytest.raises(mcp_oauth_client.ProtocolError):
        m.get_token()


def test_server_error_status(server, make_manager):
    server.fail(3, status=503, body="busy", content_type="text/plain")
    m = make_manager(server.cc_config())
    with pytest.raises(mcp_oauth_client.ServerError) as info:
        m.get_token()
    assert info.value.code == -14
    assert info.value.status == 503
    assert_no_secret(info.value)


def test_authorization_required(server, make_manager):
    m = make_manager(server.code_config())
    with pytest.raises(mcp_oauth_client.AuthorizationRequiredError) as info:
        m.get_token()
    assert info.value.code == -10
    assert server.token_count() == 0


def test_unsupported_without_authorize_url(server, make_manager):
    m = make_manager(server.cc_config())
    with pytest.raises(mcp_oauth_client.UnsupportedError) as info:
        m.begin_authorization("http://127.0.0.1:9/cb")
    assert info.value.code == -12


def test_config_error_without_redirect_uri(server, make_manager):
    cfg = server.code_config()
    cfg.redirect_uri = None
    m = make_manager(cfg)
    with pytest.raises(mcp_oauth_client.ConfigError) as info:
        m.begin_authorization()
    assert info.value.code == -3
    assert info.value.field == "redirect_uri"


def test_config_error_bad_redirect_uri(server, make_manager):
    cfg = server.code_config()
    cfg.redirect_uri = None
    m = make_manager(cfg)
    with pytest.raises(mcp_oauth_client.ConfigError):
        m.begin_authorization("not a uri#frag")


def test_error_messages_never_contain_the_secret(server, make_manager):
    """Drive every failing path with the leak-check client and look for its secret."""
    cfg = mcp_oauth_client.McpOAuthConfig(
        client_id=LEAK_CLIENT_ID,
        client_secret=LEAK_CLIENT_SECRET,
        token_url=server.token_url,
        http_timeout_seconds=1,
    )
    failures = [
        dict(status=400, body='{"error":"invalid_client"}'),
        dict(status=500, body="oops", content_type="text/plain"),
        dict(status=200, body="garbage", content_type="text/plain"),
        dict(mode="hang"),
        dict(mode="reset"),
        dict(mode="redirect"),
    ]
    raised = []
    for failure in failures:
        server.reset()
        server.fail(3, **failure)  # transient ones are retried up to 3 times
        m = make_manager(cfg)
        with pytest.raises(mcp_oauth_client.McpOAuthError) as info:
            m.get_token()
        raised.append(type(info.value).__name__)
        assert_no_secret(info.value)
    assert len(set(raised)) >= 4, raised


def test_errors_carry_no_control_characters(server, make_manager):
    """Issue 12 item 5: a server's terminal escape sequences (window title,
    clear screen, OSC 52 clipboard write, C1 CSI, bidi override) reach no
    message or field of the exception raw."""
    attack = "\x1b]0;pwned\x07\x1b[2J\x1b]52;c;eA==\x07\x9b2J\u202eevil"
    server.fail(1, status=400, body=json.dumps({"error": "invalid_client", "error_description": attack}))
    m = make_manager(server.cc_config())
    with pytest.raises(mcp_oauth_client.OAuthError) as info:
        m.get_token()
    err = info.value
    for text in (str(err), err.message, err.error_description, json.dumps(err.details, ensure_ascii=False)):
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c == "\u202e" for c in text), repr(text)
    assert "\\x1b]0;pwned" in err.error_description
