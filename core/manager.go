package core

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// authParams is how the manager talks to its authorization server: set from
// the configuration, or found by discovery, and replaced as a whole (a
// step-up replaces the scopes).
type authParams struct {
	endpoint    *tokenEndpoint
	authCode    *oauth2.Config // AuthURL "" without an authorization endpoint
	deviceURL   string         // device authorization endpoint (RFC 8628 §3.1), "" if none
	issuer      string         // expected `iss` of authorization responses
	authServer  string         // the protected resource metadata's authorization server used ("" if none)
	issRequired bool           // the AS advertised RFC 9207 support
	scopes      []string
}

// newParams builds authParams for the given endpoints and client.
func (m *TokenManager) newParams(tokenURL, authorizeURL, deviceURL, issuer string, issRequired bool,
	clientID, secret, authMethod, resource string, scopes []string) *authParams {
	return &authParams{
		endpoint: &tokenEndpoint{
			url: tokenURL, clientID: clientID, secret: secret, authMethod: authMethod, resource: resource,
			client: m.client, now: m.now,
			keyPEM: []byte(m.cfg.PrivateKeyPEM), alg: m.cfg.SigningAlg, audience: issuer,
		},
		authCode: &oauth2.Config{
			ClientID: clientID, Scopes: scopes,
			Endpoint: oauth2.Endpoint{AuthURL: authorizeURL, TokenURL: tokenURL},
		},
		deviceURL: deviceURL, issuer: issuer, issRequired: issRequired, scopes: scopes,
	}
}

// authParams returns the current parameters, running discovery first in
// discovery mode.
func (m *TokenManager) authParams(ctx context.Context) (*authParams, error) {
	if p := m.params.Load(); p != nil {
		return p, nil
	}
	return m.discover(ctx)
}

// Background refresh retry bounds after a failed refresh.
const (
	minRefreshBackoff = time.Second
	maxRefreshBackoff = 30 * time.Second
)

// TokenManager obtains, caches and refreshes access tokens for one client
// (the bindings' OAuthTokenManager wraps one). It is safe for concurrent use.
//
// While the cached token is valid, [TokenManager.Token] returns it without
// I/O. Once it enters its refresh window one background refresh starts and
// callers keep the still-valid token; only callers holding no valid token
// wait, and all of them share a single token request ("single flight").
type TokenManager struct {
	cfg    *Config
	client *http.Client
	reach  *reach // where URLs learned from servers may lead (netreach.go)
	now    func() time.Time
	// sleep waits between device authorization polls (RFC 8628 §3.5) and
	// before foreground retries (retry.go); tests replace it to observe
	// the intervals without waiting them out.
	sleep func(ctx context.Context, d time.Duration) error
	// limiter bounds the process's token requests in flight (limiter.go).
	limiter *limiter

	workload   WorkloadTokenSource        // the workload identity JWT's Go source (wif.go), or nil
	dpop       atomic.Pointer[dpopKey]    // the client's DPoP key once chosen (dpop_use.go)
	offers     atomic.Int32               // schemes the resource server's challenges offered (dpop_use.go)
	params     atomic.Pointer[authParams] // nil until discovered (discovery mode)
	discoverMu sync.Mutex                 // serialises discovery
	tokenStore Store                      // nil without token_store_dir or token_store
	persistMu  sync.Mutex                 // serialises read-modify-write of the store

	cur        atomic.Pointer[Snapshot] // nil when no token is cached
	gen        *uint32                  // token generation counter, see Generation
	quietUntil atomic.Int64             // unix ns before which no background refresh starts
	closed     atomic.Bool
	logins     logins     // the manager's own login (login.go)
	servers    *serverSet // the managers of other MCP servers, and the registrations (servers.go)

	mu             sync.Mutex
	refreshToken   string
	flight         *flight
	backoff        time.Duration
	pending        map[string]pendingAuth
	challenge      Challenge // the resource server's latest Bearer challenge
	stepUps        int       // step-up authorizations since the last success
	authorizations int       // completed user authorizations since the last success
	rejected       string    // the token last invalidated: never adopted from the store again
	droppedRefresh string    // the refresh token last refused or dropped: never adopted from the store again
	stepUpScopes   []string  // the scopes a step-up in progress must obtain (stepup.go)
	notGranted     []string  // the scopes the latest token left out though requested (stepup.go)
	stepUpMissing  []string  // those of them the refused token was not granted (stepup.go)
	recheckedFor   string    // the refused token that last led to an authorization server re-check (migration.go)
	clientIssuer   string    // the issuer the configured client was first used with (migration.go)

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// flight is one token request shared by every caller waiting for it.
type flight struct {
	done    chan struct{}
	snap    Snapshot
	err     error
	started uint32 // the token generation when it started (see arrivedLocked)
}

// Option customises a [TokenManager].
type Option func(*TokenManager)

// WithGenerationCounter makes the manager count token changes in *p (which
// must stay valid for the manager's life) instead of its own counter: the C
// ABI puts it in memory a binding can read without calling in.
func WithGenerationCounter(p *uint32) Option { return func(m *TokenManager) { m.gen = p } }

// WithHTTPClient replaces the HTTP client used for token and discovery
// requests. It should bound its requests with a timeout and must not follow
// redirects.
func WithHTTPClient(c *http.Client) Option { return func(m *TokenManager) { m.client = c } }

// NewTokenManager validates cfg (see [Config.Validate]) and returns a manager
// for it. No network I/O happens until a token is needed.
func NewTokenManager(cfg *Config, opts ...Option) (*TokenManager, error) {
	var probe TokenManager // the options, to validate cfg with them in mind
	for _, o := range opts {
		o(&probe)
	}
	if err := cfg.validate(probe.workload != nil); err != nil {
		return nil, err
	}
	r := newReach(cfg)
	client, err := newHTTPClient(cfg, r)
	if err != nil {
		return nil, err
	}
	tokenStore, err := openStore(cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &TokenManager{
		cfg:        cfg,
		client:     client,
		reach:      r,
		tokenStore: tokenStore,
		now:        time.Now,
		sleep:      sleepContext,
		limiter:    tokenRequests,
		gen:        new(uint32),
		pending:    map[string]pendingAuth{},
		ctx:        ctx,
		cancel:     cancel,
	}
	for _, o := range opts {
		o(m)
	}
	m.servers = newServerSet(m)
	if cfg.Discovering() && tokenStore != nil {
		m.restoreByServer()
	}
	if !cfg.Discovering() {
		p := m.newParams(cfg.TokenURL, cfg.AuthorizeURL, cfg.DeviceAuthorizationURL, cfg.Issuer, false, cfg.ClientID,
			cfg.ClientSecret, cfg.TokenEndpointAuthMethod, cfg.Resource, cfg.Scopes)
		if cfg.DPoP != nil && *cfg.DPoP {
			if tokenStore != nil {
				m.storedUsable(m.loadStored(m.paramsKey(p))) // adopts the stored key
			}
			if p.endpoint.dpop, err = m.dpopKeyFor(nil); err != nil {
				return nil, err
			}
		}
		m.params.Store(p)
		m.restoreTokens(p)
	}
	return m, nil
}

// Config returns the manager's validated configuration. Do not modify it.
func (m *TokenManager) Config() *Config { return m.cfg }

// Token returns a valid access token, obtaining one if needed (see
// [TokenManager]). ctx bounds only this caller's wait: the shared request
// continues for the other waiters.
func (m *TokenManager) Token(ctx context.Context) (Snapshot, error) {
	if m.closed.Load() {
		return Snapshot{}, ErrClosed
	}
	now := m.now()
	if s := m.cur.Load(); s != nil && now.Before(s.ValidUntil) {
		if !now.Before(s.RefreshAt) && now.UnixNano() >= m.quietUntil.Load() {
			m.refreshInBackground()
		}
		return *s, nil
	}
	return m.wait(ctx)
}

// Generation returns the token generation counter: it changes whenever the
// cached token changes (new token, invalidation, close).
func (m *TokenManager) Generation() uint32 { return atomic.LoadUint32(m.gen) }

// refreshInBackground starts a refresh unless one is in flight, or the
// caller's view is stale: the cached token is no longer due (a refresh
// finished since the caller read it) or the backoff after a failure began.
func (m *TokenManager) refreshInBackground() {
	m.mu.Lock()
	now := m.now()
	if s := m.cur.Load(); m.flight == nil && !m.closed.Load() && s != nil &&
		!now.Before(s.RefreshAt) && now.UnixNano() >= m.quietUntil.Load() {
		if release, ok := m.limiter.tryAcquire(); ok {
			logEvent(m.ctx, slog.LevelDebug, EventBackgroundRefresh, "the token is in its refresh window: refreshing in the background",
				"valid_until", s.ValidUntil)
			m.startFlightLocked(release)
		} else { // see limiter.go: try again later, callers keep the token
			m.quietUntil.Store(now.Add(refreshDeferral(s.ValidUntil.Sub(now))).UnixNano())
		}
	}
	m.mu.Unlock()
}

// wait joins the token request in flight, or starts one, and waits for it.
func (m *TokenManager) wait(ctx context.Context) (Snapshot, error) {
	m.mu.Lock()
	if s := m.cur.Load(); s != nil && m.now().Before(s.ValidUntil) {
		m.mu.Unlock()
		return *s, nil
	}
	f := m.flight
	if f == nil {
		f = m.startFlightLocked(nil)
	}
	m.mu.Unlock()
	select {
	case <-f.done:
		if m.needsLogin(f.err) {
			return m.loginAndToken(ctx, f.err)
		}
		return f.snap, f.err
	case <-ctx.Done():
		return Snapshot{}, networkError("token endpoint", ctx.Err())
	}
}

// startFlightLocked starts the one token request, with foreground retries
// (see obtainRetrying) unless a valid token is still cached, in a slot of
// the process's token request limiter (limiter.go): already taken when
// release is not nil, else waited for. m.mu must be held.
func (m *TokenManager) startFlightLocked(release func()) *flight {
	f := &flight{done: make(chan struct{}), started: atomic.LoadUint32(m.gen)}
	m.flight = f
	m.quietUntil.Store(math.MaxInt64)
	obtain := m.obtainRetrying
	if s := m.cur.Load(); s != nil && m.now().Before(s.ValidUntil) {
		obtain = m.obtainRegistered
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		var snap Snapshot
		err := ErrClosed // acquire fails only once Close cancelled m.ctx
		if release == nil {
			release, _ = m.limiter.acquire(m.ctx)
		}
		if release != nil {
			snap, err = obtain(m.ctx)
			release()
		}
		if m.closed.Load() {
			snap, err = Snapshot{}, ErrClosed
		}
		m.mu.Lock()
		m.flight = nil
		if err == nil {
			m.backoff = 0
			m.quietUntil.Store(0)
		} else {
			m.backoff = min(max(2*m.backoff, minRefreshBackoff), maxRefreshBackoff)
			wait := m.backoff - time.Duration(rand.Int64N(int64(m.backoff/4)))
			if se := (*ServerError)(nil); errors.As(err, &se) && se.RetryAfter > wait {
				wait = se.RetryAfter // the server asked for longer (429, 503)
			}
			m.quietUntil.Store(m.now().Add(wait).UnixNano())
		}
		m.mu.Unlock()
		f.snap, f.err = snap, err
		close(f.done)
	}()
	return f
}

// arrivedLocked returns the cached token when it came after the token
// request in flight started and is valid and not yet due for refresh: a
// token stored while the request waited to be sent (a login completed, say),
// which makes the request needless — sending it anyway would refresh a
// token obtained a moment ago. m.mu must be held.
func (m *TokenManager) arrivedLocked() (Snapshot, bool) {
	now := m.now()
	s := m.cur.Load()
	if m.flight == nil || s == nil || atomic.LoadUint32(m.gen) == m.flight.started ||
		!now.Before(s.ValidUntil) || !now.Before(s.RefreshAt) {
		return Snapshot{}, false
	}
	return *s, true
}

// obtain gets a new token: by the refresh_token grant when a refresh token
// is held (RFC 6749 §6), falling back to the primary grant when the server
// rejects it with invalid_grant; else by client_credentials (RFC 6749 §4.4).
func (m *TokenManager) obtain(ctx context.Context) (Snapshot, error) {
	p, err := m.authParams(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	m.mu.Lock()
	rt := m.refreshToken
	arrived, ok := m.arrivedLocked() // read with the refresh token: a login storing both is seen whole
	m.mu.Unlock()
	if ok {
		return arrived, nil
	}
	if rt != "" {
		logEvent(ctx, slog.LevelInfo, EventRefresh, "refreshing the access token", "endpoint", logURL(p.endpoint.url))
		tok, err := p.endpoint.request(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
		if err == nil {
			return m.store(tok)
		}
		var oe *OAuthError
		if !errors.As(err, &oe) || oe.ErrorCode != "invalid_grant" {
			return Snapshot{}, err
		}
		logEvent(ctx, slog.LevelInfo, EventRefreshRejected, "the refresh token was rejected; dropped",
			"error", logErr(err))
		m.dropRefreshToken(rt)
	}
	if m.cfg.GrantType == GrantJWTBearer {
		if m.hasWorkload() {
			return m.obtainWorkloadIdentity(ctx, p)
		}
		return m.obtainJWTBearer(ctx, p)
	}
	if m.cfg.GrantType != GrantClientCredentials {
		return Snapshot{}, m.authorizationRequired()
	}
	return m.grant(ctx, p, url.Values{"grant_type": {GrantClientCredentials}})
}

// grant requests a token with form and the requested scopes at p's token
// endpoint, and stores it.
func (m *TokenManager) grant(ctx context.Context, p *authParams, form url.Values) (Snapshot, error) {
	if len(p.scopes) > 0 {
		form.Set("scope", strings.Join(p.scopes, " "))
	}
	tok, err := p.endpoint.request(ctx, form)
	if err != nil {
		return Snapshot{}, err
	}
	return m.store(tok)
}

// store caches a new token and its refresh token (keeping the previous
// refresh token when the response has none, RFC 6749 §6), bumps the
// generation counter, and persists them when a token store is configured.
func (m *TokenManager) store(tok *Token) (Snapshot, error) {
	snap, err := m.cache(tok)
	if err == nil {
		m.noteGranted(tok)
		m.persistTokens(snap)
		err = m.checkStepUpGranted(tok)
	}
	return snap, err
}

// cache is store without persistence.
func (m *TokenManager) cache(tok *Token) (Snapshot, error) { return m.cacheIssued(tok, time.Time{}) }

// cacheIssued is cache for a token obtained at issued (zero: now), such as
// one restored from the token store: its refresh window is where it was
// when the token was obtained, so that a restarted program (each run of the
// command-line tool) refreshes it when a long-running one would, neither
// sooner nor later.
func (m *TokenManager) cacheIssued(tok *Token, issued time.Time) (Snapshot, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed.Load() {
		return Snapshot{}, ErrClosed
	}
	if tok.RefreshToken != "" {
		m.refreshToken = tok.RefreshToken
	}
	scope := tok.Scope
	if scope == "" { // RFC 6749 §5.1: omitted means as requested / as before
		if prev := m.cur.Load(); prev != nil {
			scope = prev.Scope
		} else if p := m.params.Load(); p != nil {
			scope = strings.Join(p.scopes, " ")
		}
	}
	start := m.now()
	if !issued.IsZero() && issued.Before(start) && issued.Before(tok.Expiry) {
		start = issued
	}
	var lifetime time.Duration
	if !tok.Expiry.IsZero() {
		lifetime = tok.Expiry.Sub(start)
	}
	refreshAt, validUntil := schedule(start, lifetime, m.cfg.RefreshMargin())
	snap := &Snapshot{
		AccessToken: tok.AccessToken, TokenType: tok.TokenType, Expiry: tok.Expiry, Scope: scope,
		ValidUntil: validUntil, RefreshAt: refreshAt, Generation: atomic.LoadUint32(m.gen) + 1,
	}
	m.publishLocked(snap)
	return *snap, nil
}

// publishLocked replaces the cached token, then bumps the generation counter,
// so a reader that sees the new generation also sees the new token.
func (m *TokenManager) publishLocked(s *Snapshot) {
	m.cur.Store(s)
	atomic.AddUint32(m.gen, 1)
}

func (m *TokenManager) dropRefreshToken(rt string) {
	m.mu.Lock()
	if m.refreshToken == rt {
		m.refreshToken = ""
	}
	m.droppedRefresh = rt
	m.mu.Unlock()
}

// Invalidate reports that a resource server rejected token (HTTP 401,
// RFC 6750 §3.1). The cached token is dropped only if it is still that
// token; the refresh token is kept.
func (m *TokenManager) Invalidate(token string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.cur.Load(); s != nil && subtle.ConstantTimeCompare([]byte(s.AccessToken), []byte(token)) == 1 {
		m.rejected = s.AccessToken
		m.publishLocked(nil)
	}
}

// Close stops background work, waits for it, and drops every token.
// Calls after Close return [ErrClosed]. Close is idempotent.
func (m *TokenManager) Close() {
	if !m.closed.CompareAndSwap(false, true) {
		return
	}
	m.cancel()
	m.closeServers()
	m.wg.Wait()
	m.mu.Lock()
	m.refreshToken = ""
	m.pending = nil
	m.publishLocked(nil)
	m.mu.Unlock()
	// The connection pool is the process's (httpclient.go): its idle
	// connections serve the other managers, and close after 90 s idle.
}

// OAuth2TokenSource adapts the manager to golang.org/x/oauth2, e.g. for
// oauth2.NewClient or oauth2.Transport.
func (m *TokenManager) OAuth2TokenSource(ctx context.Context) oauth2.TokenSource {
	return tokenSource{m: m, ctx: ctx}
}

type tokenSource struct {
	m   *TokenManager
	ctx context.Context
}

func (s tokenSource) Token() (*oauth2.Token, error) {
	snap, err := s.m.Token(s.ctx)
	if err != nil {
		return nil, err
	}
	return snap.OAuth2(), nil
}

var _ oauth2.TokenSource = tokenSource{}
