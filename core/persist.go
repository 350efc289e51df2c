package core

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Persistence (config token_store_dir): the client registration and the
// latest tokens are kept in a [FileStore] under a key of the MCP server (or
// resource), the issuer and the configured client, so that a restarted
// program reuses its registration and tokens instead of registering and
// authorizing again (MCP "Token Storage": credentials are kept per
// authorization server).

// openStore opens token_store (storeapi.go), or checks token_store_dir at
// construction: a directory other users can read is refused.
func openStore(cfg *Config) (Store, error) {
	if cfg.TokenStore != "" {
		return openStoreURL(cfg)
	}
	if cfg.TokenStoreDir == "" {
		return nil, nil
	}
	s := &FileStore{Dir: cfg.TokenStoreDir}
	if err := s.ensureDir(); err != nil {
		return nil, &ConfigError{Field: "token_store_dir", Reason: strings.TrimPrefix(err.Error(), "mcp-oauth: ")}
	}
	return s, nil
}

// storeKey is where credentials from the authorization server with this
// issuer (its token endpoint when the issuer is unknown) are kept.
func (m *TokenManager) storeKey(issuer, tokenURL, resource string) StoreKey {
	server := m.cfg.ServerURL
	if server == "" {
		server = resource
	}
	if issuer == "" {
		issuer = tokenURL
	}
	return StoreKey{ServerURL: server, Issuer: issuer, ClientID: m.cfg.ClientID}
}

// paramsKey is storeKey for the parameters in use.
func (m *TokenManager) paramsKey(p *authParams) StoreKey {
	return m.storeKey(p.issuer, p.endpoint.url, p.endpoint.resource)
}

// loadStored returns the stored record for key, or an empty one; tokens
// obtained with other client credentials are left out (fingerprint.go).
func (m *TokenManager) loadStored(key StoreKey) *StoredCredentials {
	if c, err := m.tokenStore.Load(key); err == nil {
		m.dropForeignTokens(c)
		return c
	}
	return &StoredCredentials{Key: key}
}

// restoreTokens seeds the cache and the refresh token from the store, once
// the parameters are known, and restores the entry's scopes
// (restoreScopes). An expired access token, or one a resource server
// rejected, is not served, but its refresh token is still used (unless
// refused or dropped before).
func (m *TokenManager) restoreTokens(p *authParams) {
	if m.tokenStore == nil {
		return
	}
	c := m.loadStored(m.paramsKey(p))
	m.restoreScopes(c)
	if !m.storedUsable(c) {
		return
	}
	m.mu.Lock()
	if m.refreshToken == "" {
		m.takeRefreshTokenLocked(c)
	}
	rejected := c.AccessToken == m.rejected
	m.mu.Unlock()
	if c.AccessToken != "" && !rejected && m.cur.Load() == nil && (c.Expiry.IsZero() || c.Expiry.After(m.now())) {
		_, _ = m.cacheIssued(c.token(), c.UpdatedAt)
	}
}

// takeRefreshTokenLocked takes c's refresh token unless it is the one last
// refused by the server or dropped by a step-up. m.mu must be held.
func (m *TokenManager) takeRefreshTokenLocked(c *StoredCredentials) {
	if c.RefreshToken != "" && c.RefreshToken != m.droppedRefresh {
		m.refreshToken = c.RefreshToken
	}
}

// restoreByServer seeds the cache, before any discovery, with the still
// valid access token stored for the configured server and client (and
// issuer, when configured), when exactly one authorization server issued
// one: a restarted program (or a
// run of the command-line tool) then needs no network until the token is
// due for refresh, when discovery runs and the rest is restored.
func (m *TokenManager) restoreByServer() {
	lister, ok := m.tokenStore.(StoreLister)
	if !ok {
		return
	}
	entries, err := lister.List()
	if err != nil {
		return
	}
	var found *StoredCredentials
	for _, c := range entries {
		if c.Key.ServerURL != m.cfg.ServerURL || c.Key.ClientID != m.cfg.ClientID || c.AccessToken == "" ||
			(m.cfg.Issuer != "" && c.Key.Issuer != m.cfg.Issuer) || !m.sameClient(c) || !m.storedUsable(c) {
			continue
		}
		if found != nil {
			return // several authorization servers: discovery decides
		}
		found = c
	}
	if found != nil && !found.Expiry.IsZero() && found.Expiry.After(m.now()) {
		_, _ = m.cacheIssued(found.token(), found.UpdatedAt)
	}
}

// persistTokens saves the current tokens (best effort: a failing store
// must not fail the token request that succeeded).
func (m *TokenManager) persistTokens(s Snapshot) {
	p := m.params.Load()
	if m.tokenStore == nil || p == nil {
		return
	}
	m.persistMu.Lock()
	defer m.persistMu.Unlock()
	c := m.loadStored(m.paramsKey(p))
	m.mu.Lock()
	c.RefreshToken = m.refreshToken
	m.mu.Unlock()
	c.AccessToken, c.Expiry, c.Scope, c.UpdatedAt = s.AccessToken, s.Expiry, s.Scope, m.now().UTC()
	c.TokenType, c.DPoPKey = "", ""
	if k := m.dpop.Load(); s.TokenType == TokenTypeDPoP && k != nil {
		c.TokenType, c.DPoPKey = TokenTypeDPoP, k.pem
	}
	if m.cfg.ClientID == "" && p.endpoint.clientID != "" {
		// A dynamically registered client: the tokens are bound to it (a
		// refresh token is used by the client it was issued to, RFC 6749
		// §6), so the entry names it (see TokenManager.tokensClient).
		c.RegisteredClientID, c.ClientSecret, c.AuthMethod = p.endpoint.clientID, p.endpoint.secret, p.endpoint.authMethod
	}
	c.NotGrantedScope = strings.Join(m.NotGrantedScopes(), " ")
	c.ClientFingerprint = m.clientFingerprint()
	_ = m.tokenStore.Save(c)
}

// updateStored applies change to key's entry and saves it if change says
// so, under the store's lock (best effort: nothing happens when the lock
// cannot be had), so that what another process saved meanwhile — a token,
// a rotated refresh token — is read again and kept. The caller must not
// hold that lock. UpdatedAt stays when the token was obtained (cacheIssued).
func (m *TokenManager) updateStored(ctx context.Context, key StoreKey, change func(c *StoredCredentials) bool) {
	if m.tokenStore == nil {
		return
	}
	unlock, err := m.tokenStore.Lock(ctx, key, m.cfg.HTTPTimeout())
	if err != nil {
		return
	}
	defer unlock()
	m.persistMu.Lock()
	defer m.persistMu.Unlock()
	c := m.loadStored(key)
	if change(c) {
		_ = m.tokenStore.Save(c)
	}
}

// rememberScopes adds scopes to the entry's AddedScope (best effort, like
// persistTokens): later runs ask for them too (see restoreScopes).
func (m *TokenManager) rememberScopes(ctx context.Context, p *authParams, scopes []string) {
	if len(scopes) == 0 {
		return
	}
	m.updateStored(ctx, m.paramsKey(p), func(c *StoredCredentials) bool {
		added := strings.Join(UnionScopes(strings.Fields(c.AddedScope), scopes), " ")
		changed := added != c.AddedScope
		c.AddedScope = added
		return changed
	})
}

// restoreScopes widens the parameters in use by the scopes remembered in
// c (a step-up or AddScopes of an earlier run), and takes the scopes c's
// token was not granted.
func (m *TokenManager) restoreScopes(c *StoredCredentials) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if added := strings.Fields(c.AddedScope); len(added) > 0 {
		m.widenScopesLocked(added)
	}
	if m.notGranted == nil {
		m.notGranted = UnionScopes(strings.Fields(c.NotGrantedScope), nil)
	}
}

// storedClient reads the entry under key once: the entry, and the
// dynamically registered client it holds when its secret has not expired.
func (m *TokenManager) storedClient(key StoreKey) (*StoredCredentials, RegisteredClient, bool) {
	if m.tokenStore == nil {
		return nil, RegisteredClient{}, false
	}
	c := m.loadStored(key)
	expired := c.ClientSecretExpiresAt != 0 && time.Unix(c.ClientSecretExpiresAt, 0).Before(m.now())
	if c.RegisteredClientID == "" || expired {
		return c, RegisteredClient{}, false
	}
	return c, RegisteredClient{ClientID: c.RegisteredClientID, ClientSecret: c.ClientSecret,
		TokenEndpointAuthMethod: c.AuthMethod, ClientSecretExpiresAt: c.ClientSecretExpiresAt,
		RedirectURIs: c.RedirectURIs}, true
}

// persistRegistration keeps a dynamically registered client under key
// (best effort, like persistTokens).
func (m *TokenManager) persistRegistration(key StoreKey, rc *RegisteredClient) {
	if m.tokenStore == nil {
		return
	}
	m.persistMu.Lock()
	defer m.persistMu.Unlock()
	c := m.loadStored(key)
	c.RegisteredClientID, c.ClientSecret, c.ClientSecretExpiresAt = rc.ClientID, rc.ClientSecret, rc.ClientSecretExpiresAt
	c.AuthMethod, c.RedirectURIs, c.UpdatedAt = rc.TokenEndpointAuthMethod, rc.RedirectURIs, m.now().UTC()
	c.ClientFingerprint = m.clientFingerprint()
	_ = m.tokenStore.Save(c)
}

// obtainShared is obtain under the store's lock for the entry in use (see
// storelock.go), so that processes sharing the store make one token request
// between them: under the lock, a fresh access token or a rotated refresh
// token that another process stored meanwhile is used first. When the lock
// cannot be had within the HTTP timeout the request goes ahead unlocked; when
// the store cannot be reached, token_store_fallback "fail" fails it instead.
func (m *TokenManager) obtainShared(ctx context.Context) (Snapshot, error) {
	if m.tokenStore == nil {
		return m.obtain(ctx)
	}
	p, err := m.authParams(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	unlock, err := m.tokenStore.Lock(ctx, m.paramsKey(p), m.cfg.HTTPTimeout())
	if err == nil {
		defer unlock()
		if snap, ok := m.adoptStored(p); ok {
			return snap, nil
		}
	} else if ne := (*NetworkError)(nil); errors.As(err, &ne) && m.cfg.StoreFallback() == StoreFallbackFail {
		return Snapshot{}, err
	}
	return m.obtain(ctx)
}

// adoptStored re-reads the store: it takes over the stored refresh token
// (another process may have rotated it, RFC 6749 §6) and caches the stored
// access token unless a resource server rejected it or it is due for
// refresh by the manager's own schedule.
func (m *TokenManager) adoptStored(p *authParams) (Snapshot, bool) {
	c, err := m.tokenStore.Load(m.paramsKey(p))
	if err != nil || !m.storedUsable(c) {
		return Snapshot{}, false
	}
	m.dropForeignTokens(c)
	m.mu.Lock()
	m.takeRefreshTokenLocked(c)
	rejected := c.AccessToken == m.rejected
	m.mu.Unlock()
	if c.AccessToken == "" || c.Expiry.IsZero() || rejected {
		return Snapshot{}, false
	}
	if cur := m.cur.Load(); cur != nil && cur.AccessToken == c.AccessToken {
		// Already cached (restored by discovery): served until it is due.
		return *cur, m.now().Before(cur.RefreshAt)
	}
	refreshAt, _ := schedule(c.UpdatedAt, c.Expiry.Sub(c.UpdatedAt), m.cfg.RefreshMargin())
	if !m.now().Before(refreshAt) {
		return Snapshot{}, false
	}
	snap, err := m.cacheIssued(c.token(), c.UpdatedAt)
	return snap, err == nil
}
