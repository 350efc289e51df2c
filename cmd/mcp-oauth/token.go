package main

import (
	"context"
	"fmt"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// tokenCommand prints a valid access token, refreshing it when needed, so
// that curl -H "Authorization: Bearer $(mcp-oauth token URL)" works. stdout
// carries the token and nothing else.
var tokenCommand = &command{
	name: "token", args: "[server-url]",
	summary: "print a valid access token on stdout (refreshed as needed)",
	run: func(ctx context.Context, a *app, args []string) error {
		server, args, err := a.serverAndArgs(args, 0)
		if err != nil {
			return err
		}
		if err := wantArgs(args, 0, 0, "token [flags] [server-url]"); err != nil {
			return err
		}
		if err := a.requireLogin(server); err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(ctx, a.opts.timeoutOr(defaultTimeout))
		defer cancel()
		m, err := a.manager(server)
		if err != nil {
			return err
		}
		defer m.Close()
		done := a.slowNotice("Getting a token for %s ...", server)
		snap, err := freshToken(ctx, a, m)
		done()
		if err != nil {
			return needsLogin(server, err)
		}
		if a.opts.json {
			out := struct {
				AccessToken string     `json:"access_token"`
				TokenType   string     `json:"token_type"`
				ExpiresAt   *time.Time `json:"expires_at,omitempty"`
				Scope       string     `json:"scope,omitempty"`
			}{AccessToken: snap.AccessToken, TokenType: snap.TokenType, Scope: snap.Scope}
			if !snap.Expiry.IsZero() {
				out.ExpiresAt = &snap.Expiry
			}
			return a.printJSON(out)
		}
		_, err = fmt.Fprintln(a.stdout, shown(snap.AccessToken))
		return err
	},
}

// freshToken returns the manager's token, replaced by a new one when it is
// in the library's refresh window (Snapshot.RefreshAt: the refresh a
// long-running program would make in the background, which this process,
// about to exit, makes in the foreground). Should the replacement fail, the
// old token, still valid, is kept with a warning.
func freshToken(ctx context.Context, a *app, m *core.TokenManager) (core.Snapshot, error) {
	snap, err := m.Token(ctx)
	if err != nil || time.Now().Before(snap.RefreshAt) {
		return snap, err
	}
	m.Invalidate(snap.AccessToken)
	fresh, err := m.Token(ctx)
	if err != nil {
		if time.Now().Before(snap.Expiry) {
			a.progress("Warning: the token expires at %s and could not be renewed: %v", snap.Expiry.Local().Format(time.RFC3339), err)
			return snap, nil
		}
		return core.Snapshot{}, err
	}
	return fresh, nil
}
