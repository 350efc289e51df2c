"""The tables this binding shares with the library stay equal to their sources.

The status constants of ``_errors`` and the fields of ``McpOAuthConfig`` are
generated from ``include/mcp_oauth.h`` and ``core/config.go``
(``make generate``; the Go test of ``internal/tablegen`` fails when they
differ). What is written by hand around them is checked here: one exception
class per status code, the class names in docs/concepts.md, the library's
strerror texts, and a ``McpOAuthConfig`` with every member that the library
accepts.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

import mcp_oauth_client
from mcp_oauth_client import _errors, _ffi
from conftest import REPO

HEADER = REPO / "include" / "mcp_oauth.h"
CONCEPTS = REPO / "docs" / "concepts.md"

# The status constants of _errors (generated from the header).
CODES = {name: value for name, value in vars(_errors).items() if re.fullmatch(r"OK|E_[A-Z0-9_]+", name)}


def test_status_constants_run_from_ok_down():
    assert CODES["OK"] == 0
    assert sorted(CODES.values(), reverse=True) == list(range(0, -len(CODES), -1))


def test_every_status_code_has_its_own_class():
    errors = {value: name for name, value in CODES.items() if name != "OK"}
    assert set(_errors._BY_CODE) == set(errors)
    assert len(set(_errors._BY_CODE.values())) == len(errors), "two codes share a class"
    for code, cls in _errors._BY_CODE.items():
        # Each class's docstring starts with the macro it stands for.
        assert (cls.__doc__ or "").startswith(f"MCP_OAUTH_{errors[code]}:"), cls
        err = _errors.error_for(code, None, "msg")
        assert type(err) is cls and err.code == code and isinstance(err, mcp_oauth_client.McpOAuthError)
        assert getattr(mcp_oauth_client, cls.__name__) is cls, f"{cls.__name__} is not exported"
    unknown = _errors.error_for(min(CODES.values()) - 1, '{"code":-999,"message":"new"}', "x")
    assert type(unknown) is mcp_oauth_client.McpOAuthError and str(unknown) == "new"
    assert issubclass(mcp_oauth_client.McpOAuthTimeoutError, TimeoutError)
    assert issubclass(mcp_oauth_client.ConfigError, ValueError)


def test_former_class_names_still_work_and_warn():
    """One vocabulary (issue 16): McpOAuthTimeout and OperationCancelled were
    renamed; code that imports the old names gets the same class and a
    DeprecationWarning. The old names are not in __all__."""
    for old, new in [("McpOAuthTimeout", "McpOAuthTimeoutError"), ("OperationCancelled", "McpOAuthCancelledError")]:
        with pytest.warns(DeprecationWarning, match=new):
            cls = getattr(mcp_oauth_client, old)
        assert cls is getattr(mcp_oauth_client, new)
        assert old not in mcp_oauth_client.__all__
    with pytest.warns(DeprecationWarning):
        from mcp_oauth_client import McpOAuthTimeout  # noqa: F401


@pytest.mark.skipif(not CONCEPTS.is_file(), reason="needs the checkout's docs/concepts.md")
def test_docs_error_table_names_the_python_classes():
    rows = re.findall(r"^\| (-\d+) \| `MCP_OAUTH_\w+` \| `(\w+)`", CONCEPTS.read_text(), flags=re.M)
    assert {int(code): name for code, name in rows} == {c: cls.__name__ for c, cls in _errors._BY_CODE.items()}


@pytest.mark.skipif(not HEADER.is_file(), reason="needs the checkout's include/mcp_oauth.h")
def test_strerror_names_every_header_code():
    codes = [int(v) for v in re.findall(r"^#define MCP_OAUTH_(?:OK|E_\w+)\s+(-?\d+)\s*$", HEADER.read_text(), flags=re.M)]
    texts = [_ffi.strerror(code) for code in codes]
    assert "unknown status" not in texts
    assert len(set(texts)) == len(texts), texts
    assert _ffi.strerror(min(codes) - 1) == "unknown status"


EC_KEY = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg3a2BapAlu3KgLSE2
ZGQDjZIFiR3oHTnb1E4nv/9MbTChRANCAATFf8cNUVtKySmdWr8GHAZfSQVFoyfV
zDESyg9o2B1SrSG0LV3iBsIi0tl4fJOmn91/OEpq3LfC7xCGYq3nmB8C
-----END PRIVATE KEY-----
"""
CA_CERT = """-----BEGIN CERTIFICATE-----
MIIBezCCASGgAwIBAgIUBijllbv5PJqdHJitoLETWqp2J6wwCgYIKoZIzj0EAwIw
EjEQMA4GA1UEAwwHdGVzdC1jYTAgFw0yNjEyMDQxNzM1MTZaGA8yMTI2MTExMDE3
MzUxNlowEjEQMA4GA1UEAwwHdGVzdC1jYTBZMBMGByqGSM49AgEGCCqGSM49AwEH
A0IABMV/xw1RW0rJKZ1avwYcBl9JBUWjJ9XMMRLKD2jYHVKtIbQtXeIGwiLS2Xh8
k6af3X84Smrct8LvEIZireeYHwKjUzBRMB0GA1UdDgQWBBQAB224dJfw+hgybEmx
+Rm89LOZETAfBgNVHSMEGDAWgBQAB224dJfw+hgybEmx+Rm89LOZETAPBgNVHRMB
Af8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIGGbORSJYBW4T8wPsZ3qKEWZkppI
43XCSVGkVpoJTpSvAiEAsNbP55B1Cg3PAg3SGz9QaqNhm4VXTlXgtyprBBDQqMc=
-----END CERTIFICATE-----
"""


def test_config_takes_the_seed_parameters_by_position():
    """The generated dataclass keeps the seed API's first six parameters in order."""
    cfg = mcp_oauth_client.McpOAuthConfig("c", "s", "https://as.example/token", "https://as.example/authorize", ["a"], True)
    assert (cfg.client_id, cfg.client_secret, cfg.token_url, cfg.authorize_url, cfg.scopes, cfg.pkce) == (
        "c", "s", "https://as.example/token", "https://as.example/authorize", ["a"], True,
    )


def test_config_with_every_member_is_accepted(tmp_path):
    """Every documented member, set at once (an enterprise-managed client, whose
    idp_* members the dataclass once lacked), is accepted by the library."""
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text(CA_CERT)
    values = {
        "client_id": "c",
        "client_secret": "s",
        "token_url": "https://as.example/token",
        "authorize_url": "https://as.example/authorize",
        "device_authorization_url": "https://as.example/device",
        "scopes": ["mcp:read"],
        "pkce": True,
        "resource": "https://mcp.example/mcp",
        "redirect_uri": "http://127.0.0.1:8976/callback",
        "grant_type": "jwt_bearer",
        "token_endpoint_auth_method": "private_key_jwt",
        "issuer": "https://as.example",
        "http_timeout_seconds": 5.0,
        "refresh_margin_seconds": 10.0,
        "ca_file": str(ca_file),
        "mcp_max_response_bytes": 1 << 20,
        "server_url": "https://mcp.example/mcp",
        "client_metadata_url": "https://app.example/client.json",
        "client_name": "every member",
        "private_key_pem": EC_KEY,
        "signing_alg": "ES256",
        "token_store_dir": str(tmp_path / "store"),
        "idp_token_endpoint": "https://idp.example/token",
        "idp_client_id": "idp-client",
        "idp_client_secret": "idp-secret",
        "idp_id_token": "id-token",
        "mcp_headers": ["X-Api-Key: k-123"],
    }
    # A workload identity (one source at a time, without the idp_* members)
    # and DPoP complete the members.
    workload = {
        "workload_identity_token": "a.b.c",
        "workload_identity_token_file": str(tmp_path / "jwt"),
        "workload_identity_token_command": ["print-token", "--audience", "mcp"],
    }
    dpop = {"dpop": True, "dpop_key_pem": EC_KEY}
    # A shared store (token_store and its members) stands instead of
    # token_store_dir: the two exclude each other.
    key_file = tmp_path / "store.key"
    key_file.write_text("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    shared_store = {"token_store": "redis://127.0.0.1:9/0", "token_store_key_file": str(key_file),
                    "token_store_fallback": "unshared"}
    # The manager's own login needs a user-delegated grant, not jwt_bearer.
    login = {"login": "browser", "open_command": "xdg-open"}
    members = {f.name for f in dataclasses.fields(mcp_oauth_client.McpOAuthConfig)}
    assert members == set(values) | set(workload) | set(dpop) | set(shared_store) | set(login), \
        "give the new member a value here"
    with mcp_oauth_client.OAuthTokenManager(
        mcp_oauth_client.McpOAuthConfig(server_url="https://mcp.example/mcp", **login)
    ) as m:
        assert not m.closed
    for name, value in workload.items():
        wif = mcp_oauth_client.McpOAuthConfig(server_url="https://mcp.example/mcp", **{name: value}, **dpop)
        assert wif.to_dict() == {"server_url": "https://mcp.example/mcp", name: value, **dpop, "scopes": []}
        with mcp_oauth_client.OAuthTokenManager(wif) as m:
            assert not m.closed
    cfg = mcp_oauth_client.McpOAuthConfig(**values)
    assert cfg.to_dict() == values
    for secret in ("s", EC_KEY, "idp-secret", "id-token"):
        assert repr(secret) not in repr(cfg)
    with mcp_oauth_client.OAuthTokenManager(cfg) as m:
        assert not m.closed
    values.pop("token_store_dir")
    with mcp_oauth_client.OAuthTokenManager(mcp_oauth_client.McpOAuthConfig(**values, **shared_store)) as m:
        assert not m.closed
