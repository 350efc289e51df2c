package core

// Security rules of issues 7 and 12, each enforced by a test that fails
// when the rule is broken. Rules already covered elsewhere are referenced,
// not repeated.
//
//	Rule                                              Enforced by
//	------------------------------------------------  ---------------------------------------------------------------
//	1 HTTPS for every non-loopback endpoint:          TestSecurityHTTPSRequired (configured and learned URLs: the
//	  configured and learned by discovery               server behind the http URL sees nothing);
//	                                                    TestCheckDiscoveryURL, TestParseConfigErrorsNameTheField,
//	                                                    TestRegisterClientRefusals, TestMultiServerValidation
//	2 Authorization and client credentials never      TestSecurityCredentialsStayOnTheirOrigin (bearer across
//	  sent to another origin, redirects included        redirects and origins, MCP session redirect, token endpoint
//	                                                    redirects, whatever the HTTP client);
//	                                                    TestTransportNeverSendsTheTokenToAnotherOrigin,
//	                                                    TestRegisterClientTransport/redirect_is_not_followed,
//	                                                    TestDiscoverProtectedResourceCrossOriginRedirect
//	3 Discovery refuses link-local and cloud-         TestSecurityDiscoveryRefusesLinkLocal (learned URLs: nothing
//	  metadata addresses                                is dialled); TestCheckDiscoveryURL, TestDiscoveryDialControl,
//	                                                    TestLinkLocalAddressesAreRefusedAtDialTime,
//	                                                    TestDiscoverProtectedResourceRefusesUnsafeURLs
//	4 No secret, token, code, verifier or key in      TestSecurityNoSecretInErrors (every oauthtest failure mode incl.
//	  any error message or log line                     ModeEcho, every grant and client auth method, discovery,
//	                                                    registration, MCP sessions, an API key in the server URL),
//	                                                    TestSecurityCoreWritesNoLogs (security_secrets_test.go);
//	                                                    capi TestErrorJSONCarriesNoSecret (the C error JSON);
//	                                                    TestFaultZZErrorsCarryNoSecrets, TestErrorMessagesHideSecrets
//	5 Token store: files 0600, written atomically,    TestSecurityTokenStoreFiles (security_store_test.go);
//	  directories never group/world accessible          TestFileStoreRoundTripAndPermissions,
//	                                                    TestFileStoreRefusesOpenDirectoryAndCorruptFiles,
//	                                                    TestTokenStoreDirMustBePrivate
//	6 Tokens never put in URLs                        TestSecurityTokensNeverInURLs (security_urls_test.go)
//	7 state, PKCE and iss mismatches refused          TestSecurityAuthorizationResponseChecks
//	                                                    (security_authcode_test.go); TestCompleteAuthorizationRefusals,
//	                                                    TestRequirePKCES256, TestAuthorizationURL
//	8 A client secret or private key goes only to     TestSecurityDiscoveredCredentialsNeedIssuer (no issuer with
//	  the authorization server that issued it:          discovery: CONFIG error naming issuer), TestSecurityCredentials-
//	  discovery with credentials needs issuer, and      OnlyToTheirIssuer (another AS is refused before it is contacted,
//	  another AS named by the MCP server is refused     2025-03-26 fallback too), TestSecurityRegisteredClientStaysWith-
//	  (issue 12 item 1)                                 ItsIssuer (security_issuer_test.go); CLI
//	                                                    TestClientSecretGoesOnlyToItsIssuer; C test_secret_only_to_its_
//	                                                    issuer (test_mcp.c); Python test_secret_goes_only_to_its_issuer;
//	                                                    Node "an attacker AS named by the protected resource metadata
//	                                                    receives no client secret"
//	9 No SSRF: a URL learned from a server reaches    TestSecuritySSRFLearnedURLs (every learned URL, loopback, RFC
//	  loopback / private networks only when the MCP     1918, ULA, CGNAT, IPv4-mapped), TestSecuritySSRFAtDialTime
//	  server is there itself, checked on the URL and    (names resolving there, rebinding, a corporate network, link-
//	  when dialling (issue 12 item 2)                   local), TestSecuritySSRFLocalServersMayUseLocalURLs,
//	                                                    TestSecuritySSRFProxyIsConfiguration (security_ssrf_test.go)
//	10 A server never widens the resource it gets     TestSecurityResourceNeverWiderThanTheServer (path-inserted
//	   a token for (issue 12 item 7)                    metadata must name the server; a wider one its challenge
//	                                                    names is accepted, the server's URI requested; the origin's
//	                                                    root document is sent as published), TestResourceIdentifies-
//	                                                    Server (security_resource_test.go)
//	11 The loopback redirect listener takes only     TestSecurityLoopbackRedirect (security_loopback_test.go: foreign
//	  the pending state (others 400, it keeps           states refused, a second response aborts and discards, ephemeral
//	  waiting); a second response for it aborts the     default port, a squatted old default port, a busy fixed port,
//	  login (RFC 9700 §4.5); the default port is        the page tells the outcome and reflects nothing);
//	  ephemeral; the page reflects nothing              TestLoopbackRedirectOneShotTimeoutCancel;
//	                                                    oauthtest TestRegisteredLoopbackRedirectAnyPort
//	12 MCP answers are bounded: each body and SSE     TestSecurityMCPResponsesAreBounded (mcpclient/security_mcpbody_test.go:
//	  event at most mcp_max_response_bytes (8 MiB);     300 MB JSON body and SSE event, peak RSS growth < 64 MB in a
//	  over it, an error naming the limit and the        child process, session closed cleanly); TestBoundedResponses,
//	  session closed                                    TestMCPMaxResponseBytesConfig
//	13 The token store trusts only what the user      TestSecurityTokenStoreTrustsOnlyTheUser (security_storetrust_test.go:
//	  owns (owner check, O_NOFOLLOW); killed writers'   directory and entry owned by nobody, symlinked entry and lock);
//	  temporary files go with stale-cleanup and         TestSecurityTokenStoreLeavesNoTokenBehind (50 writers SIGKILLed
//	  logout; tokens follow the client credentials      mid-save, then logout: no token left; stale files removed);
//	  (salted HMAC fingerprint)                         TestSecurityStoredTokensFollowTheClientCredentials
//	14 No server text reaches a terminal raw:         TestSecurityNoControlCharactersInErrors (security_terminal_test.go:
//	  every error message and reported field has        token, authorization, registration, Bearer challenge, JSON-RPC
//	  its control characters escaped (Printable)        errors), TestPrintable; CLI TestServerTextCannotDriveTheTerminal;
//	                                                    C test_errors_carry_no_control_characters, Python and Node
//	                                                    test_errors_carry_no_control_characters / "errors carry no
//	                                                    control characters"
//	15 Every blocking call can be cancelled: Ctrl-    C test_cancel_blocked_call (mcp_client_cancel from another
//	  C in Python, an AbortSignal in Node, and          thread); Python test_sigint_ends_a_hanging_token_request,
//	  mcp_client_cancel / mcp_client_multi_cancel       test_sigint_ends_a_blocked_tool_call and _multi_server_tool_call;
//	  in the C ABI for MCP calls                        Node "an AbortSignal ends getToken ...", "... ends
//	                                                    McpClient.callTool ..." and "... MultiServerMcpClient.callTool ..."
//	16 A timeout cannot overflow into an instant      TestTimeoutFromSeconds; C test_timeouts_do_not_overflow, Python
//	  expiry: +Inf none, huge clamped, NaN and          test_authorize_interactively_endless_timeouts and _refuses_nan_...,
//	  negatives refused                                 Node "Infinity is no timeout"

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// site is a TLS server and a plain HTTP server standing for any non-loopback
// host: its client connects port 443 to the TLS server (whose certificate is
// valid for example.com and *.example.com) and every other port to the
// plain one. A request the library should refuse therefore reaches a real
// server if it is not refused, and the test sees it.
type site struct {
	tls, plain *httptest.Server
	conns      atomic.Int64 // connections accepted, by either server

	mu     sync.Mutex
	routes map[string]http.HandlerFunc // "https://host/path" → handler
	hits   []string                    // "https://host/path" as requested, with the Authorization header
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{routes: map[string]http.HandlerFunc{}}
	serve := func(scheme string) *httptest.Server {
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			key := scheme + "://" + r.Host + r.URL.Path
			s.mu.Lock()
			s.hits = append(s.hits, key+" auth="+r.Header.Get("Authorization"))
			h := s.routes[key]
			s.mu.Unlock()
			if h == nil {
				http.NotFound(w, r)
				return
			}
			h(w, r)
		}))
		srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				s.conns.Add(1)
			}
		}
		return srv
	}
	s.tls, s.plain = serve("https"), serve("http")
	s.tls.StartTLS()
	s.plain.Start()
	t.Cleanup(s.tls.Close)
	t.Cleanup(s.plain.Close)
	return s
}

func (s *site) route(url string, h http.HandlerFunc) {
	s.mu.Lock()
	s.routes[url] = h
	s.mu.Unlock()
}

func (s *site) requested() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.hits...)
}

// transport routes every connection to the site's servers.
func (s *site) transport() *http.Transport {
	tr := s.tls.Client().Transport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, _ := net.SplitHostPort(addr)
		target := s.plain.Listener.Addr().String()
		if port == "443" {
			target = s.tls.Listener.Addr().String()
		}
		return (&net.Dialer{}).DialContext(ctx, network, target)
	}
	return tr
}

// client is the library's kind of client (no redirects, a timeout) over
// the site.
func (s *site) client() *http.Client {
	return &http.Client{Transport: s.transport(), Timeout: 5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// serveDiscovery publishes protected resource metadata for
// https://mcp.example.com/mcp naming issuer, AS metadata for
// https://as.example.com built by asm, and a token endpoint.
func (s *site) serveDiscovery(authServers []string, asm func(map[string]any)) {
	s.route("https://mcp.example.com/mcp", protectedMCP) // what discovery's check of the endpoint sees
	s.route("https://mcp.example.com/.well-known/oauth-protected-resource/mcp",
		jsonAnswer(200, prmDoc("https://mcp.example.com/mcp", authServers...)))
	doc := asmDoc("https://as.example.com", "https://as.example.com")
	doc["token_endpoint_auth_methods_supported"] = []string{"client_secret_basic", "client_secret_post", "none"}
	if asm != nil {
		asm(doc)
	}
	s.route("https://as.example.com/.well-known/oauth-authorization-server", jsonAnswer(200, doc))
	s.route("https://as.example.com/token", jsonAnswer(200, bearer("at-site-0123456789", 3600)))
	s.route("https://as.example.com/register", jsonAnswer(201, map[string]any{"client_id": "registered", "token_endpoint_auth_method": "none"}))
}

// TestSecurityHTTPSRequired: an http:// URL on a non-loopback host is
// refused with a typed error before any request is sent — configured, or
// learned from protected resource metadata, authorization server metadata
// or a WWW-Authenticate challenge.
func TestSecurityHTTPSRequired(t *testing.T) {
	t.Run("configured", func(t *testing.T) {
		base := func() *Config {
			return &Config{ClientID: "client", ClientSecret: "s3cr3t-value", TokenURL: "https://as.example.com/token"}
		}
		for _, tc := range []struct {
			field string
			cfg   func() *Config
		}{
			{"token_url", func() *Config { c := base(); c.TokenURL = "http://as.example.com/token"; return c }},
			{"authorize_url", func() *Config { c := base(); c.AuthorizeURL = "http://as.example.com/authorize"; return c }},
			{"issuer", func() *Config { c := base(); c.Issuer = "http://as.example.com"; return c }},
			{"server_url", func() *Config { c := base(); c.TokenURL, c.ServerURL = "", "http://mcp.example.com/mcp"; return c }},
			{"client_metadata_url", func() *Config {
				return &Config{ServerURL: "https://mcp.example.com/mcp", ClientMetadataURL: "http://app.example.com/client.json"}
			}},
			{"idp_token_endpoint", func() *Config {
				c := jwtBearerConfig("https://as.example.com", "http://idp.example.com")
				return c
			}},
			{"redirect_uri", func() *Config {
				c := base()
				c.AuthorizeURL, c.RedirectURI = "https://as.example.com/authorize", "http://app.example.com/cb"
				return c
			}},
			{"token_url", func() *Config { c := base(); c.TokenURL = "HTTP://AS.EXAMPLE.COM/token"; return c }},
			{"token_url", func() *Config { c := base(); c.TokenURL = "ws://as.example.com/token"; return c }},
		} {
			t.Run(tc.field, func(t *testing.T) {
				s := newSite(t)
				_, err := NewTokenManager(tc.cfg(), WithHTTPClient(s.client()))
				var ce *ConfigError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, tc.field, ce.Field)
				assert.Contains(t, ce.Reason, "https")
				assert.Zero(t, s.conns.Load(), "nothing was contacted")
			})
		}
		t.Run("loopback http is allowed", func(t *testing.T) {
			_, err := NewTokenManager(&Config{ClientID: "c", ClientSecret: "s3cr3t-value", TokenURL: "http://127.0.0.1:1/token",
				AuthorizeURL: "http://localhost:1/authorize", RedirectURI: "http://[::1]:8976/cb"})
			require.NoError(t, err)
		})
		t.Run("MCP session URL", func(t *testing.T) {
			s := newSite(t)
			s.serveDiscovery([]string{"https://as.example.com"}, nil)
			m, err := NewTokenManager(&Config{ClientID: "client", ClientSecret: "s3cr3t-value", TokenURL: "https://as.example.com/token"},
				WithHTTPClient(s.client()))
			require.NoError(t, err)
			defer m.Close()
			_, err = NewTransport(m, "http://mcp.example.com/mcp", s.transport())
			var ce *ConfigError
			require.ErrorAs(t, err, &ce, "a bearer token never travels over plain http")
			assert.Zero(t, s.conns.Load(), "nothing was contacted")
		})
	})

	// Learned URLs: discovery of https://mcp.example.com/mcp through the
	// site, with one URL on the way made plain http.
	const plainAS = "http://as.example.com"
	for _, tc := range []struct {
		name        string
		authServers []string
		asm         func(map[string]any)
		challenge   string // resource_metadata of the MCP server's 401
		check       func(t *testing.T, err error)
	}{
		{name: "all https (control)", authServers: []string{"https://as.example.com"}},
		{name: "PRM authorization_servers", authServers: []string{plainAS}, check: isMetadataError("no usable authorization server")},
		{name: "AS token_endpoint", authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["token_endpoint"] = plainAS + "/token" }, check: isMetadataError("token_endpoint is unusable")},
		{name: "AS authorization_endpoint", authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["authorization_endpoint"] = plainAS + "/authorize" }, check: isMetadataError("authorization_endpoint is unusable")},
		{name: "AS registration_endpoint", authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["registration_endpoint"] = plainAS + "/register" }, check: isMetadataError("registration_endpoint is unusable")},
		{name: "AS device_authorization_endpoint", authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["device_authorization_endpoint"] = plainAS + "/device" }, check: isMetadataError("device_authorization_endpoint is unusable")},
		{name: "WWW-Authenticate resource_metadata", authServers: []string{"https://as.example.com"},
			challenge: "http://mcp.example.com/.well-known/oauth-protected-resource/mcp", check: isDiscoveryURLError("https is required")},
		{name: "issuer with mixed-case scheme", authServers: []string{"HTTP://as.example.com"}, check: isMetadataError("no usable authorization server")},
	} {
		t.Run("learned/"+tc.name, func(t *testing.T) {
			s := newSite(t)
			s.serveDiscovery(tc.authServers, tc.asm)
			challenge := `Bearer scope="mcp:read"`
			if tc.challenge != "" {
				challenge += `, resource_metadata="` + tc.challenge + `"`
			}
			s.route("https://mcp.example.com/mcp", func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") == "" {
					w.Header().Set("WWW-Authenticate", challenge)
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				_, _ = io.WriteString(w, "ok")
			})
			cfg := &Config{ServerURL: "https://mcp.example.com/mcp", ClientID: "client", ClientSecret: "s3cr3t-value",
				Issuer: "https://as.example.com", GrantType: GrantClientCredentials}
			if tc.asm != nil {
				cfg = &Config{ServerURL: "https://mcp.example.com/mcp"} // authorization code: every endpoint matters
			}
			m, err := NewTokenManager(cfg, WithHTTPClient(s.client()))
			require.NoError(t, err)
			defer m.Close()
			tr, err := NewTransport(m, cfg.ServerURL, s.transport())
			require.NoError(t, err)
			resp, err := (&http.Client{Transport: tr}).Get(cfg.ServerURL)
			if tc.check == nil {
				require.NoError(t, err)
				resp.Body.Close()
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Contains(t, s.requested(), "https://as.example.com/token auth="+basicHeader("client", "s3cr3t-value"))
				return
			}
			if err == nil {
				resp.Body.Close()
				if cfg.GrantType == GrantAuthorizationCode {
					_, err = m.BeginAuthorization(context.Background(), "")
				}
			}
			require.Error(t, err)
			tc.check(t, err)
			for _, hit := range s.requested() {
				assert.True(t, strings.HasPrefix(hit, "https://"), "no plain http request: %s", hit)
				assert.NotContains(t, hit, "as.example.com/token", "no token request")
			}
		})
	}
}

func isMetadataError(reason string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var me *MetadataError
		if assert.ErrorAs(t, err, &me, "got %T %v", err, err) {
			assert.Contains(t, me.Reason, reason)
		}
	}
}

func isDiscoveryURLError(reason string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var ue *DiscoveryURLError
		if assert.ErrorAs(t, err, &ue, "got %T %v", err, err) {
			assert.Contains(t, ue.Reason, reason)
		}
	}
}

// TestSecurityDiscoveryRefusesLinkLocal: link-local and cloud metadata
// addresses learned from metadata or a challenge are refused before
// anything is dialled (the site's client would connect anywhere).
func TestSecurityDiscoveryRefusesLinkLocal(t *testing.T) {
	for _, tc := range []struct {
		name        string
		authServers []string
		asm         func(map[string]any)
		challenge   string
		check       func(t *testing.T, err error)
	}{
		{name: "PRM names the AWS/GCP/Azure metadata IP", authServers: []string{"https://169.254.169.254"}, check: isMetadataError("no usable authorization server")},
		{name: "PRM names a link-local IPv6 issuer", authServers: []string{"https://[fe80::1]"}, check: isMetadataError("no usable authorization server")},
		{name: "PRM names metadata.google.internal", authServers: []string{"https://metadata.google.internal"}, check: isMetadataError("no usable authorization server")},
		{name: "token endpoint on the AWS IPv6 metadata address", authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["token_endpoint"] = "https://[fd00:ec2::254]/token" }, check: isMetadataError("cloud metadata address")},
		{name: "registration endpoint on 169.254.169.254", authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["registration_endpoint"] = "https://169.254.169.254/register" }, check: isMetadataError("cloud metadata address")},
		{name: "authorization endpoint link-local", authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["authorization_endpoint"] = "https://169.254.7.7/authorize" }, check: isMetadataError("link-local")},
		{name: "challenge resource_metadata on the metadata IP", authServers: []string{"https://as.example.com"},
			challenge: "https://169.254.169.254/latest/meta-data/", check: isDiscoveryURLError("cloud metadata address")},
		{name: "challenge resource_metadata on metadata.google.internal", authServers: []string{"https://as.example.com"},
			challenge: "https://metadata.google.internal/computeMetadata/v1/", check: isDiscoveryURLError("cloud metadata host")},
		{name: "challenge resource_metadata as a decimal IP", authServers: []string{"https://as.example.com"},
			challenge: "https://2852039166/", check: isDiscoveryURLError("non-canonical")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSite(t)
			s.serveDiscovery(tc.authServers, tc.asm)
			var ch Challenge
			if tc.challenge != "" {
				ch, _ = BearerChallenge(ParseWWWAuthenticate([]string{`Bearer resource_metadata="` + tc.challenge + `"`}))
			}
			m := newManager(t, &Config{ServerURL: "https://mcp.example.com/mcp"}) // authorization code: every endpoint matters
			m.client = s.client()
			if tc.challenge != "" {
				m.SetChallenge(ch)
			}
			_, err := m.BeginAuthorization(context.Background(), "")
			require.Error(t, err)
			tc.check(t, err)
			for _, hit := range s.requested() {
				assert.Regexp(t, `^https://(mcp|as)\.example\.com/\.well-known/|^https://mcp\.example\.com/mcp auth=$`, hit,
					"only the metadata of the site was fetched, and the MCP endpoint checked without credentials")
			}
		})
	}
}

// TestSecurityCredentialsStayOnTheirOrigin: the bearer token goes only to
// the MCP server's origin (scheme, host and port), also across redirects;
// a token request is never redirected, whatever HTTP client the manager was
// given, so the client secret is never replayed elsewhere.
func TestSecurityCredentialsStayOnTheirOrigin(t *testing.T) {
	as := asServer(t, oauthtest.Options{})
	t.Run("bearer across redirects", func(t *testing.T) {
		var mu sync.Mutex
		seen := map[string]string{} // target → Authorization it received
		record := func(name string) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				mu.Lock()
				seen[name] = r.Header.Get("Authorization")
				mu.Unlock()
			}
		}
		other := httptest.NewServer(record("other origin"))
		defer other.Close()
		rsMux := http.NewServeMux()
		rs := httptest.NewServer(rsMux)
		defer rs.Close()
		// The same host on another port is another origin (RFC 6454 §4).
		otherPort := httptest.NewServer(record("same host, other port"))
		defer otherPort.Close()
		rsMux.HandleFunc("/same", record("same origin"))
		for _, code := range []int{301, 302, 303, 307, 308} {
			for _, target := range []struct{ name, url string }{
				{"same origin", rs.URL + "/same"},
				{"other origin", other.URL + "/x"},
				{"same host, other port", otherPort.URL + "/x"},
				{"localhost alias", strings.Replace(other.URL, "127.0.0.1", "localhost", 1) + "/x"},
			} {
				path := "/r" + http.StatusText(code)[:3] + "/" + strings.ReplaceAll(target.name, " ", "_")
				rsMux.HandleFunc(path, redirectAnswer(code, target.url))
				t.Run(http.StatusText(code)+" to "+target.name, func(t *testing.T) {
					mu.Lock()
					clear(seen)
					mu.Unlock()
					m := newManager(t, testClient(as))
					tr, err := NewTransport(m, rs.URL+"/mcp", nil)
					require.NoError(t, err)
					resp, err := (&http.Client{Transport: tr}).Post(rs.URL+path, "application/json", strings.NewReader(`{"jsonrpc":"2.0"}`))
					require.NoError(t, err)
					resp.Body.Close()
					mu.Lock()
					defer mu.Unlock()
					name := target.name
					if name == "localhost alias" {
						name = "other origin"
					}
					got, reached := seen[name]
					require.True(t, reached, "the redirect was followed")
					if name == "same origin" {
						assert.True(t, strings.HasPrefix(got, "Bearer "), "a same-origin redirect keeps the token")
					} else {
						assert.Empty(t, got, "no token for another origin")
					}
				})
			}
		}
	})

	t.Run("MCP session redirected to another origin", func(t *testing.T) {
		var leaked atomic.Value
		leaked.Store("")
		var reached atomic.Bool
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			reached.Store(true)
			leaked.Store(r.Header.Get("Authorization"))
			w.WriteHeader(http.StatusNotFound)
		}))
		defer other.Close()
		var sent atomic.Value
		sent.Store("")
		mcp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sent.Store(r.Header.Get("Authorization"))
			w.Header().Set("Location", other.URL+"/mcp")
			w.WriteHeader(http.StatusTemporaryRedirect)
		}))
		defer mcp.Close()
		m := newManager(t, testClient(as))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := sdkConnect(ctx, t, m, mcp.URL+"/mcp", false)
		require.Error(t, err, "the session cannot start at a 404")
		assert.True(t, strings.HasPrefix(sent.Load().(string), "Bearer "), "the MCP server got the token")
		assert.True(t, reached.Load(), "the redirect was followed")
		assert.Empty(t, leaked.Load(), "the other origin did not get the token")
	})

	t.Run("token endpoint redirects are never followed", func(t *testing.T) {
		for _, method := range []string{AuthClientSecretBasic, AuthClientSecretPost} {
			for _, hc := range []struct {
				name   string
				client func() *http.Client
			}{
				{"library client", nil},
				{"caller's client that follows redirects", func() *http.Client { return &http.Client{Timeout: 5 * time.Second} }},
			} {
				for _, code := range []int{302, 307, 308} {
					t.Run(method+"/"+hc.name+"/"+http.StatusText(code), func(t *testing.T) {
						var elsewhere atomic.Int64
						other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
							elsewhere.Add(1)
							w.Header().Set("Content-Type", "application/json")
							_, _ = io.WriteString(w, `{"access_token":"at-stolen-0123","token_type":"Bearer"}`)
						}))
						defer other.Close()
						ep := httptest.NewServer(redirectAnswer(code, other.URL+"/token"))
						defer ep.Close()
						cfg := clientCredentials(ep.URL + "/token")
						cfg.TokenEndpointAuthMethod = method
						var opts []Option
						if hc.client != nil {
							opts = append(opts, WithHTTPClient(hc.client()))
						}
						m, err := NewTokenManager(cfg, opts...)
						require.NoError(t, err)
						defer m.Close()
						_, err = m.Token(context.Background())
						var pe *ProtocolError
						require.ErrorAs(t, err, &pe)
						assert.Contains(t, pe.Reason, "redirect")
						assert.Zero(t, elsewhere.Load(), "the client secret never reached the redirect target")
					})
				}
			}
		}
	})

	t.Run("discovery sends no credentials", func(t *testing.T) {
		s := newSite(t)
		s.serveDiscovery([]string{"https://as.example.com"}, nil)
		m, err := NewTokenManager(&Config{ServerURL: "https://mcp.example.com/mcp", ClientID: "client", ClientSecret: "s3cr3t-value",
			Issuer: "https://as.example.com", GrantType: GrantClientCredentials}, WithHTTPClient(s.client()))
		require.NoError(t, err)
		defer m.Close()
		_, err = m.Token(context.Background())
		require.NoError(t, err)
		for _, hit := range s.requested() {
			if strings.Contains(hit, "/.well-known/") {
				assert.True(t, strings.HasSuffix(hit, " auth="), "metadata fetched without credentials: %s", hit)
			}
		}
	})
}
