"""The skills extension (SEP-2640) through McpClient against the real
build/mcp-test-server, which serves the skill "greeting"."""

from __future__ import annotations

import pytest

from mcp_oauth_client import ConfigError

from test_elicitation import client  # noqa: F401  (the fixture)


def test_skills_list_and_load(client):
    """The skills extension (SEP-2640): the test server's skill "greeting"."""
    skills = client.list_skills()["skills"]
    assert [s["uri"] for s in skills] == ["skill://greeting/SKILL.md"]
    loaded = client.load_skill("skill://greeting/SKILL.md")
    assert [f["uri"] for f in loaded["files"]] == ["skill://greeting/SKILL.md", "skill://greeting/references/PHRASES.md"]
    assert "Say hello." in loaded["files"][0]["text"]
    with pytest.raises(ConfigError):
        client.load_skill("skill://nothing/SKILL.md")
