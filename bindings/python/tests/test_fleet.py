"""A fleet sharing one Redis token store (config token_store): processes
with separate caches make one token request between them. redis-server
(Debian's package; `make test-go` installs it) runs on a free loopback port
with its files in a temporary directory, for this module only."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from conftest import CLIENT_ID, CLIENT_SECRET, AuthServer

WORKER = """
import json, sys
import mcp_oauth_client
with mcp_oauth_client.OAuthTokenManager(json.loads(sys.argv[1])) as m:
    print(m.get_token())
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pong(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if shutil.which("redis-server") is None:
        if os.environ.get("MCP_OAUTH_REQUIRE_REDIS"):
            pytest.fail("redis-server is not installed (make test-go installs it)")
        pytest.skip("redis-server is not installed")
    port, tmp = _free_port(), tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp),
         "--save", "", "--appendonly", "no", "--logfile", str(tmp / "log")])
    try:
        deadline = time.monotonic() + 10
        while not _pong(port):
            assert time.monotonic() < deadline, (Path(tmp) / "log").read_text()
            time.sleep(0.01)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.kill()
        proc.wait()


def test_eight_processes_on_a_cold_redis_store_make_one_token_request(
        server: AuthServer, redis_url: str) -> None:
    server.config(latency_ms=200)  # the first request is still in flight when the others start
    config = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
              "token_url": server.token_url, "token_store": redis_url}
    env = dict(os.environ, MCP_OAUTH_STORE_KEY=base64.b64encode(bytes(range(32))).decode())
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, json.dumps(config)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(8)]
    tokens = set()
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        tokens.add(out.strip())
    assert len(tokens) == 1
    assert server.token_count() == 1
    assert CLIENT_SECRET not in "".join(tokens)
