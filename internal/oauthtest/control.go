package oauthtest

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"
)

// SetTokenLifetime sets the lifetime of the access tokens issued from now
// on, with the meaning of Options.TokenLifetime.
func (s *Server) SetTokenLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenLifetime = d
}

// SetLatency sets the delay before answering each token request.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetRefreshTokensForClientCredentials sets whether client_credentials grants
// also issue a refresh token.
func (s *Server) SetRefreshTokensForClientCredentials(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshForCC = on
}

// DenyAuthorization makes the authorization endpoint refuse valid requests
// with the error code errCode, e.g. "access_denied" (RFC 6749 §4.1.2.1).
// An empty errCode approves requests again.
func (s *Server) DenyAuthorization(errCode string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denyError = errCode
}

// RevokeRefreshTokens invalidates every outstanding refresh token; using one
// then yields invalid_grant.
func (s *Server) RevokeRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.refresh)
}

// RevokeAccessTokens invalidates every outstanding access token; using one
// at /protected then yields invalid_token.
func (s *Server) RevokeAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.access)
}

// Reset returns the server to its state after Start, except for issued
// codes (device codes included) and tokens and registered clients, which
// stay valid: it restores
// the configuration of Options, approves authorization and registration
// requests, drops pending failures and resets the counts.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetLocked()
}

// resetLocked applies Options and clears test state. s.mu must be held.
func (s *Server) resetLocked() {
	s.tokenLifetime = s.opts.TokenLifetime
	s.latency = s.opts.Latency
	s.refreshForCC = s.opts.RefreshTokensForClientCredentials
	s.denyError = ""
	s.denyRegistration = ""
	s.deviceLifetime = s.opts.deviceCodeLifetime()
	s.deviceInterval = s.opts.deviceInterval()
	s.deviceAutoApprove = 0
	s.deviceSlowDowns = 0
	s.failures = nil
	s.resetCountsLocked()
}

// controlRoutes registers the JSON control API used by out-of-process tests.
func (s *Server) controlRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_test/counts", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.Counts())
	})
	mux.HandleFunc("GET /_test/token_requests", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.TokenRequests())
	})
	mux.HandleFunc("GET /_test/registrations", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.Registrations())
	})
	mux.HandleFunc("POST /_test/reset", control(s.Reset))
	mux.HandleFunc("POST /_test/revoke_refresh_tokens", control(s.RevokeRefreshTokens))
	mux.HandleFunc("POST /_test/revoke_access_tokens", control(s.RevokeAccessTokens))
	mux.HandleFunc("POST /_test/config", s.handleConfig)
	mux.HandleFunc("POST /_test/fail", s.handleFail)
	mux.HandleFunc("POST /_test/deny", s.handleDeny)
	mux.HandleFunc("POST /_test/deny_registration", s.handleDenyRegistration)
	mux.HandleFunc("POST /_test/revoke_registrations", control(s.RevokeRegistrations))
	mux.HandleFunc("POST /_test/device", s.handleDeviceControl)
	mux.HandleFunc("POST /_test/workload_token", s.handleWorkloadToken)
}

// control adapts an action without parameters to the control API.
func control(action func()) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		action()
		writeOK(w)
	}
}

// configRequest is the body of POST /_test/config; absent fields are left
// unchanged.
type configRequest struct {
	TokenLifetimeMS                   *int64 `json:"token_lifetime_ms"`
	LatencyMS                         *int64 `json:"latency_ms"`
	RefreshTokensForClientCredentials *bool  `json:"refresh_tokens_for_client_credentials"`
	deviceConfig
}

// handleConfig serves POST /_test/config, the HTTP form of SetTokenLifetime,
// SetLatency, SetRefreshTokensForClientCredentials, SetDeviceAutoApprove,
// SlowDownNext, SetDeviceCodeLifetime and SetDeviceInterval.
func (s *Server) handleConfig(w http.ResponseWriter, r *http.Request) {
	var req configRequest
	if !decodeControl(w, r, &req) {
		return
	}
	if req.LatencyMS != nil && *req.LatencyMS < 0 {
		writeControlError(w, errors.New("latency_ms must not be negative"))
		return
	}
	if err := req.deviceConfig.validate(); err != nil {
		writeControlError(w, err)
		return
	}
	req.deviceConfig.apply(s)
	if req.TokenLifetimeMS != nil {
		s.SetTokenLifetime(time.Duration(*req.TokenLifetimeMS) * time.Millisecond)
	}
	if req.LatencyMS != nil {
		s.SetLatency(time.Duration(*req.LatencyMS) * time.Millisecond)
	}
	if req.RefreshTokensForClientCredentials != nil {
		s.SetRefreshTokensForClientCredentials(*req.RefreshTokensForClientCredentials)
	}
	writeOK(w)
}

// failRequest is the body of POST /_test/fail; count defaults to 1.
type failRequest struct {
	Count *int `json:"count"`
	Failure
}

// handleFail serves POST /_test/fail, the HTTP form of FailNext.
func (s *Server) handleFail(w http.ResponseWriter, r *http.Request) {
	var req failRequest
	if !decodeControl(w, r, &req) {
		return
	}
	n := 1
	if req.Count != nil {
		n = *req.Count
	}
	if n < 0 {
		writeControlError(w, errors.New("count must not be negative"))
		return
	}
	if err := req.Failure.validate(); err != nil {
		writeControlError(w, err)
		return
	}
	s.FailNext(n, req.Failure)
	writeOK(w)
}

// denyRequest is the body of POST /_test/deny.
type denyRequest struct {
	Error *string `json:"error"`
}

// handleDeny serves POST /_test/deny, the HTTP form of DenyAuthorization.
func (s *Server) handleDeny(w http.ResponseWriter, r *http.Request) {
	var req denyRequest
	if !decodeControl(w, r, &req) {
		return
	}
	if req.Error == nil {
		writeControlError(w, errors.New(`missing "error" (use "" to approve again)`))
		return
	}
	s.DenyAuthorization(*req.Error)
	writeOK(w)
}

// handleDenyRegistration serves POST /_test/deny_registration, the HTTP
// form of DenyRegistration.
func (s *Server) handleDenyRegistration(w http.ResponseWriter, r *http.Request) {
	var req denyRequest
	if !decodeControl(w, r, &req) {
		return
	}
	if req.Error == nil {
		writeControlError(w, errors.New(`missing "error" (use "" to accept again)`))
		return
	}
	s.DenyRegistration(*req.Error)
	writeOK(w)
}

// decodeControl decodes a JSON control request, rejecting unknown fields so
// that typos do not go unnoticed. It answers 400 and returns false on error.
func decodeControl(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxFormBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeControlError(w, err)
		return false
	}
	return true
}

// writeOK answers a successful control request.
func writeOK(w http.ResponseWriter) {
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// writeControlError answers a refused control request with 400.
func writeControlError(w http.ResponseWriter, err error) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
}
