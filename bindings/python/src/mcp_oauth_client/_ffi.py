"""The ctypes layer: loads libmcp_oauth once and declares its whole C API.

Everything that touches the C library is in this module:

* :data:`_DECLARATIONS` is the one table of the header's functions (name,
  argtypes, restype, errcheck), in the order of ``include/mcp_oauth.h``.
* Strings the library hands out are declared ``c_void_p`` so they can be
  released with ``mcp_oauth_string_free`` after being copied into Python.
* The library is loaded on first use, not at import, and then never unloaded
  (it embeds the Go runtime): importing the package starts no Go runtime, so
  a process may fork before it first uses the library (gunicorn
  ``--preload``, multiprocessing's fork start method).
* After ``os.fork()`` in a process that has loaded the library, the Go
  runtime cannot run in the child: every entry point raises
  :class:`ForkedProcessError` there instead of hanging.
* Live handles are counted, so tests can check that none leak.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
import threading
from ctypes import POINTER, c_char_p, c_int, c_uint32, c_void_p
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

from . import _errors
from ._errors import ForkedProcessError, McpOAuthError, error_for
from ._version import VERSION

#: Version of this binding; its major must equal the library's.
BINDING_VERSION = VERSION

#: Environment variable naming a libmcp_oauth shared library to load instead
#: of the one shipped inside the package.
LIBRARY_ENV = "MCP_OAUTH_LIBRARY"

_out_str = POINTER(c_void_p)  # char ** (filled with a library-owned string)
_out_ptr = POINTER(c_void_p)  # mcp_oauth ** / const volatile uint32_t **


def _library_names() -> Tuple[str, ...]:
    if sys.platform == "darwin":
        return ("libmcp_oauth.dylib",)
    if sys.platform == "win32":
        return ("mcp_oauth.dll", "libmcp_oauth.dll")
    return ("libmcp_oauth.so", "libmcp_oauth.so.0")


def find_library() -> str:
    """Returns the path of the shared library this package loads.

    In order: ``$MCP_OAUTH_LIBRARY``; the library shipped inside the package;
    in a source checkout (editable install), the repository's
    ``build/libmcp_oauth.so`` as built by ``make lib``.
    """
    env = os.environ.get(LIBRARY_ENV)
    if env:
        return env
    from pathlib import Path  # here, not at import: importing the package stays cheap

    here = Path(__file__).resolve().parent
    for name in _library_names():
        candidate = here / name
        if candidate.is_file():
            return str(candidate)
    # Source checkout: <repo>/bindings/python/src/mcp_oauth_client/_ffi.py
    if len(here.parents) > 3:
        repo = here.parents[3]
        if (repo / "include" / "mcp_oauth.h").is_file():
            for name in _library_names():
                candidate = repo / "build" / name
                if candidate.is_file():
                    return str(candidate)
    raise ImportError(
        "mcp_oauth_client: libmcp_oauth shared library not found in the package; "
        f"reinstall the package, run `make lib` in a checkout, or set {LIBRARY_ENV}"
    )


# --------------------------------------------------------------------------
# errcheck hooks


def _make_check(out_strings: Tuple[int, ...] = (), error_index: Optional[int] = None) -> Callable[..., Any]:
    """An errcheck turning a non-zero status into a typed exception.

    ``out_strings`` are the argument positions of ``char **`` outputs and
    ``error_index`` that of ``out_error``. Out-parameters are passed as
    ``c_void_p`` instances (ctypes applies byref), so errcheck sees them. On
    failure the header promises NULL outputs; any string there anyway is
    freed, and the out_error JSON becomes the exception's details.
    """

    def check(result: int, func: Any, args: Sequence[Any]) -> int:
        if result == _errors.OK:
            return result
        error_json: Optional[str] = None
        if error_index is not None and isinstance(args[error_index], c_void_p):
            error_json = _take_string(args[error_index])
        for i in out_strings:
            if isinstance(args[i], c_void_p):
                _take_string(args[i])
        raise error_for(result, error_json, strerror(result))

    return check


def _check_flag(result: int, func: Any, args: Sequence[Any]) -> int:
    """errcheck of a function returning 0 or 1, or a negative status."""
    if result >= 0:
        return result
    raise error_for(result, None, strerror(result))


# The one declaration table: (name, argtypes, restype, errcheck), in the
# header's order.
_DECLARATIONS: Tuple[Tuple[str, Tuple[Any, ...], Any, Optional[Callable[..., Any]]], ...] = (
    ("mcp_oauth_version", (), c_char_p, None),  # static string, not freed
    ("mcp_oauth_strerror", (c_int,), c_char_p, None),  # static string, not freed
    ("mcp_oauth_string_free", (c_void_p,), None, None),
    ("mcp_oauth_new", (c_char_p, _out_ptr, _out_str), c_int, _make_check((), 2)),
    # The configuration setters and error accessors serve C programs without
    # a JSON library; Python builds the JSON document itself.
    ("mcp_oauth_config_new", (_out_ptr,), c_int, _make_check()),
    ("mcp_oauth_config_set_string", (c_void_p, c_char_p, c_char_p, _out_str), c_int, _make_check((), 3)),
    ("mcp_oauth_config_add_string", (c_void_p, c_char_p, c_char_p, _out_str), c_int, _make_check((), 3)),
    ("mcp_oauth_config_set_number", (c_void_p, c_char_p, ctypes.c_double, _out_str), c_int, _make_check((), 3)),
    ("mcp_oauth_config_set_bool", (c_void_p, c_char_p, c_int, _out_str), c_int, _make_check((), 3)),
    ("mcp_oauth_config_free", (c_void_p,), c_int, _make_check()),
    ("mcp_oauth_new_from_config", (c_void_p, _out_ptr, _out_str), c_int, _make_check((), 2)),
    ("mcp_oauth_error_code", (c_char_p,), c_int, None),
    ("mcp_oauth_error_member", (c_char_p, c_char_p, _out_str), c_int, _make_check((2,))),
    ("mcp_oauth_free", (c_void_p,), c_int, _make_check()),
    ("mcp_oauth_get_token", (c_void_p, _out_str, _out_str), c_int, _make_check((1,), 2)),
    ("mcp_oauth_get_token_json", (c_void_p, _out_str, _out_str), c_int, _make_check((1,), 2)),
    ("mcp_oauth_generation_ptr", (c_void_p, _out_ptr), c_int, _make_check()),
    ("mcp_oauth_invalidate", (c_void_p, c_char_p), c_int, _make_check()),
    ("mcp_oauth_needs_challenge", (c_void_p,), c_int, _check_flag),
    (
        "mcp_oauth_handle_response",
        (c_void_p, c_int, c_char_p, c_char_p, c_int, _out_str, _out_str),
        c_int,
        _make_check((5,), 6),
    ),
    ("mcp_oauth_request_headers", (c_void_p, c_char_p, c_char_p, c_char_p, _out_str, _out_str), c_int, _make_check((4,), 5)),
    ("mcp_oauth_dpop_nonce", (c_void_p, c_char_p, c_char_p, c_int, c_char_p, c_char_p), c_int, _check_flag),
    ("mcp_oauth_authorize_begin", (c_void_p, c_char_p, _out_str, _out_str, _out_str), c_int, _make_check((2, 3), 4)),
    ("mcp_oauth_authorize_complete", (c_void_p, c_char_p, _out_str), c_int, _make_check((), 2)),
    ("mcp_oauth_authorize_interactive", (c_void_p, c_char_p, ctypes.c_double, _out_str), c_int, _make_check((), 3)),
    # The callback is an OPEN_FN (ctypes.CFUNCTYPE(c_int, c_void_p, c_char_p)),
    # passed as a pointer.
    (
        "mcp_oauth_authorize_interactive_callback",
        (c_void_p, c_void_p, c_void_p, ctypes.c_double, _out_str),
        c_int,
        _make_check((), 4),
    ),
    ("mcp_oauth_device_begin", (c_void_p, _out_str, _out_str), c_int, _make_check((1,), 2)),
    ("mcp_oauth_device_complete", (c_void_p, c_int, _out_str), c_int, _make_check((), 2)),
    ("mcp_oauth_cancel", (c_void_p,), c_int, _make_check()),
    ("mcp_oauth_status", (c_void_p, _out_str, _out_str), c_int, _make_check((1,), 2)),
    ("mcp_pkce_verifier", (_out_str,), c_int, _make_check((0,))),
    ("mcp_pkce_challenge", (c_char_p, _out_str), c_int, _make_check((1,))),
    ("mcp_client_connect", (c_void_p, c_char_p, c_char_p, _out_ptr, _out_str), c_int, _make_check((), 4)),
    ("mcp_client_list_tools", (c_void_p, _out_str, _out_str), c_int, _make_check((1,), 2)),
    ("mcp_client_call_tool", (c_void_p, c_char_p, c_char_p, _out_str, _out_str), c_int, _make_check((3,), 4)),
    ("mcp_client_request", (c_void_p, c_char_p, c_char_p, _out_str, _out_str), c_int, _make_check((3,), 4)),
    ("mcp_client_list_skills", (c_void_p, _out_str, _out_str), c_int, _make_check((1,), 2)),
    ("mcp_client_load_skill", (c_void_p, c_char_p, _out_str, _out_str), c_int, _make_check((2,), 3)),
    # The callback is a ctypes.CFUNCTYPE(None, c_void_p, c_void_p, c_char_p)
    # (see _elicitation.py), passed as a pointer.
    ("mcp_client_set_elicitation_callback", (c_void_p, c_void_p, c_void_p, _out_str), c_int, _make_check((), 3)),
    ("mcp_client_elicitation_reply", (c_void_p, c_char_p, _out_str), c_int, _make_check((), 2)),
    ("mcp_client_close", (c_void_p,), c_int, _make_check()),
    ("mcp_client_cancel", (c_void_p,), c_int, _make_check()),
    ("mcp_client_status", (c_void_p, _out_str, _out_str), c_int, _make_check((1,), 2)),
    ("mcp_client_multi_new", (c_char_p, _out_ptr, _out_str), c_int, _make_check((), 2)),
    ("mcp_client_multi_list_tools", (c_void_p, _out_str, _out_str), c_int, _make_check((1,), 2)),
    (
        "mcp_client_multi_call_tool",
        (c_void_p, c_char_p, c_char_p, c_char_p, _out_str, _out_str),
        c_int,
        _make_check((4,), 5),
    ),
    (
        "mcp_client_multi_authorize_interactive",
        (c_void_p, c_char_p, c_char_p, ctypes.c_double, _out_str),
        c_int,
        _make_check((), 4),
    ),
    (
        "mcp_client_multi_list_server_tools",
        (c_void_p, c_char_p, _out_str, _out_str),
        c_int,
        _make_check((2,), 3),
    ),
    ("mcp_client_multi_set_auth", (c_void_p, c_char_p, c_void_p, _out_str), c_int, _make_check((), 3)),
    ("mcp_client_multi_session", (c_void_p, c_char_p, _out_ptr, _out_str), c_int, _make_check((), 3)),
    ("mcp_client_multi_free", (c_void_p,), c_int, _make_check()),
    ("mcp_client_multi_cancel", (c_void_p,), c_int, _make_check()),
    # The callback is a _logging.LOG_FN, passed as a pointer (c_void_p).
    ("mcp_oauth_set_log_callback", (c_void_p, c_void_p, c_int), c_int, _make_check()),
    ("mcp_oauth_log_buffer", (c_int,), c_int, _make_check()),
    ("mcp_oauth_log_drain", (_out_str,), c_int, _make_check((0,))),
)


class _Lib:
    """Attribute bag holding the declared functions (filled by :func:`_load`)."""

    path: str
    cdll: ctypes.CDLL
    mcp_oauth_version: Any
    mcp_oauth_strerror: Any
    mcp_oauth_string_free: Any
    mcp_oauth_config_new: Any
    mcp_oauth_config_set_string: Any
    mcp_oauth_config_add_string: Any
    mcp_oauth_config_set_number: Any
    mcp_oauth_config_set_bool: Any
    mcp_oauth_config_free: Any
    mcp_oauth_new_from_config: Any
    mcp_oauth_error_code: Any
    mcp_oauth_error_member: Any
    mcp_oauth_new: Any
    mcp_oauth_free: Any
    mcp_oauth_get_token: Any
    mcp_oauth_get_token_json: Any
    mcp_oauth_generation_ptr: Any
    mcp_oauth_invalidate: Any
    mcp_oauth_needs_challenge: Any
    mcp_oauth_handle_response: Any
    mcp_oauth_request_headers: Any
    mcp_oauth_dpop_nonce: Any
    mcp_oauth_authorize_begin: Any
    mcp_oauth_authorize_complete: Any
    mcp_oauth_authorize_interactive: Any
    mcp_oauth_authorize_interactive_callback: Any
    mcp_oauth_device_begin: Any
    mcp_oauth_device_complete: Any
    mcp_oauth_cancel: Any
    mcp_oauth_status: Any
    mcp_pkce_verifier: Any
    mcp_pkce_challenge: Any
    mcp_client_connect: Any
    mcp_client_list_tools: Any
    mcp_client_call_tool: Any
    mcp_client_request: Any
    mcp_client_list_skills: Any
    mcp_client_load_skill: Any
    mcp_client_set_elicitation_callback: Any
    mcp_client_elicitation_reply: Any
    mcp_client_close: Any
    mcp_client_cancel: Any
    mcp_client_status: Any
    mcp_client_multi_new: Any
    mcp_client_multi_list_tools: Any
    mcp_client_multi_call_tool: Any
    mcp_client_multi_authorize_interactive: Any
    mcp_client_multi_list_server_tools: Any
    mcp_client_multi_set_auth: Any
    mcp_client_multi_session: Any
    mcp_client_multi_free: Any
    mcp_client_multi_cancel: Any
    mcp_oauth_set_log_callback: Any
    mcp_oauth_log_buffer: Any
    mcp_oauth_log_drain: Any


def _load() -> _Lib:
    """Loads the library and declares its functions; raises ImportError."""
    path = find_library()
    try:
        cdll = ctypes.CDLL(path)
    except OSError as exc:
        raise ImportError(f"mcp_oauth_client: cannot load {path}: {exc}") from exc
    lib = _Lib()
    lib.path = path
    lib.cdll = cdll  # kept for the life of the process: never unloaded
    for name, argtypes, restype, errcheck in _DECLARATIONS:
        try:
            func = getattr(cdll, name)
        except AttributeError as exc:
            raise ImportError(f"mcp_oauth_client: {path} lacks {name}; it is not a compatible libmcp_oauth") from exc
        func.argtypes = argtypes
        func.restype = restype
        if errcheck is not None:
            func.errcheck = errcheck
        setattr(lib, name, func)
    return lib


_lib: Optional[_Lib] = None
_load_lock = threading.Lock()
_loading = False  # set once a thread starts loading: the Go runtime may be up

# Set by _library() on first use; read them through the module (its
# __getattr__ loads the library first).
LIBRARY_PATH: str
LIBRARY_VERSION: str


def _library() -> _Lib:
    """The loaded library: loads it on the first call (thread-safe).

    Raises ImportError when it cannot be found or loaded or has another
    major version, at this first use rather than at import.
    """
    lib = _lib
    if lib is not None:
        return lib
    with _load_lock:
        if _lib is None:
            _load_into_module()
        assert _lib is not None
        return _lib


def _load_into_module() -> None:
    global _lib, _loading, LIBRARY_PATH, LIBRARY_VERSION
    _loading = True
    lib = _load()
    LIBRARY_PATH = lib.path
    LIBRARY_VERSION = lib.mcp_oauth_version().decode("ascii", "replace")
    _check_version()
    from . import _logging  # here, not at import: importing the package stays cheap

    _logging.install(lib)
    _lib = lib


def __getattr__(name: str) -> Any:
    """LIBRARY_PATH and LIBRARY_VERSION load the library when first read."""
    if name in ("LIBRARY_PATH", "LIBRARY_VERSION"):
        _library()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _check_version() -> None:
    lib_major = LIBRARY_VERSION.split(".", 1)[0]
    ours = BINDING_VERSION.split(".", 1)[0]
    if lib_major != ours:
        raise ImportError(
            f"mcp_oauth_client: library {LIBRARY_PATH} has version {LIBRARY_VERSION}, "
            f"but this binding ({BINDING_VERSION}) needs major version {ours}"
        )


# --------------------------------------------------------------------------
# fork safety

_forked = False
_fork_hooks: List[Callable[[], None]] = []

_FORK_MESSAGE = (
    "mcp_oauth_client: this process was forked after libmcp_oauth was loaded; the Go "
    "runtime inside it cannot run in a forked child. Create the token manager "
    "in the child after exec, e.g. use multiprocessing's 'spawn' or "
    "'forkserver' start method"
)


def _after_fork_in_child() -> None:
    global _forked, _load_lock
    if _lib is None and not _loading:
        return  # forked before first use: the child loads its own runtime
    _forked = True
    for hook in _fork_hooks:
        try:
            hook()
        except Exception:  # pragma: no cover - never let a hook break fork
            pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def add_fork_hook(hook: Callable[[], None]) -> None:
    """Runs ``hook()`` in a forked child (used to drop cached tokens there)."""
    _fork_hooks.append(hook)


def is_forked() -> bool:
    """True in a child forked after the library was loaded (it is unusable there)."""
    return _forked


def _guard() -> None:
    if _forked:
        raise ForkedProcessError(_FORK_MESSAGE)


# --------------------------------------------------------------------------
# helpers: every call into the library goes through one of these


def _take_string(ptr: c_void_p) -> Optional[str]:
    """Copies a library-owned string into Python and frees it."""
    address = ptr.value
    if not address:
        return None
    ptr.value = None
    try:
        return ctypes.string_at(address).decode("utf-8")
    finally:
        _library().mcp_oauth_string_free(address)


def strerror(code: int) -> str:
    """The library's static description of a status code."""
    if _forked:
        return f"status {code}"
    raw = _library().mcp_oauth_strerror(code)
    return raw.decode("utf-8", "replace") if raw else f"status {code}"


def _encode(value: str, what: str) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"mcp_oauth_client: {what} must be a str, not {type(value).__name__}")
    if "\x00" in value:
        raise _errors.InvalidArgumentError(f"mcp_oauth_client: {what} contains a NUL character", _errors.E_INVALID_ARGUMENT)
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate has no UTF-8 form; the message never echoes it.
        raise _errors.InvalidArgumentError(
            f"mcp_oauth_client: {what} is not valid Unicode (lone surrogate)", _errors.E_INVALID_ARGUMENT
        ) from None


_live_lock = threading.Lock()
_live_handles: Set[int] = set()


_live_clients: Set[int] = set()


def live_handles() -> int:
    """How many handles (mcp_oauth, mcp_client, mcp_client_multi) this process has created and not yet freed."""
    with _live_lock:
        return len(_live_handles) + len(_live_clients)


def _track(out: c_void_p, function: str, live: Set[int]) -> int:
    """The handle a successful ``function`` stored in ``out``, recorded as live."""
    handle = out.value
    if not handle:  # pragma: no cover - the library promises a handle on OK
        raise _errors.InternalError(f"mcp_oauth_client: {function} returned no handle", _errors.E_INTERNAL)
    with _live_lock:
        live.add(handle)
    return handle


def _untrack(handle: int, live: Set[int], release: Callable[[int], Any]) -> None:
    """Releases ``handle``; a no-op in a forked child (the child cannot call Go)."""
    with _live_lock:
        live.discard(handle)
    if _forked:
        return
    try:
        release(handle)
    except _errors.BadHandleError:
        pass


def new(config_json: str) -> int:
    """mcp_oauth_new: returns a new handle (an address)."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    _library().mcp_oauth_new(_encode(config_json, "config"), out, err)
    return _track(out, "mcp_oauth_new", _live_handles)


def free(handle: int) -> None:
    """mcp_oauth_free; a no-op in a forked child (the child cannot call Go)."""
    _untrack(handle, _live_handles, lambda h: _library().mcp_oauth_free(h))


def generation_word(handle: int) -> "c_uint32":
    """Maps the handle's token generation counter (read-only)."""
    _guard()
    out = c_void_p()
    _library().mcp_oauth_generation_ptr(handle, out)
    if not out.value:  # pragma: no cover
        raise _errors.InternalError("mcp_oauth_client: no generation counter", _errors.E_INTERNAL)
    return c_uint32.from_address(out.value)


def get_token(handle: int) -> str:
    """mcp_oauth_get_token."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    _library().mcp_oauth_get_token(handle, out, err)
    return _take_string(out) or ""


def get_token_json(handle: int) -> str:
    """mcp_oauth_get_token_json."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    _library().mcp_oauth_get_token_json(handle, out, err)
    return _take_string(out) or ""


def invalidate(handle: int, token: str) -> None:
    """mcp_oauth_invalidate."""
    _guard()
    _library().mcp_oauth_invalidate(handle, _encode(token, "token"))


def needs_challenge(handle: int) -> bool:
    """mcp_oauth_needs_challenge."""
    _guard()
    return bool(_library().mcp_oauth_needs_challenge(handle))


def handle_response(handle: int, status: int, www_authenticate: Optional[str], token: str, previous: int) -> str:
    """mcp_oauth_handle_response: the token to send the request again with, or ""."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    challenge = None if www_authenticate is None else _encode(www_authenticate, "www_authenticate")
    _library().mcp_oauth_handle_response(handle, status, challenge, _encode(token, "token"), previous, out, err)
    return _take_string(out) or ""


def request_headers(handle: int, method: str, url: str, token: str) -> Dict[str, str]:
    """mcp_oauth_request_headers: the headers to send the request with."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    _library().mcp_oauth_request_headers(
        handle, _encode(method, "method"), _encode(url, "url"), _encode(token, "token"), out, err
    )
    return json.loads(_take_string(out) or "{}")


def dpop_nonce(handle: int, url: str, token: str, status: int, www_authenticate: Optional[str], nonce: str) -> bool:
    """mcp_oauth_dpop_nonce: True to send the request once more with the same token."""
    _guard()
    challenge = None if www_authenticate is None else _encode(www_authenticate, "www_authenticate")
    rc = _library().mcp_oauth_dpop_nonce(
        handle, _encode(url, "url"), _encode(token, "token"), status, challenge, _encode(nonce, "dpop_nonce")
    )
    return bool(rc)


def authorize_begin(handle: int, redirect_uri: Optional[str]) -> Tuple[str, str]:
    """mcp_oauth_authorize_begin: returns (url, state)."""
    _guard()
    url = c_void_p()
    state = c_void_p()
    err = c_void_p()
    arg = None if redirect_uri is None else _encode(redirect_uri, "redirect_uri")
    _library().mcp_oauth_authorize_begin(handle, arg, url, state, err)
    try:
        url_s = _take_string(url) or ""
    finally:
        state_s = _take_string(state) or ""
    return url_s, state_s


def authorize_complete(handle: int, redirect_url: str) -> None:
    """mcp_oauth_authorize_complete."""
    _guard()
    err = c_void_p()
    _library().mcp_oauth_authorize_complete(handle, _encode(redirect_url, "redirect_url"), err)


def authorize_interactive(handle: int, open_command: Optional[str], timeout_seconds: float) -> None:
    """mcp_oauth_authorize_interactive."""
    _guard()
    err = c_void_p()
    command = None if open_command is None else _encode(open_command, "open_command")
    _library().mcp_oauth_authorize_interactive(handle, command, timeout_seconds, err)


#: The C open callback of mcp_oauth_authorize_interactive_callback: (userdata, url) -> 0 when shown.
OPEN_FN = ctypes.CFUNCTYPE(c_int, c_void_p, c_char_p)


def authorize_interactive_callback(handle: int, show: Callable[[str], None], timeout_seconds: float) -> None:
    """mcp_oauth_authorize_interactive_callback: ``show(url)`` shows the URL.

    An exception from ``show`` ends the login and is raised here (its cause
    the library's InvalidArgumentError).
    """
    _guard()
    failures: List[BaseException] = []

    def call(_userdata: Any, url: bytes) -> int:
        try:
            show(url.decode("utf-8"))
            return 0
        except BaseException as exc:  # raised below, on the calling thread
            failures.append(exc)
            return 1

    callback = OPEN_FN(call)  # alive until the call returns: the library calls it only meanwhile
    err = c_void_p()
    try:
        _library().mcp_oauth_authorize_interactive_callback(handle, ctypes.cast(callback, c_void_p), None, timeout_seconds, err)
    except McpOAuthError as exc:
        if failures:
            raise failures[0] from exc
        raise


def device_begin(handle: int) -> str:
    """mcp_oauth_device_begin: returns the JSON object to show the user."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    _library().mcp_oauth_device_begin(handle, out, err)
    return _take_string(out) or ""


def device_complete(handle: int, timeout_seconds: int) -> None:
    """mcp_oauth_device_complete."""
    _guard()
    err = c_void_p()
    _library().mcp_oauth_device_complete(handle, timeout_seconds, err)


def cancel(handle: int) -> None:
    """mcp_oauth_cancel: ends the calls blocked on handle in other threads. Never blocks."""
    _guard()
    _library().mcp_oauth_cancel(handle)


def status(handle: int) -> str:
    """mcp_oauth_status: the manager's state as JSON (never a token or secret)."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    _library().mcp_oauth_status(handle, out, err)
    return _take_string(out) or ""


def client_status(client: int) -> str:
    """mcp_client_status: the session's state as JSON (never a token or secret)."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    _library().mcp_client_status(client, out, err)
    return _take_string(out) or ""


def client_cancel(client: int) -> None:
    """mcp_client_cancel: ends the requests blocked on client in other threads. Never blocks."""
    _guard()
    _library().mcp_client_cancel(client)


def multi_cancel(multi: int) -> None:
    """mcp_client_multi_cancel: ends the calls blocked on multi in other threads. Never blocks."""
    _guard()
    _library().mcp_client_multi_cancel(multi)


def pkce_verifier() -> str:
    """mcp_pkce_verifier."""
    _guard()
    out = c_void_p()
    _library().mcp_pkce_verifier(out)
    return _take_string(out) or ""


def pkce_challenge(verifier: str) -> str:
    """mcp_pkce_challenge."""
    _guard()
    out = c_void_p()
    try:
        _library().mcp_pkce_challenge(_encode(verifier, "verifier"), out)
    except _errors.InvalidArgumentError as exc:
        # The status alone says "invalid argument"; say which rule (never the value).
        raise _errors.InvalidArgumentError(
            "mcp-oauth: code verifier must be 43-128 characters of [A-Za-z0-9-._~]", exc.code, exc.details
        ) from None
    return _take_string(out) or ""


# --------------------------------------------------------------------------
# MCP connections


def client_connect(auth: int, server_url: str, options_json: Optional[str]) -> int:
    """mcp_client_connect: returns a new client handle (an address)."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    opts = None if options_json is None else _encode(options_json, "options")
    _library().mcp_client_connect(auth, _encode(server_url, "server_url"), opts, out, err)
    return _track(out, "mcp_client_connect", _live_clients)


def client_close(client: int) -> None:
    """mcp_client_close; a no-op in a forked child (the child cannot call Go)."""
    _untrack(client, _live_clients, lambda c: _library().mcp_client_close(c))


def client_list_tools(client: int) -> str:
    """mcp_client_list_tools: the tools/list result as JSON."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    _library().mcp_client_list_tools(client, out, err)
    return _take_string(out) or ""


def client_call_tool(client: int, name: str, arguments_json: Optional[str]) -> str:
    """mcp_client_call_tool: the tools/call result as JSON."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    args = None if arguments_json is None else _encode(arguments_json, "arguments")
    _library().mcp_client_call_tool(client, _encode(name, "tool name"), args, out, err)
    return _take_string(out) or ""


def client_request(client: int, method: str, params_json: Optional[str]) -> str:
    """mcp_client_request: the result of an MCP request as JSON."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    params = None if params_json is None else _encode(params_json, "params")
    _library().mcp_client_request(client, _encode(method, "method"), params, out, err)
    return _take_string(out) or ""


def client_list_skills(client: int) -> str:
    """mcp_client_list_skills: the first page of skills/list as JSON."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    _library().mcp_client_list_skills(client, out, err)
    return _take_string(out) or ""


def client_load_skill(client: int, uri: str) -> str:
    """mcp_client_load_skill: the verified skill as JSON."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    _library().mcp_client_load_skill(client, _encode(uri, "skill uri"), out, err)
    return _take_string(out) or ""


#: The C elicitation callback: (userdata, request, request_json).
ELICITATION_FN = ctypes.CFUNCTYPE(None, c_void_p, c_void_p, c_char_p)


def client_set_elicitation_callback(client: int, callback: Optional[Any]) -> None:
    """mcp_client_set_elicitation_callback; callback is an ELICITATION_FN or None.

    The caller keeps the ELICITATION_FN object alive while it is set.
    """
    _guard()
    err = c_void_p()
    fn = None if callback is None else ctypes.cast(callback, c_void_p)
    _library().mcp_client_set_elicitation_callback(client, fn, None, err)


def client_elicitation_reply(request: int, response_json: Optional[str]) -> None:
    """mcp_client_elicitation_reply: answers one elicitation request."""
    _guard()
    err = c_void_p()
    answer = None if response_json is None else _encode(response_json, "elicitation answer")
    _library().mcp_client_elicitation_reply(request, answer, err)


# --------------------------------------------------------------------------
# Multi-server clients


def multi_new(servers_json: str) -> int:
    """mcp_client_multi_new: returns a new multi-server client handle."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    _library().mcp_client_multi_new(_encode(servers_json, "servers"), out, err)
    return _track(out, "mcp_client_multi_new", _live_clients)


def multi_free(multi: int) -> None:
    """mcp_client_multi_free; a no-op in a forked child (the child cannot call Go)."""
    _untrack(multi, _live_clients, lambda m: _library().mcp_client_multi_free(m))


def multi_set_auth(multi: int, server: str, auth: int) -> None:
    """mcp_client_multi_set_auth: server uses the tokens of the mcp_oauth handle auth."""
    _guard()
    err = c_void_p()
    _library().mcp_client_multi_set_auth(multi, _encode(server, "server"), auth, err)


def multi_session(multi: int, server: str) -> int:
    """mcp_client_multi_session: a new client handle for server's session."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    _library().mcp_client_multi_session(multi, _encode(server, "server"), out, err)
    return _track(out, "mcp_client_multi_session", _live_clients)


def multi_list_tools(multi: int, server: Optional[str]) -> str:
    """mcp_client_multi_list_tools, or mcp_client_multi_list_server_tools for one server."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    if server is None:
        _library().mcp_client_multi_list_tools(multi, out, err)
    else:
        _library().mcp_client_multi_list_server_tools(multi, _encode(server, "server"), out, err)
    return _take_string(out) or ""


def multi_call_tool(multi: int, server: str, name: str, arguments_json: Optional[str]) -> str:
    """mcp_client_multi_call_tool: the tools/call result as JSON."""
    _guard()
    out = c_void_p()
    err = c_void_p()
    args = None if arguments_json is None else _encode(arguments_json, "arguments")
    _library().mcp_client_multi_call_tool(multi, _encode(server, "server"), _encode(name, "tool name"), args, out, err)
    return _take_string(out) or ""


__all__ = [
    "BINDING_VERSION",
    "LIBRARY_ENV",
    "LIBRARY_PATH",
    "LIBRARY_VERSION",
    "McpOAuthError",
    "find_library",
    "is_forked",
    "live_handles",
    "strerror",
]
