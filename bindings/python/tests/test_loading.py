"""Loading the library: the declaration table, MCP_OAUTH_LIBRARY, the version check."""

from __future__ import annotations

import ctypes
import os
import re
import subprocess
import sys

import pytest

import mcp_oauth_client
from mcp_oauth_client import _ffi
from conftest import REPO

HEADER = REPO / "include" / "mcp_oauth.h"


def _ctype_of(param: str) -> object:
    """The ctypes type the declaration table must use for a C parameter."""
    c_type = re.sub(r"\s*\b\w+$", "", param.strip())  # drop the parameter name
    c_type = re.sub(r"\s+", " ", c_type).replace(" *", "*")
    if c_type == "char**":
        return _ffi._out_str
    if c_type.endswith("**"):
        return _ffi._out_ptr
    if c_type == "const char*":
        return ctypes.c_char_p
    if c_type.endswith("*") or c_type.endswith("_fn"):  # a callback (mcp_*_fn) is passed as a pointer
        return ctypes.c_void_p
    return {"int": ctypes.c_int, "double": ctypes.c_double}[c_type]


@pytest.mark.skipif(not HEADER.is_file(), reason="needs the checkout's include/mcp_oauth.h")
def test_declaration_table_matches_header():
    """Every function of the header, with its parameter and return types, in the header's order."""
    text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(), flags=re.S)
    prototypes = re.findall(
        r"^MCP_OAUTH_API ([a-z][\w \*]*?)\s*\b(mcp_(?:oauth|pkce|client)_\w+)\s*\(([^)]*)\);", text, flags=re.M
    )
    assert len(prototypes) >= 20, "no prototypes found in the header"
    assert [name for _, name, _ in prototypes] == [name for name, *_ in _ffi._DECLARATIONS]
    returns = {"int": ctypes.c_int, "const char *": ctypes.c_char_p, "void": None}
    for (restype, name, params), (_, argtypes, table_restype, _) in zip(prototypes, _ffi._DECLARATIONS):
        expected = [] if params.strip() == "void" else [_ctype_of(p) for p in params.split(",")]
        assert list(argtypes) == expected, name
        assert table_restype is returns[restype.strip()], name


@pytest.mark.skipif(not HEADER.is_file(), reason="needs the checkout's include/mcp_oauth.h")
def test_major_version_matches_header():
    # (The status codes are generated from the header: see test_tables.py.)
    text = HEADER.read_text()
    major = re.search(r"#define MCP_OAUTH_VERSION_MAJOR (\d+)", text).group(1)
    assert mcp_oauth_client.__version__.split(".")[0] == major


def test_library_version_and_strerror():
    assert mcp_oauth_client.library_version.split(".")[0] == mcp_oauth_client.__version__.split(".")[0]
    assert _ffi.strerror(-2) == "bad handle"
    assert _ffi.strerror(-12345) == "unknown status"


def test_version_mismatch_is_refused(monkeypatch):
    monkeypatch.setattr(_ffi, "LIBRARY_VERSION", "99.0.0")
    with pytest.raises(ImportError, match="major version"):
        _ffi._check_version()


def _import_in_subprocess(env_library: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, MCP_OAUTH_LIBRARY=env_library)
    code = "import mcp_oauth_client; print(mcp_oauth_client.library_path)"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_env_override_is_used():
    real = os.path.realpath(mcp_oauth_client.library_path)
    proc = _import_in_subprocess(real)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == real


def test_env_override_missing_file_fails_clearly(tmp_path):
    missing = str(tmp_path / "nope" / "libmcp_oauth.so")
    proc = _import_in_subprocess(missing)
    assert proc.returncode != 0
    assert "ImportError" in proc.stderr and missing in proc.stderr


def test_library_not_a_compatible_build(tmp_path):
    # Any other shared library lacks the mcp_oauth_* symbols.
    import ctypes.util

    libz = ctypes.util.find_library("z") or ctypes.util.find_library("c")
    if libz is None:
        pytest.skip("no system library to load")
    proc = _import_in_subprocess(libz)
    assert proc.returncode != 0
    assert "ImportError" in proc.stderr
