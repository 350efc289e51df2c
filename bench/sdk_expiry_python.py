#!/usr/bin/env python3
"""sdk_expiry_python.py — a row of `make bench`: 100 concurrent tools/call
through the MCP Python SDK (mcp, ClientSession over streamable HTTP) right
after the session's token expired, authorized by our McpAuth or by the
SDK's own ClientCredentialsOAuthProvider, against the same running
build/mcp-test-server. Prints, per contender,

    sdk_expiry_python <ours|sdk> <token requests> <p50 ms> <p90 ms>

token requests counted from the expiry through the burst; latencies of the
100 calls from the burst's start. Runs in build/bench-venv (bench/run.sh).

Usage: sdk_expiry_python.py <mcp-url> <authorization-server-url>
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
import urllib.request

import httpx2
from mcp import ClientSession
from mcp.client.auth.extensions.client_credentials import ClientCredentialsOAuthProvider
from mcp.client.streamable_http import streamable_http_client

from mcp_oauth_client import McpAuth, McpOAuthConfig, OAuthTokenManager

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from python_peers import MemoryStorage  # noqa: E402

BURST = 100
LIFETIME_MS = 2000


def control(as_url: str, path: str, body: "dict | None" = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(as_url + path, data=data, method="GET" if data is None else "POST")
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=10) as resp:
        raw = resp.read()
    return json.loads(raw) if raw.strip() else {}


async def burst_after_expiry(mcp_url: str, as_url: str, auth) -> "tuple[int, list[float]]":
    async with httpx2.AsyncClient(auth=auth, timeout=httpx2.Timeout(30, read=300)) as http:
        async with streamable_http_client(mcp_url, http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                await session.call_tool("echo", {"text": "warm"})
                await asyncio.sleep(LIFETIME_MS / 1000 + 0.1)  # the token expires
                before = control(as_url, "/_test/counts")["token"]
                t0 = time.perf_counter()

                async def call() -> float:
                    result = await session.call_tool("echo", {"text": "bench"})
                    if result.is_error:
                        raise RuntimeError(f"tools/call failed: {result}")
                    return (time.perf_counter() - t0) * 1000

                latencies = await asyncio.gather(*(call() for _ in range(BURST)))
                return control(as_url, "/_test/counts")["token"] - before, sorted(latencies)


def report(who: str, tokens: int, latencies: "list[float]") -> None:
    p90 = latencies[int(len(latencies) * 0.9)]
    print(f"sdk_expiry_python {who} {tokens} {statistics.median(latencies):.1f} {p90:.1f}", flush=True)


async def main(mcp_url: str, as_url: str) -> None:
    control(as_url, "/_test/config", {"token_lifetime_ms": LIFETIME_MS})
    try:
        config = McpOAuthConfig(server_url=mcp_url, client_id="test-client", client_secret="test-secret", issuer=as_url)
        with OAuthTokenManager(config) as manager:
            report("ours", *await burst_after_expiry(mcp_url, as_url, McpAuth(manager)))
        provider = ClientCredentialsOAuthProvider(
            server_url=mcp_url, storage=MemoryStorage(), client_id="test-client", client_secret="test-secret",
            scope="mcp:read", issuer=as_url,
        )
        report("sdk", *await burst_after_expiry(mcp_url, as_url, provider))
    finally:
        control(as_url, "/_test/config", {"token_lifetime_ms": 3600 * 1000})


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
