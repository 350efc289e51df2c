"""Elicitation: answering a server's requests for user input (MCP "Elicitation").

During a request of the client (typically a tool call) a server may ask the
user to fill in a form (``mode`` ``"form"``, with a JSON Schema in
``requestedSchema``) or to open a URL (``mode`` ``"url"``, e.g. a third
party's authorization page). :meth:`McpClient.set_elicitation_handler` takes
a function (or an ``async`` function) that gets the request as a dict and
returns the answer: ``{"action": "accept", "content": {...}}`` (form fields
left out get the schema's defaults), ``{"action": "decline"}``,
``{"action": "cancel"}``, or ``None`` (decline). A handler that raises
cancels. Without a handler every request is declined at once.

The library calls the handler on one of its own threads, while the request
that led to it waits. An ``async`` handler runs on the event loop that was
running when it was set: the request must then be awaited with the
``*_async`` methods (which leave the loop free), not called synchronously
from that loop.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Dict, Mapping, Optional, Union

from . import _ffi

if TYPE_CHECKING:
    import asyncio

#: A handler: request dict -> answer dict or None, possibly async.
ElicitationHandler = Callable[
    [Dict[str, Any]], Union[Optional[Mapping[str, Any]], Awaitable[Optional[Mapping[str, Any]]]]
]

_CANCEL = '{"action":"cancel"}'


def _answer_json(answer: Optional[Mapping[str, Any]]) -> Optional[str]:
    if answer is None:
        return None
    return json.dumps(dict(answer), allow_nan=False)


def _reply(request: int, answer: Optional[str]) -> None:
    try:
        _ffi.client_elicitation_reply(request, answer)
    except Exception:  # a malformed answer: the user's choice cannot be sent
        _ffi.client_elicitation_reply(request, _CANCEL)


def c_callback(handler: ElicitationHandler) -> Any:
    """The ELICITATION_FN that runs handler for each request and replies."""
    import asyncio  # here, not at import: importing the package stays cheap
    import inspect

    loop: Optional[asyncio.AbstractEventLoop] = None
    if inspect.iscoroutinefunction(handler):
        loop = asyncio.get_running_loop()  # an async handler needs a running loop

    def settle(request: int, future: "asyncio.Future[Any]") -> None:
        try:
            answer = _answer_json(future.result())
        except BaseException:
            answer = _CANCEL
        _reply(request, answer)

    def callback(_userdata: Any, request: int, request_json: bytes) -> None:
        try:
            req = json.loads(request_json.decode("utf-8"))
            if loop is not None:
                future = asyncio.run_coroutine_threadsafe(handler(req), loop)  # type: ignore[arg-type]
                future.add_done_callback(lambda f: settle(request, f))  # type: ignore[arg-type]
                return
            answer = _answer_json(handler(req))  # type: ignore[arg-type]
        except BaseException:
            answer = _CANCEL
        _reply(request, answer)

    return _ffi.ELICITATION_FN(callback)
