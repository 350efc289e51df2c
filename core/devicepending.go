package core

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"
)

// PendingDevice is the device authorization (RFC 8628) a front end has
// begun and not yet completed, for APIs that split the grant in two calls
// (mcp_oauth_device_begin / mcp_oauth_device_complete). Its zero value holds
// none; it is safe for concurrent use.
type PendingDevice struct {
	mu sync.Mutex
	d  *DeviceAuthorization
}

// Begin starts a device authorization with m
// ([TokenManager.BeginDeviceAuthorization]) and keeps it pending, replacing
// an earlier one.
func (p *PendingDevice) Begin(ctx context.Context, m *TokenManager) (*DeviceAuthorization, error) {
	d, err := m.BeginDeviceAuthorization(ctx)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.d = d
	p.mu.Unlock()
	return d, nil
}

// Complete polls for the pending authorization
// ([TokenManager.CompleteDeviceAuthorization]) for at most timeout (0: until
// it ends). None pending is an [ArgumentError]. The authorization stays
// pending after a time-out, a cancellation, a network failure or an HTTP
// error status, so that Complete may be called again; approval, denial,
// expiry and other OAuth errors end it.
func (p *PendingDevice) Complete(ctx context.Context, m *TokenManager, timeout time.Duration) error {
	p.mu.Lock()
	d := p.d
	p.mu.Unlock()
	if d == nil {
		return &ArgumentError{Reason: "no pending device authorization: begin one first (mcp_oauth_device_begin)"}
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	err := m.CompleteDeviceAuthorization(ctx, d)
	if err == nil || !devicePendingAfter(err) {
		p.mu.Lock()
		if p.d == d {
			p.d = nil
		}
		p.mu.Unlock()
	}
	return err
}

// devicePendingAfter reports whether a device authorization stays pending
// after err: the user may still approve it.
func devicePendingAfter(err error) bool {
	var ne *NetworkError
	var se *ServerError
	return errors.As(err, &ne) || errors.As(err, &se) || errors.Is(err, ErrCancelled)
}

// DeviceAuthorizationJSON renders d as the front ends show it, never with
// the device code: user_code, verification_uri, verification_uri_complete,
// and expires_in and interval in whole seconds as of now.
func DeviceAuthorizationJSON(d *DeviceAuthorization, now time.Time) []byte {
	js, _ := json.Marshal(struct {
		UserCode                string `json:"user_code"`
		VerificationURI         string `json:"verification_uri"`
		VerificationURIComplete string `json:"verification_uri_complete"`
		ExpiresIn               int64  `json:"expires_in"`
		Interval                int64  `json:"interval"`
	}{
		d.UserCode, d.VerificationURI, d.VerificationURIComplete,
		int64(max(d.ExpiresAt.Sub(now), 0) / time.Second), int64(d.Interval / time.Second),
	}) // cannot fail
	return js
}
