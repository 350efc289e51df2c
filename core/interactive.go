package core

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"time"
)

// AuthorizeInteractively runs the whole authorization code flow for a
// program with a user at hand (RFC 8252): it listens on the loopback
// redirect URI (the configured one, whose port may be left out for an
// ephemeral one; else an ephemeral 127.0.0.1 port), starts the flow, hands the
// authorization URL to open (which shows it to the user or launches a
// browser), waits at most timeout for the browser to come back, and
// completes the flow. Cancelling ctx cancels the wait.
func (m *TokenManager) AuthorizeInteractively(ctx context.Context, open func(authURL string) error, timeout time.Duration) error {
	addr, path, err := m.loopbackAddress()
	if err != nil {
		return err
	}
	l, err := ListenLoopback(addr, path)
	if err != nil {
		return err
	}
	defer l.Close()
	req, err := m.BeginAuthorization(ctx, l.RedirectURI)
	if err != nil {
		return err
	}
	l.Expect(req.State)
	if err := open(req.URL); err != nil {
		return fmt.Errorf("mcp-oauth: opening the authorization URL: %w", err)
	}
	redirected, err := l.Wait(ctx, timeout)
	if err != nil {
		return err
	}
	err = m.completeInteractively(ctx, redirected, l.Injected)
	l.Finish(err)
	return err
}

// completeInteractively exchanges the authorization response and keeps the
// tokens unless injected reports, by then, a second response for the same
// state: another process holds the state too, and either code may be its
// own (RFC 9700 §4.5), so neither is used.
func (m *TokenManager) completeInteractively(ctx context.Context, redirected string, injected func() bool) error {
	tok, err := m.exchangeAuthorization(ctx, redirected)
	if injected() {
		return ErrCodeInjection
	}
	if err != nil {
		return err
	}
	m.countAuthorization()
	_, err = m.store(tok)
	return err
}

// loopbackAddress is where the redirect listener listens: the host, port
// and path of the redirect URI in use, which must be a loopback http URI;
// an ephemeral port when it names none, on 127.0.0.1 when none is
// configured.
func (m *TokenManager) loopbackAddress() (addr, path string, err error) {
	raw := m.cfg.RedirectURI
	if raw == "" && m.cfg.Discovering() {
		raw = DefaultRedirectURI
	}
	if raw == "" {
		return "127.0.0.1:0", "/callback", nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || !IsLoopbackHost(u.Hostname()) {
		return "", "", &ConfigError{Field: "redirect_uri", Reason: "interactive authorization needs a loopback http redirect URI (RFC 8252 §7.3)"}
	}
	port := u.Port()
	if port == "" { // a port-less loopback URI matches any port (RFC 8252 §7.3)
		port = "0"
	}
	return net.JoinHostPort(u.Hostname(), port), u.Path, nil
}
