package core

// Rule: no secret, token, code or verifier in any error message or log
// line. The suite drives every failure mode of the test authorization
// server (oauthtest.Failure: the statuses, hang, reset, redirect, malformed
// and oversized bodies, and an AS echoing the request — secrets included —
// back into its error) through every grant and client authentication
// method, plus discovery and registration failures, and scans every error
// string, and every error's exported fields as the C ABI's error JSON
// carries them, for every credential involved.

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// secretScan collects error texts and the credentials that must not appear
// in them.
type secretScan struct {
	mu      sync.Mutex
	texts   []string
	secrets map[string]bool
	modes   int // failure modes driven
}

func newSecretScan() *secretScan { return &secretScan{secrets: map[string]bool{}} }

// err records err's message and its exported fields as JSON (what the C ABI
// copies into its error document: error, error_description, error_uri).
func (s *secretScan) err(err error) {
	if err == nil {
		return
	}
	js, _ := json.Marshal(err)
	s.mu.Lock()
	s.texts = append(s.texts, err.Error(), string(js))
	s.mu.Unlock()
}

// secret adds credentials; shorter than 8 bytes they would match ordinary
// words (no credential used here is that short).
func (s *secretScan) secret(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) >= 8 {
			s.secrets[v] = true
		}
	}
}

// harvest adds the credentials the server saw in token requests.
func (s *secretScan) harvest(srv *oauthtest.Server) {
	for _, r := range srv.TokenRequests() {
		for _, k := range []string{"code", "code_verifier", "refresh_token", "client_assertion", "assertion", "subject_token"} {
			s.secret(r.Form.Get(k))
		}
	}
}

// leakWindow is the length of the pieces of a secret searched for: a
// message quoting a secret cut short (a clipped server string) leaks it
// too.
const leakWindow = 12

// check fails for every text containing a secret, or any leakWindow-byte
// piece of one, and returns how many texts it scanned.
func (s *secretScan) check(t *testing.T) int {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	require.NotEmpty(t, s.texts, "no error was collected")
	for secret := range s.secrets {
		n := min(leakWindow, len(secret))
		for _, text := range s.texts {
			for i := 0; i+n <= len(secret); i++ {
				if strings.Contains(text, secret[i:i+n]) {
					t.Errorf("error text %q contains (part of) the secret %q", text, secret)
					break
				}
			}
		}
	}
	return len(s.texts)
}

// echoFailures make the AS echo the request into every member an error
// message may quote, as JSON and as a form, with every status class.
var echoFailures = []struct {
	name    string
	failure oauthtest.Failure
}{
	{"request in error_description", oauthtest.Failure{Mode: oauthtest.ModeEcho}},
	{"request in error (200)", oauthtest.Failure{Mode: oauthtest.ModeEcho, Status: 200, Body: `{"error":"{{request}}"}`}},
	{"request in error_uri", oauthtest.Failure{Mode: oauthtest.ModeEcho, Status: 401, Body: `{"error":"invalid_client","error_uri":"https://as.example/e?{{request}}"}`}},
	{"request in a form error", oauthtest.Failure{Mode: oauthtest.ModeEcho, ContentType: "application/x-www-form-urlencoded", Body: "error=invalid_grant&error_description={{request}}"}},
	{"request in a 500 body", oauthtest.Failure{Mode: oauthtest.ModeEcho, Status: 500, ContentType: "text/plain", Body: "{{request}}"}},
	{"request in expires_in", oauthtest.Failure{Mode: oauthtest.ModeEcho, Status: 200, Body: `{"access_token":"at-echo-0123456789","token_type":"Bearer","expires_in":"{{request}}"}`}},
	{"client secret as token_type", oauthtest.Failure{Mode: oauthtest.ModeEcho, Status: 200, Body: `{"access_token":"at-echo-0123456789","token_type":"tt-{{client_secret}}"}`}},
	{"verifier as token_type", oauthtest.Failure{Mode: oauthtest.ModeEcho, Status: 200, Body: `{"access_token":"at-echo-0123456789","token_type":"tt-{{code_verifier}}"}`}},
	{"code as token_type", oauthtest.Failure{Mode: oauthtest.ModeEcho, Status: 200, Body: `{"access_token":"at-echo-0123456789","token_type":"tt-{{code}}"}`}},
	{"refresh token as token_type", oauthtest.Failure{Mode: oauthtest.ModeEcho, Status: 200, Body: `{"access_token":"at-echo-0123456789","token_type":"tt-{{refresh_token}}"}`}},
	{"assertion as token_type", oauthtest.Failure{Mode: oauthtest.ModeEcho, Status: 200, Body: `{"access_token":"at-echo-0123456789","token_type":"tt-{{client_assertion}}"}`}},
	{"access token echoed as token_type", oauthtest.Failure{Mode: oauthtest.ModeEcho, Status: 200, Body: `{"access_token":"at-echo-0123456789","token_type":"at-echo-0123456789"}`}},
}

// secretGrant is one way of getting a token whose request carries
// credentials: it prepares m (outside the failure) and then makes the
// request that fails.
type secretGrant struct {
	name   string
	config func(srv *oauthtest.Server, keyPEM string) *Config
	// prepare runs before the failure is injected and returns the call
	// that makes the failing request.
	prepare func(t *testing.T, srv *oauthtest.Server, m *TokenManager) func() error
}

func secretGrants() []secretGrant {
	cc := func(method string) func(*oauthtest.Server, string) *Config {
		return func(srv *oauthtest.Server, keyPEM string) *Config {
			c := testClient(srv)
			c.HTTPTimeoutSeconds = faultTimeout.Seconds()
			c.TokenEndpointAuthMethod = method
			if method == AuthPrivateKeyJWT {
				c.ClientID, c.ClientSecret, c.PrivateKeyPEM = "jwt-client", "", keyPEM
			}
			return c
		}
	}
	codeClient := func(srv *oauthtest.Server, _ string) *Config {
		c := testClient(srv)
		c.HTTPTimeoutSeconds = faultTimeout.Seconds()
		c.TokenEndpointAuthMethod = AuthClientSecretPost
		c.AuthorizeURL, c.Issuer, c.GrantType = srv.AuthorizeURL(), srv.Issuer(), GrantAuthorizationCode
		return c
	}
	return []secretGrant{
		{"client_credentials, client_secret_basic", cc(AuthClientSecretBasic), tokenCall},
		{"client_credentials, client_secret_post", cc(AuthClientSecretPost), tokenCall},
		{"client_credentials, private_key_jwt", cc(AuthPrivateKeyJWT), tokenCall},
		{"authorization_code exchange", codeClient, func(t *testing.T, _ *oauthtest.Server, m *TokenManager) func() error {
			req, err := m.BeginAuthorization(context.Background(), redirect)
			require.NoError(t, err)
			loc := follow(t, req.URL)
			return func() error { _, err := m.CompleteAuthorization(context.Background(), loc); return err }
		}},
		{"refresh_token grant", codeClient, func(t *testing.T, srv *oauthtest.Server, m *TokenManager) func() error {
			authorize(t, srv, m)
			useClock(m).Advance(2 * time.Hour) // expired: the next Token refreshes in the foreground
			return func() error { _, err := m.Token(context.Background()); return err }
		}},
	}
}

// failAttempts is how many token requests each failure is injected into:
// at least as many as a caller's foreground attempts.
const failAttempts = 3

// tokenCall is a secretGrant.prepare that just asks for a token.
func tokenCall(_ *testing.T, _ *oauthtest.Server, m *TokenManager) func() error {
	return func() error { _, err := m.Token(context.Background()); return err }
}

// TestSecurityNoSecretInErrors drives every echo and every fault of the
// test AS through every grant and client authentication method, then
// discovery and registration failures, and scans every error.
func TestSecurityNoSecretInErrors(t *testing.T) {
	k := testKeys()
	keyPEM := string(pkcs8PEM(t, k.ec256))
	srv := asServer(t, oauthtest.Options{TokenLifetime: time.Hour, Clients: []oauthtest.Client{
		{ID: oauthtest.DefaultClientID, Secret: oauthtest.DefaultClientSecret},
		{ID: "jwt-client", PublicKey: &k.ec256.PublicKey},
	}})
	scan := newSecretScan()
	scan.secret(oauthtest.DefaultClientSecret, keyPEM, plantedToken, plantedRefresh, "at-echo-0123456789")
	// The Basic credential as sent on the wire.
	scan.secret(strings.TrimPrefix(basicHeader(oauthtest.DefaultClientID, oauthtest.DefaultClientSecret), "Basic "))

	failures := map[string]oauthtest.Failure{}
	for _, e := range echoFailures {
		failures["echo: "+e.name] = e.failure
	}
	for _, f := range faultCases {
		failures["fault: "+f.name] = f.failure
	}
	for _, g := range secretGrants() {
		for name, f := range failures {
			t.Run(g.name+"/"+name, func(t *testing.T) {
				m := newManager(t, g.config(srv, keyPEM))
				noRetryWait(m)
				do := g.prepare(t, srv, m)
				// Every attempt fails: a transient failure may be retried.
				srv.FailNext(failAttempts, f)
				err := do()
				scan.modes++
				require.Error(t, err)
				scan.err(err)
				scan.harvest(srv)
				srv.Reset() // the remaining failures, and the requests seen
				if s := m.cur.Load(); s != nil {
					scan.secret(s.AccessToken)
				}
				m.mu.Lock()
				scan.secret(m.refreshToken)
				m.mu.Unlock()
			})
		}
	}
	t.Run("discovery and registration", func(t *testing.T) { discoveryFailures(t, scan) })
	t.Run("enterprise-managed authorization", func(t *testing.T) { crossAppFailures(t, scan) })
	n := scan.check(t)
	t.Logf("%d failure modes driven, %d error texts scanned for %d secrets", scan.modes, n, len(scan.secrets))
}

// basicHeader is the Authorization header of client_secret_basic (RFC 6749
// §2.3.1: both parts form-encoded first).
func basicHeader(id, secret string) string {
	r := &http.Request{Header: http.Header{}}
	r.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	return r.Header.Get("Authorization")
}

// echoRequest answers with an error whose member quotes the request's
// Authorization header and body.
func echoRequest(status int, member string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		dump := "Authorization: " + r.Header.Get("Authorization") + "\n" + string(body)
		jsonAnswer(status, map[string]any{"error": "invalid_client_metadata", member: dump})(w, r)
	}
}

// crossAppFailures drives the enterprise-managed flow (ID token → ID-JAG →
// token) against an IdP, then an AS, that echo the request.
func crossAppFailures(t *testing.T, scan *secretScan) {
	const idToken, idpSecret, jag = "id-token-0123456789", "idp-secret-0123456789", "id-jag-0123456789"
	scan.secret(idToken, idpSecret, jag, "xaa-secret-0123456789",
		strings.TrimPrefix(basicHeader("idp-client", idpSecret), "Basic "),
		strings.TrimPrefix(basicHeader("xaa-client", "xaa-secret-0123456789"), "Basic "))
	goodAS := jsonAnswer(200, bearer("at-xaa-0123456789", 3600))
	goodIdP := jsonAnswer(200, map[string]any{"access_token": jag, "issued_token_type": tokenTypeIDJAG, "token_type": "N_A"})
	for _, tc := range []struct {
		name    string
		idp, as http.HandlerFunc
	}{
		{"IdP echoes the token exchange", echoRequest(400, "error_description"), goodAS},
		{"IdP echoes into the error code", echoRequest(200, "error"), goodAS},
		{"IdP puts the ID token in issued_token_type", func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			jsonAnswer(200, map[string]any{"access_token": jag, "issued_token_type": r.PostForm.Get("subject_token")})(w, r)
		}, goodAS},
		{"AS echoes the jwt-bearer grant", goodIdP, echoRequest(400, "error_description")},
	} {
		idp, as := newDocServer(t), newDocServer(t)
		idp.route("/token", tc.idp)
		as.route("/token", tc.as)
		cfg := jwtBearerConfig(as.URL, idp.URL)
		cfg.ClientSecret, cfg.IDPClientSecret, cfg.IDPIDToken = "xaa-secret-0123456789", idpSecret, idToken
		cfg.HTTPTimeoutSeconds = faultTimeout.Seconds()
		_, err := newManager(t, cfg).Token(context.Background())
		require.Error(t, err, tc.name)
		scan.modes++
		scan.err(err)
	}
}

// discoveryFailures drives discovery and registration failures of a
// confidential pre-registered client and of dynamic registration with an
// initial access token, with servers that echo requests.
func discoveryFailures(t *testing.T, scan *secretScan) {
	const iat = "iat-secret-0123456789"
	const regSecret = "reg-secret-0123456789"
	scan.secret(iat, regSecret, "s3cr3t-value")
	regCases := []struct {
		name   string
		answer http.HandlerFunc
	}{
		{"registration error echoes the request", echoRequest(400, "error_description")},
		{"registration 200 error echoes the request", echoRequest(200, "error_description")},
		{"registration echoes into the error code", func(w http.ResponseWriter, r *http.Request) {
			jsonAnswer(400, map[string]any{"error": r.Header.Get("Authorization")})(w, r)
		}},
		{"secret as the auth method", jsonAnswer(201, map[string]any{"client_id": "c", "client_secret": regSecret, "token_endpoint_auth_method": regSecret})},
		{"no client_id", jsonAnswer(201, map[string]any{"client_secret": regSecret})},
		{"500", statusAnswer(500)},
		{"10 MB", hugeAnswer(10<<20, false)},
		{"hang", slowAnswer(false)},
	}
	for _, tc := range regCases {
		s := newDocServer(t)
		s.route("/register", tc.answer)
		_, err := RegisterClient(context.Background(), s.client(faultTimeout), s.URL+"/register",
			ClientRegistration{RedirectURIs: []string{redirect}, InitialAccessToken: iat})
		require.Error(t, err, tc.name)
		scan.modes++
		scan.err(err)
	}

	// A confidential client in discovery mode against broken discovery.
	docCases := []struct {
		name  string
		setup func(s *docServer)
	}{
		{"PRM 500", func(s *docServer) { s.route("/.well-known/oauth-protected-resource/mcp", statusAnswer(500)) }},
		{"PRM hang", func(s *docServer) { s.route("/.well-known/oauth-protected-resource/mcp", slowAnswer(true)) }},
		{"PRM 10 MB", func(s *docServer) { s.route("/.well-known/oauth-protected-resource/mcp", hugeAnswer(10<<20, true)) }},
		{"PRM for another resource", func(s *docServer) {
			s.json("/.well-known/oauth-protected-resource/mcp", prmDoc("https://other.example/mcp", s.URL))
		}},
		{"AS metadata for another issuer", func(s *docServer) {
			s.json("/.well-known/oauth-protected-resource/mcp", prmDoc(s.URL+"/mcp", s.URL))
			s.json(wellKnownOAuthAS, asmDoc("https://evil.example", s.URL))
		}},
		{"AS token endpoint over http", func(s *docServer) {
			s.json("/.well-known/oauth-protected-resource/mcp", prmDoc(s.URL+"/mcp", s.URL))
			s.json(wellKnownOAuthAS, asmDoc(s.URL, "http://as.example"))
		}},
		{"no metadata, token endpoint echoes", func(s *docServer) {
			s.route("/token", echoRequest(400, "error_description"))
		}},
	}
	for _, tc := range docCases {
		s := newDocServer(t)
		tc.setup(s)
		m := newManager(t, &Config{ServerURL: s.URL + "/mcp", ClientID: "client", ClientSecret: "s3cr3t-value",
			Issuer: s.URL, HTTPTimeoutSeconds: faultTimeout.Seconds()})
		_, err := m.Token(context.Background())
		require.Error(t, err, tc.name)
		scan.modes++
		scan.err(err)
	}

	// Some MCP servers take an API key in the URL's query: failures of
	// discovery requests built from it must not quote it.
	const apiKey = "apikey-0123456789"
	scan.secret(apiKey)
	for _, answer := range []http.HandlerFunc{slowAnswer(false), statusAnswer(500), hugeAnswer(10<<20, true)} {
		s := newDocServer(t)
		s.route("/.well-known/oauth-protected-resource/mcp?api_key="+apiKey, answer)
		s.route("/mcp?api_key="+apiKey, answer)
		m := newManager(t, &Config{ServerURL: s.URL + "/mcp?api_key=" + apiKey, ClientID: "client", ClientSecret: "s3cr3t-value",
			Issuer: s.URL, HTTPTimeoutSeconds: faultTimeout.Seconds()})
		_, err := m.Token(context.Background())
		require.Error(t, err)
		scan.modes++
		scan.err(err)
	}
	closed := newDocServer(t)
	closedURL := closed.URL
	closed.Close()
	m := newManager(t, &Config{ServerURL: closedURL + "/mcp?api_key=" + apiKey, ClientID: "client", ClientSecret: "s3cr3t-value",
		Issuer: closedURL})
	_, err := m.Token(context.Background())
	require.Error(t, err)
	scan.modes++
	scan.err(err)
}

// TestSecurityCoreWritesNoLogs: the library writes nothing itself (no log
// or syslog import, no slog default logger, no write to stdout or stderr):
// its events go only to the handler the program set (log.go), and carry no
// secret (TestLogTellsAFullFlowWithoutASecret and each language's logging
// test); everything else it has to say travels in errors, scanned above.
func TestSecurityCoreWritesNoLogs(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		checked++
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			assert.NotContains(t, []string{"log", "log/syslog"}, path, "%s imports %s", name, path)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if pkg, ok := n.X.(*ast.Ident); ok &&
					(pkg.Name == "os" && (n.Sel.Name == "Stdout" || n.Sel.Name == "Stderr") ||
						pkg.Name == "fmt" && strings.HasPrefix(n.Sel.Name, "Print") ||
						pkg.Name == "slog" && slices.Contains([]string{"Default", "SetDefault", "Debug", "DebugContext",
							"Info", "InfoContext", "Warn", "WarnContext", "Error", "ErrorContext", "Log", "LogAttrs"}, n.Sel.Name)) {
					t.Errorf("%s writes output: %s.%s", name, pkg.Name, n.Sel.Name)
				}
			case *ast.CallExpr:
				if fn, ok := n.Fun.(*ast.Ident); ok && (fn.Name == "print" || fn.Name == "println") {
					t.Errorf("%s writes output: %s", name, fn.Name)
				}
			}
			return true
		})
	}
	assert.Greater(t, checked, 20, "the core sources were found")
}
