package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// GrantDeviceCode is the device access token grant (RFC 8628 §3.4).
const GrantDeviceCode = "urn:ietf:params:oauth:grant-type:device_code"

// Polling parameters of RFC 8628 §3.5.
const (
	defaultDeviceInterval = 5 * time.Second // when the response has no interval
	slowDownStep          = 5 * time.Second // added on each slow_down
	maxDeviceLifetime     = 24 * time.Hour  // a longer expires_in is refused
	maxUserCodeLength     = 64
)

// ErrDeviceCodeExpired: the device authorization expired before the user
// approved it, because the authorization server answered expired_token
// (RFC 8628 §3.5) or its expires_in passed.
var ErrDeviceCodeExpired = errors.New("mcp-oauth: the device authorization expired (expired_token) before the user approved it")

// errNoDeviceAuthorization: CompleteDeviceAuthorization was given a
// DeviceAuthorization that BeginDeviceAuthorization did not return.
var errNoDeviceAuthorization = errors.New("mcp-oauth: no device authorization: call BeginDeviceAuthorization first")

// DeviceAuthorization is a started device authorization (RFC 8628 §3.2):
// what to show the user, and until when and how often to poll. The device
// code stays inside: it is never exported nor printed.
type DeviceAuthorization struct {
	// UserCode is the code the user enters at VerificationURI.
	UserCode string
	// VerificationURI is where the user goes, on any device.
	VerificationURI string
	// VerificationURIComplete, when not "", is VerificationURI with the user
	// code in it, e.g. for a QR code (RFC 8628 §3.3.1).
	VerificationURIComplete string
	// ExpiresAt is when the device code expires.
	ExpiresAt time.Time
	// Interval is the wait between polls: the server's interval, else 5 s.
	Interval time.Duration

	deviceCode string
	params     *authParams  // the authorization server that issued it
	polls      *devicePolls // the poll in flight (devicepoll.go)
}

// String describes d without its device code.
func (d DeviceAuthorization) String() string {
	return fmt.Sprintf("DeviceAuthorization{UserCode: %q, VerificationURI: %q, ExpiresAt: %s, Interval: %s}",
		d.UserCode, d.VerificationURI, d.ExpiresAt.Format(time.RFC3339), d.Interval)
}

// GoString is String, so %#v does not print the device code either.
func (d DeviceAuthorization) GoString() string { return d.String() }

// BeginDeviceAuthorization starts a device authorization (RFC 8628 §3.1):
// it discovers the authorization server in discovery mode, then posts the
// client's authentication (as at the token endpoint), the scopes and the
// RFC 8707 resource to the device authorization endpoint, the discovered
// device_authorization_endpoint or the configured device_authorization_url.
// Without one, or for a grant type other than authorization_code (the
// device grant obtains user-delegated tokens), the error wraps
// [ErrUnsupported]. Show the result to the user, then call
// [TokenManager.CompleteDeviceAuthorization].
func (m *TokenManager) BeginDeviceAuthorization(ctx context.Context) (*DeviceAuthorization, error) {
	if m.closed.Load() {
		return nil, ErrClosed
	}
	if m.cfg.GrantType != GrantAuthorizationCode {
		return nil, fmt.Errorf("%w: the device authorization grant needs grant_type authorization_code", ErrUnsupported)
	}
	p, err := m.authParams(ctx)
	if err != nil {
		return nil, err
	}
	if p.deviceURL == "" {
		return nil, fmt.Errorf("%w: the authorization server has no device authorization endpoint", ErrUnsupported)
	}
	form := url.Values{}
	if len(p.scopes) > 0 {
		form.Set("scope", strings.Join(p.scopes, " "))
	}
	resp, err := p.endpoint.post(ctx, p.deviceURL, "device authorization endpoint", form)
	if err != nil {
		return nil, err
	}
	if resp.status >= 300 && resp.status < 400 {
		return nil, &ProtocolError{Reason: "device authorization endpoint answered with a redirect; redirects are not followed"}
	}
	fields, err := successFields(resp.status, resp.header.Get("Content-Type"), resp.body)
	if err != nil {
		err = resp.redact(err, func(status int, contentType string, body []byte) error {
			_, err := successFields(status, contentType, body)
			return err
		})
	}
	var se *ServerError
	if errors.As(err, &se) {
		se.Endpoint = "device authorization endpoint"
	}
	if err != nil {
		return nil, err
	}
	d, err := parseDeviceAuthorization(fields, resp.sent)
	if err != nil {
		return nil, err
	}
	d.params = p
	return d, nil
}

// parseDeviceAuthorization validates a device authorization response
// (RFC 8628 §3.2): device_code, user_code and verification_uri are required
// strings, expires_in a required positive lifetime, interval an optional
// whole number of seconds. The strings shown to the user must be free of
// control characters and the URIs https (http only on loopback hosts).
func parseDeviceAuthorization(f responseFields, sent time.Time) (*DeviceAuthorization, error) {
	for _, name := range []string{"device_code", "user_code", "verification_uri", "verification_uri_complete"} {
		if raw, ok := f[name]; ok && raw != nil {
			if _, isString := raw.(string); !isString {
				return nil, &ProtocolError{Reason: "device authorization response: " + name + " is not a string"}
			}
		}
	}
	d := &DeviceAuthorization{
		deviceCode:              f.str("device_code"),
		UserCode:                f.str("user_code"),
		VerificationURI:         f.str("verification_uri"),
		VerificationURIComplete: f.str("verification_uri_complete"),
		Interval:                defaultDeviceInterval,
		polls:                   &devicePolls{},
	}
	switch {
	case d.deviceCode == "":
		return nil, &ProtocolError{Reason: "device authorization response has no device_code"}
	case d.UserCode == "":
		return nil, &ProtocolError{Reason: "device authorization response has no user_code"}
	case len(d.UserCode) > maxUserCodeLength || strings.IndexFunc(d.UserCode, unicode.IsControl) >= 0:
		return nil, &ProtocolError{Reason: "device authorization response: user_code is too long or has control characters"}
	}
	if err := checkVerificationURI("verification_uri", d.VerificationURI, true); err != nil {
		return nil, err
	}
	if err := checkVerificationURI("verification_uri_complete", d.VerificationURIComplete, false); err != nil {
		return nil, err
	}
	if _, ok := f["expires_in"]; !ok {
		return nil, &ProtocolError{Reason: "device authorization response has no expires_in"}
	}
	lifetime, err := f.expiresIn()
	if err != nil {
		return nil, err
	}
	if lifetime > maxDeviceLifetime {
		return nil, &ProtocolError{Reason: "device authorization response: expires_in exceeds a day"}
	}
	d.ExpiresAt = sent.Add(lifetime)
	if raw, ok := f["interval"]; ok && raw != nil {
		n, isNumber := raw.(json.Number)
		secs, err := n.Int64()
		if !isNumber || err != nil || secs < 0 || time.Duration(secs)*time.Second > maxDeviceLifetime {
			return nil, &ProtocolError{Reason: "device authorization response: interval is not a whole number of seconds"}
		}
		if secs > 0 { // 0 would mean polling without pause: keep the default
			d.Interval = time.Duration(secs) * time.Second
		}
	}
	return d, nil
}

// checkVerificationURI checks a URI the user is sent to: an absolute https
// URL (http on a loopback host) without control characters; "" only when
// not required.
func checkVerificationURI(name, raw string, required bool) error {
	if raw == "" && !required {
		return nil
	}
	bad := &ProtocolError{Reason: "device authorization response: " + name + " is not an https URL"}
	if raw == "" || len(raw) > maxURLLength || strings.IndexFunc(raw, unicode.IsControl) >= 0 {
		return bad
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil {
		return bad
	}
	if u.Scheme == "https" || (u.Scheme == "http" && IsLoopbackHost(u.Hostname())) {
		return nil
	}
	return bad
}

// CompleteDeviceAuthorization polls the token endpoint with the device code
// of d (RFC 8628 §3.4) until the user decides: it waits d.Interval before
// each poll, continues on authorization_pending, adds 5 s to the interval
// on slow_down (RFC 8628 §3.5), and stores the tokens (cache, refresh token
// and token store) once approved. access_denied becomes an
// [AuthorizationDeniedError]; expired_token, or reaching d.ExpiresAt, is
// [ErrDeviceCodeExpired]; any other error ends the polling and is returned.
// Cancelling ctx stops it, and so does [TokenManager.Close] ([ErrClosed]);
// a poll then at the server is not cut but awaited by the next call
// (devicepoll.go), as its answer may carry the tokens.
func (m *TokenManager) CompleteDeviceAuthorization(ctx context.Context, d *DeviceAuthorization) error {
	if m.closed.Load() {
		return ErrClosed
	}
	if d == nil || d.deviceCode == "" || d.params == nil {
		return errNoDeviceAuthorization
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(m.ctx, cancel)() // Close stops the polling
	err := m.pollDevice(ctx, d)
	if err != nil && m.closed.Load() {
		return ErrClosed
	}
	return err
}

// pollDevice is the polling loop of CompleteDeviceAuthorization.
func (m *TokenManager) pollDevice(ctx context.Context, d *DeviceAuthorization) error {
	interval := d.Interval
	for {
		poll := d.polls.pending() // one an earlier caller gave up waiting for
		if poll == nil {
			remaining := d.ExpiresAt.Sub(m.now())
			if remaining <= 0 {
				return ErrDeviceCodeExpired
			}
			if err := m.sleep(ctx, min(interval, remaining)); err != nil {
				return networkError("device authorization", err)
			}
			if !m.now().Before(d.ExpiresAt) {
				return ErrDeviceCodeExpired
			}
			poll = m.startPoll(ctx, d)
		}
		err := d.polls.wait(ctx, poll)
		if err == nil {
			return nil // the tokens are stored
		}
		var oe *OAuthError
		if !errors.As(err, &oe) {
			return err
		}
		switch oe.ErrorCode {
		case "authorization_pending":
		case "slow_down":
			interval += slowDownStep
		case "expired_token":
			return ErrDeviceCodeExpired
		case "access_denied":
			return &AuthorizationDeniedError{ErrorCode: oe.ErrorCode, ErrorDescription: oe.ErrorDescription, ErrorURI: oe.ErrorURI}
		default:
			return err
		}
	}
}

// AuthorizeDevice runs the whole device authorization grant: it begins
// ([TokenManager.BeginDeviceAuthorization]), hands the authorization to
// prompt, which shows the user code and verification URI to the user, then
// polls until the user decides ([TokenManager.CompleteDeviceAuthorization]).
// An error from prompt ends it.
func (m *TokenManager) AuthorizeDevice(ctx context.Context, prompt func(*DeviceAuthorization) error) error {
	d, err := m.BeginDeviceAuthorization(ctx)
	if err != nil {
		return err
	}
	if err := prompt(d); err != nil {
		return fmt.Errorf("mcp-oauth: showing the device authorization: %w", err)
	}
	return m.CompleteDeviceAuthorization(ctx, d)
}

// sleepContext waits for d or until ctx is done, returning ctx's error then.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
