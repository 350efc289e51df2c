package core

import (
	"net/url"
	"slices"
	"strings"
	"time"
)

// Status is what a [TokenManager] shows of its state ([TokenManager.Status]),
// and what the command-line tool shows of a stored entry
// ([StoredStatus]): which token is held and until when, which scopes were
// asked for, challenged and granted, which authorization server and client
// are in use and how that client was obtained. It never holds a token, a
// secret, a key or a password: a front end may print or log all of it.
// Every URL in it is shown without its userinfo and query, which can carry
// credentials. A member that is not known yet is empty ("" and absent in
// JSON; an empty list is []).
type Status struct {
	// ServerURL is the MCP server (config server_url), "" without one.
	ServerURL string `json:"server_url,omitempty"`
	// GrantType is the grant that obtains tokens (config grant_type).
	GrantType string `json:"grant_type,omitempty"`
	// Discovered reports that the authorization server and its endpoints
	// are known: configured, or found by discovery (MCP "Authorization
	// Server Discovery"), which runs with the first token request.
	Discovered bool `json:"discovered"`
	// HasToken reports that a valid access token is cached: the next
	// request needs no token request.
	HasToken bool `json:"has_token"`
	// TokenType is the cached token's type: "Bearer", or "DPoP" for a
	// DPoP-bound token (RFC 9449 §5).
	TokenType string `json:"token_type,omitempty"`
	// ExpiresAt is when the cached token expires (RFC 3339, UTC), from the
	// token response's expires_in (RFC 6749 §5.1); "" when none is cached
	// or the server gave no lifetime.
	ExpiresAt string `json:"expires_at,omitempty"`
	// ExpiresInSeconds is ExpiresAt less now in whole seconds (negative
	// once expired), absent with ExpiresAt.
	ExpiresInSeconds *int64 `json:"expires_in_seconds,omitempty"`
	// HasRefreshToken reports that a refresh token is held (RFC 6749 §6).
	HasRefreshToken bool `json:"has_refresh_token"`
	// Scopes are the scopes granted to the cached token (the token
	// response's scope, else those requested: RFC 6749 §5.1).
	Scopes []string `json:"scopes"`
	// RequestedScopes are the scopes the next token request asks for:
	// configured, else chosen by discovery, widened by step-ups.
	RequestedScopes []string `json:"requested_scopes"`
	// ChallengedScopes are the scopes of the MCP server's latest challenge
	// (RFC 6750 §3 scope, a 401 or a 403 insufficient_scope).
	ChallengedScopes []string `json:"challenged_scopes"`
	// StepUpScopes are the scopes a step-up in progress must still obtain
	// (MCP "Scope Challenge Handling"): a user must authorize them.
	StepUpScopes []string `json:"step_up_scopes"`
	// Issuer is the authorization server's issuer (RFC 8414 §2).
	Issuer string `json:"issuer,omitempty"`
	// AuthorizationServer is the authorization server the protected
	// resource metadata listed and the client chose (RFC 9728 §2), "" when
	// none was discovered that way.
	AuthorizationServer string `json:"authorization_server,omitempty"`
	// TokenEndpoint is the token endpoint in use (RFC 6749 §3.2).
	TokenEndpoint string `json:"token_endpoint,omitempty"`
	// Resource is the resource indicator sent with token requests (RFC
	// 8707 §2), "" when none is sent.
	Resource string `json:"resource,omitempty"`
	// ClientID is the client identifier in use: configured, dynamically
	// registered, or a Client ID Metadata Document's URL.
	ClientID string `json:"client_id,omitempty"`
	// ClientSource says how the client was obtained: [ClientConfigured],
	// [ClientRegistered] or [ClientMetadataDocument]; "" before discovery
	// chose one.
	ClientSource string `json:"client_source,omitempty"`
	// AuthMethod is the token endpoint authentication method in use (RFC
	// 7591 §2 token_endpoint_auth_method).
	AuthMethod string `json:"token_endpoint_auth_method,omitempty"`
	// Store is the token store in use; nil when tokens are kept in memory
	// only.
	Store *StoreStatus `json:"store,omitempty"`
	// PendingAuthorizations counts the authorization code flows begun
	// ([TokenManager.BeginAuthorization]) and not yet completed or expired.
	PendingAuthorizations int `json:"pending_authorizations"`
	// Closed reports that the manager was closed.
	Closed bool `json:"closed,omitempty"`
}

// How a client identifier was obtained ([Status.ClientSource]).
const (
	ClientConfigured       = "configured"                  // config client_id
	ClientRegistered       = "dynamic_registration"        // RFC 7591, now or in an earlier run
	ClientMetadataDocument = "client_id_metadata_document" // config client_metadata_url
)

// StoreStatus names a token store, never its password: Kind is "file" (with
// Dir) or a store URL's scheme such as "redis" (with Location, the URL
// without userinfo and query).
type StoreStatus struct {
	Kind     string `json:"kind"`
	Dir      string `json:"dir,omitempty"`
	Location string `json:"location,omitempty"`
}

// Status returns what the manager holds and uses now, without I/O and
// without starting anything (see [Status]). It is safe to call at any time,
// also after [TokenManager.Close].
func (m *TokenManager) Status() Status {
	cfg := m.cfg
	st := Status{
		ServerURL: shownURL(cfg.ServerURL), GrantType: cfg.GrantType,
		Closed: m.closed.Load(), Store: storeStatus(cfg),
		Issuer: shownURL(cfg.Issuer), ClientID: cfg.ClientID, Resource: shownURL(cfg.Resource),
		RequestedScopes: slices.Clone(cfg.Scopes),
	}
	if cfg.ClientID != "" {
		st.ClientSource = ClientConfigured
	}
	if p := m.params.Load(); p != nil {
		st.Discovered = true
		st.Issuer, st.AuthorizationServer = shownURL(p.issuer), shownURL(p.authServer)
		st.TokenEndpoint, st.Resource = shownURL(p.endpoint.url), shownURL(p.endpoint.resource)
		st.ClientID, st.AuthMethod = p.endpoint.clientID, p.endpoint.authMethod
		st.RequestedScopes = slices.Clone(p.scopes)
		st.ClientSource = m.clientSource(p)
	}
	now := m.now()
	if s := m.cur.Load(); s != nil {
		st.HasToken = now.Before(s.ValidUntil)
		st.TokenType = s.TokenType
		st.Scopes = strings.Fields(s.Scope)
		st.ExpiresAt, st.ExpiresInSeconds = expiryOf(s.Expiry, now)
	}
	m.mu.Lock()
	st.HasRefreshToken = m.refreshToken != ""
	st.ChallengedScopes = m.challenge.Scopes()
	st.StepUpScopes = slices.Clone(m.stepUpScopes)
	for _, p := range m.pending {
		if now.Sub(p.created) <= pendingLifetime {
			st.PendingAuthorizations++
		}
	}
	m.mu.Unlock()
	st.fillLists()
	return st
}

// clientSource says how p's client was obtained.
func (m *TokenManager) clientSource(p *authParams) string {
	switch id := p.endpoint.clientID; {
	case id == "":
		return "" // a workload identity JWT identifies the client (RFC 7523 §3.1)
	case id == m.cfg.ClientID:
		return ClientConfigured
	case id == m.cfg.ClientMetadataURL:
		return ClientMetadataDocument
	}
	return ClientRegistered
}

// StoredStatus describes stored credentials at now in the terms of
// [Status]: what a manager for c's server and client would hold once it
// read them. HasToken reports a stored access token that has not expired.
func StoredStatus(c *StoredCredentials, now time.Time) Status {
	st := Status{
		ServerURL: shownURL(c.Key.ServerURL), Issuer: shownURL(c.Key.Issuer), ClientID: c.Key.ClientID,
		HasRefreshToken: c.RefreshToken != "", Scopes: strings.Fields(c.Scope),
		HasToken: c.AccessToken != "" && (c.Expiry.IsZero() || now.Before(c.Expiry)),
	}
	if c.Key.ClientID != "" {
		st.ClientSource = ClientConfigured
	}
	if c.Key.ClientID == "" && c.RegisteredClientID != "" {
		st.ClientID, st.ClientSource, st.AuthMethod = c.RegisteredClientID, ClientRegistered, c.AuthMethod
	}
	if c.AccessToken != "" {
		st.TokenType = "Bearer"
		if c.TokenType != "" {
			st.TokenType = c.TokenType
		}
		st.ExpiresAt, st.ExpiresInSeconds = expiryOf(c.Expiry, now)
	}
	st.fillLists()
	return st
}

// fillLists makes the absent lists empty, so that JSON shows [] for them.
func (st *Status) fillLists() {
	for _, l := range []*[]string{&st.Scopes, &st.RequestedScopes, &st.ChallengedScopes, &st.StepUpScopes} {
		if *l == nil {
			*l = []string{}
		}
	}
}

// expiryOf is a token's expiry as RFC 3339 and its seconds left at now;
// "" and nil for a token without a known lifetime.
func expiryOf(expiry, now time.Time) (string, *int64) {
	if expiry.IsZero() {
		return "", nil
	}
	left := int64(expiry.Sub(now).Seconds())
	return expiry.UTC().Format(time.RFC3339), &left
}

// storeStatus names cfg's token store, nil for none.
func storeStatus(cfg *Config) *StoreStatus {
	switch {
	case cfg.TokenStore != "":
		u, err := url.Parse(cfg.TokenStore)
		if err != nil {
			return &StoreStatus{Kind: "unknown"}
		}
		return &StoreStatus{Kind: strings.ToLower(u.Scheme), Location: shownURL(cfg.TokenStore)}
	case cfg.TokenStoreDir != "":
		return &StoreStatus{Kind: "file", Dir: cfg.TokenStoreDir}
	}
	return nil
}

// shownURL is raw without userinfo, query and fragment, which may carry a
// password or an API key; "" stays "", and what does not parse as a URL is
// left out.
func shownURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return u.String()
}
