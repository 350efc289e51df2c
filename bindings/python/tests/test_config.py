"""Configuration: serialisation and ConfigError naming the field."""

import dataclasses
import json
import os
import re
from pathlib import Path
from typing import Any, Dict, List

import pytest

import mcp_oauth_client
from conftest import CLIENT_ID, CLIENT_SECRET, PUBLIC_CLIENT_ID, assert_no_secret

CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def test_to_json_omits_none_and_keeps_set_fields():
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


# The configuration table of docs/concepts.md (generated from core/config.go):
# one row per member.
CONCEPTS = Path(__file__).resolve().parents[3] / "docs" / "concepts.md"


def documented_fields() -> List[str]:
    text = CONCEPTS.read_text(encoding="utf-8")
    table = text[text.index("| member | type | required | default | meaning |"):]
    table = table[: table.index("<!-- END GENERATED config -->")]
    fields: List[str] = []
    for row in table.splitlines()[2:]:
        fields += re.findall(r"`([a-z_]+)`", row.split("|")[1])
    return fields


# A throwaway P-256 key (generated for this test, protects nothing).
TEST_KEY = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgND/4CHYgcOHDlGwb
xNhk9iM/uN0FmHgeetnSdOmA/XmhRANCAAQqPQBcy2bgbvlrveYwJH2Acb+JM0bx
etk0VFXA+PB5zocLiXfhkoGt8MFgUpOmws3h+5gFvHDQAE7TB7EJCSie
-----END PRIVATE KEY-----
"""

def field_samples(server: Any, tmp_path: Path) -> Dict[str, Dict[str, Any]]:
    """For each documented member, a valid configuration that sets it."""
    cc = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "token_url": server.token_url}
    code = server.code_config().to_dict()
    discovery = {"server_url": "https://mcp.example/mcp"}
    key = {"client_id": CLIENT_ID, "token_url": server.token_url, "private_key_pem": TEST_KEY, "signing_alg": "ES256"}
    idp = {
        "client_id": CLIENT_ID, "token_url": server.token_url, "issuer": server.issuer, "grant_type": "jwt_bearer",
        "idp_token_endpoint": "https://idp.example/token", "idp_client_id": "idp-client",
        "idp_client_secret": "idp-secret", "idp_id_token": "id-token",
    }
    wif = {"token_url": server.token_url, "issuer": server.issuer}
    shared = {**cc, "token_store": "redis://127.0.0.1:9/0"}  # no connection until a token is needed
    store_key = tmp_path / "store.key"
    store_key.write_text("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    return {
        "server_url": discovery,
        "client_id": cc,
        "client_secret": cc,
        "token_url": cc,
        "authorize_url": code,
        "device_authorization_url": {
            "client_id": PUBLIC_CLIENT_ID, "token_url": server.token_url,
            "device_authorization_url": server.token_url.rsplit("/", 1)[0] + "/device_authorization",
        },
        "scopes": {**cc, "scopes": ["mcp:read"]},
        "pkce": {**code, "pkce": True},
        "resource": {**cc, "resource": "https://mcp.example/"},
        "redirect_uri": code,
        "grant_type": {**cc, "grant_type": "client_credentials"},
        "token_endpoint_auth_method": {**cc, "token_endpoint_auth_method": "client_secret_post"},
        "issuer": {**cc, "issuer": server.issuer},
        "http_timeout_seconds": {**cc, "http_timeout_seconds": 5},
        "refresh_margin_seconds": {**cc, "refresh_margin_seconds": 10},
        "ca_file": {**cc, "ca_file": CA_BUNDLE},
        "mcp_max_response_bytes": {**cc, "mcp_max_response_bytes": 1 << 20},
        "token_store_dir": {**cc, "token_store_dir": str(tmp_path / "store")},
        "token_store": shared,
        "token_store_key_file": {**shared, "token_store_key_file": str(store_key)},
        "token_store_fallback": {**shared, "token_store_fallback": "fail"},
        "client_metadata_url": {**discovery, "client_metadata_url": "https://app.example/client.json"},
        "client_name": {**discovery, "client_name": "my app"},
        "private_key_pem": key,
        "signing_alg": key,
        "idp_token_endpoint": idp,
        "idp_client_id": idp,
        "idp_client_secret": idp,
        "idp_id_token": idp,
        "dpop": {**cc, "dpop": True},
        "dpop_key_pem": {**cc, "dpop": True, "dpop_key_pem": TEST_KEY},
        "workload_identity_token": {**wif, "workload_identity_token": "a.b.c"},
        "workload_identity_token_file": {**wif, "workload_identity_token_file": str(tmp_path / "jwt")},
        "workload_identity_token_command": {**wif, "workload_identity_token_command": ["print-token"]},
        "mcp_headers": {**cc, "mcp_headers": ["X-Api-Key: k-123"]},
        "login": {**code, "login": "device"},
        "open_command": {**code, "login": "browser", "open_command": "xdg-open"},
    }


def test_every_documented_field_accepted(make_manager, server, tmp_path):
    """Every member of the docs' table is accepted by the library, and the
    same value under a name the docs do not list is refused, naming it."""
    fields = documented_fields()
    assert len(fields) >= 25, fields
    samples = field_samples(server, tmp_path)
    assert sorted(samples) == sorted(fields), "a documented member without a sample, or a sample not documented"
    assert os.path.exists(CA_BUNDLE), "ca_file needs the system CA bundle"
    for name in fields:
        cfg = samples[name]
        assert name in cfg, name
        make_manager(cfg)  # raises ConfigError if the member is refused
        misspelt = {**cfg, name + "_x": cfg[name]}
        del misspelt[name]
        with pytest.raises(mcp_oauth_client.ConfigError) as info:
            make_manager(misspelt)
        assert info.value.field == name + "_x", name
    dataclass_fields = {f.name for f in dataclasses.fields(mcp_oauth_client.McpOAuthConfig)}
    assert set(fields) == dataclass_fields
    for name in fields:
        cfg = mcp_oauth_client.McpOAuthConfig(**samples[name])
        assert cfg.to_dict()[name] == samples[name][name], name
        make_manager(cfg)  # the dataclass form too


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
