"""Fixtures: a real oauth-test-server process, managers that are always closed,
and a session-end check that no library handle leaked."""

from __future__ import annotations

import gc
import json
import os
import select
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest

import mcp_oauth_client

REPO = Path(__file__).resolve().parents[3]

# The secret of the confidential client registered on every test server.
# Tests assert that it never appears in an exception.
CLIENT_ID = "test-client"
CLIENT_SECRET = "test-secret"
PUBLIC_CLIENT_ID = "public-client"
# A second confidential client with a distinctive secret.
LEAK_CLIENT_ID = "leak-check"
LEAK_CLIENT_SECRET = "Zq9-very-secret-value-XK7"


def _binary(env_var: str, name: str) -> str:
    """The test server program: $env_var, else build/<name> of the checkout."""
    path = os.environ.get(env_var) or str(REPO / "build" / name)
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"{name} not found at {path}: run `make testserver` or set {env_var}")
    return path


def server_binary() -> str:
    return _binary("MCP_OAUTH_TEST_SERVER", "oauth-test-server")


class AuthServer:
    """A running oauth-test-server process and its JSON control API."""

    def __init__(self, *args: str) -> None:
        cmd = [
            server_binary(),
            "-watch-stdin",
            "-client",
            f"{CLIENT_ID}:{CLIENT_SECRET}",
            "-client",
            f"{PUBLIC_CLIENT_ID}:",
            "-client",
            f"{LEAK_CLIENT_ID}:{LEAK_CLIENT_SECRET}",
            *args,
        ]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 15)
        line = self.proc.stdout.readline().decode().strip() if ready else ""
        if not line.startswith("http"):
            self.close()
            raise RuntimeError(f"oauth-test-server did not print its URL (got {line!r})")
        self.url = line
        self.issuer = line
        self.token_url = line + "/token"
        self.authorize_url = line + "/authorize"
        self.protected_url = line + "/protected"

    # -- control API ----------------------------------------------------------

    def _call(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
        return json.loads(raw) if raw.strip() else None

    def counts(self) -> Dict[str, Any]:
        return self._call("GET", "/_test/counts")

    def token_count(self, grant: Optional[str] = None) -> int:
        c = self.counts()
        if grant is None:
            return int(c["token"])
        return int((c.get("token_by_grant") or {}).get(grant, 0))

    def reset(self) -> None:
        self._call("POST", "/_test/reset", {})

    def config(self, **settings: Any) -> None:
        self._call("POST", "/_test/config", settings)

    def fail(self, count: int = 1, **failure: Any) -> None:
        self._call("POST", "/_test/fail", {"count": count, **failure})

    def revoke_access_tokens(self) -> None:
        self._call("POST", "/_test/revoke_access_tokens", {})

    def revoke_refresh_tokens(self) -> None:
        self._call("POST", "/_test/revoke_refresh_tokens", {})

    def deny(self, error: str = "access_denied") -> None:
        self._call("POST", "/_test/deny", {"error": error})

    def protected_status(self, token: str) -> int:
        req = urllib.request.Request(self.protected_url, headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()  # -watch-stdin: exits when stdin closes
                self.proc.wait(timeout=10)
            except Exception:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    # -- configs ------------------------------------------------------------

    def cc_config(self, **extra: Any) -> mcp_oauth_client.McpOAuthConfig:
        """A client_credentials configuration for the confidential client."""
        return mcp_oauth_client.McpOAuthConfig(
            client_id=CLIENT_ID, client_secret=CLIENT_SECRET, token_url=self.token_url, **extra
        )

    def code_config(self, **extra: Any) -> mcp_oauth_client.McpOAuthConfig:
        """An authorization_code configuration for the public client."""
        extra.setdefault("redirect_uri", "http://127.0.0.1:9/callback")
        extra.setdefault("issuer", self.issuer)
        return mcp_oauth_client.McpOAuthConfig(
            client_id=PUBLIC_CLIENT_ID,
            token_url=self.token_url,
            authorize_url=self.authorize_url,
            scopes=["mcp:read"],
            **extra,
        )


@pytest.fixture(scope="session")
def auth_server() -> Iterator[AuthServer]:
    server = AuthServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def server(auth_server: AuthServer) -> Iterator[AuthServer]:
    """The shared server, reset (counts, config, failures) around each test."""
    auth_server.reset()
    yield auth_server
    auth_server.reset()


@pytest.fixture(scope="module")
def other_server() -> Iterator[AuthServer]:
    """A second, independent server instance."""
    server = AuthServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def make_manager() -> Iterator[Callable[..., mcp_oauth_client.OAuthTokenManager]]:
    """Creates managers that are closed when the test ends."""
    managers: List[mcp_oauth_client.OAuthTokenManager] = []

    def make(config: Any) -> mcp_oauth_client.OAuthTokenManager:
        m = mcp_oauth_client.OAuthTokenManager(config)
        managers.append(m)
        return m

    yield make
    for m in managers:
        m.close()


@pytest.fixture(scope="session", autouse=True)
def no_leaked_handles() -> Iterator[None]:
    """After the whole suite, every library handle must have been freed."""
    yield
    for _ in range(3):
        gc.collect()
        if mcp_oauth_client.live_handles() == 0:
            break
        time.sleep(0.1)
    assert mcp_oauth_client.live_handles() == 0, f"{mcp_oauth_client.live_handles()} mcp_oauth_client handles leaked"


def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SECRETS = (CLIENT_SECRET, LEAK_CLIENT_SECRET)


def assert_no_secret(exc: BaseException, *extra: str) -> None:
    """Asserts that no secret (nor any of `extra`, e.g. tokens) is in exc."""
    texts = [str(exc), repr(exc)]
    details = getattr(exc, "details", None)
    if details:
        texts.append(json.dumps(details))
    for secret in (*SECRETS, *extra):
        for text in texts:
            assert secret not in text, f"secret leaked into {type(exc).__name__}"


def authorize_redirect(url: str) -> str:
    """GETs an authorization URL headlessly and returns the redirect's Location
    (the test server auto-approves with a 302), without following it."""
    import http.client
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        path = parts.path + ("?" + parts.query if parts.query else "")
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        assert resp.status in (302, 303), f"authorize answered {resp.status}"
        location = resp.getheader("Location")
        assert location
        return location
    finally:
        conn.close()


def pytest_report_header(config: Any) -> str:
    return (
        f"mcp_oauth_client {mcp_oauth_client.__version__} from {Path(mcp_oauth_client.__file__).parent}; "
        f"libmcp_oauth {mcp_oauth_client.library_version} at {mcp_oauth_client.library_path}"
    )


# --------------------------------------------------------------------------
# The MCP test server (build/mcp-test-server): a bearer-protected MCP server
# (Streamable HTTP and SSE) with its own authorization server.


def mcp_server_binary() -> str:
    return _binary("MCP_OAUTH_MCP_TEST_SERVER", "mcp-test-server")


class McpServer:
    """A running mcp-test-server process: .mcp, .sse (endpoints), .as_url."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [mcp_server_binary(), "-watch-stdin", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 15)
        line = self.proc.stdout.readline().decode().strip() if ready else ""
        try:
            endpoints = json.loads(line)
        except ValueError:
            self.close()
            raise RuntimeError(f"mcp-test-server did not print its endpoints (got {line!r})") from None
        self.mcp: str = endpoints["mcp"]
        self.sse: str = endpoints["sse"]
        self.as_url: str = endpoints["as"]

    def counts(self) -> Dict[str, Any]:
        """The authorization server's request counts (GET /_test/counts)."""
        with urllib.request.urlopen(self.as_url + "/_test/counts", timeout=10) as resp:
            return json.loads(resp.read())

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except Exception:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@pytest.fixture(scope="session")
def mcp_server() -> Iterator[McpServer]:
    server = McpServer()
    try:
        yield server
    finally:
        server.close()
