package main

import (
	"context"
	"flag"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// defaultLoginWait bounds the wait for the user (browser redirect, device
// authorization) unless --timeout says otherwise.
const defaultLoginWait = 5 * time.Minute

// loginCommand: discovery, registration and authorization, then the
// credentials are kept in the token store.
var loginCommand = &command{
	name: "login", args: "<server-url>",
	summary: "authorize with the server's authorization server and store the credentials",
	flags: func(fs *flag.FlagSet, o *options) {
		fs.BoolVar(&o.noBrowser, "no-browser", false, "print the authorization URL instead of opening a browser")
		fs.BoolVar(&o.device, "device", false, "use the device authorization grant (RFC 8628): approve on any device with a browser")
		fs.StringVar(&o.redirectURI, "redirect-uri", "", "loopback redirect `URI` to listen on, e.g. http://127.0.0.1:8976/callback (default: a free port on 127.0.0.1)")
	},
	run: runLogin,
}

func runLogin(ctx context.Context, a *app, args []string) error {
	if err := wantArgs(args, 1, 1, "login [flags] <server-url>"); err != nil {
		return err
	}
	server, err := serverArg(args[0])
	if err != nil {
		return err
	}
	dir, err := a.storeDir()
	if err != nil {
		return err
	}
	cfg := a.opts.config(server, dir)
	cfg.RedirectURI = a.opts.redirectURI
	m, err := core.NewTokenManager(cfg)
	if err != nil {
		return err
	}
	defer m.Close()
	a.progress("Discovering the authorization server of %s ...", server)
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
	return a.reportLogin(server, m)
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

// reportLogin tells what the login obtained (the manager's status): on
// stderr, or as JSON on stdout with --json. Neither shows a token.
func (a *app) reportLogin(server string, m *core.TokenManager) error {
	st := m.Status()
	if a.opts.json {
		return a.printJSON(st)
	}
	a.progress("Logged in to %s (issuer %s, client %s); %s.", server, st.Issuer, st.ClientID, validity(st))
	return nil
}
