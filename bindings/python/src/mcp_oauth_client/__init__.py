"""mcp_oauth_client — OAuth 2.1 client for MCP clients, on the libmcp_oauth engine.

Quick start::

    from mcp_oauth_client import McpOAuthConfig, OAuthTokenManager

    config = McpOAuthConfig(
        client_id="my-client",
        client_secret="my-secret",
        token_url="https://auth.example.com/token",
        scopes=["mcp:read"],
    )
    with OAuthTokenManager(config) as manager:
        headers = {"Authorization": f"Bearer {manager.get_token()}"}

An MCP session (the server's authorization is discovered; the client
registers itself dynamically when it has no client_id)::

    from mcp_oauth_client import McpClient

    with McpClient.connect(manager, "https://mcp.example.com/mcp") as client:
        tools = client.list_tools()
        result = client.call_tool("echo", {"text": "hi"})

With the MCP Python SDK (``mcp`` 2.x, on httpx2) or any httpx / httpx2
client: ``httpx2.AsyncClient(auth=McpAuth(manager))`` (docs/sdk-python.md).
The requests adapter lives in :mod:`mcp_oauth_client.requests`.
"""

from __future__ import annotations

from ._client import McpClient, MultiServerMcpClient
from ._config import McpOAuthConfig
from . import _errors
from ._errors import (
    AuthorizationDeniedError,
    AuthorizationRequiredError,
    BadHandleError,
    ConfigError,
    DiscoveryError,
    ForkedProcessError,
    InsufficientScopeError,
    InternalError,
    InvalidArgumentError,
    IssuerMismatchError,
    McpError,
    McpOAuthError,
    McpOAuthTimeout,
    NetworkError,
    OAuthError,
    OperationCancelled,
    TokenRejectedError,
    ProtocolError,
    RegistrationError,
    ResourceMismatchError,
    ServerError,
    StateMismatchError,
    UnsupportedError,
)
from ._ffi import BINDING_VERSION as __version__
from ._ffi import live_handles
from ._manager import AuthorizationRequest, DeviceAuthorization, OAuthTokenManager, Token
from ._pkce import generate_code_challenge, generate_code_verifier
from ._status import AuthStatus, SessionStatus


# McpAuth is left out of __all__: a star import must not need httpx2 / httpx.
__all__ = [
    "__version__",
    "library_path",
    "library_version",
    "live_handles",
    "McpOAuthConfig",
    "OAuthTokenManager",
    "Token",
    "AuthorizationRequest",
    "DeviceAuthorization",
    "AuthStatus",
    "SessionStatus",
    "McpClient",
    "MultiServerMcpClient",
    "generate_code_verifier",
    "generate_code_challenge",
    *_errors.__all__,  # every exception class, listed once in _errors.py
]


def __getattr__(name: str) -> object:
    """Attributes loaded on first use, not at import: ``McpAuth`` (it
    imports httpx2 / httpx, which the rest of the package does not need), and
    ``library_path`` / ``library_version`` (they load libmcp_oauth: importing
    the package starts no Go runtime)."""
    if name == "McpAuth":
        from ._auth import McpAuth

        return McpAuth
    if name in ("library_path", "library_version"):
        from . import _ffi

        return _ffi.LIBRARY_PATH if name == "library_path" else _ffi.LIBRARY_VERSION
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
