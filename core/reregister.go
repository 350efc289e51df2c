package core

import (
	"context"
	"errors"
)

// A dynamically registered client can disappear from its authorization
// server (registrations expire, servers are reset); its token requests then
// fail with invalid_client (RFC 6749 §5.2). The manager then forgets the
// registration and every token issued to it, discovers and registers again,
// and retries the token request once. A configured client (pre-registered,
// or a Client ID Metadata Document) is not re-registered: its
// invalid_client is the caller's to fix.

// obtainRegistered is obtainShared with that recovery.
func (m *TokenManager) obtainRegistered(ctx context.Context) (Snapshot, error) {
	snap, err := m.obtainShared(ctx)
	var oe *OAuthError
	if err == nil || !errors.As(err, &oe) || oe.ErrorCode != "invalid_client" {
		return snap, err
	}
	p := m.params.Load()
	if p == nil || !m.registeredDynamically(p) {
		return snap, err
	}
	m.forgetRegistration(p)
	return m.obtainShared(ctx)
}

// registeredDynamically reports whether p's client came from Dynamic Client
// Registration (in this run or an earlier one kept in the token store).
func (m *TokenManager) registeredDynamically(p *authParams) bool {
	id := p.endpoint.clientID
	return m.cfg.Discovering() && id != m.cfg.ClientID && id != m.cfg.ClientMetadataURL
}

// forgetRegistration drops the registration p was discovered with: the
// stored entry (registration and tokens), the refresh token and the cached
// token, and the parameters, so the next token request discovers and
// registers again.
func (m *TokenManager) forgetRegistration(p *authParams) {
	if d, ok := m.tokenStore.(StoreDeleter); ok {
		m.persistMu.Lock()
		_ = d.Delete(m.paramsKey(p))
		m.persistMu.Unlock()
	}
	m.forgetSharedRegistration(p)
	m.mu.Lock()
	m.refreshToken = ""
	if m.cur.Load() != nil {
		m.publishLocked(nil)
	}
	m.mu.Unlock()
	m.params.CompareAndSwap(p, nil)
}
