"""Targets for multiprocessing children (importable by spawned processes)."""

from __future__ import annotations

from typing import Any, Dict, Optional

import mcp_oauth_client

MANAGER: Optional[mcp_oauth_client.OAuthTokenManager] = None


def get_inherited_token(queue: Any) -> None:
    """Fork child: use the manager inherited from the parent."""
    assert MANAGER is not None
    try:
        MANAGER.get_token()
        queue.put("returned a token")
    except mcp_oauth_client.ForkedProcessError as exc:
        queue.put("ForkedProcessError: " + str(exc))
    except BaseException as exc:  # pragma: no cover - reported to the parent
        queue.put(type(exc).__name__)


def get_fresh_token(queue: Any, config: Dict[str, Any]) -> None:
    """Spawn child: a new process may create its own manager."""
    try:
        with mcp_oauth_client.OAuthTokenManager(config) as manager:
            queue.put(("ok", manager.get_token()))
    except BaseException as exc:  # pragma: no cover - reported to the parent
        queue.put(("error", repr(exc)))
