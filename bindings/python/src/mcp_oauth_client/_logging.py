"""Logging: the library's events in Python's :mod:`logging`.

What the library does — discovery steps, registrations, token requests,
refreshes, retries, step-ups, HTTP exchanges — goes to the logger
``mcp_oauth_client`` (:data:`LOGGER_NAME`) at DEBUG, INFO, WARNING or ERROR,
never with a secret or token in it. Configure it as any logger, e.g.
``logging.getLogger("mcp_oauth_client").setLevel(logging.DEBUG)``. Each record
has two extra attributes: ``mcp_oauth_event`` (a stable name such as
``"token.request"``) and ``mcp_oauth_fields`` (a dict of the event's fields).

The library calls :func:`_deliver` on its own threads (one call at a time).
The callback is installed when the library is first loaded, not at import,
and never on the cached-token path: a call that needs no network tells
nothing.
"""

from __future__ import annotations

import atexit
import ctypes
import json
import logging
from typing import Any

#: The logger the library's events go to.
LOGGER_NAME = "mcp_oauth_client"

#: The C log callback: (userdata, level, event, message, fields_json).
LOG_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p)

#: MCP_OAUTH_LOG_DEBUG: the library tells every event; the logger filters.
_LEAST_LEVEL = logging.DEBUG

_logger = logging.getLogger(LOGGER_NAME)
# A library's logger (the logging HOWTO): without the application's own
# configuration, warnings are not printed by logging's last resort.
_logger.addHandler(logging.NullHandler())


def _deliver(_userdata: Any, level: int, event: bytes, message: bytes, fields_json: bytes) -> None:
    try:
        if not _logger.isEnabledFor(level):
            return
        name = event.decode("utf-8", "replace")
        _logger.log(
            level,
            "%s: %s",
            name,
            message.decode("utf-8", "replace"),
            extra={"mcp_oauth_event": name, "mcp_oauth_fields": json.loads(fields_json)},
        )
    except Exception:  # an exception cannot cross into the library
        pass


# Referenced for the life of the process: the library may call it at any time.
_callback = LOG_FN(_deliver)


def install(lib: Any) -> None:
    """Sends the library's events to the logger (called once, when it loads).

    At exit the callback is removed first, so that no library thread calls
    into an interpreter shutting down.
    """
    lib.mcp_oauth_set_log_callback(ctypes.cast(_callback, ctypes.c_void_p), None, _LEAST_LEVEL)

    def remove() -> None:
        from . import _ffi

        if not _ffi.is_forked():  # a forked child must not call Go: it would hang at exit
            lib.mcp_oauth_set_log_callback(None, None, 0)

    atexit.register(remove)
