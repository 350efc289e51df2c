"""token_store "keyring" through the C library: where no Secret Service
runs (here: no D-Bus session bus) the store falls back to the files of
token_store_dir and says so on stderr, and a second process reuses the
token. keyringstore's Go tests cover a real Secret Service (gnome-keyring)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import CLIENT_ID, CLIENT_SECRET, AuthServer

WORKER = """
import json, sys
import mcp_oauth_client
with mcp_oauth_client.OAuthTokenManager(json.loads(sys.argv[1])) as m:
    print(m.get_token())
"""


def test_keyring_without_a_session_bus_falls_back_to_files(server: AuthServer, tmp_path: Path) -> None:
    store = tmp_path / "store"
    config = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
              "token_url": server.token_url, "token_store": "keyring", "token_store_dir": str(store)}
    runtime = tmp_path / "runtime"  # no "bus" socket in it
    runtime.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env["XDG_RUNTIME_DIR"] = str(runtime)
    tokens = []
    for _ in range(2):
        p = subprocess.run([sys.executable, "-c", WORKER, json.dumps(config)], env=env,
                           capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        assert p.stderr == (f'mcp-oauth: token_store "keyring": no D-Bus session bus '
                            f"(DBUS_SESSION_BUS_ADDRESS is not set); keeping credentials in files in {store} instead\n")
        tokens.append(p.stdout.strip())
    assert tokens[0] == tokens[1]
    assert server.token_count() == 1, "the second process read the token from the file"
    assert len(list(store.glob("*.json"))) == 1
