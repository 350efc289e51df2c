"""Elicitation through McpClient.set_elicitation_handler against the real
build/mcp-test-server, whose tool "ask" sends an elicitation request (a form
with defaults, or a URL) and returns the answer it received."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest

from mcp_oauth_client import McpClient

from test_mcp_client import cc_config, text_of


@pytest.fixture
def client(mcp_server, make_manager):
    manager = make_manager(cc_config(mcp_server))
    with McpClient.connect(manager, mcp_server.mcp, timeout_seconds=20) as c:
        yield c


def ask(client: McpClient, **arguments) -> dict:
    result = client.call_tool("ask", arguments)
    assert not result.get("isError"), result
    return json.loads(text_of(result))


def test_declined_without_handler(client):
    assert ask(client)["action"] == "decline"


def test_form_with_defaults(client):
    seen = []

    def handler(request):
        seen.append((request, threading.current_thread() is threading.main_thread()))
        return {"action": "accept", "content": {"name": "Py"}}

    client.set_elicitation_handler(handler)
    answer = ask(client)
    assert answer == {"action": "accept", "content": {"name": "Py", "count": 3}}
    request, on_main = seen[0]
    assert request["mode"] == "form" and request["message"] == "Who are you?"
    assert request["requestedSchema"]["properties"]["name"]["default"] == "anonymous"
    assert not on_main  # a library thread, documented

    client.set_elicitation_handler(lambda request: None)  # None declines
    assert ask(client)["action"] == "decline"

    def broken(request):
        raise RuntimeError("no user here")

    client.set_elicitation_handler(broken)  # a handler that raises cancels
    assert ask(client)["action"] == "cancel"

    client.set_elicitation_handler(lambda request: {"action": "maybe"})  # unsendable: cancels
    assert ask(client)["action"] == "cancel"

    client.set_elicitation_handler(None)
    assert ask(client)["action"] == "decline"


def test_url_mode_async_handler(client):
    async def main():
        seen = []

        async def handler(request):
            seen.append(request)
            await asyncio.sleep(0)
            return {"action": "accept"}

        client.set_elicitation_handler(handler)
        result = await client.call_tool_async("ask", {"url": "https://example.com/connect"})
        return seen, json.loads(text_of(result))

    seen, answer = asyncio.run(main())
    assert answer["action"] == "accept" and not answer.get("content")
    assert seen[0]["mode"] == "url" and seen[0]["url"] == "https://example.com/connect"
    assert seen[0]["elicitationId"] == "ask-1"

