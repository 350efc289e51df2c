"""The shipped example and the README's claims run as written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_demo_script(server):
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "demo.py"), server.url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "[Python] client_credentials token: " in proc.stdout, proc.stdout
    assert "[Python] authorization_code+PKCE token: " in proc.stdout, proc.stdout
    assert "test-secret" not in proc.stdout + proc.stderr
