"""The package's version: a copy of the repository's VERSION file, written by
packaging/set-version.sh and checked by internal/release's TestVersionCopies.
pyproject.toml reads it from here (a static assignment, not an import)."""

VERSION = "0.2.0"
