"""PKCE helpers (RFC 7636)."""

import re

import pytest

import mcp_oauth_client

VERIFIER_RE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


def test_rfc7636_appendix_b_vector():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert mcp_oauth_client.generate_code_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_verifier_shape_and_uniqueness():
    verifiers = {mcp_oauth_client.generate_code_verifier() for _ in range(200)}
    assert len(verifiers) == 200
    for v in verifiers:
        assert len(v) == 43
        assert VERIFIER_RE.match(v), v
        challenge = mcp_oauth_client.generate_code_challenge(v)
        assert len(challenge) == 43 and "=" not in challenge
        assert re.match(r"^[A-Za-z0-9_-]{43}$", challenge)


@pytest.mark.parametrize("length", [43, 128])
def test_challenge_accepts_boundary_lengths(length):
    assert len(mcp_oauth_client.generate_code_challenge("a" * length)) == 43


@pytest.mark.parametrize("bad", ["", "a" * 42, "a" * 129, "a" * 42 + "!", "a" * 42 + "é"])
def test_challenge_rejects_invalid_verifier(bad):
    with pytest.raises(mcp_oauth_client.InvalidArgumentError) as info:
        mcp_oauth_client.generate_code_challenge(bad)
    assert isinstance(info.value, ValueError)
    assert info.value.code == -1
    if bad:
        assert bad not in str(info.value)  # a verifier is never echoed


def test_challenge_rejects_nul_and_non_str():
    with pytest.raises(mcp_oauth_client.InvalidArgumentError):
        mcp_oauth_client.generate_code_challenge("a" * 42 + "\x00")
    with pytest.raises(TypeError):
        mcp_oauth_client.generate_code_challenge(b"a" * 43)  # type: ignore[arg-type]
