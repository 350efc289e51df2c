package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/core/mcpclient"
)

// clientName is the MCP clientInfo name and the registered client name.
const clientName = "mcp-oauth CLI"

// serverArg checks an MCP server URL argument: absolute http or https
// (core refuses plain http outside loopback).
func serverArg(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", &usageError{msg: fmt.Sprintf("%q is not an http(s) URL of an MCP server", raw)}
	}
	return raw, nil
}

// manager returns a token manager for server, persisting to the token
// store; adjust, if given, completes the configuration.
func (a *app) manager(server string, adjust ...func(*core.Config)) (*core.TokenManager, error) {
	dir, err := a.storeDir()
	if err != nil {
		return nil, err
	}
	cfg, err := a.opts.config(server, dir)
	if err != nil {
		return nil, err
	}
	for _, f := range adjust {
		f(cfg)
	}
	m, err := core.NewTokenManager(cfg)
	var cfgErr *core.ConfigError
	if errors.As(err, &cfgErr) && cfgErr.Field == "issuer" {
		// Name the command's flag and variable for the configuration member.
		return nil, &core.ConfigError{Field: "issuer", Reason: cfgErr.Reason + " (--issuer or $" + envIssuer + ")"}
	}
	return m, err
}

// connect opens an MCP session with server over the chosen transport
// (mcpclient.TransportAuto unless --transport says otherwise), telling the user
// when it falls back to HTTP+SSE.
func (a *app) connect(ctx context.Context, m *core.TokenManager, server string) (*mcpclient.MCPSession, error) {
	transport := mcpclient.TransportAuto
	switch a.opts.transport {
	case "":
	case transportHTTP:
		transport = mcpclient.TransportStreamableHTTP
	default:
		transport = a.opts.transport // checked by options.check
	}
	return mcpclient.ConnectMCP(ctx, m, server, mcpclient.ConnectOptions{
		Transport: transport, ClientName: clientName,
		OnFallback: func(err error) {
			a.progress("Streamable HTTP was refused (%v); trying the HTTP+SSE transport", err)
		},
	})
}

// withSession runs f on an MCP session with server, bounded by --timeout.
// The stored token is checked first (which also runs discovery), so that a
// missing login is reported as such before anything is sent to the server.
func (a *app) withSession(ctx context.Context, server string, f func(context.Context, *mcpclient.MCPSession) error) error {
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
	done := a.slowNotice("Discovering and connecting to %s ...", server)
	var s *mcpclient.MCPSession
	if _, err = m.Token(ctx); err == nil {
		s, err = a.connect(ctx, m, server)
	}
	done()
	if err != nil {
		return needsLogin(server, err)
	}
	defer s.Close()
	s.SetElicitationHandler(a.answerElicitation)
	return needsLogin(server, f(ctx, s))
}
