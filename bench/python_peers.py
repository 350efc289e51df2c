#!/usr/bin/env python3
"""python_peers.py — the Python rows of `make bench`: what a caller pays for a
cached token, ours and the pure-Python peers', in one process, against the
same running build/mcp-test-server. Run by bench/run.sh in build/bench-venv
(the binding, authlib and the MCP Python SDK `mcp`, installed from PyPI).

Prints "<name> <median ns per call>" lines, each the median of REPEAT
batches:

  py_cached_ours     ``manager.get_token()`` of the binding (client_credentials)
  py_cached_authlib  ``OAuth2Session.ensure_active_token(); token["access_token"]``
  py_cached_mcp_sdk  one pass of the MCP Python SDK's ClientCredentialsOAuthProvider
                     auth flow for a request while its token is valid, as httpx2
                     drives it for every request: the request with its
                     Authorization header out, a 200 response (built once) in (async, in a
                     running asyncio loop; the token was obtained by a real
                     discovery from the MCP server)

With --rss WHO, a fresh process instead prints "py_rss_kb <WHO> <VmRSS kB>":
its resident memory after importing WHO's client and getting one token
("bare": the interpreter alone, imports nothing; "ours": the binding, a
client_credentials token; "sdk": the MCP Python SDK's
ClientCredentialsOAuthProvider and httpx2, a token by its real discovery
from the MCP server).

Usage: python_peers.py [--rss bare|ours|sdk] <mcp-url> <authorization-server-url>
"""

import asyncio
import statistics
import sys
import time
import timeit


def vm_rss_kb() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def rss(who: str, mcp_url: str, as_url: str) -> None:
    """Prints VmRSS after importing who's client (only) and one token."""
    if who == "ours":
        import mcp_oauth_client

        config = mcp_oauth_client.McpOAuthConfig(client_id="test-client", client_secret="test-secret",
                                                 token_url=as_url + "/token")
        kept = mcp_oauth_client.OAuthTokenManager(config)
        kept.get_token()
    elif who == "sdk":
        import httpx2
        from mcp.client.auth.extensions.client_credentials import ClientCredentialsOAuthProvider

        class Storage:
            tokens = client_info = None

            async def get_tokens(self):
                return self.tokens

            async def set_tokens(self, tokens):
                self.tokens = tokens

            async def get_client_info(self):
                return self.client_info

            async def set_client_info(self, info):
                self.client_info = info

        kept = ClientCredentialsOAuthProvider(server_url=mcp_url, storage=Storage(), client_id="test-client",
                                              client_secret="test-secret", scope="mcp:read", issuer=as_url)

        async def one_token() -> None:
            async with httpx2.AsyncClient(auth=kept) as client:
                await client.post(mcp_url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                                  headers={"Accept": "application/json, text/event-stream"})

        asyncio.run(one_token())
        if not kept.context.is_token_valid():
            sys.exit("python_peers: the MCP SDK provider holds no valid token")
    print(f"py_rss_kb {who} {vm_rss_kb()}")


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "--rss":
    rss(sys.argv[2], sys.argv[3], sys.argv[4])  # before the imports below
    sys.exit(0)

import httpx2  # noqa: E402 (after the --rss measurements)
from authlib.integrations.requests_client import OAuth2Session  # noqa: E402
from mcp.client.auth.extensions.client_credentials import ClientCredentialsOAuthProvider  # noqa: E402
from mcp.shared.auth import OAuthClientInformationFull, OAuthToken  # noqa: E402

import mcp_oauth_client  # noqa: E402

REPEAT = 15
NUMBER = 200_000
ASYNC_NUMBER = 5_000


def measure(fn, number=NUMBER):
    """Median over REPEAT batches of `number` calls, in ns per call."""
    fn()
    return statistics.median(timeit.Timer(fn).repeat(repeat=REPEAT, number=number)) / number * 1e9


class MemoryStorage:
    """The SDK's TokenStorage protocol, in memory."""

    def __init__(self):
        self.tokens, self.client_info = None, None

    async def get_tokens(self) -> "OAuthToken | None":
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> "OAuthClientInformationFull | None":
        return self.client_info

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client_info = client_info


async def mcp_sdk_ns(mcp_url: str, as_url: str) -> float:
    # A real request makes the provider discover the authorization server
    # (401, protected resource and AS metadata) and get a token.
    provider = await sdk_token(mcp_url, as_url)
    request = httpx2.Request("POST", mcp_url)
    response = httpx2.Response(200, request=request)  # built once: not the flow's cost

    async def one() -> None:
        flow = provider.async_auth_flow(request)
        sent = await flow.__anext__()
        if sent is not request or not sent.headers["Authorization"].startswith("Bearer "):
            raise RuntimeError("the auth flow did not authorize the request")
        try:
            await flow.asend(response)
        except StopAsyncIteration:
            return
        raise RuntimeError("the auth flow made another request")

    for _ in range(1000):
        await one()
    batches = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        for _ in range(ASYNC_NUMBER):
            await one()
        batches.append((time.perf_counter() - t0) / ASYNC_NUMBER * 1e9)
    return statistics.median(batches)


async def sdk_token(mcp_url: str, as_url: str) -> ClientCredentialsOAuthProvider:
    """One token by the MCP SDK provider's real discovery (a 401 first)."""
    provider = ClientCredentialsOAuthProvider(
        server_url=mcp_url, storage=MemoryStorage(), client_id="test-client", client_secret="test-secret",
        scope="mcp:read", issuer=as_url,
    )
    async with httpx2.AsyncClient(auth=provider) as client:
        await client.post(mcp_url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                          headers={"Accept": "application/json, text/event-stream"})
    if not provider.context.is_token_valid():
        sys.exit("python_peers: the MCP SDK provider holds no valid token after discovery")
    return provider


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    mcp_url, as_url = sys.argv[1], sys.argv[2]
    token_url = as_url + "/token"

    config = mcp_oauth_client.McpOAuthConfig(client_id="test-client", client_secret="test-secret", token_url=token_url)
    with mcp_oauth_client.OAuthTokenManager(config) as manager:
        print(f"py_cached_ours {measure(manager.get_token):.0f}", flush=True)

    session = OAuth2Session("test-client", "test-secret", token_endpoint=token_url, grant_type="client_credentials")
    session.fetch_token(token_url, grant_type="client_credentials")

    def authlib_get() -> str:
        session.ensure_active_token(session.token)
        return session.token["access_token"]

    print(f"py_cached_authlib {measure(authlib_get):.0f}", flush=True)
    print(f"py_cached_mcp_sdk {asyncio.run(mcp_sdk_ns(mcp_url, as_url)):.0f}", flush=True)


if __name__ == "__main__":
    main()
