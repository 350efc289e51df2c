"""Build glue for the mcp_oauth_client Python package.

The package ships libmcp_oauth (a Go c-shared library) inside itself, so a
wheel works on another machine without the source checkout. Where the library
comes from, in order:

1. ``$MCP_OAUTH_LIBRARY``, if set: that file is copied into the package (a
   ``.dll`` is shipped as ``mcp_oauth.dll``, anything else as
   ``libmcp_oauth.so``: ``make dist`` builds the wheels of other platforms
   this way);
2. in a checkout, its ``build/libmcp_oauth.so`` (``make lib``), if it is
   newer than every Go source file;
3. otherwise ``go build -buildmode=c-shared ./capi`` in the checkout, or in
   the Go source an sdist carries (``libmcp_oauth-src/``); without Go this
   fails with one sentence saying so.

``$MCP_OAUTH_WHEEL_PLATFORM`` sets the wheel's platform tag (e.g.
``manylinux_2_17_x86_64``; ``make dist`` sets it), else it is the build
machine's.

An editable install (``pip install -e``) copies nothing: the package then
loads ``<checkout>/build/libmcp_oauth.so`` (or ``$MCP_OAUTH_LIBRARY``), which
is built here if it does not exist yet, so ``make lib`` takes effect at once.

Wheels are tagged ``py3-none-<platform>``: the library is native code, but it
does not depend on the Python ABI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1
    from wheel.bdist_wheel import bdist_wheel  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
# The Go module's source inside an sdist (see SdistWithGoSource).
SDIST_SOURCE = HERE / "libmcp_oauth-src"
SONAME = "libmcp_oauth.so.0"
NEEDS_GO = (
    "mcp-oauth-client: building from source needs Go 1.25 or newer on PATH (https://go.dev/dl/) "
    "to compile libmcp_oauth; or install a prebuilt wheel (Linux x86_64 and aarch64 with glibc 2.17+, "
    "Windows x64), or set MCP_OAUTH_LIBRARY to a built library."
)

if sys.platform == "darwin":
    LIBNAME = "libmcp_oauth.dylib"
elif sys.platform == "win32":
    LIBNAME = "mcp_oauth.dll"
else:
    LIBNAME = "libmcp_oauth.so"


def _log(msg: str) -> None:
    print(f"mcp_oauth_client build: {msg}", file=sys.stderr, flush=True)


def _is_checkout() -> bool:
    return (REPO / "capi").is_dir() and (REPO / "go.mod").is_file() and (REPO / "bindings" / "python").is_dir()


def _go_source() -> Path:
    """The Go module to build the library from: the sdist's copy or the checkout."""
    if (SDIST_SOURCE / "go.mod").is_file():
        return SDIST_SOURCE
    if _is_checkout():
        return REPO
    raise SystemExit(NEEDS_GO)


def _newest_go_source() -> float:
    newest = 0.0
    for name in ("go.mod", "go.sum"):
        p = REPO / name
        if p.is_file():
            newest = max(newest, p.stat().st_mtime)
    for root, dirs, files in os.walk(REPO):
        dirs[:] = [d for d in dirs if d not in {".git", "build", "bindings", "node_modules"}]
        for f in files:
            if f.endswith(".go") and not f.endswith("_test.go"):
                newest = max(newest, os.stat(os.path.join(root, f)).st_mtime)
    return newest


def _go_build(output: Path, source: Path) -> None:
    """Builds the c-shared library of the capi package of the Go module at source."""
    go = shutil.which(os.environ.get("GO", "go"))
    if go is None:
        raise SystemExit(NEEDS_GO)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mcp-oauth-map-") as tmp:
        ldflags = "-s -w"
        if sys.platform.startswith("linux"):
            # As `make lib`: export only the header's functions, versioned MCP_OAUTH_0.
            version_script = Path(tmp) / "libmcp_oauth.map"
            with open(version_script, "w") as f:
                exports = [str(source / "packaging" / "exports.sh"), "--map", str(source / "include" / "mcp_oauth.h")]
                subprocess.run(["sh", *exports], stdout=f, check=True)
            ldflags += f" -extldflags=-Wl,-soname,{SONAME},--version-script,{version_script}"
        cmd = [go, "build", "-buildmode=c-shared", "-trimpath", f"-ldflags={ldflags}", "-o", str(output), "./capi"]
        env = dict(os.environ, CGO_ENABLED="1")
        _log(" ".join(cmd))
        subprocess.run(cmd, cwd=source, env=env, check=True)
    header = output.with_suffix(".h")
    if header.exists():
        header.unlink()  # cgo's generated header is a build artefact


def _shipped_name(library: str) -> str:
    """The file name a library gets inside the package, from its own name."""
    name = os.path.basename(os.path.realpath(library))
    if name.endswith(".dll"):
        return "mcp_oauth.dll"
    if name.endswith(".dylib"):
        return "libmcp_oauth.dylib"
    return "libmcp_oauth.so"


def _package_library_name() -> str:
    env = os.environ.get("MCP_OAUTH_LIBRARY")
    return _shipped_name(env) if env else LIBNAME


def _provide_library(target: Path) -> None:
    """Puts a libmcp_oauth at target (a file inside the package being built)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    env = os.environ.get("MCP_OAUTH_LIBRARY")
    if env:
        _log(f"using MCP_OAUTH_LIBRARY={env}")
        shutil.copyfile(os.path.realpath(env), target)
        return
    source = _go_source()
    built = REPO / "build" / LIBNAME
    if source == REPO and built.is_file() and built.stat().st_mtime >= _newest_go_source():
        _log(f"using {built}")
        shutil.copyfile(os.path.realpath(built), target)
        return
    with tempfile.TemporaryDirectory(prefix="mcp-oauth-go-") as tmp:
        out = Path(tmp) / LIBNAME
        _go_build(out, source)
        shutil.copyfile(out, target)


def _ensure_checkout_library() -> None:
    """Editable install: make sure <checkout>/build/libmcp_oauth.so exists."""
    if os.environ.get("MCP_OAUTH_LIBRARY") or not _is_checkout():
        return
    built = REPO / "build" / LIBNAME
    if built.exists():
        return
    if sys.platform.startswith("linux"):
        # The same layout as `make lib`: the real file carries the SONAME.
        _go_build(REPO / "build" / SONAME, REPO)
        built.symlink_to(SONAME)
    else:
        _go_build(built, REPO)


class BuildPyWithLibrary(build_py):
    """build_py that also ships libmcp_oauth inside the package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            _ensure_checkout_library()
            return
        _provide_library(Path(self.build_lib) / "mcp_oauth_client" / _package_library_name())

    def get_outputs(self, include_bytecode: bool = True) -> list:
        outputs = list(super().get_outputs(include_bytecode))
        if not getattr(self, "editable_mode", False):
            outputs.append(str(Path(self.build_lib) / "mcp_oauth_client" / _package_library_name()))
        return outputs


class BinaryDistribution(Distribution):
    """The package carries native code: install it to platlib and make the
    wheel platform-specific (not py3-none-any)."""

    def has_ext_modules(self) -> bool:
        return True


class PlatformWheel(bdist_wheel):
    """A wheel tagged for the platform (it carries a native library) but not
    for a Python version or ABI (the library is loaded with ctypes)."""

    def get_tag(self) -> tuple:
        _, _, plat = super().get_tag()
        return "py3", "none", os.environ.get("MCP_OAUTH_WHEEL_PLATFORM") or plat


# What an sdist carries of the checkout to build the library: the Go module's
# files below, the header, and every package of the module that ./capi
# imports (asked of `go list`, so a new package cannot be left out), without
# tests, test servers and tools.
_SDIST_GO_FILES = ("go.mod", "go.sum", "VERSION", "LICENSE", "packaging/exports.sh")
_SDIST_GO_DIRS = ("include",)


def _capi_package_dirs() -> list:
    """The directories (relative to the checkout) of the module's own packages ./capi builds from."""
    go = shutil.which(os.environ.get("GO", "go"))
    if go is None:
        raise SystemExit("mcp-oauth-client: making an sdist needs Go on PATH (it asks `go list` what ./capi imports)")
    fmt = "{{if .Module}}{{if .Module.Main}}{{.Dir}}{{end}}{{end}}"
    out = subprocess.run(
        [go, "list", "-deps", "-f", fmt, "./capi"], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout
    return sorted(os.path.relpath(d, REPO) for d in out.split())


class SdistWithGoSource(sdist):
    """An sdist that also carries the Go source of libmcp_oauth (in
    libmcp_oauth-src/), so that it builds outside a checkout where Go is."""

    def make_release_tree(self, base_dir: str, files: list) -> None:
        super().make_release_tree(base_dir, files)
        if not _is_checkout():
            return  # an sdist rebuilt from an sdist already has it
        dest = Path(base_dir) / SDIST_SOURCE.name
        for name in _SDIST_GO_FILES:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, dest / name)
        for name in _SDIST_GO_DIRS:
            shutil.copytree(REPO / name, dest / name)
        for name in _capi_package_dirs():
            (dest / name).mkdir(parents=True, exist_ok=True)
            for f in (REPO / name).iterdir():  # a package's own files, not its subpackages
                if f.is_file() and not f.name.endswith("_test.go"):
                    shutil.copy2(f, dest / name / f.name)


setup(
    distclass=BinaryDistribution,
    cmdclass={"build_py": BuildPyWithLibrary, "bdist_wheel": PlatformWheel, "sdist": SdistWithGoSource},
)
