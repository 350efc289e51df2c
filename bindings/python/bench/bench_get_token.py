#!/usr/bin/env python3
"""Benchmark: the cost of getting a cached token from Python.

Starts the test authorization server (build/oauth-test-server, or
$MCP_OAUTH_TEST_SERVER), fetches one token, then measures what a caller pays
per call once the token is cached, timeit-style (batches of calls, repeated;
the median batch is reported in ns per call):

* dict lookup        -- the floor: ``cache["access_token"]`` in a function
* mcp_oauth_client          -- ``manager.get_token()`` (the lock-free cached path)
* mcp_oauth_client token()  -- ``manager.token()`` (same path, returns a Token)
* authlib            -- ``OAuth2Session.ensure_active_token(); token["access_token"]``
                        (authlib.integrations.requests_client, if installed)
* C call + free      -- ``mcp_oauth_get_token`` + ``mcp_oauth_string_free``
                        through ctypes on every call (what the cache avoids)

Usage: python bench/bench_get_token.py [URL] [--repeat N] [--number N]
(URL: a running test server; by default one is started.) Prints a Markdown
table.
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import subprocess
import sys
import timeit
from pathlib import Path
from typing import Callable, Optional, Tuple

import mcp_oauth_client
from mcp_oauth_client import _ffi

REPO = Path(__file__).resolve().parents[3]


def start_server() -> Tuple[subprocess.Popen, str]:
    binary = os.environ.get("MCP_OAUTH_TEST_SERVER") or str(REPO / "build" / "oauth-test-server")
    if not os.access(binary, os.X_OK):
        sys.exit(f"bench: {binary} not found; run `make testserver` or set MCP_OAUTH_TEST_SERVER")
    proc = subprocess.Popen([binary, "-watch-stdin"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], 15)
    url = proc.stdout.readline().decode().strip() if ready else ""
    if not url.startswith("http"):
        proc.kill()
        sys.exit("bench: the test server did not start")
    return proc, url


def measure(fn: Callable[[], object], number: int, repeat: int) -> float:
    """Median over `repeat` batches of `number` calls, in ns per call."""
    fn()  # warm up
    timer = timeit.Timer(fn)
    batches = timer.repeat(repeat=repeat, number=number)
    return statistics.median(batches) / number * 1e9


def authlib_getter(token_url: str) -> Optional[Callable[[], str]]:
    try:
        from authlib.integrations.requests_client import OAuth2Session
    except ImportError:
        return None
    session = OAuth2Session("test-client", "test-secret", token_endpoint=token_url, grant_type="client_credentials")
    session.fetch_token(token_url, grant_type="client_credentials")

    def get() -> str:
        # What a caller does to get a valid (refreshed-if-needed) token.
        session.ensure_active_token(session.token)
        return session.token["access_token"]

    return get


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", help="base URL of a running test server (default: start one)")
    parser.add_argument("--repeat", type=int, default=15, help="batches per measurement (default 15)")
    parser.add_argument("--number", type=int, default=200_000, help="calls per batch (default 200000)")
    args = parser.parse_args()

    proc: Optional[subprocess.Popen] = None
    url = args.url
    if not url:
        proc, url = start_server()
    try:
        config = mcp_oauth_client.McpOAuthConfig(
            client_id="test-client", client_secret="test-secret", token_url=url + "/token"
        )
        with mcp_oauth_client.OAuthTokenManager(config) as manager:
            token = manager.get_token()
            cache = {"access_token": token}

            def dict_lookup() -> str:
                return cache["access_token"]

            handle = manager._handle
            assert handle is not None

            def c_call() -> str:
                return _ffi.get_token(handle)

            floor = measure(dict_lookup, args.number, args.repeat)
            ours = measure(manager.get_token, args.number, args.repeat)
            ours_token = measure(manager.token, args.number, args.repeat)
            authlib_get = authlib_getter(url + "/token")
            authlib_ns = measure(authlib_get, args.number, args.repeat) if authlib_get else None
            uncached = measure(c_call, max(args.number // 10, 1000), args.repeat)
    finally:
        if proc is not None:
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait(10)

    goal = 3000.0
    print(
        f"Python {sys.version.split()[0]}, libmcp_oauth {mcp_oauth_client.library_version}: "
        f"median of {args.repeat} batches of {args.number} calls"
    )
    print()
    print("| figure | ours (median) | baseline (median) | ratio | goal |")
    print("|---|---|---|---|---|")
    print(
        f"| cached get_token(), Python | {ours:.0f} ns | dict lookup in a function (floor): {floor:.0f} ns "
        f"| {ours / floor:.2f} | <= {goal:.0f} ns |"
    )
    if authlib_ns is not None:
        print(
            f"| cached get_token(), Python | {ours:.0f} ns | authlib OAuth2Session ensure_active_token: "
            f"{authlib_ns:.0f} ns | {ours / authlib_ns:.2f} | - |"
        )
    else:
        print("| cached get_token(), Python | - | authlib not installed (pip install authlib) | - | - |")
    print(
        f"| cached token(), Python | {ours_token:.0f} ns | dict lookup: {floor:.0f} ns | {ours_token / floor:.2f} | - |"
    )
    print(
        f"| one ctypes mcp_oauth_get_token + free (what the cache avoids) | {uncached:.0f} ns "
        f"| cached get_token(): {ours:.0f} ns | {uncached / ours:.1f} | - |"
    )
    print()
    print(f"cached get_token() median {ours:.0f} ns: {'meets' if ours <= goal else 'MISSES'} the {goal:.0f} ns goal")


if __name__ == "__main__":
    main()
