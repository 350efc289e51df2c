package main

import (
	"context"
	"flag"
	"strings"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// defaultLoginWait bounds the wait for the user (browser redirect, device
// authorization) unless --timeout says otherwise.
const defaultLoginWait = 5 * time.Minute

// loginCommand: discovery, registration and authorization, then the
// credentials are kept in the token store.
var loginCommand = &command{
	name: "login", args: "[server-url]",
	summary: "authorize with the server's authorization server and store the credentials",
	flags: func(fs *flag.FlagSet, o *options) {
		fs.BoolVar(&o.noBrowser, "no-browser", false, "print the authorization URL instead of opening a browser")
		fs.BoolVar(&o.device, "device", false, "use the device authorization grant (RFC 8628): approve on any device with a browser")
		fs.StringVar(&o.redirectURI, "redirect-uri", "", "loopback redirect `URI` to listen on, e.g. http://127.0.0.1:8976/callback (default: a free port on 127.0.0.1)")
		fs.StringVar(&o.addScope, "add-scope", "", "also ask for these space- or comma-separated `scopes`, now and at every later login (as gh auth refresh --scopes)")
	},
	run: runLogin,
}

func runLogin(ctx context.Context, a *app, args []string) error {
	server, args, err := a.serverAndArgs(args, 0)
	if err != nil {
		return err
	}
	if err := wantArgs(args, 0, 0, "login [flags] [server-url]"); err != nil {
		return err
	}
	m, err := a.manager(server, func(cfg *core.Config) { cfg.RedirectURI = a.opts.redirectURI })
	if err != nil {
		return err
	}
	defer m.Close()
	a.progress("Discovering the authorization server of %s ...", server)
	if err := a.discover(ctx, m); err != nil {
		return err
	}
	switch {
	case a.opts.clientCredentials():
		err = loginClientCredentials(ctx, a, m)
	case a.opts.device:
		err = loginDevice(ctx, a, m)
	default:
		err = loginBrowser(ctx, a, m)
	}
	if err != nil {
		return err
	}
	a.rememberDefaultServer(server)
	return a.reportLogin(server, m)
}

// discover runs the library's discovery, bounded by the command's network
// timeout: the server's challenge first, its scope first (as any first
// request would), with the scopes remembered from the server's earlier
// challenges, and those of --add-scope added.
func (a *app) discover(ctx context.Context, m *core.TokenManager) error {
	ctx, cancel := context.WithTimeout(ctx, defaultTimeout)
	defer cancel()
	if err := m.Discover(ctx); err != nil {
		return err
	}
	if add := splitScopes(a.opts.addScope); len(add) > 0 {
		return m.AddScopes(ctx, add)
	}
	return nil
}

// loginClientCredentials gets a token with the client_credentials grant
// (RFC 6749 §4.4), which needs no user.
func loginClientCredentials(ctx context.Context, a *app, m *core.TokenManager) error {
	ctx, cancel := context.WithTimeout(ctx, a.opts.timeoutOr(defaultTimeout))
	defer cancel()
	_, err := m.Token(ctx)
	return err
}

// loginBrowser runs the authorization code flow with PKCE through the
// user's browser and a loopback redirect (RFC 8252 §7.3).
func loginBrowser(ctx context.Context, a *app, m *core.TokenManager) error {
	wait := a.opts.timeoutOr(defaultLoginWait)
	open := func(authURL string) error {
		if !a.opts.noBrowser && a.openBrowser(authURL) {
			a.progress("Opened your browser to authorize. If it did not appear, open this URL:\n\n  %s\n", authURL)
		} else {
			a.progress("Open this URL in a browser to authorize:\n\n  %s\n", authURL)
		}
		a.progress("Waiting for the authorization (up to %s) ...", wait)
		return nil
	}
	return m.AuthorizeInteractively(ctx, open, wait)
}

// loginInfo is what login reports: the manager's status, and the scopes
// asked for that the authorization server did not grant.
type loginInfo struct {
	core.Status
	NotGranted []string `json:"not_granted_scopes"`
}

// reportLogin tells what the login obtained (the manager's status) and which
// scopes were granted and which not: on stderr, or as JSON on stdout with
// --json. Neither shows a token.
func (a *app) reportLogin(server string, m *core.TokenManager) error {
	info := loginInfo{Status: m.Status(), NotGranted: m.NotGrantedScopes()}
	if info.NotGranted == nil {
		info.NotGranted = []string{}
	}
	if a.opts.json {
		return a.printJSON(info)
	}
	a.progress("Logged in to %s (issuer %s, client %s); %s.", server, info.Issuer, info.ClientID, validity(info.Status))
	granted := strings.Join(info.Scopes, " ")
	if granted == "" {
		granted = "(none named)"
	}
	a.progress("Granted scopes: %s", granted)
	if len(info.NotGranted) > 0 {
		a.progress("Not granted: %s (asked for, but the authorization server left them out)", strings.Join(info.NotGranted, " "))
	}
	return nil
}
