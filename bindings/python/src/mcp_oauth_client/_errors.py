"""Exceptions raised by mcp_oauth_client, one class per status code of mcp_oauth.h.

The mapping from status code to class lives in one place, :data:`_BY_CODE`.
Messages come from the library (which never puts a client secret, a token, an
authorization code or a PKCE verifier in them) or from this binding (which
does not either).
"""

from __future__ import annotations

import json
from typing import Any, Dict, Mapping, Optional, Type

# BEGIN GENERATED status (make generate; source: include/mcp_oauth.h)
# Status codes, as in mcp_oauth.h. Stable: appended, never renumbered.
OK = 0
E_INVALID_ARGUMENT = -1
E_BAD_HANDLE = -2
E_CONFIG = -3
E_NETWORK = -4
E_TIMEOUT = -5
E_OAUTH = -6
E_PROTOCOL = -7
E_STATE_MISMATCH = -8
E_AUTHORIZATION_DENIED = -9
E_AUTHORIZATION_REQUIRED = -10
E_ISSUER_MISMATCH = -11
E_UNSUPPORTED = -12
E_INTERNAL = -13
E_SERVER = -14
E_MCP = -15
E_DISCOVERY = -16
E_RESOURCE_MISMATCH = -17
E_REGISTRATION = -18
E_INSUFFICIENT_SCOPE = -19
E_CANCELLED = -20
E_TOKEN_REJECTED = -21
# END GENERATED status

__all__ = [
    "McpOAuthError",
    "InvalidArgumentError",
    "BadHandleError",
    "ConfigError",
    "NetworkError",
    "McpOAuthTimeoutError",
    "OAuthError",
    "ProtocolError",
    "StateMismatchError",
    "AuthorizationDeniedError",
    "AuthorizationRequiredError",
    "IssuerMismatchError",
    "UnsupportedError",
    "InternalError",
    "ServerError",
    "McpError",
    "DiscoveryError",
    "ResourceMismatchError",
    "RegistrationError",
    "InsufficientScopeError",
    "McpOAuthCancelledError",
    "TokenRejectedError",
    "ForkedProcessError",
]


class McpOAuthError(Exception):
    """Base class of every error raised by mcp_oauth_client.

    Attributes:
        code: the library's status code (a negative ``MCP_OAUTH_E_*`` value),
            or ``None`` for an error detected by the binding itself.
        message: the human-readable message (also ``str(exc)``).
        details: the library's error object (``code``, ``message`` and, when
            they apply, ``field``, ``error``, ``error_description``,
            ``error_uri``, ``status``, ``retry_after``, ``rpc_code``,
            ``server``); ``{}`` when there is none.
    """

    code: Optional[int]
    message: str
    details: Dict[str, Any]

    def __init__(
        self,
        message: str,
        code: Optional[int] = None,
        details: Optional[Mapping[str, Any]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = dict(details) if details else {}

    def __reduce__(self) -> Any:  # keep pickling (multiprocessing) working
        return (_rebuild, (type(self), self.message, self.code, self.details))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r})"


def _rebuild(cls: Type[McpOAuthError], message: str, code: Optional[int], details: Dict[str, Any]) -> McpOAuthError:
    return cls(message, code, details)


class InvalidArgumentError(McpOAuthError, ValueError):
    """MCP_OAUTH_E_INVALID_ARGUMENT: a required argument was missing or invalid."""


class BadHandleError(McpOAuthError):
    """MCP_OAUTH_E_BAD_HANDLE: the manager was closed (or the handle is unknown)."""


class ConfigError(McpOAuthError, ValueError):
    """MCP_OAUTH_E_CONFIG: the configuration is invalid.

    ``field`` names the configuration member at fault (``None`` when the
    document as a whole is malformed).
    """

    @property
    def field(self) -> Optional[str]:
        return self.details.get("field") or None


class NetworkError(McpOAuthError):
    """MCP_OAUTH_E_NETWORK: the server could not be reached or the connection failed."""


class McpOAuthTimeoutError(McpOAuthError, TimeoutError):
    """MCP_OAUTH_E_TIMEOUT: a network call exceeded ``http_timeout_seconds``,
    a wait ran out of time, or the codes of a device authorization expired
    (then ``error`` is ``"expired_token"``, RFC 8628 §3.5).

    Also a builtin :class:`TimeoutError` (hence the prefix: the name is not
    taken from the builtin). Formerly ``McpOAuthTimeout``, still importable
    under that name (deprecated).
    """

    @property
    def error(self) -> Optional[str]:
        """``"expired_token"`` when the device authorization expired, else ``None``."""
        return self.details.get("error")


class _HasOAuthFields(McpOAuthError):
    @property
    def error(self) -> Optional[str]:
        """The OAuth error code (RFC 6749 §5.2 / §4.1.2.1), e.g. ``invalid_client``."""
        return self.details.get("error")

    @property
    def error_description(self) -> Optional[str]:
        return self.details.get("error_description")

    @property
    def error_uri(self) -> Optional[str]:
        return self.details.get("error_uri")


class _HasStatus(McpOAuthError):
    @property
    def status(self) -> Optional[int]:
        """The HTTP status of the server's response."""
        return self.details.get("status")


class OAuthError(_HasOAuthFields, _HasStatus):
    """MCP_OAUTH_E_OAUTH: the authorization server answered with an OAuth error.

    ``error``, ``error_description``, ``error_uri`` and ``status`` carry the
    response's members (RFC 6749 §5.2).
    """


class ProtocolError(McpOAuthError):
    """MCP_OAUTH_E_PROTOCOL: the server's response broke the protocol."""


class StateMismatchError(McpOAuthError):
    """MCP_OAUTH_E_STATE_MISMATCH: the redirect's ``state`` matches no pending authorization."""


class AuthorizationDeniedError(_HasOAuthFields):
    """MCP_OAUTH_E_AUTHORIZATION_DENIED: the authorization response carried ``error=``."""


class AuthorizationRequiredError(McpOAuthError):
    """MCP_OAUTH_E_AUTHORIZATION_REQUIRED: run the authorization code flow first."""


class IssuerMismatchError(McpOAuthError):
    """MCP_OAUTH_E_ISSUER_MISMATCH: the redirect's ``iss`` is not the configured issuer (RFC 9207)."""


class UnsupportedError(McpOAuthError):
    """MCP_OAUTH_E_UNSUPPORTED: the operation does not apply to this configuration."""


class InternalError(McpOAuthError):
    """MCP_OAUTH_E_INTERNAL: an internal library error (please report it)."""


class ServerError(_HasStatus):
    """MCP_OAUTH_E_SERVER: an HTTP error status without an OAuth error body."""


class McpError(McpOAuthError):
    """MCP_OAUTH_E_MCP: the MCP server answered with a JSON-RPC error, or the session failed.

    ``rpc_code`` is the JSON-RPC error code (e.g. -32602 for invalid params),
    ``None`` when the session itself failed.
    """

    @property
    def rpc_code(self) -> Optional[int]:
        return self.details.get("rpc_code")


class DiscoveryError(McpOAuthError):
    """MCP_OAUTH_E_DISCOVERY: MCP authorization discovery failed.

    No usable protected resource or authorization server metadata, a metadata
    issuer mismatch, no PKCE S256 support, or a refused discovery URL.
    """


class ResourceMismatchError(McpOAuthError):
    """MCP_OAUTH_E_RESOURCE_MISMATCH: the protected resource metadata names another resource (RFC 9728 §3.3).

    No authorization request was made.
    """


class RegistrationError(_HasOAuthFields, _HasStatus):
    """MCP_OAUTH_E_REGISTRATION: the client could not be identified to the authorization server.

    Dynamic registration was rejected (``error``, ``error_description``,
    ``status`` are set), no way to identify the client applies, or a
    pre-registered client belongs to another issuer.
    """


class InsufficientScopeError(McpOAuthError):
    """MCP_OAUTH_E_INSUFFICIENT_SCOPE: still ``insufficient_scope`` after 3 authorization attempts."""


class McpOAuthCancelledError(McpOAuthError):
    """MCP_OAUTH_E_CANCELLED: the call was ended by :meth:`OAuthTokenManager.cancel`.

    Not :class:`asyncio.CancelledError` (hence the prefix): a coroutine whose
    task is cancelled still raises that one. A cancelled device authorization
    stays pending. Formerly ``OperationCancelled``, still importable under
    that name (deprecated).
    """


class TokenRejectedError(_HasOAuthFields, _HasStatus):
    """MCP_OAUTH_E_TOKEN_REJECTED: the MCP server answered 401 to an access
    token obtained just after it had refused the previous one — it does not
    take this client's tokens (issued for another resource, by another
    authorization server, with scopes it does not accept). ``status`` is 401;
    ``error`` and ``error_description`` come from its ``WWW-Authenticate``
    challenge, when it sent them.
    """


class ForkedProcessError(McpOAuthError):
    """The library was used in a process forked after it was loaded.

    The Go runtime inside libmcp_oauth does not survive ``fork()``: a forked
    child must not call it (it would hang). Use the multiprocessing ``spawn``
    or ``forkserver`` start method, or create managers only after ``exec``.
    """


# Former names (docs/concepts.md, "One vocabulary"), kept for code that
# imports them: the package's __getattr__ warns (DeprecationWarning) and gives
# the class of the new name. Not in __all__.
DEPRECATED_NAMES: Dict[str, str] = {
    "McpOAuthTimeout": "McpOAuthTimeoutError",
    "OperationCancelled": "McpOAuthCancelledError",
}

# The one mapping from status code to exception class.
_BY_CODE: Dict[int, Type[McpOAuthError]] = {
    E_INVALID_ARGUMENT: InvalidArgumentError,
    E_BAD_HANDLE: BadHandleError,
    E_CONFIG: ConfigError,
    E_NETWORK: NetworkError,
    E_TIMEOUT: McpOAuthTimeoutError,
    E_OAUTH: OAuthError,
    E_PROTOCOL: ProtocolError,
    E_STATE_MISMATCH: StateMismatchError,
    E_AUTHORIZATION_DENIED: AuthorizationDeniedError,
    E_AUTHORIZATION_REQUIRED: AuthorizationRequiredError,
    E_ISSUER_MISMATCH: IssuerMismatchError,
    E_UNSUPPORTED: UnsupportedError,
    E_INTERNAL: InternalError,
    E_SERVER: ServerError,
    E_MCP: McpError,
    E_DISCOVERY: DiscoveryError,
    E_RESOURCE_MISMATCH: ResourceMismatchError,
    E_REGISTRATION: RegistrationError,
    E_INSUFFICIENT_SCOPE: InsufficientScopeError,
    E_CANCELLED: McpOAuthCancelledError,
    E_TOKEN_REJECTED: TokenRejectedError,
}


def error_for(code: int, error_json: Optional[str], fallback_message: str) -> McpOAuthError:
    """Builds the exception for a failed call from its status and out_error JSON."""
    details: Dict[str, Any] = {}
    if error_json:
        try:
            parsed = json.loads(error_json)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            details = parsed
    message = details.get("message")
    if not isinstance(message, str) or not message:
        message = fallback_message
    cls = _BY_CODE.get(code, McpOAuthError)
    return cls(message, code, details)
