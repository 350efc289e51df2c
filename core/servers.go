package core

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
)

// One manager, several MCP servers. Tokens are bound to the resource they
// were requested for (RFC 8707 §2): a token of one MCP server is refused by
// another, and must not be sent there. A manager in discovery mode
// therefore keeps one token set per MCP server — its own for server_url,
// and one for each other server it is connected to ([TokenManager.ForServer],
// which [NewTransport] calls) — each with its discovery, its cache, its
// refresh token and its login, while the things that belong to the client
// rather than to a server are shared: the HTTP client, the token store and
// one dynamic registration per authorization server (MCP "Client
// Registration Approaches": a registration is bound to its issuer, not to a
// resource). A server the client cannot serve — its metadata names an
// authorization server other than the configured issuer of the client's
// credentials — is refused by its discovery before any token is requested
// or sent ([ClientIssuerMismatchError]).

// OtherServerAuthorizationError is [ErrAuthorizationRequired] for an MCP
// server other than the manager's server_url ([TokenManager.ForServer]): its
// tokens are its own, and the explicit authorize calls of the manager log in
// for server_url only. The manager's login (Config.Login) logs a user in for
// it; else use a manager whose server_url is that server.
type OtherServerAuthorizationError struct {
	Server string
}

func (e *OtherServerAuthorizationError) Error() string {
	return fmt.Sprintf("mcp-oauth: no token is held for %s, another MCP server than this manager's server_url: "+
		"the authorize calls log in for server_url only; set login (browser or device), "+
		"or use a manager whose server_url is this server", redactURL(e.Server))
}

// Is makes an OtherServerAuthorizationError match [ErrAuthorizationRequired].
func (e *OtherServerAuthorizationError) Is(target error) bool {
	return target == ErrAuthorizationRequired
}

// serverSet is what a manager and the managers it made for other servers
// share.
type serverSet struct {
	owner *TokenManager // the manager NewTokenManager made; closes the others

	mu     sync.Mutex
	others []*TokenManager // one per other MCP server, by server_url

	regMu sync.Mutex                    // one registration at a time, so each issuer gets one
	regs  map[StoreKey]RegisteredClient // dynamic registrations by registrationKey
}

// newServerSet returns the set of m, its owner.
func newServerSet(m *TokenManager) *serverSet {
	return &serverSet{owner: m, regs: map[StoreKey]RegisteredClient{}}
}

// ForServer returns the manager whose tokens are for the MCP server at
// serverURL: m itself when serverURL is its server_url (or m does not
// discover, so that its tokens are for its configured resource), else the
// manager m keeps for that server, made on first use from m's configuration
// with server_url set to serverURL and no configured resource. The managers
// it makes share m's HTTP client, token store and registrations, and are
// closed with m.
func (m *TokenManager) ForServer(serverURL string) (*TokenManager, error) {
	if !m.cfg.Discovering() || sameServer(m.cfg.ServerURL, serverURL) {
		return m, nil
	}
	if err := checkEndpointURL("server_url", serverURL); err != nil {
		return nil, err
	}
	set := m.servers
	set.mu.Lock()
	defer set.mu.Unlock()
	if set.owner.closed.Load() {
		return nil, ErrClosed
	}
	for _, s := range set.others {
		if sameServer(s.cfg.ServerURL, serverURL) {
			return s, nil
		}
	}
	cfg := *set.owner.cfg
	cfg.ServerURL, cfg.Resource = serverURL, "" // the configured resource is the first server's
	s := set.owner.sibling(&cfg)
	set.others = append(set.others, s)
	return s, nil
}

// sameServer reports whether two URLs name the same MCP server: the same
// canonical URI (MCP "Canonical Server URI", RFC 8707 §2), a trailing slash
// and the query (an API key, say, which no resource indicator carries)
// aside.
func sameServer(a, b string) bool {
	return strings.TrimSuffix(canonicalServerURI(a), "/") == strings.TrimSuffix(canonicalServerURI(b), "/")
}

// sibling makes the manager of another MCP server for cfg (see ForServer).
func (m *TokenManager) sibling(cfg *Config) *TokenManager {
	ctx, cancel := context.WithCancel(m.ctx)
	s := &TokenManager{
		cfg: cfg, client: m.client, reach: m.reach, tokenStore: m.tokenStore, now: m.now, sleep: m.sleep,
		limiter: m.limiter, workload: m.workload, gen: new(uint32), pending: map[string]pendingAuth{},
		servers: m.servers, ctx: ctx, cancel: cancel,
	}
	s.logins.prompt = m.logins.prompt
	if s.tokenStore != nil {
		s.restoreByServer()
	}
	return s
}

// closeServers closes the managers of the other servers; m must be the
// set's owner.
func (m *TokenManager) closeServers() {
	set := m.servers
	if set == nil || set.owner != m {
		return
	}
	set.mu.Lock()
	others := set.others
	set.others = nil
	set.mu.Unlock()
	for _, s := range others {
		s.Close()
	}
}

// registrationKey is where the dynamic registration with an authorization
// server (its issuer, else its token endpoint) is kept: per authorization
// server and configured client, for every MCP server it serves. Releases up
// to 0.2.0 kept it with the tokens, under the MCP server's key (storeKey).
func (m *TokenManager) registrationKey(issuer, tokenURL string) StoreKey {
	if issuer == "" {
		issuer = tokenURL
	}
	return StoreKey{Issuer: issuer, ClientID: m.cfg.ClientID}
}

// register returns the client registered with asm's authorization server:
// the one this manager or another of its set registered, else the one in
// the token store (under registrationKey, else under the MCP server's key
// where 0.2.0 kept it, which is then copied to registrationKey), else a new
// registration (RFC 7591) at endpoint, kept for the set and in the store.
func (m *TokenManager) register(ctx context.Context, endpoint string, reg ClientRegistration,
	asm *AuthServerMetadata) (clientID, secret, method string, err error) {
	set := m.servers
	set.regMu.Lock()
	defer set.regMu.Unlock()
	key := m.registrationKey(asm.Issuer, asm.TokenEndpoint)
	if rc, ok := set.regs[key]; ok && !m.secretExpired(rc.ClientSecretExpiresAt) {
		return rc.ClientID, rc.ClientSecret, rc.TokenEndpointAuthMethod, nil
	}
	serverKey := m.storeKey(asm.Issuer, asm.TokenEndpoint, m.cfg.ServerURL)
	if rc, ok := m.tokensClient(serverKey, reg); ok {
		logEvent(ctx, slog.LevelDebug, EventRegistrationReuse, "using the client the stored tokens belong to",
			"client_id", rc.ClientID)
		return rc.ClientID, rc.ClientSecret, rc.TokenEndpointAuthMethod, nil
	}
	if rc, ok := m.storedRegistrationAt(reg, key, serverKey); ok {
		set.regs[key] = rc
		logEvent(ctx, slog.LevelDebug, EventRegistrationReuse, "using the stored registration", "client_id", rc.ClientID)
		return rc.ClientID, rc.ClientSecret, rc.TokenEndpointAuthMethod, nil // registered by an earlier run
	}
	if m.tokenStore != nil { // processes sharing the store register once
		if unlock, err := m.tokenStore.Lock(ctx, key, m.cfg.HTTPTimeout()); err == nil {
			defer unlock()
			if rc, ok := m.storedRegistrationAt(reg, key); ok {
				set.regs[key] = rc
				return rc.ClientID, rc.ClientSecret, rc.TokenEndpointAuthMethod, nil // registered by another process meanwhile
			}
		}
	}
	logEvent(ctx, slog.LevelInfo, EventRegistration, "registering the client (RFC 7591)",
		"endpoint", logURL(endpoint), "grant_types", reg.GrantTypes)
	rc, err := RegisterClient(ctx, m.client, endpoint, reg)
	if err != nil {
		logEvent(ctx, slog.LevelWarn, EventRegistered, "registration failed", "error", logErr(err))
		return "", "", "", err
	}
	logEvent(ctx, slog.LevelInfo, EventRegistered, "client registered", "client_id", rc.ClientID,
		"auth_method", rc.TokenEndpointAuthMethod)
	set.regs[key] = *rc
	m.persistRegistration(key, rc)
	return rc.ClientID, rc.ClientSecret, rc.TokenEndpointAuthMethod, nil
}

// tokensClient returns the registered client that obtained the refresh
// token stored for this server (serverKey): that token can be used only by
// the client it was issued to (RFC 6749 §6), whatever that client was
// registered for — e.g. a `token` command, which has no redirect URI of its
// own, refreshing what `login` obtained with another one. A client of the
// other kind (a secret where reg needs none, or the reverse) is not used.
func (m *TokenManager) tokensClient(serverKey StoreKey, reg ClientRegistration) (RegisteredClient, bool) {
	c, rc, ok := m.storedClient(serverKey)
	if !ok || c.RefreshToken == "" || reg.Confidential != (rc.TokenEndpointAuthMethod != AuthNone) {
		return RegisteredClient{}, false
	}
	return rc, true
}

// storedRegistrationAt returns the registration fit for reg stored under
// the first of keys that holds one, copying it to keys[0] when found under
// another.
func (m *TokenManager) storedRegistrationAt(reg ClientRegistration, keys ...StoreKey) (RegisteredClient, bool) {
	for i, k := range keys {
		_, rc, ok := m.storedClient(k)
		if !ok || !fits(rc, reg) {
			continue
		}
		if i > 0 {
			m.persistRegistration(keys[0], &rc) // the 0.2.0 layout, migrated
		}
		return rc, true
	}
	return RegisteredClient{}, false
}

// fits reports whether a stored registration serves reg: the same kind of
// client (a secret for a machine, none for a login client) and every
// redirect URI reg would register. Programs sharing a store may register
// differently with one authorization server; each uses only a registration
// made for what it does.
func fits(rc RegisteredClient, reg ClientRegistration) bool {
	if reg.Confidential != (rc.TokenEndpointAuthMethod != AuthNone) {
		return false
	}
	for _, u := range reg.RedirectURIs {
		if !slices.Contains(rc.RedirectURIs, u) {
			return false
		}
	}
	return true
}

// secretExpired reports whether a registered client's secret has expired
// (RFC 7591 §3.2.1: 0 means never).
func (m *TokenManager) secretExpired(expiresAt int64) bool {
	return expiresAt != 0 && time.Unix(expiresAt, 0).Before(m.now())
}

// forgetSharedRegistration drops the registration of clientID with p's
// authorization server from the set and the store, after that server
// refused it (reregister.go): every manager of the set registers again.
func (m *TokenManager) forgetSharedRegistration(p *authParams) {
	set := m.servers
	key := m.registrationKey(p.issuer, p.endpoint.url)
	set.regMu.Lock()
	if rc, ok := set.regs[key]; ok && rc.ClientID == p.endpoint.clientID {
		delete(set.regs, key)
	}
	set.regMu.Unlock()
	if d, ok := m.tokenStore.(StoreDeleter); ok {
		if _, rc, ok := m.storedClient(key); ok && rc.ClientID == p.endpoint.clientID {
			m.persistMu.Lock()
			_ = d.Delete(key)
			m.persistMu.Unlock()
		}
	}
}
