package oauthtest

import (
	"cmp"
	"crypto/rand"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// GrantDeviceCode is the grant type of the device access token request
// (RFC 8628 §3.4).
const GrantDeviceCode = "urn:ietf:params:oauth:grant-type:device_code"

// Defaults of the device authorization grant.
const (
	defaultDeviceCodeLifetime = 10 * time.Minute
	defaultDeviceInterval     = 5 * time.Second
	// userCodeAlphabet is the base-20 set of consonants RFC 8628 §6.1
	// suggests: no vowels (no words), no look-alike characters.
	userCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ"
	userCodeLength   = 8
)

// Decisions on a device authorization, for ApproveDevice and DenyDevice.
type deviceDecision int

const (
	devicePending deviceDecision = iota
	deviceApproved
	deviceDenied
)

// deviceAuth is an issued device code and the request it answers
// (RFC 8628 §3.1, §3.2).
type deviceAuth struct {
	grant
	userCode string
	expires  time.Time
	decision deviceDecision
	polls    int
}

// deviceResponse is the device authorization response (RFC 8628 §3.2).
type deviceResponse struct {
	DeviceCode              string `json:"device_code"`
	UserCode                string `json:"user_code"`
	VerificationURI         string `json:"verification_uri"`
	VerificationURIComplete string `json:"verification_uri_complete"`
	ExpiresIn               int64  `json:"expires_in"`
	Interval                int64  `json:"interval,omitempty"`
}

// DeviceAuthorizationURL returns the device authorization endpoint
// (RFC 8628 §3.1), which answers 404 when Options.DisableDeviceAuthorization
// is set.
func (s *Server) DeviceAuthorizationURL() string { return s.URL + "/device_authorization" }

// VerificationURL returns the end-user verification page (RFC 8628 §3.3).
func (s *Server) VerificationURL() string { return s.URL + "/device" }

// deviceRoutes registers the device authorization endpoint and the
// verification page, unless the grant is disabled.
func (s *Server) deviceRoutes(mux *http.ServeMux) {
	if s.opts.DisableDeviceAuthorization {
		return
	}
	mux.HandleFunc("POST /device_authorization", s.handleDeviceAuthorization)
	mux.HandleFunc("GET /device", s.handleVerificationPage)
	mux.HandleFunc("POST /device", s.handleVerificationSubmit)
}

// handleDeviceAuthorization serves the device authorization endpoint
// (RFC 8628 §3.1, §3.2): the client authenticates as at the token endpoint
// (RFC 6749 §3.2.1), may send scope (RFC 6749 §3.3) and resource
// (RFC 8707 §2), and gets a device code, a user code and the verification
// URIs. Errors are token endpoint errors (RFC 8628 §3.2, RFC 6749 §5.2).
func (s *Server) handleDeviceAuthorization(w http.ResponseWriter, r *http.Request) {
	form, formErr := readTokenForm(w, r)
	creds, credErr := readClientCredentials(r, form)
	s.mu.Lock()
	s.counts.DeviceAuthorization++
	s.mu.Unlock()
	if err := cmp.Or(formErr, credErr); err != nil {
		err.write(w)
		return
	}
	client, err := s.authenticate(r.Context(), creds)
	if err != nil {
		err.write(w)
		return
	}
	scope, err := requestedScope(form)
	if err == nil {
		err = checkScopeSupported(scope, s.opts.ScopesSupported)
	}
	if err != nil {
		err.write(w)
		return
	}
	resources, err := requestedResources(form)
	if err != nil {
		err.write(w)
		return
	}
	writeTokenJSON(w, http.StatusOK, s.issueDeviceCode(grant{clientID: client.ID, scope: scope, resources: resources}))
}

// issueDeviceCode stores a new device authorization for g, forgetting
// expired ones, and returns the response describing it.
func (s *Server) issueDeviceCode(g grant) deviceResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for code, d := range s.devices {
		if now.After(d.expires) {
			delete(s.devices, code)
		}
	}
	code, user := newSecret("dc_"), newUserCode()
	s.devices[code] = &deviceAuth{grant: g, userCode: user, expires: now.Add(s.deviceLifetime)}
	resp := deviceResponse{
		DeviceCode:              code,
		UserCode:                user,
		VerificationURI:         s.VerificationURL(),
		VerificationURIComplete: s.VerificationURL() + "?" + url.Values{"user_code": {user}}.Encode(),
		ExpiresIn:               int64((s.deviceLifetime + time.Second - 1) / time.Second),
	}
	if s.deviceInterval > 0 {
		resp.Interval = int64(s.deviceInterval / time.Second)
	}
	return resp
}

// newUserCode returns a user code of eight base-20 characters shown as
// XXXX-XXXX (RFC 8628 §6.1).
func newUserCode() string {
	var b strings.Builder
	for i := range userCodeLength {
		if i == userCodeLength/2 {
			b.WriteByte('-')
		}
		b.WriteByte(userCodeAlphabet[randIndex(len(userCodeAlphabet))])
	}
	return b.String()
}

// randIndex returns a uniformly random index below n (n ≤ 256).
func randIndex(n int) int {
	limit := 256 - 256%n
	var b [1]byte
	for {
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

// normalizeUserCode makes user input comparable to an issued user code:
// upper case, without the dashes and spaces people type (RFC 8628 §6.1).
func normalizeUserCode(input string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, input)
}

// deviceCodeGrant answers a device access token request (RFC 8628 §3.4,
// §3.5): authorization_pending until the user decides, slow_down when the
// test asked for it, access_denied (or the error of DenyAuthorization while
// it is in effect), expired_token, or the tokens (with a refresh token) once
// approved, after which the device code is spent.
func (s *Server) deviceCodeGrant(client Client, form url.Values) (tokenResponse, *oauthError) {
	code := firstValue(form, "device_code")
	if code == "" {
		return tokenResponse{}, invalidRequest("missing device_code")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.devices[code]
	switch {
	case !ok:
		return tokenResponse{}, invalidGrant("unknown or used device code")
	case d.clientID != client.ID:
		return tokenResponse{}, invalidGrant("device code was issued to another client")
	case time.Now().After(d.expires):
		delete(s.devices, code)
		return tokenResponse{}, badRequest("expired_token", "the device code has expired")
	}
	d.polls++
	if s.deviceAutoApprove > 0 && d.polls >= s.deviceAutoApprove && d.decision == devicePending {
		d.decision = deviceApproved
	}
	if s.deviceSlowDowns > 0 {
		s.deviceSlowDowns--
		return tokenResponse{}, badRequest("slow_down", "polling too fast: add 5 seconds to the interval")
	}
	if d.decision == devicePending && s.denyError != "" {
		delete(s.devices, code)
		return tokenResponse{}, badRequest(s.denyError, "the authorization request was denied")
	}
	switch d.decision {
	case devicePending:
		return tokenResponse{}, badRequest("authorization_pending", "the user has not yet decided")
	case deviceDenied:
		delete(s.devices, code)
		return tokenResponse{}, badRequest("access_denied", "the user denied the authorization request")
	}
	delete(s.devices, code)
	return s.issueLocked(d.grant, &d.grant), nil
}

// errUnknownUserCode reports a user code that names no pending device
// authorization.
var errUnknownUserCode = errors.New("unknown, expired or already decided user code")

// ApproveDevice approves the pending device authorization whose user code
// is userCode (dashes, spaces and case are ignored), as the user would on
// the verification page (RFC 8628 §3.3).
func (s *Server) ApproveDevice(userCode string) error {
	return s.decideDevice(userCode, deviceApproved)
}

// DenyDevice denies the pending device authorization whose user code is
// userCode: its next poll answers access_denied (RFC 8628 §3.5).
func (s *Server) DenyDevice(userCode string) error { return s.decideDevice(userCode, deviceDenied) }

// decideDevice records the user's decision on a pending device
// authorization.
func (s *Server) decideDevice(userCode string, decision deviceDecision) error {
	want := normalizeUserCode(userCode)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for _, d := range s.devices {
		if normalizeUserCode(d.userCode) == want && d.decision == devicePending && !now.After(d.expires) {
			d.decision = decision
			return nil
		}
	}
	return errUnknownUserCode
}

// SetDeviceAutoApprove makes every pending device authorization approved on
// its nth poll (polls before it answer authorization_pending); 0 turns
// automatic approval off.
func (s *Server) SetDeviceAutoApprove(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deviceAutoApprove = max(n, 0)
}

// SlowDownNext makes the next n device access token requests answer
// slow_down (RFC 8628 §3.5), whatever their device code's state.
func (s *Server) SlowDownNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deviceSlowDowns = max(n, 0)
}

// SetDeviceCodeLifetime sets the lifetime of the device codes issued from
// now on, reported as expires_in rounded up to whole seconds; zero restores
// Options.DeviceCodeLifetime.
func (s *Server) SetDeviceCodeLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deviceLifetime = d
	if d <= 0 {
		s.deviceLifetime = s.opts.deviceCodeLifetime()
	}
}

// SetDeviceInterval sets the polling interval reported in the device
// authorization responses issued from now on, in whole seconds (RFC 8628
// §3.2); a negative value omits it, so clients use 5 s (RFC 8628 §3.5).
func (s *Server) SetDeviceInterval(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deviceInterval = d
}

// deviceCodeLifetime is Options.DeviceCodeLifetime or its default.
func (o Options) deviceCodeLifetime() time.Duration {
	if o.DeviceCodeLifetime > 0 {
		return o.DeviceCodeLifetime
	}
	return defaultDeviceCodeLifetime
}

// deviceInterval is Options.DeviceInterval or its default.
func (o Options) deviceInterval() time.Duration {
	if o.DeviceInterval == 0 {
		return defaultDeviceInterval
	}
	return o.DeviceInterval
}
