"""McpOAuthConfig: the configuration of an OAuthTokenManager."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Union

from ._errors import E_CONFIG, ConfigError


@dataclass
class McpOAuthConfig:
    """Configuration of an :class:`~mcp_oauth_client.OAuthTokenManager`.

    The first six fields are the seed API's; the others are the extras that
    ``mcp_oauth_new`` accepts (see ``include/mcp_oauth.h``). ``None`` means
    "not set" and is left out of the JSON handed to the library, which
    validates everything strictly and names the field at fault in a
    :class:`~mcp_oauth_client.ConfigError`.

    Attributes:
        client_id: OAuth client identifier.
        client_secret: client secret, for a confidential client.
        token_url: token endpoint (https://, or http:// on loopback).
        authorize_url: authorization endpoint, for the authorization code flow.
        scopes: requested scopes.
        pkce: use PKCE (S256); defaults to on with ``authorize_url``.
        resource: RFC 8707 resource indicator sent on every request.
        redirect_uri: default redirect URI for :meth:`begin_authorization`.
        grant_type: ``"client_credentials"`` or ``"authorization_code"``.
        token_endpoint_auth_method: ``"client_secret_basic"``,
            ``"client_secret_post"``, ``"private_key_jwt"`` or ``"none"``.
        issuer: expected ``iss`` of authorization responses (RFC 9207).
        http_timeout_seconds: bound on each HTTP request (default 30).
        refresh_margin_seconds: refresh this long before expiry (default 30).
        ca_file: PEM file of trusted CAs.
        mcp_max_response_bytes: bound on each MCP response body and SSE
            event (default 8 MiB); a larger answer raises McpError and
            closes that session.
        token_store_dir: directory (kept 0700) where the registration and
            tokens are persisted, so a restarted program reuses them.
        server_url: the MCP server's URL: discovery mode (MCP authorization),
            in which token_url, authorize_url and client_id are optional and
            found from the server (RFC 9728, RFC 8414; dynamic registration,
            RFC 7591, when no client_id is given).
        client_metadata_url: https URL of the client's ID metadata document,
            used as client_id when the authorization server supports it.
        client_name: client_name for dynamic registration.
        private_key_pem: PEM private key for ``private_key_jwt`` (RFC 7523).
        signing_alg: ``"ES256"`` (default) or ``"RS256"``.
        device_authorization_url: device authorization endpoint (RFC 8628),
            for :meth:`~mcp_oauth_client.OAuthTokenManager.begin_device_authorization`.
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
    server_url: Optional[str] = None
    client_metadata_url: Optional[str] = None
    client_name: Optional[str] = None
    private_key_pem: Optional[str] = field(default=None, repr=False)
    signing_alg: Optional[str] = None
    device_authorization_url: Optional[str] = None

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
