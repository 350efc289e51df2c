"""mcp-oauth from Python: a token by client_credentials, then a PKCE
authorization code flow run headlessly (the "browser" is an HTTP GET whose
redirect Location is handed back to the library).

Then, given MCP server URLs, the MCP part: the client starts knowing only the
server URL, discovers its authorization server, registers itself, authorizes
(headlessly) and calls a tool, over each transport.

Usage: python examples/demo.py <authorization-server-url> [<mcp-url> <mcp-sse-url>]
"""
import sys
import urllib.error
import urllib.request

import mcp_oauth_client
from mcp_oauth_client import AuthorizationRequiredError, McpClient, McpOAuthConfig, OAuthTokenManager


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # keep the 302 for us
        return None


def browser_redirect(url: str) -> str:
    """Plays the user's browser: returns where the authorization server redirects."""
    try:
        urllib.request.build_opener(_NoRedirect).open(url)
    except urllib.error.HTTPError as redirect:
        return redirect.headers["Location"]
    raise RuntimeError("the authorization endpoint did not redirect")


def mcp_tool_call(server_url: str, transport: str) -> None:
    """Knowing only the MCP server's URL: discover, register, authorize, call a tool."""
    config = McpOAuthConfig(server_url=server_url, client_name="mcp-oauth Python demo")
    with OAuthTokenManager(config) as manager:
        try:
            client = McpClient.connect(manager, server_url, transport=transport)
        except AuthorizationRequiredError:  # discovered and registered: a user must approve
            request = manager.begin_authorization()
            manager.complete_authorization(browser_redirect(request.url))
            client = McpClient.connect(manager, server_url, transport=transport)
        with client:
            result = client.call_tool("echo", {"text": "hello over OAuth"})
            print(f"[Python] MCP {transport} tools/call echo -> {result['content'][0]['text']}")


def main(issuer: str, mcp_url: str = "", sse_url: str = "") -> None:
    machine = McpOAuthConfig(
        client_id="test-client",
        client_secret="test-secret",
        token_url=f"{issuer}/token",
        scopes=["mcp:read", "mcp:write"],
    )
    with OAuthTokenManager(machine) as manager:
        token = manager.get_token()
        print(f"[Python] client_credentials token: {token[:12]}... ({len(token)} chars)")

    user = McpOAuthConfig(
        client_id="public-client",
        token_url=f"{issuer}/token",
        authorize_url=f"{issuer}/authorize",
        issuer=issuer,
        scopes=["mcp:read"],
    )
    with OAuthTokenManager(user) as manager:
        request = manager.begin_authorization("http://127.0.0.1:8976/callback")
        print(f"[Python] open in a browser: {request.url[:70]}...")
        manager.complete_authorization(browser_redirect(request.url))
        full = manager.token()
        print(f"[Python] authorization_code+PKCE token: {full.access_token[:12]}... expires {full.expires_at:%H:%M:%S} UTC")
    verifier = mcp_oauth_client.generate_code_verifier()
    print(f"[Python] PKCE: verifier of {len(verifier)} chars -> challenge {mcp_oauth_client.generate_code_challenge(verifier)}")

    if mcp_url:
        mcp_tool_call(mcp_url, "streamable_http")
        mcp_tool_call(sse_url, "sse")


if __name__ == "__main__":
    main(*sys.argv[1:4])
