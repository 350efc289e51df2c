"""Cancellable waits: Ctrl-C and asyncio task cancellation reach the library.

A ctypes call cannot be interrupted: Python runs a signal handler (and so
raises KeyboardInterrupt) only once the call returns, which for a device
authorization being polled can be many minutes. The long waits therefore run
in a helper thread while the main thread waits on it in short slices, where
signal handlers do run; an exception raised there (KeyboardInterrupt, or
SystemExit from a SIGTERM handler) calls ``mcp_oauth_cancel``, which ends the
library call with MCP_OAUTH_E_CANCELLED, then joins the helper and re-raises.

``mcp_oauth_cancel`` ends only the calls already inside the library; a call
whose thread has not got there yet (an executor job still queued, a helper
just started) would miss it. So the cancel is repeated every
:data:`_RECANCEL` seconds until the call has returned.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, List, Tuple, TypeVar

from . import _ffi
from ._errors import BadHandleError

T = TypeVar("T")

# How long the main thread waits on the helper between checks for signals.
# Python runs signal handlers during a timed lock wait anyway on POSIX; the
# slice also bounds the delay on platforms where it does not.
_SLICE = 0.2

# How often mcp_oauth_cancel is repeated until the cancelled call returns.
_RECANCEL = 0.05


Canceller = Callable[[int], None]


def _cancel_quietly(cancel: Canceller, handle: int) -> None:
    try:
        cancel(handle)
    except BadHandleError:  # closed meanwhile: nothing is blocked on it
        pass


def _cancel_and_join(cancel: Canceller, handle: int, worker: threading.Thread) -> None:
    """Cancels the call worker makes on handle until worker has ended,
    ignoring further interrupts (it ends promptly once cancelled)."""
    while True:
        try:
            _cancel_quietly(cancel, handle)
            worker.join(_RECANCEL)
            if not worker.is_alive():
                return
        except RuntimeError:  # never started: start() itself was interrupted
            return
        except BaseException:  # a second Ctrl-C: keep waiting, the first is re-raised
            continue


def call_interruptibly(handle: int, call: Callable[..., T], *args: Any, cancel: Canceller = _ffi.cancel) -> T:
    """Runs ``call(handle, *args)``, a blocking library call on handle, so
    that a signal on the main thread ends it: ``cancel(handle)``
    (``mcp_oauth_cancel``, or ``mcp_client_cancel`` for a client handle).

    Off the main thread (where no signal handler runs) it is a plain call.
    """
    if threading.current_thread() is not threading.main_thread():
        return call(handle, *args)
    outcome: List[Tuple[bool, Any]] = []
    abandoned = threading.Event()

    def run() -> None:
        if abandoned.is_set():  # interrupted before the call began
            return
        try:
            outcome.append((True, call(handle, *args)))
        except BaseException as exc:
            outcome.append((False, exc))

    worker = threading.Thread(target=run, name="mcp-oauth-wait", daemon=True)
    try:
        worker.start()
        while worker.is_alive():
            worker.join(_SLICE)
    except BaseException:
        abandoned.set()
        _cancel_and_join(cancel, handle, worker)
        raise
    ok, value = outcome.pop()
    if not ok:
        try:
            raise value
        finally:
            value = None  # no exception -> traceback -> frame -> exception cycle
    return value  # type: ignore[no-any-return]


async def run_cancellable(handle: int, func: Callable[..., T], *args: Any, cancel: Canceller = _ffi.cancel) -> T:
    """Runs ``func(*args)``, which blocks on a library call on handle, in
    the loop's default executor.

    When the awaiting task is cancelled (``task.cancel()``, an
    ``asyncio.wait_for`` or ``asyncio.timeout`` running out) the library call
    is cancelled with ``mcp_oauth_cancel``, the worker thread is awaited, and
    :class:`asyncio.CancelledError` is raised as asyncio expects.
    """
    import asyncio  # here, not at import: importing the package stays cheap

    loop = asyncio.get_running_loop()
    inner = loop.run_in_executor(None, func, *args)
    try:
        return await asyncio.shield(inner)
    except asyncio.CancelledError:
        # The worker's own outcome (McpOAuthCancelledError, or a result that
        # raced the cancellation) is dropped; shield marks it retrieved.
        while not inner.done():
            _cancel_quietly(cancel, handle)
            await asyncio.wait((inner,), timeout=_RECANCEL)
        raise
