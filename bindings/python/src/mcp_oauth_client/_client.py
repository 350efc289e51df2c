"""McpClient and MultiServerMcpClient: MCP sessions authorized by a token manager.

The MCP protocol runs in the library (the official MCP Go SDK's Streamable
HTTP and HTTP+SSE transports), which injects the manager's bearer token on
every request to the server's origin, retries once on a 401 and widens the
scope on a 403 ``insufficient_scope`` (step-up). This module is a thin layer
over ``mcp_client_*``: options and results are JSON.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import weakref
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Tuple, TypeVar, Union

from . import _elicitation, _ffi
from ._config import McpOAuthConfig
from ._elicitation import ElicitationHandler
from ._errors import E_BAD_HANDLE, E_INTERNAL, E_INVALID_ARGUMENT, BadHandleError, InternalError, InvalidArgumentError
from ._cancel import call_interruptibly
from ._manager import OAuthTokenManager
from ._status import SessionStatus, parse_status

__all__ = ["McpClient", "MultiServerMcpClient", "TRANSPORTS"]

#: The transports :class:`McpClient` speaks ("auto": Streamable HTTP, falling
#: back to HTTP+SSE when the server does not speak it).
TRANSPORTS = ("streamable_http", "sse", "auto")

#: What authorizes a connection: a manager (kept open by the caller), or a
#: configuration (a manager is created for the connection and closed with it).
AuthLike = Union[OAuthTokenManager, McpOAuthConfig, Mapping[str, Any]]

_T = TypeVar("_T")


def _closed_error() -> BadHandleError:
    return BadHandleError("mcp-oauth: MCP client is closed", E_BAD_HANDLE)


def _manager_for(auth: AuthLike, server_url: str) -> Tuple[OAuthTokenManager, bool]:
    """Returns (manager, owned). A configuration with neither server_url nor
    token_url gets server_url set to the server's URL (discovery mode)."""
    if isinstance(auth, OAuthTokenManager):
        return auth, False
    if isinstance(auth, McpOAuthConfig):
        if auth.server_url is None and not auth.token_url:
            auth = dataclasses.replace(auth, server_url=server_url)
    elif isinstance(auth, Mapping):
        if auth.get("server_url") is None and not auth.get("token_url"):
            auth = {**auth, "server_url": server_url}
    else:
        raise TypeError(
            "mcp_oauth_client: auth must be an OAuthTokenManager, a McpOAuthConfig or a dict, " f"not {type(auth).__name__}"
        )
    return OAuthTokenManager(auth), True


def _with_login(manager: OAuthTokenManager, fn: Callable[[], _T]) -> _T:
    """fn(), after the manager's login function logged a user in if it needs one."""
    login = manager._login
    return fn() if login is None else login.call(manager, fn)


def _release(client: int, manager: OAuthTokenManager, owned: bool) -> None:
    # Closes the session before the manager it uses (the finaliser holds the
    # manager, so it cannot be collected while the client is open).
    try:
        _ffi.client_close(client)
    finally:
        if owned:
            manager.close()


def _parse(raw: str) -> Dict[str, Any]:
    try:
        doc = json.loads(raw) if raw else {}
    except ValueError:
        raise InternalError("mcp-oauth: the library returned malformed JSON", E_INTERNAL) from None
    if not isinstance(doc, dict):
        raise InternalError("mcp-oauth: the library returned a non-object result", E_INTERNAL)
    return doc


def _dumps_object(value: Optional[Mapping[str, Any]], what: str) -> Optional[str]:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise TypeError(f"mcp_oauth_client: {what} must be a dict, not {type(value).__name__}")
    try:
        # ensure_ascii=False: a lone surrogate is refused when encoded for the
        # library (InvalidArgumentError) instead of reaching the server as U+FFFD.
        return json.dumps(dict(value), allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        # json's messages name the type or the problem, never the value.
        raise InvalidArgumentError(f"mcp_oauth_client: {what} not representable as JSON: {exc}", E_INVALID_ARGUMENT) from None


async def _in_thread(fn: Callable[..., _T], *args: Any) -> _T:
    import asyncio  # here, not at import: importing the package stays cheap

    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(fn, *args))


class McpClient:
    """An MCP client session with one server, authorized by OAuth 2.1.

    Create it with :meth:`connect` (or :meth:`connect_async`), which performs
    the MCP initialization. ``auth`` is an :class:`OAuthTokenManager` (which
    must stay open while the client is used; typically created with
    ``McpOAuthConfig(server_url=<the same URL>)``), or a configuration, for
    which a manager is created and closed with the client.

    When a user must authorize first (or again, after a step-up) a call raises
    :class:`AuthorizationRequiredError`: run ``manager.begin_authorization()``
    and ``manager.complete_authorization(redirected_url)``, then call again —
    unless the manager logs the user in itself (its ``login`` configuration
    member, or its ``login_handler``).

    Thread-safe. Close it with :meth:`close` or use it as a context manager;
    a client garbage-collected unclosed is closed by a finaliser.
    """

    __slots__ = ("_client", "_manager", "_finalizer", "_server_url", "_transport", "_elicit", "__weakref__")

    def __init__(
        self,
        auth: AuthLike,
        server_url: str,
        transport: str = "streamable_http",
        client_name: Optional[str] = None,
        timeout_seconds: Optional[float] = None,
    ) -> None:
        self._client: Optional[int] = None
        # Every C callback object set, kept alive with the client: the library
        # may still be calling one while a newer one is being set.
        self._elicit: List[Any] = []
        if not isinstance(server_url, str):
            raise TypeError(f"mcp_oauth_client: server_url must be a str, not {type(server_url).__name__}")
        options: Dict[str, Any] = {"transport": transport}
        if client_name is not None:
            options["client_name"] = client_name
        if timeout_seconds is not None:
            options["timeout_seconds"] = timeout_seconds
        try:
            options_json = json.dumps(options, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"mcp_oauth_client: invalid connection options: {exc}") from None
        manager, owned = _manager_for(auth, server_url)
        try:
            client = _with_login(
                manager, lambda: call_interruptibly(manager._require_handle(), _ffi.client_connect, server_url, options_json)
            )
        except BaseException:
            if owned:
                manager.close()
            raise
        self._finalizer = weakref.finalize(self, _release, client, manager, owned)
        self._client = client
        self._manager = manager
        self._server_url = server_url
        self._transport = transport

    @classmethod
    def _adopt(cls, client: int, manager: OAuthTokenManager, server_url: str, transport: str) -> "McpClient":
        """An McpClient for a client handle already made (a server's session of a
        :class:`MultiServerMcpClient`); the manager is the caller's to close."""
        self = cls.__new__(cls)
        self._finalizer = weakref.finalize(self, _release, client, manager, False)
        self._client = client
        self._manager = manager
        self._server_url = server_url
        self._transport = transport
        return self

    @classmethod
    def connect(
        cls,
        auth: AuthLike,
        server_url: str,
        transport: str = "streamable_http",
        client_name: Optional[str] = None,
        timeout_seconds: Optional[float] = None,
    ) -> "McpClient":
        """Connects to the MCP server at ``server_url`` and initializes the session.

        ``transport`` is ``"streamable_http"`` (default), ``"sse"`` or ``"auto"``
        (Streamable HTTP, falling back to HTTP+SSE when the server does not speak it);
        ``client_name`` is the MCP clientInfo name; ``timeout_seconds`` bounds
        connecting and each request (library default 60).
        """
        return cls(auth, server_url, transport, client_name, timeout_seconds)

    @classmethod
    async def connect_async(
        cls,
        auth: AuthLike,
        server_url: str,
        transport: str = "streamable_http",
        client_name: Optional[str] = None,
        timeout_seconds: Optional[float] = None,
    ) -> "McpClient":
        """:meth:`connect` run in a worker thread."""
        return await _in_thread(cls, auth, server_url, transport, client_name, timeout_seconds)

    # -- lifetime -----------------------------------------------------------

    def close(self) -> None:
        """Ends the session (and closes a manager this client created). Idempotent.

        Any later call raises :class:`BadHandleError`.
        """
        if self._client is None:
            return
        self._client = None
        self._finalizer()

    @property
    def closed(self) -> bool:
        return self._client is None

    @property
    def manager(self) -> OAuthTokenManager:
        """The token manager authorizing this session."""
        return self._manager

    @property
    def server_url(self) -> str:
        return self._server_url

    @property
    def transport(self) -> str:
        return self._transport

    def __enter__(self) -> "McpClient":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    async def __aenter__(self) -> "McpClient":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._client is None else "open"
        return f"<McpClient {self._server_url!r} transport={self._transport!r} {state}>"

    def status(self) -> SessionStatus:
        """The session's state (:class:`SessionStatus`): its ``Mcp-Session-Id``,
        the negotiated protocol version, the server's name and version, the
        transport in use, and its manager's :class:`AuthStatus`. Never a token
        or a secret. No network I/O.
        """
        return parse_status(_ffi.client_status(self._require_client()), SessionStatus)

    # -- MCP requests ---------------------------------------------------------

    def list_tools(self) -> List[Dict[str, Any]]:
        """The server's tools, as MCP Tool objects: every page of tools/list (the
        library follows nextCursor, at most 1000 pages; a repeated cursor raises
        :class:`ProtocolError`)."""
        return list(_parse(self._call(_ffi.client_list_tools)).get("tools") or [])

    def call_tool(self, name: str, arguments: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """Calls tool ``name``; returns the tools/call result (``content``, ``isError``, ...).

        A tool that fails reports it in the result (``"isError": True``); a
        JSON-RPC error (e.g. an unknown tool) raises :class:`McpError`.
        """
        args = _dumps_object(arguments, "arguments")
        return _parse(self._call(_ffi.client_call_tool, name, args))

    def request(self, method: str, params: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """Sends an MCP request by method name (ping, tools/list, tools/call,
        resources/list, resources/read, resources/templates/list,
        prompts/list, prompts/get, completion/complete) and returns its result."""
        p = _dumps_object(params, "params")
        return _parse(self._call(_ffi.client_request, method, p))

    def list_skills(self) -> Dict[str, Any]:
        """The server's skills (extension ``io.modelcontextprotocol/skills``,
        SEP-2640): the first page of skills/list. Reads no skill file."""
        return _parse(_ffi.client_list_skills(self._require_client()))

    def load_skill(self, uri: str) -> Dict[str, Any]:
        """Loads the skill whose SKILL.md is ``uri``: ``{"uri", "files": [{"uri",
        "text"}]}``, each file verified (size, sha256 digest, the SKILL.md's
        frontmatter) before the next is read. A file that fails raises
        :class:`ProtocolError` and the skill is not loaded."""
        return _parse(_ffi.client_load_skill(self._require_client(), uri))

    def set_elicitation_handler(self, handler: Optional[ElicitationHandler]) -> None:
        """Sets the function (or ``async`` function) that answers the server's
        elicitation requests from now on; ``None`` declines them all (the
        default). See :mod:`mcp_oauth_client._elicitation` for the request
        and answer dicts and the thread the handler runs on."""
        callback = None if handler is None else _elicitation.c_callback(handler)
        if callback is not None:
            self._elicit.append(callback)
        _ffi.client_set_elicitation_callback(self._require_client(), callback)

    async def list_tools_async(self) -> List[Dict[str, Any]]:
        """:meth:`list_tools` run in a worker thread."""
        return await _in_thread(self.list_tools)

    async def call_tool_async(self, name: str, arguments: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """:meth:`call_tool` run in a worker thread."""
        return await _in_thread(self.call_tool, name, arguments)

    async def request_async(self, method: str, params: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """:meth:`request` run in a worker thread."""
        return await _in_thread(self.request, method, params)

    # -- internals ----------------------------------------------------------

    def _call(self, call: Callable[..., str], *args: Any) -> str:
        """Runs a blocking request on the session; Ctrl-C on the main thread
        ends it (mcp_client_cancel) and raises KeyboardInterrupt."""
        return _with_login(
            self._manager,
            lambda: call_interruptibly(self._require_client(), call, *args, cancel=_ffi.client_cancel),
        )

    def _require_client(self) -> int:
        client = self._client
        if client is None:
            if _ffi.is_forked():
                _ffi._guard()
            raise _closed_error()
        return client


class MultiServerMcpClient:
    """Several named MCP servers in one object.

    ``servers`` maps a name to a connection description::

        MultiServerMcpClient({
            "notes": {"url": "https://notes.example/mcp", "transport": "streamable_http",
                      "auth": McpOAuthConfig(client_id=..., client_secret=...)},
            "search": {"url": "https://search.example/sse", "transport": "sse",
                       "auth": manager},
        })

    Members: ``url`` (required), ``transport`` (default
    ``"streamable_http"``), ``auth`` (an :class:`OAuthTokenManager`, a
    :class:`McpOAuthConfig` or a dict; a configuration without ``server_url``
    and ``token_url`` gets ``server_url=url``; default: discovery with
    dynamic registration), ``client_name``, ``timeout_seconds``.

    A thin layer over the library's multi-server client
    (``mcp_client_multi_*``), which checks the descriptions, connects each
    server lazily, on first use (:meth:`session`, :meth:`get_tools`,
    :meth:`call_tool`), or all at once with :meth:`connect`, follows every
    page of each server's tools and names the server of a failure (the
    ``server`` member of an exception's ``details``). Managers created from
    configurations are owned and closed with the client.
    """

    _KEYS = frozenset({"url", "transport", "auth", "client_name", "timeout_seconds"})
    _OPTIONS = ("transport", "client_name", "timeout_seconds")

    def __init__(self, servers: Mapping[str, Mapping[str, Any]]) -> None:
        import threading

        self._lock = threading.Lock()
        self._closed = False
        self._multi: Optional[int] = None
        self._specs: Dict[str, Dict[str, Any]] = {}
        self._sessions: Dict[str, McpClient] = {}
        self._managers: Dict[str, OAuthTokenManager] = {}
        self._owned: List[OAuthTokenManager] = []
        for name, spec in servers.items():
            if not isinstance(spec, Mapping):
                raise TypeError(f"mcp_oauth_client: server {name!r}: description must be a dict")
            unknown = set(spec) - self._KEYS
            if unknown:
                raise TypeError(f"mcp_oauth_client: server {name!r}: unknown member(s) {sorted(unknown)}")
            if not isinstance(spec.get("url"), str):
                raise TypeError(f"mcp_oauth_client: server {name!r}: 'url' must be a str")
            self._specs[name] = dict(spec)
        # The library gets each server's url and connection options; its
        # authorization is a manager of ours (made from the configuration, or
        # the caller's), handed over with mcp_client_multi_set_auth.
        description = {
            name: {"url": spec["url"], **{k: spec[k] for k in self._OPTIONS if spec.get(k) is not None}}
            for name, spec in self._specs.items()
        }
        try:
            description_json = json.dumps(description, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"mcp_oauth_client: invalid server description: {exc}") from None
        try:
            self._multi = _ffi.multi_new(description_json)
            for name, spec in self._specs.items():
                auth = spec.get("auth")
                manager, owned = _manager_for(auth if auth is not None else McpOAuthConfig(), spec["url"])
                if owned:
                    self._owned.append(manager)
                self._managers[name] = manager
                _ffi.multi_set_auth(self._multi, name, manager._require_handle())
        except BaseException:
            self._release()
            raise
        self._finalizer = weakref.finalize(self, _release_multi, self._multi, list(self._owned))

    # -- servers ---------------------------------------------------------------

    @property
    def servers(self) -> List[str]:
        return list(self._specs)

    def manager(self, name: str) -> OAuthTokenManager:
        """The token manager of server ``name``, e.g. to run
        ``begin_authorization()`` after an AuthorizationRequiredError."""
        self._spec(name)
        with self._lock:
            self._check_open()
            return self._managers[name]

    def session(self, name: str) -> McpClient:
        """The :class:`McpClient` of server ``name``'s session, connecting on first use."""
        spec = self._spec(name)
        with self._lock:
            multi = self._require_multi()
            s = self._sessions.get(name)
            if s is not None and not s.closed:
                return s
        client = McpClient._adopt(
            self._call(multi, _ffi.multi_session, name),
            self._managers[name],
            spec["url"],
            spec.get("transport") or "streamable_http",
        )
        with self._lock:
            old = self._sessions.get(name)
            if self._closed or (old is not None and not old.closed):
                client.close()
                if self._closed:
                    raise _closed_error()
                return old  # type: ignore[return-value]
            self._sessions[name] = client
            return client

    def connect(self) -> "MultiServerMcpClient":
        """Connects every server now (instead of on first use)."""
        for name in self._specs:
            self.session(name)
        return self

    # -- tools -------------------------------------------------------------------

    def get_tools(self, server: Optional[str] = None) -> List[Dict[str, Any]]:
        """Every server's tools (or ``server``'s), each with a ``"server"`` member naming it."""
        if server is not None:
            self._spec(server)
        with self._lock:
            multi = self._require_multi()
        return list(_parse(self._call(multi, _ffi.multi_list_tools, server)).get("tools") or [])

    def call_tool(self, server: str, name: str, arguments: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """Calls tool ``name`` on ``server``."""
        self._spec(server)
        args = _dumps_object(arguments, "arguments")
        with self._lock:
            multi = self._require_multi()
        return _parse(self._call(multi, _ffi.multi_call_tool, server, name, args))

    async def session_async(self, name: str) -> McpClient:
        return await _in_thread(self.session, name)

    async def get_tools_async(self, server: Optional[str] = None) -> List[Dict[str, Any]]:
        """:meth:`get_tools` run in a worker thread."""
        return await _in_thread(self.get_tools, server)

    async def call_tool_async(
        self, server: str, name: str, arguments: Optional[Mapping[str, Any]] = None
    ) -> Dict[str, Any]:
        return await _in_thread(self.call_tool, server, name, arguments)

    # -- lifetime ------------------------------------------------------------------

    def close(self) -> None:
        """Closes every session, then the managers created from configurations. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            sessions = list(self._sessions.values())
            self._sessions.clear()
        for s in sessions:
            s.close()
        self._finalizer()

    def _release(self) -> None:
        if self._multi is not None:
            _ffi.multi_free(self._multi)
        for m in self._owned:
            m.close()

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> "MultiServerMcpClient":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    async def __aenter__(self) -> "MultiServerMcpClient":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        self.close()

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<MultiServerMcpClient servers={list(self._specs)!r} {state}>"

    def _spec(self, name: str) -> Dict[str, Any]:
        try:
            return self._specs[name]
        except KeyError:
            raise KeyError(f"mcp_oauth_client: no server named {name!r}") from None

    @staticmethod
    def _call(multi: int, call: Callable[..., _T], *args: Any) -> _T:
        """Runs a blocking call on the multi-server client; Ctrl-C on the main
        thread ends it (mcp_client_multi_cancel) and raises KeyboardInterrupt."""
        return call_interruptibly(multi, call, *args, cancel=_ffi.multi_cancel)

    def _require_multi(self) -> int:
        if self._closed or self._multi is None:
            raise _closed_error()
        return self._multi

    def _check_open(self) -> None:
        if self._closed:
            raise _closed_error()


def _release_multi(multi: int, owned: List[OAuthTokenManager]) -> None:
    # Frees the multi-server client (ending its sessions) before the managers
    # it uses.
    try:
        _ffi.multi_free(multi)
    finally:
        for m in owned:
            m.close()
