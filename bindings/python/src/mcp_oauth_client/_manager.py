"""OAuthTokenManager: a handle on the Go engine with a lock-free cached path."""

from __future__ import annotations

import json
import math
import time
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple, Union

from . import _ffi
from ._cancel import call_interruptibly, run_cancellable
from ._config import ConfigLike, McpOAuthConfig, config_json
from ._errors import E_BAD_HANDLE, E_INTERNAL, BadHandleError, InternalError
from ._status import AuthStatus, parse_status

__all__ = ["Token", "AuthorizationRequest", "DeviceAuthorization", "OAuthTokenManager"]


@dataclass(frozen=True)
class Token:
    """An access token (RFC 6749 §5.1) as handed out by the manager.

    Attributes:
        access_token: the bearer token (left out of ``repr``).
        token_type: ``"Bearer"``, or ``"DPoP"`` for a token bound to the
            client's DPoP key (RFC 9449), usable only with a proof, which
            :class:`McpClient` sends.
        expires_at: when the token expires (timezone-aware, UTC), or ``None``
            when the server did not say.
        scope: the granted scope, ``""`` when not stated.
    """

    access_token: str = field(repr=False)
    token_type: str
    expires_at: Optional[datetime]
    scope: str


@dataclass(frozen=True)
class AuthorizationRequest:
    """The start of an authorization code flow.

    Attributes:
        url: the authorization URL to open in the user's browser.
        state: its ``state`` parameter (RFC 6749 §10.12).
    """

    url: str
    state: str


@dataclass(frozen=True)
class DeviceAuthorization:
    """A started device authorization (RFC 8628 §3.2): what to show the user.

    The device code stays inside the library.

    Attributes:
        user_code: the code the user enters at ``verification_uri``.
        verification_uri: where the user goes, on any device.
        verification_uri_complete: ``verification_uri`` with the user code in
            it (e.g. for a QR code), ``""`` when the server sent none.
        expires_in: seconds until the codes expire.
        interval: seconds between polls.
    """

    user_code: str
    verification_uri: str
    verification_uri_complete: str
    expires_in: int
    interval: int


# A cached token: (generation, fast_until, access_token, Token). Swapped as
# one immutable tuple, so readers need no lock. fast_until is
# min(refresh_at, valid_until) converted to time.monotonic(), so that a jump
# of the wall clock cannot stretch it: before it, and while the library's
# generation counter still equals `generation`, the token can be returned
# without calling the library.
_Cache = Tuple[int, float, str, Token]

_live_managers: "weakref.WeakSet[OAuthTokenManager]" = weakref.WeakSet()


def _drop_caches_after_fork() -> None:
    # In a forked child no cached token may be handed out: drop them all, so
    # every call takes the slow path, which raises ForkedProcessError.
    for manager in list(_live_managers):
        manager._cache = None


_ffi.add_fork_hook(_drop_caches_after_fork)

_time = time.monotonic


def _seconds(timeout_seconds: Optional[float], timeout: Optional[float]) -> Optional[float]:
    """The wait in seconds from ``timeout_seconds=`` or its former name
    ``timeout=`` (deprecated: one name for every wait, docs/concepts.md)."""
    if timeout is None:
        return timeout_seconds
    if timeout_seconds is not None:
        raise TypeError("give timeout_seconds= only (timeout= is its deprecated former name)")
    import warnings

    warnings.warn("timeout= is deprecated: use timeout_seconds=", DeprecationWarning, stacklevel=3)
    return timeout


def _closed_error() -> BadHandleError:
    return BadHandleError("mcp-oauth: token manager is closed", E_BAD_HANDLE)


class OAuthTokenManager:
    """Obtains, caches and refreshes OAuth 2.1 access tokens for one client.

    ``config`` is a :class:`McpOAuthConfig` or a dict of the same members.
    The manager is safe to share between threads. A cached, valid token is
    returned without calling into the library (a few hundred nanoseconds);
    once it enters its refresh window the library refreshes it in the
    background while callers keep the still-valid token, and callers holding
    no valid token share a single token request.

    ``login_handler``, when given, logs a user in when a call needs one
    (instead of raising :class:`AuthorizationRequiredError`): it is called
    with the authorization URL and returns the URL the user's browser was
    redirected to (a coroutine function may be given: its result is awaited),
    and the call is made again. Threads and coroutines that need the user at
    the same time share one call of it. ``device_handler`` does the same with
    the device authorization grant (RFC 8628): it is called with the
    :class:`DeviceAuthorization` to show the user (a coroutine function may be
    given), then the binding polls until the user decides. The ``login``
    configuration member (``"browser"``, ``"device"``) has the library do it
    instead, showing the URL or the code on stderr.

    Close it with :meth:`close` or use it as a context manager; a manager that
    is garbage-collected unclosed is freed by a finaliser.
    """

    __slots__ = ("_handle", "_gen", "_cache", "_finalizer", "_client_id", "_login", "__weakref__")

    def __init__(
        self,
        config: ConfigLike,
        *,
        login_handler: Optional[Callable[[str], Any]] = None,
        device_handler: Optional[Callable[["DeviceAuthorization"], Any]] = None,
    ) -> None:
        self._handle: Optional[int] = None
        self._cache: Optional[_Cache] = None
        self._login: Any = None
        if login_handler is not None and device_handler is not None:
            raise TypeError("mcp_oauth_client: give login_handler or device_handler, not both")
        if login_handler is not None or device_handler is not None:
            from ._login import Login  # here, not at import: it needs asyncio

            self._login = Login(login_handler or device_handler, device=device_handler is not None)
        document = config_json(config)
        client_id = config.client_id if isinstance(config, McpOAuthConfig) else config.get("client_id")
        self._client_id = client_id if isinstance(client_id, str) else ""
        handle = _ffi.new(document)
        # The finaliser captures the raw handle, never self.
        self._finalizer = weakref.finalize(self, _ffi.free, handle)
        self._handle = handle
        self._gen = _ffi.generation_word(handle)
        _live_managers.add(self)

    # -- lifetime -----------------------------------------------------------

    def close(self) -> None:
        """Frees the handle, stopping background refreshes. Idempotent.

        Any later call raises :class:`BadHandleError`.
        """
        if self._handle is None:
            return
        self._handle = None
        self._cache = None
        self._finalizer()  # runs _ffi.free(handle) at most once

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has been called."""
        return self._handle is None

    def __enter__(self) -> "OAuthTokenManager":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._handle is None else "open"
        return f"<OAuthTokenManager client_id={self._client_id!r} {state}>"

    def cancel(self) -> None:
        """Ends every call on this manager that is blocked in another thread
        — :meth:`complete_device_authorization` polling,
        :meth:`authorize_interactively` waiting for the browser, the other
        authorization calls, and :meth:`get_token` waiting for a token
        request — with :class:`McpOAuthCancelledError`. Calls started afterwards
        are not affected; a cancelled device authorization stays pending, so
        :meth:`complete_device_authorization` may be called again.

        Never blocks; safe from any thread. Harmless when nothing is in
        progress. Raises :class:`BadHandleError` once the manager is closed.
        """
        _ffi.cancel(self._require_handle())

    # -- tokens -------------------------------------------------------------

    def get_token(self) -> str:
        """Returns a valid access token, fetching or refreshing it as needed.

        Blocks only when no valid token is held (for at most about
        ``http_timeout_seconds`` per request). Raises a subclass of
        :class:`McpOAuthError` on failure.
        """
        c = self._cache
        if c is not None and c[0] == self._gen.value and _time() < c[1]:
            return c[2]
        return self._fetch_or_login()[2]

    def token(self) -> Token:
        """Like :meth:`get_token`, returning the whole :class:`Token`."""
        c = self._cache
        if c is not None and c[0] == self._gen.value and _time() < c[1]:
            return c[3]
        return self._fetch_or_login()[3]

    async def get_token_async(self) -> str:
        """:meth:`get_token` for asyncio: never blocks the event loop on I/O."""
        c = self._cache
        if c is not None and c[0] == self._gen.value and _time() < c[1]:
            return c[2]
        return (await self._fetch_or_login_async())[2]

    async def token_async(self) -> Token:
        """:meth:`token` for asyncio: never blocks the event loop on I/O."""
        c = self._cache
        if c is not None and c[0] == self._gen.value and _time() < c[1]:
            return c[3]
        return (await self._fetch_or_login_async())[3]

    def invalidate(self, token: Union[str, Token]) -> None:
        """Reports that a resource server rejected ``token`` (an HTTP 401).

        The library drops it if it is still the cached token (a token
        refreshed meanwhile survives); the next :meth:`get_token` obtains a
        new one.
        """
        value = token.access_token if isinstance(token, Token) else token
        c = self._cache
        if c is not None and c[2] == value:
            self._cache = None
        _ffi.invalidate(self._require_handle(), value)

    # -- authorizing requests of your own HTTP client -------------------------

    def needs_challenge(self) -> bool:
        """Whether a request to the MCP server should first go out without a
        token, so that its 401 names the metadata and scope (discovery mode,
        before anything is known). No I/O; no library call while a token is
        cached. See :class:`McpAuth`."""
        c = self._cache
        if c is not None and c[0] == self._gen.value and _time() < c[1]:
            return False
        return _ffi.needs_challenge(self._require_handle())

    def handle_response(
        self, status: int, www_authenticate: Optional[str], token: str, previous: int = 0
    ) -> Optional[str]:
        """The engine's verdict on an MCP server's response to a request that
        carried ``token`` (``""`` for none): the token to send the same
        request again with, or ``None`` when the response is final. 401:
        invalidates and re-sends only with a different token; 403
        ``insufficient_scope``: steps up. ``www_authenticate`` is the
        WWW-Authenticate values joined by ``", "``; ``previous`` is the status
        that made this request go out again (0 for a first send). May
        request a token (blocking); raises the package's errors
        (:class:`TokenRejectedError`, :class:`InsufficientScopeError`,
        :class:`AuthorizationRequiredError`, ...). See :class:`McpAuth`,
        which drives it for httpx and httpx2.
        """
        retry = _ffi.handle_response(self._require_handle(), status, www_authenticate, token, previous)
        return retry or None

    def request_headers(self, method: str, url: str, token: str) -> Dict[str, str]:
        """The headers to send one request of ``method`` to ``url`` with:
        the configured ``mcp_headers`` and, for ``token``, ``Authorization:
        Bearer …`` or, for a DPoP-bound token, ``Authorization: DPoP …`` and a
        fresh ``DPoP`` proof (RFC 9449 §7.1) — call it for every send. ``""``
        adds no Authorization. No I/O. See :class:`McpAuth`."""
        return _ffi.request_headers(self._require_handle(), method, url, token)

    def dpop_nonce(
        self, url: str, token: str, status: int, www_authenticate: Optional[str], dpop_nonce: Optional[str]
    ) -> bool:
        """Keeps a response's ``DPoP-Nonce`` for the server's next proofs
        (RFC 9449 §9) and tells whether to send the same request once more
        with the same token (a 401 ``use_dpop_nonce`` with a new nonce). Only
        for DPoP-bound tokens; False otherwise. No I/O."""
        if not dpop_nonce:
            return False
        return _ffi.dpop_nonce(self._require_handle(), url, token, status, www_authenticate, dpop_nonce)

    # -- authorization code flow -----------------------------------------------

    def begin_authorization(self, redirect_uri: Optional[str] = None) -> AuthorizationRequest:
        """Starts an authorization code flow with PKCE (RFC 6749 §4.1.1, RFC 7636).

        Returns the URL to open in the user's browser and its ``state``.
        ``redirect_uri`` defaults to the configured one. No network I/O.
        """
        url, state = call_interruptibly(self._require_handle(), _ffi.authorize_begin, redirect_uri)
        return AuthorizationRequest(url=url, state=state)

    def complete_authorization(self, redirect_url: str) -> None:
        """Finishes the flow with the URL the browser was redirected to.

        Checks ``state`` (and ``iss`` when an issuer is configured), then
        exchanges the code for tokens, which the manager then holds.
        """
        call_interruptibly(self._require_handle(), _ffi.authorize_complete, redirect_url)
        self._cache = None

    async def complete_authorization_async(self, redirect_url: str) -> None:
        """:meth:`complete_authorization` run in a worker thread; cancelling
        the task cancels the call (:meth:`cancel`)."""
        await run_cancellable(self._require_handle(), self.complete_authorization, redirect_url)

    def authorize_interactively(
        self, open_command: Union[str, Callable[[str], Any], None] = None, timeout_seconds: float = 300
    ) -> None:
        """Runs the whole authorization code flow with a loopback redirect
        listener (RFC 8252): shows the authorization URL — printed on stderr,
        given to the program ``open_command`` (e.g. ``"xdg-open"``) as its
        only argument, or passed to ``open_command(url)`` when it is a
        function (e.g. ``webbrowser.open``; it runs on a library thread and
        should return promptly; an exception from it ends the login and is
        raised here) — and waits at most ``timeout_seconds`` for the browser to
        come back (``float("inf")``: no timeout; NaN or negative:
        :class:`InvalidArgumentError`). Blocks (the GIL is released meanwhile).

        Ctrl-C works while it waits: on the main thread the wait runs in a
        helper thread, and a KeyboardInterrupt (or any exception raised by a
        signal handler) cancels it (:meth:`cancel`) before propagating.
        """
        if callable(open_command):
            call_interruptibly(self._require_handle(), _ffi.authorize_interactive_callback, open_command, timeout_seconds)
        else:
            call_interruptibly(self._require_handle(), _ffi.authorize_interactive, open_command, timeout_seconds)
        self._cache = None

    def status(self) -> AuthStatus:
        """What the manager holds and uses now (:class:`AuthStatus`): whether a
        token and a refresh token are held, until when, the scopes granted,
        requested and challenged, the issuer, the client and how it was
        obtained. Never a token or a secret. No network I/O.
        """
        return parse_status(_ffi.status(self._require_handle()), AuthStatus)

    # -- device authorization grant (RFC 8628) ---------------------------------

    def begin_device_authorization(self) -> DeviceAuthorization:
        """Starts a device authorization (RFC 8628 §3.1) for a user who signs
        in on another device: show them the returned ``user_code`` and
        ``verification_uri``, then call :meth:`complete_device_authorization`.

        Needs a ``device_authorization_url`` or, in discovery mode, an
        authorization server advertising one (else
        :class:`UnsupportedError`). One device authorization is pending per
        manager; a new call replaces it. Blocks on the network (the GIL is
        released meanwhile).
        """
        raw = call_interruptibly(self._require_handle(), _ffi.device_begin)
        try:
            doc = json.loads(raw)
            return DeviceAuthorization(
                user_code=str(doc["user_code"]),
                verification_uri=str(doc["verification_uri"]),
                verification_uri_complete=str(doc.get("verification_uri_complete") or ""),
                expires_in=int(doc["expires_in"]),
                interval=int(doc["interval"]),
            )
        except (ValueError, KeyError, TypeError):
            raise InternalError("mcp-oauth: the library returned a malformed device authorization", E_INTERNAL) from None

    async def begin_device_authorization_async(self) -> DeviceAuthorization:
        """:meth:`begin_device_authorization` run in a worker thread;
        cancelling the task cancels the call (:meth:`cancel`)."""
        return await run_cancellable(self._require_handle(), self.begin_device_authorization)

    def complete_device_authorization(
        self, timeout_seconds: Optional[float] = None, *, timeout: Optional[float] = None
    ) -> None:
        """Polls until the user approves the pending device authorization
        (the manager then holds the tokens), denies it
        (:class:`AuthorizationDeniedError`), the codes expire
        (:class:`McpOAuthTimeoutError` whose ``error`` is ``"expired_token"``), or
        ``timeout_seconds`` pass (:class:`McpOAuthTimeoutError`; the
        authorization then stays pending and this may be called again).
        ``None`` waits until the codes expire. Blocks (the GIL is released
        meanwhile). ``timeout=`` is the former, deprecated name of
        ``timeout_seconds``.

        Ctrl-C works while it polls: on the main thread the wait runs in a
        helper thread, and a KeyboardInterrupt (or any exception raised by a
        signal handler) cancels it (:meth:`cancel`) before propagating; the
        authorization then stays pending. :meth:`cancel` from another thread
        ends it with :class:`McpOAuthCancelledError`.
        """
        timeout_seconds = _seconds(timeout_seconds, timeout)
        seconds = 0 if timeout_seconds is None else max(1, math.ceil(timeout_seconds))
        call_interruptibly(self._require_handle(), _ffi.device_complete, seconds)
        self._cache = None

    async def complete_device_authorization_async(
        self, timeout_seconds: Optional[float] = None, *, timeout: Optional[float] = None
    ) -> None:
        """:meth:`complete_device_authorization` run in a worker thread.

        Cancelling the task (``task.cancel()``, ``asyncio.wait_for`` or
        ``asyncio.timeout`` running out) cancels the polling
        (:meth:`cancel`), waits for the worker thread to end and raises
        :class:`asyncio.CancelledError`; the authorization stays pending.
        """
        timeout_seconds = _seconds(timeout_seconds, timeout)
        await run_cancellable(self._require_handle(), self.complete_device_authorization, timeout_seconds)

    def authorize_device(
        self,
        prompt: Callable[[DeviceAuthorization], Any],
        timeout_seconds: Optional[float] = None,
        *,
        timeout: Optional[float] = None,
    ) -> None:
        """Runs the whole device authorization grant: begins it, hands the
        :class:`DeviceAuthorization` to ``prompt`` (which shows the user code
        and verification URI to the user; an exception from it ends the
        flow), then waits as :meth:`complete_device_authorization` does.
        """
        timeout_seconds = _seconds(timeout_seconds, timeout)
        prompt(self.begin_device_authorization())
        self.complete_device_authorization(timeout_seconds)

    async def authorize_device_async(
        self,
        prompt: Callable[[DeviceAuthorization], Union[None, Awaitable[None]]],
        timeout_seconds: Optional[float] = None,
        *,
        timeout: Optional[float] = None,
    ) -> None:
        """:meth:`authorize_device` for asyncio; ``prompt`` may be a
        coroutine function. Cancelling the task cancels the flow."""
        timeout_seconds = _seconds(timeout_seconds, timeout)
        device = await self.begin_device_authorization_async()
        shown = prompt(device)
        import inspect  # here, not at import: importing the package stays cheap

        if inspect.isawaitable(shown):
            await shown
        await self.complete_device_authorization_async(timeout_seconds)

    # -- internals ----------------------------------------------------------

    def _require_handle(self) -> int:
        handle = self._handle
        if handle is None:
            if _ffi.is_forked():
                _ffi._guard()
            raise _closed_error()
        return handle

    def _fetch_or_login(self) -> _Cache:
        """_fetch, with the login function's login when the token needs a user."""
        if self._login is None:
            return self._fetch()
        return self._login.call(self, self._fetch)

    async def _fetch_or_login_async(self) -> _Cache:
        if self._login is None:
            return await self._fetch_async()
        return await self._login.call_async(self, self._fetch_async)

    def _fetch(self) -> _Cache:
        """Calls mcp_oauth_get_token_json and caches the result."""
        # Ctrl-C ends the wait at once, as for the login calls (_cancel.py).
        raw = call_interruptibly(self._require_handle(), _ffi.get_token_json)
        try:
            doc = json.loads(raw)
            access_token = doc["access_token"]
            expires_at_ms = int(doc.get("expires_at_ms") or 0)
            valid_until = int(doc["valid_until_ms"]) / 1000.0
            refresh_at = int(doc["refresh_at_ms"]) / 1000.0
            generation = int(doc["generation"]) & 0xFFFFFFFF
            token = Token(
                access_token=access_token,
                token_type=doc.get("token_type") or "Bearer",
                expires_at=(
                    datetime.fromtimestamp(expires_at_ms / 1000.0, tz=timezone.utc) if expires_at_ms > 0 else None
                ),
                scope=doc.get("scope") or "",
            )
        except (ValueError, KeyError, TypeError):
            raise InternalError("mcp-oauth: the library returned a malformed token object", E_INTERNAL) from None
        # The library's times are Unix ms; the cache runs on the monotonic clock.
        fast_until = min(refresh_at, valid_until) - time.time() + _time()
        c: _Cache = (generation, fast_until, access_token, token)
        self._cache = c
        if self._handle is None:  # closed meanwhile: hand nothing out later
            self._cache = None
        return c

    async def _fetch_async(self) -> _Cache:
        # Off the cached path the library may wait on the network (for at
        # most http_timeout_seconds per request): run it in a worker thread.
        # Cancelling the awaiting task leaves the request running: callers in
        # other threads and tasks may be sharing it, and cancel() would fail
        # them all.
        import asyncio  # here, not at import: importing the package stays cheap

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._fetch)
