package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Values of [Config.Login]: how the manager logs a user in by itself.
const (
	LoginNone    = "none"    // fail with ErrAuthorizationRequired (the caller logs in)
	LoginBrowser = "browser" // the interactive authorization code flow (RFC 8252)
	LoginDevice  = "device"  // the device authorization grant (RFC 8628)
)

// checkLogin validates login and open_command.
func (c *Config) checkLogin() error {
	switch c.Login {
	case "":
		c.Login = LoginNone
	case LoginNone, LoginBrowser, LoginDevice:
	default:
		return &ConfigError{Field: "login", Reason: `must be "none", "browser" or "device"`}
	}
	if c.Login != LoginNone && c.GrantType != GrantAuthorizationCode {
		return &ConfigError{Field: "login", Reason: "logs a user in: needs grant_type authorization_code"}
	}
	if c.OpenCommand != "" && c.Login != LoginBrowser {
		return &ConfigError{Field: "open_command", Reason: `only applies with login "browser"`}
	}
	return nil
}

// logins is the manager's self-driven login (Config.Login): at most one
// in flight, joined by every caller that finds a user is needed.
type logins struct {
	mu     sync.Mutex
	flight *loginFlight
	prompt io.Writer // where the URL or the user code is shown (WithLoginPrompt)
}

// loginFlight is one login shared by its waiters.
type loginFlight struct {
	done chan struct{}
	err  error
}

// WithLoginPrompt makes the manager's own login (Config.Login) show the
// user what to do on w: the authorization URL (without open_command), the
// device user code and verification URI. The front ends give their standard
// error (the library itself writes nothing); without it, a login that has
// something to show fails with a [ConfigError] instead of leaving the user
// waiting for nothing.
func WithLoginPrompt(w io.Writer) Option {
	return func(m *TokenManager) { m.logins.prompt = w }
}

// needsLogin reports whether err asks for a user and the manager is
// configured to log one in itself.
func (m *TokenManager) needsLogin(err error) bool {
	return m.cfg.Login != LoginNone && m.cfg.Login != "" && errors.Is(err, ErrAuthorizationRequired)
}

// loginAndToken logs a user in, joining the login in flight or starting
// one, then returns the token it obtained. The login runs on the manager's
// context, bounded by its own limits (the interactive timeout, the device
// code's lifetime) and by Close, not by ctx: ctx bounds only this caller's
// wait, and the other waiters keep theirs. A login that obtained no usable
// token leaves the error that asked for it (needed).
func (m *TokenManager) loginAndToken(ctx context.Context, needed error) (Snapshot, error) {
	m.logins.mu.Lock()
	if s := m.cur.Load(); s != nil && m.now().Before(s.ValidUntil) {
		m.logins.mu.Unlock() // a login finished since this caller's token request failed
		return *s, nil
	}
	f := m.logins.flight
	if f == nil {
		f = &loginFlight{done: make(chan struct{})}
		m.logins.flight = f
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			err := m.login(m.ctx)
			if err != nil && m.closed.Load() {
				err = ErrClosed
			}
			m.logins.mu.Lock()
			m.logins.flight = nil
			m.logins.mu.Unlock()
			f.err = err
			close(f.done)
		}()
	}
	m.logins.mu.Unlock()
	select {
	case <-f.done:
	case <-ctx.Done():
		return Snapshot{}, networkError("login", ctx.Err())
	}
	if f.err != nil {
		return Snapshot{}, f.err
	}
	if s := m.cur.Load(); s != nil && m.now().Before(s.ValidUntil) {
		return *s, nil
	}
	return Snapshot{}, needed
}

// login runs the configured login once.
func (m *TokenManager) login(ctx context.Context) error {
	w := m.logins.prompt
	if w == nil && (m.cfg.Login == LoginDevice || m.cfg.OpenCommand == "") {
		return &ConfigError{Field: "login", Reason: "nowhere to show the user what to do: give the manager a prompt (WithLoginPrompt)"}
	}
	if m.cfg.Login == LoginDevice {
		return m.AuthorizeDevice(ctx, func(d *DeviceAuthorization) error {
			return showDeviceAuthorization(w, d)
		})
	}
	return m.AuthorizeInteractively(ctx, URLOpener(m.cfg.OpenCommand, w), DefaultInteractiveTimeout)
}

// showDeviceAuthorization tells the user where to go and what code to
// enter (RFC 8628 §3.3); the strings were checked free of control
// characters when the response was parsed.
func showDeviceAuthorization(w io.Writer, d *DeviceAuthorization) error {
	if d.VerificationURIComplete != "" {
		_, err := fmt.Fprintf(w, "To authorize, open %s\n  (or open %s and enter the code %s)\n",
			d.VerificationURIComplete, d.VerificationURI, d.UserCode)
		return err
	}
	_, err := fmt.Fprintf(w, "To authorize, open %s and enter the code %s\n", d.VerificationURI, d.UserCode)
	return err
}
