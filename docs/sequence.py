#!/usr/bin/env python3
"""sequence.py — writes docs/sequence.svg, the MCP discovery-and-authorization
sequence as mcp-oauth runs it (MCP 2025-11-25 "Authorization").

    python3 docs/sequence.py            # rewrites docs/sequence.svg
    python3 docs/sequence.py --check    # exit 1 when docs/sequence.svg is stale

Plain SVG 1.1: no script, no external font or image, so it renders the same
on GitHub, in a browser and with rsvg-convert.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).resolve().with_name("sequence.svg")

WIDTH = 1060
# Lifelines: name, subtitle, x.
LANES = {
    "user": ("User + browser", "or another device", 110),
    "client": ("Your program", "libmcp_oauth / mcp-oauth", 390),
    "mcp": ("MCP server", "resource server", 680),
    "as": ("Authorization server", "OAuth 2.1", 940),
}
TOP = 30
HEAD_H = 46
STEP = 34

COLORS = {
    "req": "#1f4e8c",
    "resp": "#2d7a3e",
    "err": "#b3261e",
    "note": "#5b5b5b",
}


def fit(center: float, width: float) -> float:
    """Moves a centred text of about width pixels inside the picture's margins."""
    half = width / 2
    return min(max(center, 40 + half), WIDTH - 40 - half)


class Diagram:
    def __init__(self) -> None:
        self.y = TOP + HEAD_H + 30
        self.parts: list[str] = []
        self.step = 0

    def text(self, x: float, y: float, s: str, size: int = 13, anchor: str = "middle", weight: str = "normal",
             color: str = "#222", family: str = "sans") -> None:
        fam = "DejaVu Sans Mono, Menlo, Consolas, monospace" if family == "mono" else \
            "DejaVu Sans, Helvetica, Arial, sans-serif"
        self.parts.append(
            f'<text x="{x:.0f}" y="{y:.0f}" font-family="{fam}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" fill="{color}" stroke="#ffffff" stroke-width="3" '
            f'paint-order="stroke">{escape(s)}</text>'
        )

    def arrow(self, src: str, dst: str, label: str, detail: str = "", kind: str = "req") -> None:
        """A message from lane src to lane dst; label above the line, detail below in mono."""
        x1, x2 = LANES[src][2], LANES[dst][2]
        color = COLORS[kind]
        dash = ' stroke-dasharray="6 4"' if kind != "req" else ""
        self.step += 1
        y = self.y + 16
        sign = 1 if x2 > x1 else -1
        xe = x2 - sign * 4
        self.parts.append(
            f'<line x1="{x1}" y1="{y}" x2="{xe - sign * 8}" y2="{y}" stroke="{color}" stroke-width="1.6"{dash}/>'
        )
        self.parts.append(
            f'<polygon points="{xe},{y} {xe - sign * 11},{y - 5} {xe - sign * 11},{y + 5}" fill="{color}"/>'
        )
        mid = (x1 + x2) / 2
        title = f"{self.step}. {label}"
        self.text(fit(mid, len(title) * 7.6), y - 6, title, color=color, weight="bold")
        if detail:
            self.text(fit(mid, len(detail) * 6.7), y + 15, detail, size=11, family="mono", color="#333")
            self.y += STEP + 12
        else:
            self.y += STEP

    def note(self, lane_from: str, lane_to: str, lines: list[str], fill: str = "#fff8dc") -> None:
        x1, x2 = LANES[lane_from][2] - 90, LANES[lane_to][2] + 90
        h = 10 + 16 * len(lines)
        self.parts.append(
            f'<rect x="{x1}" y="{self.y}" width="{x2 - x1}" height="{h}" rx="4" fill="{fill}" stroke="#c9b458"/>'
        )
        for i, line in enumerate(lines):
            self.text((x1 + x2) / 2, self.y + 18 + 16 * i, line, size=12, color=COLORS["note"])
        self.y += h + 12

    def section(self, title: str, rfc: str) -> None:
        self.y += 6
        self.parts.append(
            f'<line x1="20" y1="{self.y}" x2="{WIDTH - 20}" y2="{self.y}" stroke="#bbb" stroke-dasharray="2 3"/>'
        )
        self.text(24, self.y + 16, title, size=13, anchor="start", weight="bold", color="#333")
        self.text(WIDTH - 24, self.y + 16, rfc, size=12, anchor="end", color="#666")
        self.y += 22

    def alt(self, label: str, body) -> None:
        """A framed alternative."""
        top = self.y
        self.y += 22
        body()
        self.y += 4
        self.parts.append(
            f'<rect x="34" y="{top}" width="{WIDTH - 68}" height="{self.y - top}" fill="none" stroke="#8a8a8a" '
            f'stroke-width="1.2" rx="3"/>'
        )
        self.parts.append(f'<rect x="34" y="{top}" width="{len(label) * 7 + 18}" height="18" fill="#e8e8e8" stroke="#8a8a8a"/>')
        self.text(43, top + 13, label, size=11, anchor="start", weight="bold", color="#333")
        self.y += 10

    def render(self) -> str:
        height = self.y + 30
        head: list[str] = []
        for _, _, x in LANES.values():
            head.append(f'<line x1="{x}" y1="{TOP + HEAD_H}" x2="{x}" y2="{height - 20}" stroke="#9aa4b2" stroke-width="1.2"/>')
            head.append(
                f'<rect x="{x - 95}" y="{TOP}" width="190" height="{HEAD_H}" rx="6" fill="#eef3fa" stroke="#6b7f99"/>'
            )
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="title">',
            "<title id=\"title\">MCP discovery and authorization, as mcp-oauth runs it</title>",
            f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        ]
        out += head
        titles = Diagram()
        for name, sub, x in LANES.values():
            titles.text(x, TOP + 20, name, size=14, weight="bold")
            titles.text(x, TOP + 37, sub, size=11, color="#555")
        out += titles.parts
        out += self.parts
        out.append("</svg>")
        return "\n".join(out) + "\n"


def build() -> str:
    d = Diagram()
    d.section("Discovery", "RFC 6750 §3, RFC 9728, RFC 8414")
    d.arrow("client", "mcp", "MCP request, no token yet", "POST /mcp  initialize")
    d.arrow("mcp", "client", "401 Unauthorized", 'WWW-Authenticate: Bearer resource_metadata="…", scope="mcp:read"', "err")
    d.arrow("client", "mcp", "protected resource metadata (RFC 9728)", "GET /.well-known/oauth-protected-resource/mcp")
    d.arrow("mcp", "client", "resource, authorization_servers, scopes_supported", '{"resource":".../mcp","authorization_servers":["https://as"]}', "resp")
    d.arrow("client", "as", "authorization server metadata (RFC 8414)", "GET /.well-known/oauth-authorization-server")
    d.arrow("as", "client", "issuer (must match), endpoints, S256 required", "token_endpoint, authorization_endpoint, registration_endpoint", "resp")

    d.section("Registration: the first that applies", "MCP client registration, RFC 7591")
    d.note("client", "as", [
        "a. pre-registered: client_id (+ secret or private key) from the configuration",
        "b. client ID metadata document: client_id = https URL of the client's metadata",
        "c. dynamic client registration: POST /register → client_id (kept in the token store)",
    ])

    d.section("Authorization: every request carries resource=<MCP server> (RFC 8707)", "RFC 6749, RFC 7636, RFC 8252, RFC 8628")

    def machine() -> None:
        d.arrow("client", "as", "token request", "POST /token grant_type=client_credentials&scope=…&resource=…")

    def login() -> None:
        d.arrow("client", "user", "open the authorization URL", "/authorize?…&code_challenge=…&code_challenge_method=S256&state=…&resource=…")
        d.arrow("user", "as", "the user logs in and consents")
        d.arrow("as", "user", "redirect to the loopback listener", "302 http://127.0.0.1:8976/callback?code=…&state=…&iss=…", "resp")
        d.arrow("user", "client", "browser reaches the program (state and iss checked)")
        d.arrow("client", "as", "token request with the PKCE verifier", "POST /token grant_type=authorization_code&code=…&code_verifier=…&resource=…")

    def device() -> None:
        d.arrow("client", "as", "device authorization request", "POST /device_authorization  client_id, scope, resource")
        d.arrow("as", "client", "device_code, user_code, verification_uri", "", "resp")
        d.arrow("client", "user", "show the code and the URL; the user opens it anywhere")
        d.arrow("client", "as", "poll (authorization_pending; slow_down adds 5 s)", "POST /token grant_type=urn:ietf:params:oauth:grant-type:device_code")

    d.alt("machine client: client credentials (RFC 6749 §4.4)", machine)
    d.alt("user with a browser: authorization code + PKCE, loopback redirect (RFC 7636, RFC 8252 §7.3)", login)
    d.alt("user without a browser here: device authorization grant (RFC 8628)", device)
    d.arrow("as", "client", "access token (+ refresh token); cached, refreshed in the background", '{"access_token":"…","expires_in":3600,"refresh_token":"…"}', "resp")

    d.section("MCP requests", "RFC 6750 §2.1, §3.1")
    d.arrow("client", "mcp", "MCP request with the token", "Authorization: Bearer <access token>")
    d.arrow("mcp", "client", "200: the result", "", "resp")
    d.arrow("client", "mcp", "a tool needing more scope", "tools/call write_note")
    d.arrow("mcp", "client", "403 Forbidden", 'WWW-Authenticate: Bearer error="insufficient_scope", scope="mcp:read mcp:write"', "err")
    d.note("client", "as", [
        "step-up: scope := current ∪ challenge; drop the token; authorize again (a user logs in again)",
        "and repeat the request — at most 3 times without a success in between",
    ])
    return d.render()


def main() -> int:
    svg = build()
    if sys.argv[1:] == ["--check"]:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != svg:
            print(f"{OUT} is stale: run python3 docs/sequence.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(svg, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
