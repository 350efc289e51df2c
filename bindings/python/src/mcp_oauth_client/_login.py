"""The application's login function (``OAuthTokenManager(login_handler=...)``
or ``device_handler=...``).

The library logs a user in by itself with the ``login`` configuration member
(``"browser"``, ``"device"``). An application that shows the authorization
page its own way — a web application redirecting its user, a GUI with an
embedded browser — gives a function instead: it receives the authorization
URL and returns the URL the browser was redirected to. One that shows a
device code its own way (a GUI, a chat message) gives a device handler: it
receives the :class:`DeviceAuthorization` to show, and the binding polls
until the user decides (RFC 8628). The C library does not call back into
Python for it (no callback on the common paths), so the binding drives it on
top of the explicit calls: a call that fails with
:class:`AuthorizationRequiredError` runs ``begin_authorization``, the
function, ``complete_authorization`` (or the device grant's begin, the
handler, complete), and is made once more.

The explicit calls log in for the manager's own ``server_url``: an
:class:`McpClient` of the same manager connected to another server (which
has its own tokens, RFC 8707) is logged in by the ``login`` configuration
member only; give that server a manager of its own to use a function.

One login at a time: every call that needs the user while a login runs waits
for that login, and a call whose failure predates a login that has finished
meanwhile does not start another (the token generation changed).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import threading
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Optional, TypeVar, Union

from ._errors import AuthorizationRequiredError

if TYPE_CHECKING:
    from ._manager import OAuthTokenManager

T = TypeVar("T")

#: ``login_handler(authorization_url)`` returns the URL the user's browser was
#: redirected to (with ``code`` and ``state``), or an awaitable of it.
LoginHandler = Callable[[str], Union[str, Awaitable[str]]]


def _redirected(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(
            "mcp_oauth_client: login_handler must return the URL the browser was redirected to, "
            f"not {type(value).__name__}"
        )
    return value


class Login:
    """One manager's login function and the login in flight."""

    __slots__ = ("_handler", "_device", "_lock", "_flight")

    def __init__(self, handler: Callable[[Any], Any], device: bool = False) -> None:
        if not callable(handler):
            what = "device_handler" if device else "login_handler"
            raise TypeError(f"mcp_oauth_client: {what} must be callable, not {type(handler).__name__}")
        self._handler = handler
        self._device = device
        self._lock = threading.Lock()
        self._flight: Optional[concurrent.futures.Future] = None

    def _join_or_start(self, manager: "OAuthTokenManager", generation: int) -> "tuple[Optional[concurrent.futures.Future], bool]":
        """The login to wait for and whether this caller runs it; (None, False)
        when a login finished since the caller's call failed."""
        with self._lock:
            if self._flight is not None:
                return self._flight, False
            if manager._gen.value != generation:
                return None, False
            self._flight = concurrent.futures.Future()
            return self._flight, True

    def _finish(self, flight: concurrent.futures.Future, error: Optional[BaseException]) -> None:
        with self._lock:
            self._flight = None
        if error is None:
            flight.set_result(None)
        else:
            flight.set_exception(error)

    def run(self, manager: "OAuthTokenManager", generation: int) -> None:
        """Logs the user in, or waits for the login in flight (blocking)."""
        flight, owner = self._join_or_start(manager, generation)
        if flight is None:
            return
        if not owner:
            flight.result()
            return
        error: Optional[BaseException] = None
        try:
            if self._device:
                manager.authorize_device(lambda d: _settled(self._handler(d)))
            else:
                request = manager.begin_authorization()
                manager.complete_authorization(_redirected(_settled(self._handler(request.url))))
        except BaseException as exc:
            error = exc
            raise
        finally:
            self._finish(flight, error)

    async def run_async(self, manager: "OAuthTokenManager", generation: int) -> None:
        """:meth:`run` for a coroutine: an async handler runs on its loop."""
        flight, owner = self._join_or_start(manager, generation)
        if flight is None:
            return
        if not owner:
            await asyncio.wrap_future(flight)
            return
        error: Optional[BaseException] = None
        try:
            if self._device:
                await manager.authorize_device_async(self._handler)
            else:
                loop = asyncio.get_running_loop()
                request = await loop.run_in_executor(None, manager.begin_authorization)  # may discover
                value = self._handler(request.url)
                if inspect.isawaitable(value):
                    value = await value
                await manager.complete_authorization_async(_redirected(value))
        except BaseException as exc:
            error = exc
            raise
        finally:
            self._finish(flight, error)

    def call(self, manager: "OAuthTokenManager", fn: Callable[[], T]) -> T:
        """fn(), logging the user in and calling it once more when it needs one."""
        generation = manager._gen.value
        try:
            return fn()
        except AuthorizationRequiredError:
            self.run(manager, generation)
        return fn()

    async def call_async(self, manager: "OAuthTokenManager", fn: Callable[[], Awaitable[T]]) -> T:
        """:meth:`call` for a coroutine function."""
        generation = manager._gen.value
        try:
            return await fn()
        except AuthorizationRequiredError:
            await self.run_async(manager, generation)
        return await fn()


def _settled(value: Any) -> Any:
    """value, or what it resolves to when it is awaitable (on a loop of its own:
    the blocking calls run outside the caller's event loop)."""
    return asyncio.run(_awaited(value)) if inspect.isawaitable(value) else value


async def _awaited(value: Awaitable[T]) -> T:
    return await value
