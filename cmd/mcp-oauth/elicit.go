package main

import (
	"context"
	"net/url"
	"strings"
	"unicode"

	"github.com/mcp-oauth-client/mcp-oauth-client/core/mcpclient"
)

// answerElicitation answers a server's elicitation request (MCP
// "Elicitation") during a command: a URL-mode request's page (http or https
// only) is printed in full on stderr for the user to open, and accepted — it
// is never opened by the command (the specification's "Safe URL Handling":
// no URL is opened or fetched without the user's explicit consent); a form
// is declined, since the command reads no input. What the server sent is
// printed without control characters, so that it cannot drive the terminal.
func (a *app) answerElicitation(_ context.Context, req mcpclient.ElicitRequest) (mcpclient.ElicitResponse, error) {
	if req.Mode == mcpclient.ElicitModeURL {
		u, err := url.Parse(req.URL)
		if err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
			a.progress("The server asks you to open this page (%s):\n  %s", printable(req.Message), printable(req.URL))
			return mcpclient.ElicitResponse{Action: mcpclient.ElicitAccept}, nil
		}
		a.progress("The server asked to open a URL that is not http(s); declined.")
		return mcpclient.ElicitResponse{Action: mcpclient.ElicitDecline}, nil
	}
	a.progress("The server asks for input (%s); this command does not fill in forms: declined.", printable(req.Message))
	return mcpclient.ElicitResponse{Action: mcpclient.ElicitDecline}, nil
}

// printable is s without control characters.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}
