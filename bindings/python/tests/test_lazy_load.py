"""The Go runtime starts on first use, not at import: importing the package
loads no library and starts no thread, so a process may fork before its
first use (gunicorn --preload, multiprocessing's fork start method).

Each test runs a fresh interpreter: this pytest process loaded the library
long ago."""

from __future__ import annotations

import http.client
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self")


def _python(code: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=timeout
    )


def test_import_loads_no_library_and_starts_no_thread():
    proc = _python(
        """
        import json, os
        import mcp_oauth_client
        from mcp_oauth_client import _ffi
        maps = open("/proc/self/maps").read()
        before = {"threads": len(os.listdir("/proc/self/task")), "mapped": "libmcp_oauth" in maps,
                  "loaded": _ffi._lib is not None}
        mcp_oauth_client.generate_code_challenge("a" * 43)  # first use
        maps = open("/proc/self/maps").read()
        after = {"mapped": "libmcp_oauth" in maps, "loaded": _ffi._lib is not None,
                 "version": mcp_oauth_client.library_version}
        print(json.dumps([before, after]))
        """
    )
    assert proc.returncode == 0, proc.stderr
    before, after = json.loads(proc.stdout)
    assert before == {"threads": 1, "mapped": False, "loaded": False}
    assert after["mapped"] and after["loaded"]
    assert after["version"].split(".")[0] == "0"


def test_import_reads_only_the_package_and_its_version():
    """Importing the package imports no other module (PEP 562 loads each name
    on first use): not ctypes, json, typing, dataclasses or asyncio, whose cost
    would otherwise be every importer's. What the first use loads is checked
    by the other tests."""
    proc = _python(
        """
        import json, sys
        before = set(sys.modules)
        import mcp_oauth_client
        print(json.dumps(sorted(set(sys.modules) - before)))
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == ["__future__", "mcp_oauth_client", "mcp_oauth_client._version"]


def test_every_public_name_resolves_and_star_import_needs_no_adapter():
    proc = _python(
        """
        import json, sys
        import mcp_oauth_client as m
        names = m.__all__
        resolved = {n: getattr(m, n) is not None for n in names}
        ns = {}
        exec("from mcp_oauth_client import *", ns)
        print(json.dumps({"all": names, "resolved": all(resolved.values()),
                          "star": sorted(k for k in ns if k != "__builtins__"),
                          "dir_has_all": set(names) <= set(dir(m)),
                          "adapter_loaded": "mcp_oauth_client._auth" in sys.modules,
                          "version": m.__version__ == m.library_version}))
        """
    )
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert got["resolved"] and got["dir_has_all"] and got["version"]
    assert got["star"] == sorted(got["all"])
    assert not got["adapter_loaded"]  # McpAuth stays out of a star import (it needs httpx2 / httpx)
    assert {"OAuthTokenManager", "McpOAuthConfig", "McpClient", "McpOAuthError", "TokenRejectedError"} <= set(got["all"])


def test_an_unknown_name_is_an_attribute_error():
    import mcp_oauth_client

    with pytest.raises(AttributeError, match="no attribute 'NoSuchThing'"):
        mcp_oauth_client.NoSuchThing  # noqa: B018


def test_load_failure_is_an_import_error_at_first_use(tmp_path):
    missing = str(tmp_path / "libmcp_oauth.so")
    proc = subprocess.run(
        [sys.executable, "-c", "import mcp_oauth_client; print('imported', flush=True); mcp_oauth_client.generate_code_verifier()"],
        env=dict(os.environ, MCP_OAUTH_LIBRARY=missing),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout == "imported\n"
    assert proc.returncode != 0 and "ImportError" in proc.stderr and missing in proc.stderr


def test_multiprocessing_fork_before_first_use_works(server):
    """The parent imports the package and forks (multiprocessing, fork start
    method) before it uses the library: the child and then the parent each get
    a token."""
    config = server.cc_config().to_dict()
    proc = _python(
        f"""
        import multiprocessing, warnings
        import mcp_oauth_client

        def child(queue):
            with mcp_oauth_client.OAuthTokenManager({config!r}) as m:
                queue.put(m.get_token())

        if __name__ == "__main__":
            ctx = multiprocessing.get_context("fork")
            queue = ctx.Queue()
            p = ctx.Process(target=child, args=(queue,))
            p.start()
            token = queue.get(timeout=30)
            p.join(30)
            print("child", p.exitcode, token)
            with mcp_oauth_client.OAuthTokenManager({config!r}) as m:
                print("parent", m.get_token())
        """,
        timeout=90,
    )
    assert proc.returncode == 0, proc.stderr
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    code, child_token = lines["child"].split(" ", 1)
    assert code == "0"
    assert server.protected_status(child_token) == 200
    assert server.protected_status(lines["parent"]) == 200


APP = '''
"""A WSGI app that imports mcp_oauth_client at module level (gunicorn
--preload imports it in the master, before forking the workers) and creates
its token manager in the worker, on the first request."""
import json
import os

import mcp_oauth_client

CONFIG = json.loads(os.environ["APP_CONFIG"])
_manager = None


def app(environ, start_response):
    global _manager
    if _manager is None:
        _manager = mcp_oauth_client.OAuthTokenManager(CONFIG)
    body = json.dumps({"pid": os.getpid(), "token": _manager.get_token()}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
'''


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=30)
        self._path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(self._path)


def test_gunicorn_preload_app_gets_a_token(server, tmp_path):
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    if gunicorn is None:
        pytest.skip("gunicorn is not installed in this environment (the [test] extra has it)")
    (tmp_path / "tokenapp.py").write_text(APP)
    sock = str(tmp_path / "gunicorn.sock")
    env = dict(os.environ, APP_CONFIG=json.dumps(server.cc_config().to_dict()))
    proc = subprocess.Popen(
        [gunicorn, "--preload", "--workers", "2", "--bind", f"unix:{sock}", "--chdir", str(tmp_path), "tokenapp:app"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # gunicorn logs "Booting worker" once a worker is forked; the socket is
        # bound before that.
        deadline = time.monotonic() + 60
        log = ""
        while "Booting worker" not in log:
            assert proc.poll() is None, log
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"gunicorn did not boot a worker: {log}"
            ready, _, _ = select.select([proc.stderr], [], [], remaining)
            if ready:
                log += proc.stderr.readline()
        conn = _UnixHTTPConnection(sock)
        conn.request("GET", "/")
        resp = conn.getresponse()
        body = resp.read()
        assert resp.status == 200, body
        answer = json.loads(body)
        assert answer["pid"] != proc.pid  # served by a forked worker
        assert server.protected_status(answer["token"]) == 200
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()
