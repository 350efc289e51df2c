#!/usr/bin/env python3
"""python_mcp_server.py — an MCP server the project did not write: the
official MCP Python SDK's server class (mcp 2.x ``MCPServer``, formerly
``FastMCP``) with its own bearer-auth middleware, verifying tokens at the
project's test authorization server's introspection endpoint (RFC 7662).

    python_mcp_server.py AS_URL

Listens on 127.0.0.1 on an ephemeral port, serves Streamable HTTP at /mcp
(tools ``echo`` and ``add``; every request needs the scope ``mcp:read``),
prints one JSON line {"mcp": URL} on stdout, and exits when its standard
input reaches end of file. Used by the Python and Node drop-in auth tests.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys

import httpx2
import uvicorn
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer


class IntrospectionVerifier:
    """A TokenVerifier asking the authorization server (RFC 7662 §2)."""

    def __init__(self, introspection_url: str) -> None:
        self.url = introspection_url
        self.client = httpx2.AsyncClient(timeout=30)  # one connection pool for all requests

    async def verify_token(self, token: str) -> AccessToken | None:
        resp = await self.client.post(self.url, data={"token": token})
        if resp.status_code != 200:
            return None
        info = resp.json()
        if not info.get("active"):
            return None
        aud = info.get("aud") or []
        return AccessToken(
            token=token,
            client_id=info.get("client_id", ""),
            scopes=(info.get("scope") or "").split(),
            expires_at=info.get("exp"),
            resource=aud[0] if aud else None,
            subject=info.get("sub"),
        )


async def main(as_url: str) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/mcp"

    server = MCPServer(
        "python-sdk-test-server",
        token_verifier=IntrospectionVerifier(as_url.rstrip("/") + "/introspect"),
        auth=AuthSettings(
            issuer_url=as_url, resource_server_url=url, required_scopes=["mcp:read"], validate_token_resource=True
        ),
        log_level="WARNING",
    )

    @server.tool()
    def echo(text: str) -> str:
        """Returns its text."""
        return text

    @server.tool()
    def add(a: int, b: int) -> dict:
        """Adds two integers."""
        return {"sum": a + b}

    config = uvicorn.Config(server.streamable_http_app(), log_level="warning", lifespan="on")
    http = uvicorn.Server(config)
    serving = asyncio.create_task(http.serve(sockets=[sock]))
    while not http.started:
        if serving.done():
            serving.result()
            return
        await asyncio.sleep(0.01)
    print(json.dumps({"mcp": url}), flush=True)
    # Serve until stdin reaches end of file.
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    http.should_exit = True
    await serving


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
