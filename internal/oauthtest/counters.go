package oauthtest

import (
	"maps"
	"net/url"
	"time"
)

// Counts is a snapshot of the number of requests served by each endpoint
// since the server started or the counts were last reset.
type Counts struct {
	// Token counts token requests, including failed and injected ones.
	Token int `json:"token"`
	// TokenByGrant counts token requests by grant_type as sent.
	TokenByGrant map[string]int `json:"token_by_grant"`
	// Authorize counts authorization requests.
	Authorize int `json:"authorize"`
	// Metadata counts metadata requests, at either well-known location.
	Metadata int `json:"metadata"`
	// Protected counts requests to the protected resource.
	Protected int `json:"protected"`
	// Register counts client registration requests, including refused ones.
	Register int `json:"register"`
	// DeviceAuthorization counts device authorization requests (RFC 8628
	// §3.1), including refused ones; their polls are counted in
	// TokenByGrant under GrantDeviceCode.
	DeviceAuthorization int `json:"device_authorization"`
	// DeviceVerification counts requests to the verification page.
	DeviceVerification int `json:"device_verification"`
	// CIMDFetch counts the fetches of Client ID Metadata Documents,
	// including failed ones.
	CIMDFetch int `json:"cimd_fetch"`
	// Introspect counts token introspection requests (RFC 7662).
	Introspect int `json:"introspect"`
	// DPoPProofs counts token requests with a valid DPoP proof (RFC 9449).
	DPoPProofs int `json:"dpop_proofs"`
	// WorkloadGrants counts jwt-bearer grants with a valid workload
	// identity assertion (RFC 7523 §2.1).
	WorkloadGrants int `json:"workload_grants"`
	// RefreshReuse counts refresh requests presenting a refresh token that
	// was already used (rotated away, RFC 6749 §10.4): a strict server
	// would revoke the grant. Answered invalid_grant.
	RefreshReuse int `json:"refresh_reuse"`
}

// TokenRequest is a token request as the server received it.
type TokenRequest struct {
	// Grant is the grant_type parameter.
	Grant string `json:"grant"`
	// ClientID is the client identifier sent, from Basic credentials or the
	// client_id parameter.
	ClientID string `json:"client_id"`
	// AuthMethod is the client authentication method used:
	// "client_secret_basic", "client_secret_post", "private_key_jwt" or
	// "none".
	AuthMethod string `json:"auth_method"`
	// Form holds the body parameters, without client_secret. A
	// client_assertion is kept: it cannot be used again.
	Form url.Values `json:"form"`
	// Time is when the request was received.
	Time time.Time `json:"time"`
}

// Counts returns a snapshot of the request counters.
func (s *Server) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.counts
	c.TokenByGrant = maps.Clone(s.counts.TokenByGrant)
	return c
}

// ResetCounts zeroes the request counters and forgets the recorded token
// requests and registrations.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetCountsLocked()
}

// TokenRequests returns a copy of every token request received since the
// server started or the counts were last reset, oldest first.
func (s *Server) TokenRequests() []TokenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	reqs := make([]TokenRequest, len(s.requests))
	for i, r := range s.requests {
		r.Form = copyValues(r.Form)
		reqs[i] = r
	}
	return reqs
}

// resetCountsLocked zeroes the counters and the request logs. s.mu must be
// held.
func (s *Server) resetCountsLocked() {
	s.counts = Counts{TokenByGrant: map[string]int{}}
	s.requests = nil
	s.registrations = nil
}
