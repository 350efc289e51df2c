"""Configuration: serialisation and ConfigError naming the field."""

import json
import os

import pytest

import mcp_oauth_client
from conftest import CLIENT_SECRET, assert_no_secret

CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def test_to_json_omits_none_and_keeps_seed_fields():
    cfg = mcp_oauth_client.McpOAuthConfig(
        client_id="c", client_secret="s", token_url="https://as.example/token", scopes=["a", "b"]
    )
    assert json.loads(cfg.to_json()) == {
        "client_id": "c",
        "client_secret": "s",
        "token_url": "https://as.example/token",
        "scopes": ["a", "b"],
    }
    full = mcp_oauth_client.McpOAuthConfig(
        client_id="c",
        token_url="https://as.example/token",
        authorize_url="https://as.example/authorize",
        pkce=True,
        resource="https://mcp.example/",
        redirect_uri="http://127.0.0.1:1/cb",
        grant_type="authorization_code",
        token_endpoint_auth_method="none",
        issuer="https://as.example",
        http_timeout_seconds=5,
        refresh_margin_seconds=10.5,
        ca_file="/etc/ssl/certs/ca-certificates.crt",
    )
    assert set(json.loads(full.to_json())) == {
        "client_id",
        "token_url",
        "authorize_url",
        "scopes",
        "pkce",
        "resource",
        "redirect_uri",
        "grant_type",
        "token_endpoint_auth_method",
        "issuer",
        "http_timeout_seconds",
        "refresh_margin_seconds",
        "ca_file",
    }


def test_repr_hides_secret():
    cfg = mcp_oauth_client.McpOAuthConfig(client_id="c", client_secret=CLIENT_SECRET, token_url="https://x/token")
    assert CLIENT_SECRET not in repr(cfg)


def test_every_documented_field_accepted(make_manager, server):
    cfg = server.code_config(
        client_secret=CLIENT_SECRET,
        token_endpoint_auth_method="client_secret_post",
        pkce=True,
        resource="https://mcp.example/",
        grant_type="authorization_code",
        http_timeout_seconds=5,
        refresh_margin_seconds=10,
    )
    cfg.client_id = "test-client"
    if os.path.exists(CA_BUNDLE):
        cfg.ca_file = CA_BUNDLE
    make_manager(cfg)
    make_manager(cfg.to_dict())  # a dict works too


@pytest.mark.parametrize(
    "change, field",
    [
        ({"client_id": None}, "client_id"),
        ({"token_url": ""}, "token_url"),
        ({"token_url": "http://as.example.com/token"}, "token_url"),  # non-loopback http
        ({"token_url": "not a url"}, "token_url"),
        ({"bogus": 1}, "bogus"),
        ({"scopes": "mcp:read"}, "scopes"),
        ({"grant_type": "password"}, "grant_type"),
        ({"token_endpoint_auth_method": "tls_client_auth"}, "token_endpoint_auth_method"),
        ({"token_endpoint_auth_method": "private_key_jwt"}, "private_key_pem"),  # needs a key
        ({"signing_alg": "HS256"}, "signing_alg"),
        ({"authorize_url": "https://as.example/authorize", "pkce": False}, "pkce"),
        ({"http_timeout_seconds": "soon"}, "http_timeout_seconds"),
    ],
)
def test_config_error_names_field(change, field):
    cfg = {"client_id": "c", "client_secret": CLIENT_SECRET, "token_url": "https://as.example/token"}
    cfg.update(change)
    cfg = {k: v for k, v in cfg.items() if v is not None}
    with pytest.raises(mcp_oauth_client.ConfigError) as info:
        mcp_oauth_client.OAuthTokenManager(cfg)
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, mcp_oauth_client.McpOAuthError)
    assert err.code == -3
    assert err.field == field, (err.field, str(err))
    assert field in str(err)
    assert_no_secret(err)


def test_dataclass_without_token_url_names_it():
    with pytest.raises(mcp_oauth_client.ConfigError) as info:
        mcp_oauth_client.OAuthTokenManager(mcp_oauth_client.McpOAuthConfig(client_id="c"))
    assert info.value.field == "token_url"


def test_malformed_config_values():
    with pytest.raises(mcp_oauth_client.ConfigError) as info:
        mcp_oauth_client.OAuthTokenManager(
            {"client_id": "c", "token_url": "https://x/t", "http_timeout_seconds": float("nan")}
        )
    assert_no_secret(info.value)
    with pytest.raises(mcp_oauth_client.ConfigError):
        mcp_oauth_client.OAuthTokenManager({"client_id": "c", "token_url": "https://x/t", "scopes": [object()]})


def test_config_of_wrong_type():
    with pytest.raises(TypeError):
        mcp_oauth_client.OAuthTokenManager(42)  # type: ignore[arg-type]


def test_discovery_mode_fields():
    cfg = mcp_oauth_client.McpOAuthConfig(
        server_url="https://mcp.example/mcp",
        client_metadata_url="https://app.example/client.json",
        client_name="my app",
        private_key_pem="-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----\n",
        signing_alg="ES256",
        token_endpoint_auth_method="private_key_jwt",
    )
    doc = json.loads(cfg.to_json())
    assert set(doc) == {
        "server_url", "client_metadata_url", "client_name", "private_key_pem", "signing_alg",
        "token_endpoint_auth_method", "scopes",
    }
    assert "secret" not in repr(cfg)
    # server_url alone is a complete configuration (no client_id, no token_url).
    with mcp_oauth_client.OAuthTokenManager(mcp_oauth_client.McpOAuthConfig(server_url="https://mcp.example/mcp")) as m:
        assert not m.closed


def test_lone_surrogate_is_refused_not_replaced():
    """Regression: a string with no UTF-8 form raised UnicodeEncodeError (or,
    inside the config, reached the library as U+FFFD); it is an
    InvalidArgumentError."""
    with pytest.raises(mcp_oauth_client.InvalidArgumentError):
        mcp_oauth_client.OAuthTokenManager({"client_id": "a\ud800", "token_url": "https://as.example/token"})
    with pytest.raises(mcp_oauth_client.InvalidArgumentError):
        mcp_oauth_client.generate_code_challenge("v" * 42 + "\udfff")
