#!/usr/bin/env python3
"""check_snippets.py — proves that the documentation's examples run as written.

Run by `make test-docs` (part of `make test`), from anywhere:

    python3 tests/docs/check_snippets.py [-v] [-k NAME]

1. Snippets. In README.md and docs/*.md, a fenced code block preceded by a
   marker comment is a snippet:

       <!-- snippet: NAME -->                 a shell block, run with bash
       <!-- snippet: NAME file=app.c -->      a file the shell blocks use
       <!-- snippet: NAME expect=TEXT -->     ... and its output must contain TEXT
                                              (expect= may be repeated)

   The blocks of one NAME in one page form a group, run in the order written:
   file blocks are saved, shell blocks run as one bash script (-e, -u,
   pipefail). Each group runs in a fresh scratch directory holding the files
   and a symbolic link to every top-level entry of the repository, so that it
   sees the tree exactly as a reader in the repository's root does (build/,
   include/, bindings/, examples/ ...) while what it writes stays out of the
   work tree. Before its blocks, every group runs README.md's `servers`
   snippet, the documented one-liner that starts the local test servers, and
   the servers are stopped afterwards. A group fails on a non-zero exit, on a
   warning in its output (a compiler's, Python's, Node's), on a missing
   expected text, or after TIMEOUT seconds.

2. Links and the diagram. Every relative link of README.md and docs/*.md (Markdown
   `[text](target)` and HTML src/href attributes) must name an existing file
   or directory; http(s), mailto and in-page (#...) links are not checked.
   docs/sequence.svg must be what docs/sequence.py generates.

Exit status 0 when everything passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60  # seconds per group
# Groups README.md must have: the server one-liner and a quick start per language.
REQUIRED_README = ("servers", "c", "python", "node", "cli")



def default_redirect_port() -> Optional[int]:
    """The fixed port of core's default redirect URI, which the login
    snippets listen on; None when the default has no fixed port."""
    src = (ROOT / "core" / "discovery.go").read_text(encoding="utf-8")
    m = re.search(r'DefaultRedirectURI\s*=\s*"http://127\.0\.0\.1:(\d+)/', src)
    return int(m.group(1)) if m and int(m.group(1)) else None


def port_in_use(port: int) -> bool:
    """Whether another process listens on 127.0.0.1:port."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Go's listener does
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


MARKER = re.compile(r"^<!--\s*snippet:\s*(?P<body>.*?)\s*-->\s*$")
FENCE = re.compile(r"^(?P<fence>```+|~~~+)\s*(?P<lang>[\w+-]*)")


@dataclass
class Block:
    page: Path
    line: int
    name: str
    lang: str
    text: str
    file: Optional[str] = None
    expect: List[str] = field(default_factory=list)


@dataclass
class Group:
    page: Path
    name: str
    blocks: List[Block] = field(default_factory=list)


def parse_marker(body: str, where: str) -> Tuple[str, Dict[str, List[str]]]:
    words = shlex.split(body)
    if not words:
        raise ValueError(f"{where}: snippet marker without a name")
    attrs: Dict[str, List[str]] = {"file": [], "expect": []}
    for w in words[1:]:
        key, eq, value = w.partition("=")
        if not eq or key not in attrs:
            raise ValueError(f"{where}: unknown snippet attribute {w!r}")
        attrs[key].append(value)
    if len(attrs["file"]) > 1:
        raise ValueError(f"{where}: more than one file=")
    return words[0], attrs


def parse_page(page: Path) -> List[Block]:
    """Returns the snippets of one Markdown page, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: List[Block] = []
    i = 0
    while i < len(lines):
        m = MARKER.match(lines[i].strip())
        if not m:
            i += 1
            continue
        where = f"{page.relative_to(ROOT)}:{i + 1}"
        name, attrs = parse_marker(m.group("body"), where)
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        f = FENCE.match(lines[j]) if j < len(lines) else None
        if not f:
            raise ValueError(f"{where}: snippet marker not followed by a fenced code block")
        fence = f.group("fence")
        k = j + 1
        while k < len(lines) and not lines[k].startswith(fence):
            k += 1
        if k == len(lines):
            raise ValueError(f"{where}: unterminated code block")
        lang = f.group("lang")
        if not attrs["file"] and lang not in ("sh", "bash", "shell"):
            raise ValueError(f"{where}: a snippet without file= must be a sh block, not {lang!r}")
        text = "\n".join(lines[j + 1 : k]) + "\n"
        file = attrs["file"][0] if attrs["file"] else None
        blocks.append(Block(page, i + 1, name, lang, text, file, attrs["expect"]))
        i = k + 1
    return blocks


def pages() -> List[Path]:
    return [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))


def scratch_dir(tmp: Path) -> Path:
    """A directory that looks like the repository's root to the snippets."""
    d = Path(tempfile.mkdtemp(prefix="snippet-", dir=tmp))
    for entry in ROOT.iterdir():
        if entry.name != ".git":
            (d / entry.name).symlink_to(entry)
    return d


def run_group(group: Group, servers: List[Block], tmp: Path, verbose: bool) -> Optional[str]:
    """Runs one group; returns None on success, else what went wrong."""
    d = scratch_dir(tmp)
    script = [
        "set -euo pipefail",
        # The servers snippet sets MCP_TEST_SERVER_PID; stop them however we leave.
        'trap \'[ -z "${MCP_TEST_SERVER_PID:-}" ] || kill "$MCP_TEST_SERVER_PID" 2>/dev/null || true\' EXIT',
    ]
    expects: List[Tuple[Block, str]] = []
    for b in servers + group.blocks:
        if b.file:
            target = d / b.file
            if target.is_symlink() or not target.resolve().is_relative_to(d.resolve()):
                return f"{b.page.name}:{b.line}: file={b.file} would write into the repository"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(b.text, encoding="utf-8")
        else:
            script.append(f"# --- {b.page.name}:{b.line}")
            script.append(b.text)
        expects.extend((b, text) for text in b.expect)
    (d / ".snippet.sh").write_text("\n".join(script), encoding="utf-8")
    # The snippets run as in a reader's shell: no server URLs of ours, and
    # none of make's variables (under make -j, a snippet's make would warn
    # that the jobserver is unavailable).
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MCP_URL", "MCP_SSE_URL", "AS_URL", "MAKE", "MFLAGS"))}
    env["PWD"] = str(d)
    # mcp-oauth login records a default server in $XDG_CONFIG_HOME: the
    # scratch directory's, not the reader's.
    env["XDG_CONFIG_HOME"] = str(d / ".config")
    env.pop("MCP_OAUTH_SERVER", None)
    try:
        p = subprocess.run(
            ["bash", ".snippet.sh"],
            cwd=d,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=TIMEOUT,
            # A snippet may print bytes that are not UTF-8: show them, do not crash.
            encoding="utf-8",
            errors="backslashreplace",
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode("utf-8", "backslashreplace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return f"timed out after {TIMEOUT} s\n{out}"
    if verbose:
        sys.stdout.write(p.stdout)
    if p.returncode != 0:
        return f"exit status {p.returncode}\n{p.stdout}"
    # A compiler's (or Python's, or Node's) warning is a defect of the example.
    for line in p.stdout.splitlines():
        if re.search(r"\bwarning:|Warning:", line):
            return f"a warning: {line}\n{p.stdout}"
    for b, text in expects:
        if text not in p.stdout:
            return f"{b.page.name}:{b.line}: output lacks {text!r}\n{p.stdout}"
    return None


LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|(?:src|href)=\"([^\"]+)\"")


def check_links() -> List[str]:
    """Every relative link of the pages must name an existing path."""
    problems = []
    for page in pages():
        in_code = False
        for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if FENCE.match(line):
                in_code = not in_code
                continue
            if in_code:
                continue
            for m in LINK.finditer(line):
                target = m.group(1) or m.group(2)
                if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                    continue
                path = target.split("#", 1)[0]
                if not (page.parent / path).exists():
                    problems.append(f"{page.relative_to(ROOT)}:{n}: broken link {target}")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="print every group's output")
    ap.add_argument("-k", dest="only", help="run only the groups with this name")
    args = ap.parse_args()

    failures = check_links()
    for f in failures:
        print(f"FAIL {f}")
    # The diagram is generated: it must match its script.
    if subprocess.run([sys.executable, str(ROOT / "docs" / "sequence.py"), "--check"]).returncode != 0:
        failures.append("docs/sequence.svg is stale")
        print("FAIL docs/sequence.svg is stale: run python3 docs/sequence.py")

    groups: Dict[Tuple[Path, str], Group] = {}
    for page in pages():
        try:
            blocks = parse_page(page)
        except ValueError as exc:
            print(f"FAIL {exc}")
            failures.append(str(exc))
            continue
        for b in blocks:
            groups.setdefault((page, b.name), Group(page, b.name)).blocks.append(b)

    readme = ROOT / "README.md"
    for name in REQUIRED_README:
        if (readme, name) not in groups:
            failures.append(f"README.md has no {name!r} snippet")
            print(f"FAIL README.md has no {name!r} snippet")
    servers = groups.pop((readme, "servers"), Group(readme, "servers")).blocks

    # The servers snippet's `make` runs in a scratch directory, where find(1)
    # does not enter the symlinked sources and so sees nothing to rebuild:
    # bring the build up to date here first (a no-op under make test-docs).
    if subprocess.run(["make", "-C", str(ROOT), "--no-print-directory", "-s", "lib", "testserver", "cli"]).returncode:
        print("FAIL make lib testserver cli")
        return 1

    # The login snippets listen on the library's default redirect port: when
    # another process holds it (another run of this check?), they cannot pass.
    port = default_redirect_port()
    busy = port is not None and port_in_use(port)
    if busy:
        print(f"NOTE port {port} (the default redirect port of the login snippets) is in use by another "
              "process, perhaps another run of this check: those snippets will fail; run again once it is free")

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mcp-oauth-docs-") as tmp:
        for (page, name), group in groups.items():
            if args.only and name != args.only:
                continue
            label = f"{page.relative_to(ROOT)} [{name}]"
            t0 = time.monotonic()
            problem = run_group(group, servers, Path(tmp), args.verbose)
            took = time.monotonic() - t0
            if problem and port is not None and f":{port}: bind: address already in use" in problem:
                failures.append(label)
                print(f"FAIL {label}: port {port}, the default redirect port its login listens on, was in use "
                      "by another process (perhaps another run of this check); run again once it is free")
            elif problem:
                failures.append(label)
                print(f"FAIL {label} ({took:.1f} s): {problem}")
            else:
                print(f"ok   {label} ({took:.1f} s)")
    print(f"{len(groups)} snippet groups, {'FAILED' if failures else 'all passed'} in {time.monotonic() - started:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
