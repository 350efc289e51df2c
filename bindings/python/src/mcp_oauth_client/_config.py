"""McpOAuthConfig: the configuration of an OAuthTokenManager."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Union

from ._errors import E_CONFIG, ConfigError


@dataclass
class McpOAuthConfig:
    # BEGIN GENERATED config (make generate; source: core/config.go)
    """Configuration of an :class:`~mcp_oauth_client.OAuthTokenManager`.

    One attribute per member of the library's JSON configuration (generated
    from core/config.go). ``None`` means "not set" and is left out of the
    JSON handed to the library, which validates everything strictly and names
    the field at fault in a :class:`~mcp_oauth_client.ConfigError`.

    Attributes:
        client_id: The OAuth client identifier. With `server_url` (and another grant
            than `jwt_bearer`) a client ID metadata document or dynamic registration
            (RFC 7591) may identify the client instead. Required unless `server_url` is
            set.
        client_secret: A confidential client's secret.
        token_url: The token endpoint: https://, or http:// on a loopback address.
            Discovered with `server_url`. Required unless `server_url` is set.
        authorize_url: The authorization endpoint: enables the authorization code flow.
        scopes: The scopes to request (RFC 6749 §3.3). With `server_url`, the server's
            when not set.
        pkce: PKCE with S256 (RFC 7636). On by default with `authorize_url` or the
            `authorization_code` grant; OAuth 2.1 requires it, so false is refused
            together with `authorize_url`.
        resource: The RFC 8707 resource indicator sent on every authorization and token
            request. With `server_url`, the discovered one when not set.
        redirect_uri: The redirect URI of the authorization code flow: the default of
            authorize_begin. With `server_url`, http://127.0.0.1/callback (a loopback
            listener on a free port, RFC 8252 §7.3) when not set.
        grant_type: The grant that obtains tokens. Default: `jwt_bearer` when
            `idp_id_token` or a workload identity token is set; `authorization_code`
            with `authorize_url`, `device_authorization_url`, or `server_url` without a
            client secret or key; else `client_credentials`. One of
            "client_credentials", "authorization_code" or "jwt_bearer".
        token_endpoint_auth_method: How the client authenticates at the token endpoint
            (RFC 7591 §2). Default: `private_key_jwt` with `private_key_pem`,
            `client_secret_basic` with `client_secret`, else `none`. One of
            "client_secret_basic", "client_secret_post", "private_key_jwt" or "none".
        issuer: The authorization server's issuer: authorization responses must carry a
            matching `iss` (RFC 9207). With `server_url`, the only authorization server
            the client's credentials are sent to: an MCP server whose metadata names
            another is refused before that server is contacted. Required with
            `jwt_bearer` without `server_url` (it is the ID-JAG's audience). Required
            with `server_url` and a `client_secret` or `private_key_pem`.
        http_timeout_seconds: The bound on each HTTP request, in seconds (0 means the
            default; at most 3600). Default 30.
        refresh_margin_seconds: A token is refreshed in the background once it is this
            many seconds from expiry, or in its last 10 % of life if that is longer, but
            at most half its lifetime (0 to 86400). Default 30.
        ca_file: A PEM file of CAs to trust besides the system's (a company's private
            CA, say).
        mcp_max_response_bytes: The bound on each MCP response body and on each event of
            an MCP SSE stream, in bytes (0 means the default; at most 1 GiB): past it
            the session is closed and the call fails, naming this member. Default
            8388608 (8 MiB).
        token_store_dir: A directory (created 0700; refused if others can read it) where
            the client registration and the tokens are kept in 0600 files, per MCP
            server, issuer and client, so that a restarted program reuses them.
        token_store: A token store instead of files: `keyring`, the OS keyring (the
            Secret Service on Linux, with `token_store_dir`, default
            ~/.config/mcp-oauth, holding only lock files, or everything where no keyring
            runs; the Credential Manager on Windows; see "Token store" in
            docs/concepts.md); or, shared by processes on many hosts instead of
            `token_store_dir`, the `redis://` or `rediss://` URL of a Redis or Valkey
            server (user and password in the URL, or the password in the environment
            variable `MCP_OAUTH_REDIS_PASSWORD`): one token request per credential
            across the fleet; see "Running on many hosts" in docs/concepts.md.
        token_store_key_file: A file holding the key that encrypts the entries of
            `token_store` (AES-256-GCM): 32 bytes, raw or base64. Without it the
            environment variable `MCP_OAUTH_STORE_KEY` (32 bytes, base64) is used;
            without either, tokens are stored in clear.
        token_store_fallback: When `token_store` cannot be reached: `unshared` requests
            tokens without sharing them, `fail` fails the token request with a network
            error. Callers holding a valid token are not affected either way. Default
            unshared. One of "unshared" or "fail".
        server_url: The MCP server's URL: discovery mode (MCP authorization). The
            authorization server is found from its protected resource metadata (RFC
            9728, RFC 8414); `token_url`, `authorize_url` and `client_id` become
            optional.
        client_metadata_url: The https URL of the client's ID metadata document, used as
            `client_id` when the authorization server supports it.
        client_name: The client_name sent in dynamic client registration (RFC 7591).
        private_key_pem: A PEM private key for `private_key_jwt` client authentication
            (RFC 7523 §2.2), the default auth method with it.
        signing_alg: The signing algorithm of the `private_key_jwt` assertions. Default
            ES256. One of "ES256" or "RS256".
        device_authorization_url: The device authorization endpoint (RFC 8628 §3.1),
            for the device flow, when endpoints are configured rather than discovered.
            The device grant obtains user-delegated tokens: with it `grant_type`
            defaults to `authorization_code`, which then needs no `authorize_url`.
        idp_token_endpoint: The enterprise identity provider's token endpoint (https://,
            or http:// on loopback), where the user's ID token is exchanged for an
            ID-JAG (RFC 8693). Required with `jwt_bearer`.
        idp_client_id: The client's identifier at the identity provider. Required with
            `jwt_bearer`.
        idp_client_secret: The client's secret at the identity provider
            (client_secret_basic); without it the client is public there.
        idp_id_token: The user's ID token from the identity provider. Required with
            `jwt_bearer`.
        dpop: DPoP-bound tokens (RFC 9449): true binds every token to a key of the
            client; unset uses DPoP when the MCP server asks for it (its metadata's
            `dpop_bound_access_tokens_required`, or DPoP challenges); false never (a
            server that requires it is then a configuration error).
        dpop_key_pem: The DPoP private key, PEM: EC P-256 (ES256) or RSA of at least
            2048 bits (RS256). Default: a generated key, kept in `token_store_dir` with
            the tokens it binds.
        workload_identity_token: A workload identity JWT (a Kubernetes service-account
            token, a GitHub Actions OIDC token, a SPIFFE JWT-SVID) presented as a
            jwt-bearer grant (RFC 7523 §2.1, workload identity federation); selects
            `jwt_bearer`.
        workload_identity_token_file: A file holding the workload identity JWT, read
            again for every new token so that a rotated file is followed; selects
            `jwt_bearer`.
        workload_identity_token_command: A command (program and arguments, no shell)
            printing the workload identity JWT, bounded by `http_timeout_seconds`;
            selects `jwt_bearer`.
        login: How the manager logs a user in by itself when a token needs one (instead
            of failing with "authorization required"): `browser` runs the interactive
            authorization code flow (RFC 8252, a loopback redirect) and shows the URL
            with `open_command`; `device` runs the device authorization grant (RFC 8628)
            and prints its user code and verification URI to standard error. One login
            at a time, shared by every caller waiting for a token; the explicit
            authorize and device calls remain. Needs the `authorization_code` grant.
            Default none. One of "none", "browser" or "device".
        open_command: The program that opens the authorization URL of `login` `browser`,
            started with the URL as its only argument (no shell), e.g. `xdg-open`;
            without it the URL is printed to standard error.
        mcp_headers: HTTP headers sent on every MCP request to the server (its origin
            only, never to the authorization server), as lines "Name: value" — an API
            key or a routing header a gateway wants. Authorization, DPoP, Cookie, Host,
            the MCP transport's own headers (Accept, Content-Type, Mcp-*) and HTTP
            framing headers are refused.
    """

    client_id: Optional[str] = None
    client_secret: Optional[str] = field(default=None, repr=False)
    token_url: Optional[str] = None
    authorize_url: Optional[str] = None
    scopes: List[str] = field(default_factory=list)
    pkce: Optional[bool] = None
    resource: Optional[str] = None
    redirect_uri: Optional[str] = None
    grant_type: Optional[str] = None
    token_endpoint_auth_method: Optional[str] = None
    issuer: Optional[str] = None
    http_timeout_seconds: Optional[float] = None
    refresh_margin_seconds: Optional[float] = None
    ca_file: Optional[str] = None
    mcp_max_response_bytes: Optional[int] = None
    token_store_dir: Optional[str] = None
    token_store: Optional[str] = None
    token_store_key_file: Optional[str] = None
    token_store_fallback: Optional[str] = None
    server_url: Optional[str] = None
    client_metadata_url: Optional[str] = None
    client_name: Optional[str] = None
    private_key_pem: Optional[str] = field(default=None, repr=False)
    signing_alg: Optional[str] = None
    device_authorization_url: Optional[str] = None
    idp_token_endpoint: Optional[str] = None
    idp_client_id: Optional[str] = None
    idp_client_secret: Optional[str] = field(default=None, repr=False)
    idp_id_token: Optional[str] = field(default=None, repr=False)
    dpop: Optional[bool] = None
    dpop_key_pem: Optional[str] = field(default=None, repr=False)
    workload_identity_token: Optional[str] = field(default=None, repr=False)
    workload_identity_token_file: Optional[str] = None
    workload_identity_token_command: Optional[List[str]] = None
    login: Optional[str] = None
    open_command: Optional[str] = None
    mcp_headers: Optional[List[str]] = field(default=None, repr=False)
    # END GENERATED config

    def to_dict(self) -> Dict[str, Any]:
        """The configuration as the library's JSON object, without ``None`` members."""
        out: Dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if f.name == "scopes" and not isinstance(value, (str, bytes)):
                value = list(value)
            out[f.name] = value
        return out

    def to_json(self) -> str:
        """The configuration serialised for ``mcp_oauth_new``."""
        return _dumps(self.to_dict())


ConfigLike = Union[McpOAuthConfig, Mapping[str, Any]]


def _dumps(obj: Mapping[str, Any]) -> str:
    try:
        # ensure_ascii=False keeps a lone surrogate as itself, which the
        # UTF-8 encoding for the library then refuses, rather than a \ud800
        # escape that the library would silently turn into U+FFFD.
        return json.dumps(obj, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        # json's messages name the type, never the value.
        raise ConfigError(f"mcp-oauth: invalid config: not representable as JSON: {exc}", E_CONFIG) from None


def config_json(config: ConfigLike) -> str:
    """Serialises a McpOAuthConfig or a mapping of the same members."""
    if isinstance(config, McpOAuthConfig):
        return config.to_json()
    if isinstance(config, Mapping):
        return _dumps({k: v for k, v in config.items() if v is not None})
    raise TypeError(f"mcp_oauth_client: config must be a McpOAuthConfig or a dict, not {type(config).__name__}")
