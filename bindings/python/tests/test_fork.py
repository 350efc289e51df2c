"""After fork() the Go runtime cannot run in the child: calls must raise
ForkedProcessError at once, never hang, and no cached token is handed out."""

from __future__ import annotations

import json
import multiprocessing
import os
import select
import signal
import subprocess
import sys
import textwrap
import time
import warnings

import pytest

import mcp_oauth_client
import fork_helpers

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def _wait_or_kill(pid: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail(f"forked child still running after {timeout}s (hung in the library?)")


def test_os_fork_child_gets_error(server, make_manager):
    m = make_manager(server.cc_config())
    token = m.get_token()  # warm cache and a running Go runtime
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "multi-threaded fork"
        pid = os.fork()
    if pid == 0:  # child
        try:
            os.close(read_end)
            results = []
            calls = [
                ("get_token", m.get_token),
                ("token", m.token),
                ("invalidate", lambda: m.invalidate(token)),
                ("begin_authorization", lambda: m.begin_authorization("http://127.0.0.1:9/cb")),
                ("generate_code_verifier", mcp_oauth_client.generate_code_verifier),
                ("generate_code_challenge", lambda: mcp_oauth_client.generate_code_challenge("a" * 43)),
                ("new", lambda: mcp_oauth_client.OAuthTokenManager(server.cc_config())),
            ]
            for name, call in calls:
                try:
                    value = call()
                    results.append([name, "returned", value == token])
                except mcp_oauth_client.ForkedProcessError as exc:
                    results.append([name, "ForkedProcessError", "spawn" in str(exc), exc.code])
                except BaseException as exc:
                    results.append([name, type(exc).__name__])
            m.close()  # must not call into Go either
            os.write(write_end, json.dumps(results).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], 5)
        data = os.read(read_end, 65536) if ready else b""
    finally:
        os.close(read_end)
    status = _wait_or_kill(pid, 5)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    results = json.loads(data or b"[]")
    assert len(results) == 7, results
    for entry in results:
        assert entry[1] == "ForkedProcessError", entry
        assert entry[2] is True  # the message says what to do instead
        assert isinstance(entry[0], str)
    # The parent is unaffected.
    assert m.get_token() == token
    assert mcp_oauth_client.generate_code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == (
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_multiprocessing_fork_child_gets_error(server, make_manager):
    m = make_manager(server.cc_config())
    m.get_token()
    fork_helpers.MANAGER = m
    try:
        ctx = multiprocessing.get_context("fork")
        queue = ctx.Queue()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            proc = ctx.Process(target=fork_helpers.get_inherited_token, args=(queue,))
            proc.start()
        try:
            outcome = queue.get(timeout=5)
        except Exception:
            outcome = "no answer"
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join()
            pytest.fail("multiprocessing fork child hung")
        assert outcome.startswith("ForkedProcessError"), outcome
        assert proc.exitcode == 0
    finally:
        fork_helpers.MANAGER = None


def test_spawn_child_works(server):
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=fork_helpers.get_fresh_token, args=(queue, server.cc_config().to_dict()))
    proc.start()
    try:
        kind, value = queue.get(timeout=60)
    finally:
        proc.join(30)
    assert kind == "ok", value
    assert server.protected_status(value) == 200


def test_forked_child_exits_normally_without_hanging(server):
    """A child that returns normally runs atexit finalizers: they must not call Go."""
    script = textwrap.dedent(
        f"""
        import os, sys, mcp_oauth_client
        m = mcp_oauth_client.OAuthTokenManager({server.cc_config().to_dict()!r})
        keep = mcp_oauth_client.OAuthTokenManager({server.cc_config().to_dict()!r})  # never closed
        m.get_token()
        pid = os.fork()
        if pid == 0:
            try:
                m.get_token()
                print("child: returned", flush=True)
            except mcp_oauth_client.ForkedProcessError:
                print("child: ForkedProcessError", flush=True)
            sys.exit(0)  # normal exit: atexit + weakref finalizers run
        _, status = os.waitpid(pid, 0)
        print("parent: child status", os.waitstatus_to_exitcode(status), flush=True)
        print("parent: token", bool(m.get_token()), flush=True)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "child: ForkedProcessError" in lines
    assert "parent: child status 0" in lines
    assert "parent: token True" in lines
