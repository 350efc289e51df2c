package core

import "net/http"

// When DPoP is used (MCP extension io.modelcontextprotocol/auth/dpop): the
// configuration asks for it ("dpop": true), the protected resource metadata
// requires it (RFC 9728 dpop_bound_access_tokens_required), or the MCP
// server's 401 challenges offer the DPoP scheme (RFC 9449 §7.1) — without
// the Bearer scheme, or together with it when the authorization server
// advertises dpop_signing_alg_values_supported (RFC 9449 §5.1). Once
// chosen it is never downgraded: a Bearer token answered to a DPoP token
// request is an error, and "dpop": false with a server that requires DPoP
// is a configuration error.

// Schemes a resource server's challenges offered, recorded in
// TokenManager.offers.
const (
	offerBearer int32 = 1 << iota
	offerDPoP
)

// noteOffers records the schemes of a resource server's 401 challenges.
func (m *TokenManager) noteOffers(chs []Challenge) {
	var o int32
	for _, c := range chs {
		switch {
		case c.Is("Bearer"):
			o |= offerBearer
		case c.Is(TokenTypeDPoP):
			o |= offerDPoP
		}
	}
	if o != 0 {
		m.offers.Store(o)
	}
}

// wantDPoP decides, at discovery, whether tokens are to be DPoP-bound.
func (m *TokenManager) wantDPoP(prm *ProtectedResourceMetadata, asm *AuthServerMetadata) (bool, error) {
	offers := m.offers.Load()
	required := (prm != nil && prm.DPoPBoundAccessTokensRequired) || offers == offerDPoP
	if m.cfg.DPoP != nil {
		if !*m.cfg.DPoP && required {
			return false, &ConfigError{Field: "dpop", Reason: "is false, but the MCP server accepts only DPoP-bound tokens (RFC 9449)"}
		}
		return *m.cfg.DPoP, nil
	}
	return required || (offers&offerDPoP != 0 && len(asm.DPoPSigningAlgValuesSupported) > 0), nil
}

// dpopKeyFor returns the client's DPoP key, choosing it on first use: the
// configured dpop_key_pem, else a new key of an algorithm the authorization
// server supports (its dpop_signing_alg_values_supported). A key once
// chosen — or restored from the token store with the tokens it binds — is
// kept for the manager's life; one the server does not accept is an error.
func (m *TokenManager) dpopKeyFor(supported []string) (*dpopKey, error) {
	if k := m.dpop.Load(); k != nil {
		return k, checkDPoPAlg(k, supported)
	}
	var k *dpopKey
	var err error
	if m.cfg.DPoPKeyPEM != "" {
		k, err = parseDPoPKey(m.cfg.DPoPKeyPEM)
	} else {
		var alg string
		if alg, err = dpopAlgFor(supported); err == nil {
			k, err = newDPoPKey(alg)
		}
	}
	if err != nil {
		return nil, err
	}
	if !m.dpop.CompareAndSwap(nil, k) {
		k = m.dpop.Load()
	}
	return k, checkDPoPAlg(k, supported)
}

// storedUsable reports whether the tokens of a store entry may be used: a
// DPoP-bound token only with the key it is bound to (kept beside it, and
// adopted when the manager has not chosen one yet), and a Bearer token not
// when the configuration asks for DPoP.
func (m *TokenManager) storedUsable(c *StoredCredentials) bool {
	if c.TokenType != TokenTypeDPoP {
		return m.cfg.DPoP == nil || !*m.cfg.DPoP || (c.AccessToken == "" && c.RefreshToken == "")
	}
	if c.DPoPKey == "" || (m.cfg.DPoP != nil && !*m.cfg.DPoP) {
		return false
	}
	if m.dpop.Load() == nil {
		if m.cfg.DPoPKeyPEM != "" {
			_, _ = m.dpopKeyFor(nil)
		} else if k, err := parseDPoPKey(c.DPoPKey); err == nil {
			m.dpop.CompareAndSwap(nil, k)
		}
	}
	k := m.dpop.Load()
	return k != nil && k.pem == c.DPoPKey
}

// authorizeRequest sets the Authorization header for snap on r: the Bearer
// scheme (RFC 6750 §2.1), or for a DPoP-bound token the DPoP scheme and a
// fresh proof with ath (RFC 9449 §7.1).
func (m *TokenManager) authorizeRequest(r *http.Request, snap Snapshot) error {
	if snap.TokenType != TokenTypeDPoP {
		r.Header.Set("Authorization", "Bearer "+snap.AccessToken)
		return nil
	}
	k := m.dpop.Load()
	if k == nil {
		return &ProtocolError{Reason: "a DPoP-bound token is held without its key"}
	}
	proof, err := k.proof(r.Method, r.URL.String(), snap.AccessToken, m.now())
	if err != nil {
		return err
	}
	r.Header.Set("Authorization", TokenTypeDPoP+" "+snap.AccessToken)
	r.Header.Set("DPoP", proof)
	return nil
}

// snapshotFor returns the cached token when token is it (so that its type
// is known), else token as a Bearer token.
func (m *TokenManager) snapshotFor(token string) Snapshot {
	if s := m.cur.Load(); s != nil && s.AccessToken == token {
		return *s
	}
	return Snapshot{AccessToken: token, TokenType: "Bearer"}
}
