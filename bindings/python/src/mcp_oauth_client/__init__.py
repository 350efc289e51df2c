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

from ._version import VERSION as __version__

# Type checkers and IDEs read the imports below (mypy and pyright treat any
# TYPE_CHECKING as true); at run time __getattr__ loads these names. Not
# typing.TYPE_CHECKING: importing typing alone would cost more than the rest.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._auth import McpAuth
    from ._client import McpClient, MultiServerMcpClient
    from ._config import McpOAuthConfig
    from ._errors import *  # noqa: F403
    from ._errors import McpOAuthCancelledError as OperationCancelled  # deprecated name
    from ._errors import McpOAuthTimeoutError as McpOAuthTimeout  # deprecated name
    from ._ffi import live_handles
    from ._manager import AuthorizationRequest, DeviceAuthorization, OAuthTokenManager, Token
    from ._pkce import generate_code_challenge, generate_code_verifier
    from ._status import AuthStatus, SessionStatus

    library_path: str
    library_version: str

# The public names and the module of each. Nothing is imported until a name is
# first used (PEP 562): `import mcp_oauth_client` reads two small files, starts
# no Go runtime and no thread, so a process may fork before its first use, and
# the cost of the standard modules the package needs (json, dataclasses,
# ctypes, …) is paid by the code that uses them.
_HOME = {
    "McpClient": "_client",
    "MultiServerMcpClient": "_client",
    "McpOAuthConfig": "_config",
    "OAuthTokenManager": "_manager",
    "Token": "_manager",
    "AuthorizationRequest": "_manager",
    "DeviceAuthorization": "_manager",
    "AuthStatus": "_status",
    "SessionStatus": "_status",
    "generate_code_verifier": "_pkce",
    "generate_code_challenge": "_pkce",
    "live_handles": "_ffi",
    # Left out of __all__: a star import must not need httpx2 / httpx.
    "McpAuth": "_auth",
}
# Loading these loads libmcp_oauth (the Go runtime starts).
_LIBRARY_FACTS = {"library_path": "LIBRARY_PATH", "library_version": "LIBRARY_VERSION"}


def _public_names() -> list:
    from . import _errors

    own = [n for n in _HOME if n != "McpAuth"]
    return ["__version__", *_LIBRARY_FACTS, *own, *_errors.__all__]  # exceptions: listed once, in _errors.py


if not TYPE_CHECKING:  # hidden from type checkers, so that a misspelt name is an error there too

    def __getattr__(name: str) -> object:
        """Loads a public name on first use (PEP 562) and keeps it."""
        from importlib import import_module

        if name == "__all__":
            value: object = _public_names()
        elif name in _HOME:
            value = getattr(import_module(f".{_HOME[name]}", __name__), name)
        elif name in _LIBRARY_FACTS:
            return getattr(import_module("._ffi", __name__), _LIBRARY_FACTS[name])  # not kept: read when asked
        else:
            errors = import_module("._errors", __name__)
            if name in errors.DEPRECATED_NAMES:
                import warnings

                new = errors.DEPRECATED_NAMES[name]
                warnings.warn(f"{__name__}.{name} is deprecated: use {new}", DeprecationWarning, stacklevel=2)
                return getattr(errors, new)  # not kept: warns on every use
            if name not in errors.__all__:
                raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
            value = getattr(errors, name)
        globals()[name] = value
        return value

    def __dir__() -> list:
        return sorted(set(globals()) | set(_public_names()) | {"McpAuth"})
