"""PKCE helpers (RFC 7636), generate_code_verifier and generate_code_challenge."""

from __future__ import annotations

from . import _ffi

__all__ = ["generate_code_verifier", "generate_code_challenge"]


def generate_code_verifier() -> str:
    """Returns a fresh PKCE code verifier (RFC 7636 §4.1).

    43 characters of ``[A-Za-z0-9-._~]`` from 32 bytes of the system's
    cryptographic random source.
    """
    return _ffi.pkce_verifier()


def generate_code_challenge(verifier: str) -> str:
    """Returns the S256 code challenge of ``verifier`` (RFC 7636 §4.2).

    ``BASE64URL(SHA256(ASCII(verifier)))`` without padding. Raises
    :class:`~mcp_oauth_client.InvalidArgumentError` (a ``ValueError``) for a verifier
    that is not 43–128 characters of ``[A-Za-z0-9-._~]``.
    """
    return _ffi.pkce_challenge(verifier)
