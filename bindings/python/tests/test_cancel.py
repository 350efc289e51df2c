"""OAuthTokenManager.cancel, Ctrl-C and asyncio cancellation, against the
real oauth-test-server (and, for Ctrl-C, a real child process and SIGINT)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import select
import signal
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from pathlib import Path
from typing import Callable

import pytest

import mcp_oauth_client
from conftest import AuthServer
from test_device import DEVICE_GRANT, decide, device_config


@pytest.fixture
def fast(server: AuthServer) -> AuthServer:
    """The server, polled every second, with codes that outlive every test."""
    server.config(device_interval_ms=1000, device_code_lifetime_ms=600_000)
    return server


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 15) -> None:
    """Polls condition (a read of the server's counters) until it holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.02)


def polled(server: AuthServer, grant: str = DEVICE_GRANT, times: int = 1) -> Callable[[], bool]:
    """True once the token endpoint has seen `times` requests of `grant`:
    the call under test is then blocked inside the library."""
    return lambda: server.token_count(grant) >= times


def cancel_when(m: mcp_oauth_client.OAuthTokenManager, condition: Callable[[], bool]) -> threading.Thread:
    """Cancels m from another thread once condition holds; returns that thread."""
    t = threading.Thread(target=lambda: (wait_until(condition, "the call blocked"), m.cancel()))
    t.start()
    return t


def test_error_class():
    err = mcp_oauth_client._errors.error_for(-20, None, "cancelled")
    assert type(err) is mcp_oauth_client.McpOAuthCancelledError and err.code == -20
    assert isinstance(err, mcp_oauth_client.McpOAuthError)
    assert not isinstance(err, asyncio.CancelledError)
    assert mcp_oauth_client._ffi.strerror(-20) == "cancelled"


def test_cancel_device_polling_keeps_it_pending(fast, make_manager):
    m = make_manager(device_config(fast))
    d = m.begin_device_authorization()
    # The main thread: the call runs in the interruptible helper thread.
    canceller = cancel_when(m, polled(fast))
    with pytest.raises(mcp_oauth_client.McpOAuthCancelledError) as info:
        m.complete_device_authorization()
    canceller.join()
    assert info.value.code == -20
    polls = fast.token_count(DEVICE_GRANT)
    assert polls == 1, "cancelled while waiting for the second poll (1 s away), not after it"
    decide(fast, d.user_code, "approve")
    m.complete_device_authorization(timeout_seconds=30)  # still pending: it completes
    assert fast.protected_status(m.get_token()) == 200
    assert fast.token_count(DEVICE_GRANT) == polls + 1


def test_cancel_from_another_thread_while_polling_off_main(fast, make_manager):
    m = make_manager(device_config(fast))
    d = m.begin_device_authorization()
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        future = pool.submit(m.complete_device_authorization)  # a plain call there
        wait_until(polled(fast), "the device authorization was polled")
        polls = fast.token_count(DEVICE_GRANT)
        m.cancel()
        with pytest.raises(mcp_oauth_client.McpOAuthCancelledError):
            future.result(timeout=10)  # a guard against a hang only
        assert fast.token_count(DEVICE_GRANT) == polls, "ended while waiting for the next poll, not after it"
    decide(fast, d.user_code, "approve")
    m.complete_device_authorization(timeout_seconds=30)
    assert m.get_token()


def test_cancel_get_token_waiting_on_hanging_request(server, make_manager):
    server.fail(1, mode="hang")
    m = make_manager(server.cc_config(http_timeout_seconds=5))
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        future = pool.submit(m.get_token)
        wait_until(lambda: server.token_count() >= 1, "the token request arrived")
        m.cancel()
        # Cancelled, not ended by the 5 s timeout (McpOAuthTimeoutError).
        with pytest.raises(mcp_oauth_client.McpOAuthCancelledError):
            future.result(timeout=10)  # a guard against a hang only
    # The manager stays usable: the hung request times out or is joined, and
    # a token follows.
    try:
        m.get_token()
    except mcp_oauth_client.McpOAuthTimeoutError:
        pass
    assert server.protected_status(m.get_token()) == 200


def test_cancel_with_nothing_in_progress_is_harmless(server, make_manager):
    m = make_manager(server.cc_config())
    m.cancel()
    m.cancel()
    token = m.get_token()  # later calls are not affected
    assert server.protected_status(token) == 200
    m.cancel()
    assert m.get_token() == token  # nor is the cached token


def test_cancel_after_close_raises(server, make_manager):
    m = make_manager(server.cc_config())
    m.close()
    with pytest.raises(mcp_oauth_client.BadHandleError, match="closed"):
        m.cancel()


def test_cancel_interactive_authorization(server, make_manager, tmp_path):
    # The "browser" records the URL it was given: the call is then waiting.
    opened = tmp_path / "opened"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}.tmp && mv {opened}.tmp {opened}\n')
    browser.chmod(0o755)
    m = make_manager(server.code_config(redirect_uri="http://127.0.0.1:0/callback"))
    canceller = cancel_when(m, opened.exists)
    # Cancelled, not ended by the 60 s timeout (McpOAuthTimeoutError).
    with pytest.raises(mcp_oauth_client.McpOAuthCancelledError):
        m.authorize_interactively(str(browser), 60)
    canceller.join()
    assert "/authorize?" in opened.read_text()
    assert server.counts()["token"] == 0
    # The handle stays usable: a new flow works.
    req = m.begin_authorization()
    assert req.url.startswith(server.authorize_url)


# --------------------------------------------------------------------------
# asyncio


@pytest.fixture
def expiring(fast: AuthServer) -> AuthServer:
    """Codes that expire after 20 s: a worker left polling would end then,
    so a missing cancellation fails the test instead of hanging it."""
    fast.config(device_code_lifetime_ms=20_000)
    return fast


def test_async_task_cancel_ends_polling(expiring, make_manager):
    fast = expiring
    m = make_manager(device_config(fast))

    async def main() -> tuple[str, int]:
        d = await m.begin_device_authorization_async()
        task = asyncio.create_task(m.complete_device_authorization_async())
        while not await asyncio.to_thread(polled(fast)):
            await asyncio.sleep(0.02)
        polls = fast.token_count(DEVICE_GRANT)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return d.user_code, polls

    # asyncio.run joins the default executor's threads: a worker left
    # polling would poll on until the codes expire, and the authorization
    # could then not be completed.
    user_code, polls = asyncio.run(main())
    assert fast.token_count(DEVICE_GRANT) == polls, "a poll followed the cancellation"
    # Still pending: approve and complete it.
    decide(fast, user_code, "approve")
    m.complete_device_authorization(timeout_seconds=30)
    assert m.get_token()


def test_async_wait_for_timeout_cancels(expiring, make_manager):
    fast = expiring
    m = make_manager(device_config(fast))

    async def main() -> str:
        d = await m.begin_device_authorization_async()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(m.complete_device_authorization_async(), timeout=1.5)
        return d.user_code

    # asyncio.run joins the worker: without the cancellation it would poll
    # on until the codes expire, and the authorization could then not be
    # completed.
    user_code = asyncio.run(main())
    polls = fast.token_count(DEVICE_GRANT)
    decide(fast, user_code, "approve")
    m.complete_device_authorization(timeout_seconds=30)  # still pending: it completes
    assert fast.token_count(DEVICE_GRANT) == polls + 1


def test_async_cancel_before_the_call_reached_the_library(expiring, make_manager):
    # With the loop's only executor thread busy, the call waits in the
    # executor's queue, and the task is cancelled before it has started.
    fast = expiring
    other = make_manager(device_config(fast))
    m = make_manager(device_config(fast))

    async def main() -> tuple[str, int]:
        loop = asyncio.get_running_loop()
        loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(1))
        await other.begin_device_authorization_async()
        d = await m.begin_device_authorization_async()
        busy = asyncio.create_task(other.complete_device_authorization_async())
        await asyncio.sleep(0)  # submitted to the executor
        wait_until(polled(fast), "the executor thread polled")  # blocks the loop: nothing else to run
        task = asyncio.create_task(m.complete_device_authorization_async())
        await asyncio.sleep(0)  # the task runs up to its wait on the queued job
        task.cancel()
        await asyncio.sleep(0)
        polls = fast.token_count(DEVICE_GRANT)
        other.cancel()  # frees the executor thread: the queued call starts now
        with pytest.raises(mcp_oauth_client.McpOAuthCancelledError):
            await busy
        with pytest.raises(asyncio.CancelledError):
            await task
        return d.user_code, polls

    # asyncio.run joins the executor: had the queued call reached the
    # library, it would have polled until the codes expire.
    user_code, polls = asyncio.run(main())
    assert fast.token_count(DEVICE_GRANT) == polls, "the cancelled call polled"
    decide(fast, user_code, "approve")
    m.complete_device_authorization(timeout_seconds=30)  # still pending: it completes
    assert fast.token_count(DEVICE_GRANT) == polls + 1


# --------------------------------------------------------------------------
# Ctrl-C: a real child process receiving SIGINT

CHILD = textwrap.dedent(
    """
    import sys, threading
    import mcp_oauth_client

    mode, url, issuer = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "device":
        config = mcp_oauth_client.McpOAuthConfig(
            client_id="public-client", token_url=url + "/token",
            device_authorization_url=url + "/device_authorization")
    elif mode == "token":
        config = mcp_oauth_client.McpOAuthConfig(
            client_id="test-client", client_secret="test-secret", token_url=url + "/token",
            http_timeout_seconds=600)
    elif mode in ("mcp", "multi"):
        config = mcp_oauth_client.McpOAuthConfig(server_url=url, client_id="test-client",
            client_secret="test-secret", issuer=issuer, http_timeout_seconds=600)
    else:
        config = mcp_oauth_client.McpOAuthConfig(
            client_id="public-client", token_url=url + "/token", authorize_url=url + "/authorize",
            redirect_uri="http://127.0.0.1:0/callback")
    manager = mcp_oauth_client.OAuthTokenManager(config)
    try:
        if mode == "device":
            manager.begin_device_authorization()
            print("polling", flush=True)
            manager.complete_device_authorization()
        elif mode == "token":
            manager.get_token()
        elif mode == "mcp":
            client = mcp_oauth_client.McpClient.connect(manager, url, timeout_seconds=3600)
            print("connected", flush=True)
            client.call_tool("wait")
        elif mode == "multi":
            multi = mcp_oauth_client.MultiServerMcpClient(
                {"notes": {"url": url, "timeout_seconds": 3600, "auth": manager}})
            multi.session("notes")
            print("connected", flush=True)
            multi.call_tool("notes", "wait")
        else:
            manager.authorize_interactively(timeout_seconds=600)
        print("returned", flush=True)
    except KeyboardInterrupt:
        helpers = [t for t in threading.enumerate() if t.name == "mcp-oauth-wait" and t.is_alive()]
        print("KeyboardInterrupt helpers=%d" % len(helpers), flush=True)
        # The manager is still usable after the interruption.
        if mode == "device":
            try:
                manager.complete_device_authorization(timeout_seconds=1)
            except mcp_oauth_client.McpOAuthTimeoutError:
                print("still pending", flush=True)
        manager.close()
        sys.exit(130)
    """
)


def default_sigint() -> None:
    """Gives the child SIGINT's default disposition. A suite started in the
    background (make -j, nohup, cmd &) inherits SIGINT ignored, and Python
    then installs no KeyboardInterrupt handler: Ctrl-C would not reach it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_child(server: AuthServer, mode: str, url: str = "", issuer: str = "") -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, mode, url or server.url, issuer],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=str(Path(__file__).parent),
        preexec_fn=default_sigint,
    )


def interrupt(child: subprocess.Popen) -> str:
    """Sends SIGINT; returns the child's stdout once it has exited. Every
    call a child makes would block for 10 minutes or more unless
    interrupted: the 10 s wait only guards against a hang."""
    child.send_signal(signal.SIGINT)
    try:
        out, err = child.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise AssertionError("the child did not exit after SIGINT")
    assert child.returncode == 130, (child.returncode, err.decode())
    return out.decode()


def test_sigint_ends_device_polling(fast):
    child = run_child(fast, "device")
    wait_until(polled(fast), "the child polled")
    out = interrupt(child)
    assert "polling" in out and "returned" not in out
    assert "KeyboardInterrupt helpers=0" in out  # the helper was joined
    assert "still pending" in out


def test_sigint_ends_interactive_authorization(server):
    child = run_child(server, "interactive")
    # The library prints the authorization URL on stderr once its loopback
    # listener is up and it is waiting for the browser.
    assert child.stderr is not None
    seen = b""
    deadline = time.monotonic() + 15
    while b"/authorize?" not in seen:
        assert time.monotonic() < deadline, seen
        ready, _, _ = select.select([child.stderr], [], [], 1)
        if ready:
            chunk = os.read(child.stderr.fileno(), 4096)
            assert chunk, "the child exited early"
            seen += chunk
    out = interrupt(child)
    assert "KeyboardInterrupt helpers=0" in out and "returned" not in out


def test_sigint_ends_a_hanging_token_request(server):
    """Issue 12 item 9: Ctrl-C during get_token() ends it at once instead
    of after http_timeout_seconds (600 here)."""
    server.fail(1, mode="hang")
    child = run_child(server, "token")
    wait_until(lambda: server.token_count() >= 1, "the token request reached the server")
    out = interrupt(child)
    assert "KeyboardInterrupt helpers=0" in out and "returned" not in out


def test_sigint_ends_a_blocked_tool_call(server, mcp_server):
    """Issue 12 item 9: Ctrl-C during McpClient.call_tool() ends it
    (mcp_client_cancel); the tool "wait" never answers."""
    sigint_ends_a_blocked_wait(server, mcp_server, "mcp")


def test_sigint_ends_a_blocked_multi_server_tool_call(server, mcp_server):
    """Ctrl-C during MultiServerMcpClient.call_tool() ends it
    (mcp_client_multi_cancel), as for McpClient."""
    sigint_ends_a_blocked_wait(server, mcp_server, "multi")


def sigint_ends_a_blocked_wait(server, mcp_server, mode: str) -> None:
    """Runs a child whose client (mode "mcp" or "multi") calls the tool
    "wait", interrupts it once the call reached the server, and checks that
    it ended promptly with KeyboardInterrupt."""
    origin = mcp_server.mcp.split("/", 3)[:3]

    def wait_calls() -> int:
        with urllib.request.urlopen("/".join(origin) + "/_test/mcp_counts", timeout=10) as resp:
            return int(json.loads(resp.read())["tool_calls"].get("wait", 0))

    before = wait_calls()  # the server may be shared with an earlier test
    child = run_child(server, mode, mcp_server.mcp, mcp_server.as_url)
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line == b"connected\n", line + (child.stderr.read() if child.stderr else b"")
    wait_until(lambda: wait_calls() > before, "the call reached the server")
    out = interrupt(child)
    assert "KeyboardInterrupt helpers=0" in out and "returned" not in out
