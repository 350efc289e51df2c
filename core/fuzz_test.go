package core

// Fuzz targets for every parser that reads server- or caller-supplied data.
// `go test ./core` runs their seed corpora (f.Add seeds and the files under
// testdata/fuzz/<Target>/); `make fuzz` runs each with the fuzzing engine.
// Each target must never panic and keeps the invariants it checks.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// knownError reports whether err is one of the library's typed errors (or
// one of its sentinels), never a bare error escaping from a dependency.
func knownError(err error) bool {
	var (
		ce  *ConfigError
		oe  *OAuthError
		se  *ServerError
		pe  *ProtocolError
		ne  *NetworkError
		ade *AuthorizationDeniedError
		ime *IssuerMismatchError
		me  *MetadataError
		rme *ResourceMismatchError
		mim *MetadataIssuerMismatchError
		due *DiscoveryURLError
		re  *RegistrationError
	)
	return errors.As(err, &ce) || errors.As(err, &oe) || errors.As(err, &se) || errors.As(err, &pe) ||
		errors.As(err, &ne) || errors.As(err, &ade) || errors.As(err, &ime) || errors.As(err, &me) ||
		errors.As(err, &rme) || errors.As(err, &mim) || errors.As(err, &due) || errors.As(err, &re) ||
		errors.Is(err, ErrStateMismatch) || errors.Is(err, ErrClosed)
}

// FuzzParseTokenResponse feeds arbitrary token endpoint answers (status,
// content type, body) to parseTokenResponse. A success is a 2xx with a
// non-empty access token of type Bearer whose expiry, when set, lies after
// the request was sent and within maxLifetime; every failure is typed.
func FuzzParseTokenResponse(f *testing.F) {
	for _, s := range []struct {
		status int
		ct     string
		body   string
	}{
		{200, "application/json", `{"access_token":"at","token_type":"Bearer","expires_in":3600}`},
		{200, "application/json", `{"access_token":"at","token_type":"bearer","expires_in":"3600","refresh_token":"rt","scope":"a b"}`},
		{200, "application/json", `{"access_token":"at","token_type":"mac"}`},
		{200, "application/json", `{"access_token":"at","expires_in":-1}`},
		{200, "application/json", `{"access_token":"at","expires_in":1e400}`},
		{200, "application/json", `{"access_token":"at","expires_in":"soon"}`},
		{200, "application/json", `{"error":"invalid_grant","error_description":"nope"}`},
		{400, "application/json", `{"error":"invalid_client"}`},
		{500, "text/html", `<html>oops</html>`},
		{302, "", ``},
		{200, "application/x-www-form-urlencoded", `access_token=at&token_type=bearer&expires_in=60`},
		{200, "text/plain; charset=utf-8", `error=bad_verification_code&error_description=x`},
		{200, "application/json", `[1,2]`},
		{200, "application/json", `null`},
		{200, "application/json", `{"access_token":"at"} trailing`},
		{200, "application/json", `{"access_token":7}`},
	} {
		f.Add(s.status, s.ct, []byte(s.body))
	}
	sent := time.Unix(1_700_000_000, 0)
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		fields, ferr := decodeFields(contentType, body)
		if ferr == nil {
			if fields == nil {
				t.Fatal("decodeFields returned nil fields and no error")
			}
			_, _ = fields.expiresIn()
		} else if !knownError(ferr) {
			t.Fatalf("decodeFields: untyped error %T %v", ferr, ferr)
		}
		tok, err := parseTokenResponse(status, contentType, body, sent)
		if err != nil {
			if tok != nil {
				t.Fatal("token and error both returned")
			}
			if !knownError(err) {
				t.Fatalf("untyped error %T %v", err, err)
			}
			if !utf8.ValidString(err.Error()) && utf8.Valid(body) {
				t.Fatalf("error message is not UTF-8: %q", err.Error())
			}
			return
		}
		if status < 200 || status >= 300 {
			t.Fatalf("status %d accepted", status)
		}
		if tok.AccessToken == "" || tok.TokenType != "Bearer" {
			t.Fatalf("bad token accepted: %+v", tok)
		}
		if !tok.Expiry.IsZero() && (!tok.Expiry.After(sent) || tok.Expiry.Sub(sent) > maxLifetime) {
			t.Fatalf("expiry %v out of range", tok.Expiry)
		}
		var lifetime time.Duration
		if !tok.Expiry.IsZero() {
			lifetime = tok.Expiry.Sub(sent)
		}
		if refreshAt, validUntil := schedule(sent, lifetime, DefaultRefreshMargin); refreshAt.After(validUntil) || validUntil.Before(sent) {
			t.Fatalf("schedule refresh %v valid %v for expiry %v", refreshAt, validUntil, tok.Expiry)
		}
	})
}

// FuzzProtectedResourceMetadata decodes arbitrary protected resource
// metadata (RFC 9728) for https://mcp.example.com/mcp. An accepted document
// names a resource that matches the server and lists only usable issuers.
func FuzzProtectedResourceMetadata(f *testing.F) {
	for _, s := range []string{
		`{"resource":"https://mcp.example.com/mcp","authorization_servers":["https://as.example.com"]}`,
		`{"resource":"https://mcp.example.com","authorization_servers":["https://as.example.com/tenant"],"scopes_supported":["a","b"],"bearer_methods_supported":["header"]}`,
		`{"resource":"https://evil.example.com/mcp","authorization_servers":["https://as.example.com"]}`,
		`{"resource":"https://mcp.example.com/mcp","authorization_servers":["http://as.example.com"]}`,
		`{"resource":"https://mcp.example.com/mcp","authorization_servers":"https://as.example.com"}`,
		`{"resource":"https://mcp.example.com/mcp","authorization_servers":[1,null]}`,
		`{"resource":"https://MCP.example.com:443/./mcp/","authorization_servers":["https://as.example.com"],"tls_client_certificate_bound_access_tokens":"true"}`,
		`{"resource":1}`,
		`[]`,
		`{`,
	} {
		f.Add([]byte(s))
	}
	server, _ := url.Parse("https://mcp.example.com/mcp")
	const from = "https://mcp.example.com/.well-known/oauth-protected-resource/mcp"
	f.Fuzz(func(t *testing.T, body []byte) {
		md, err := validatePRM(fetchedDoc{requested: from, url: from, status: 200, body: body}, server, true)
		if err != nil {
			if md != nil || !knownError(err) {
				t.Fatalf("untyped error or result with error: %T %v", err, err)
			}
			return
		}
		if md.Resource == "" || !ResourceMatchesServer(md.Resource, server.String()) {
			t.Fatalf("resource %q accepted for %s", md.Resource, server)
		}
		if len(md.AuthorizationServers) == 0 {
			t.Fatal("no authorization server accepted")
		}
		for _, as := range md.AuthorizationServers {
			if err := checkIssuerURL(as); err != nil {
				t.Fatalf("unusable issuer %q kept: %v", as, err)
			}
		}
		if md.MetadataURL != from {
			t.Fatalf("metadata URL %q", md.MetadataURL)
		}
	})
}

// FuzzAuthServerMetadata decodes arbitrary authorization server metadata
// (RFC 8414) expected for issuer https://as.example.com. An accepted
// document has exactly that issuer, a token endpoint, and endpoints that
// pass the discovery URL checks.
func FuzzAuthServerMetadata(f *testing.F) {
	for _, s := range []string{
		`{"issuer":"https://as.example.com","authorization_endpoint":"https://as.example.com/authorize","token_endpoint":"https://as.example.com/token","code_challenge_methods_supported":["S256"]}`,
		`{"issuer":"https://as.example.com","token_endpoint":"https://as.example.com/token","registration_endpoint":"https://as.example.com/register","token_endpoint_auth_methods_supported":"none","authorization_response_iss_parameter_supported":"true","client_id_metadata_document_supported":1}`,
		`{"issuer":"https://evil.example.com","token_endpoint":"https://as.example.com/token"}`,
		`{"issuer":"https://as.example.com"}`,
		`{"issuer":"https://as.example.com","token_endpoint":"http://169.254.169.254/token"}`,
		`{"issuer":"https://as.example.com","token_endpoint":"https://as.example.com/token","scopes_supported":[null,1]}`,
		`{"issuer":null}`,
		`"x"`,
	} {
		f.Add([]byte(s))
	}
	const issuer = "https://as.example.com"
	const from = "https://as.example.com/.well-known/oauth-authorization-server"
	f.Fuzz(func(t *testing.T, body []byte) {
		md, err := validateASM(fetchedDoc{url: from, status: 200, body: body}, issuer)
		if err != nil {
			if md != nil || !knownError(err) {
				t.Fatalf("untyped error or result with error: %T %v", err, err)
			}
			return
		}
		if md.Issuer != issuer || md.TokenEndpoint == "" {
			t.Fatalf("accepted issuer %q token endpoint %q", md.Issuer, md.TokenEndpoint)
		}
		for _, ep := range []string{md.AuthorizationEndpoint, md.TokenEndpoint, md.RegistrationEndpoint, md.DeviceAuthorizationEndpoint} {
			if ep != "" && checkDiscoveryURL(ep) != nil {
				t.Fatalf("unusable endpoint %q accepted", ep)
			}
		}
		_ = md.RequirePKCES256()
	})
}

// cannedTransport answers every request with one fixed response.
type cannedTransport struct {
	status int
	header http.Header
	body   []byte
}

func (c cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	h := c.header
	if h == nil {
		h = http.Header{"Content-Type": {"application/json"}}
	}
	return &http.Response{StatusCode: c.status, Header: h, Body: io.NopCloser(bytes.NewReader(c.body)),
		ContentLength: int64(len(c.body)), Request: r}, nil
}

// FuzzRegistrationResponse feeds arbitrary registration endpoint answers to
// RegisterClient (RFC 7591 §3.2). An accepted registration has a client_id
// and an auth method the library can use, with a secret when it needs one.
func FuzzRegistrationResponse(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{201, `{"client_id":"c1","token_endpoint_auth_method":"none","redirect_uris":["http://127.0.0.1:8976/callback"]}`},
		{201, `{"client_id":"c1","client_secret":"s","client_secret_expires_at":"0","client_id_issued_at":1.5e9}`},
		{200, `{"client_id":"c1","token_endpoint_auth_method":"client_secret_basic"}`},
		{201, `{"client_id":"c1","token_endpoint_auth_method":"tls_client_auth"}`},
		{400, `{"error":"invalid_redirect_uri","error_description":"no"}`},
		{201, `{"client_id":""}`},
		{201, `{"client_id":"c1","grant_types":"authorization_code","redirect_uris":[1]}`},
		{500, `<html></html>`},
		{307, ``},
		{201, `{"client_id":"c1"}{"x":1}`},
	} {
		f.Add(s.status, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			status = 200 + (status%800+800)%800
		}
		client := &http.Client{Transport: cannedTransport{status: status, body: body}, Timeout: time.Second}
		rc, err := RegisterClient(context.Background(), client, "https://as.example.com/register", ClientRegistration{
			RedirectURIs: []string{"http://127.0.0.1:8976/callback"}, ClientName: "fuzz",
		})
		if err != nil {
			if rc != nil || !knownError(err) {
				t.Fatalf("untyped error or result with error: %T %v", err, err)
			}
			return
		}
		if status < 200 || status >= 300 {
			t.Fatalf("status %d accepted", status)
		}
		if rc.ClientID == "" {
			t.Fatal("empty client_id accepted")
		}
		switch rc.TokenEndpointAuthMethod {
		case AuthNone:
		case AuthClientSecretBasic, AuthClientSecretPost:
			if rc.ClientSecret == "" {
				t.Fatal("secret-based method without a secret")
			}
		default:
			t.Fatalf("unusable auth method %q accepted", rc.TokenEndpointAuthMethod)
		}
		if s := rc.String(); rc.ClientSecret != "" && strings.Contains(s, rc.ClientSecret) && len(rc.ClientSecret) > 3 {
			t.Fatalf("String() shows the client secret: %s", s)
		}
	})
}

// FuzzCompleteAuthorization hands arbitrary redirect URLs to
// CompleteAuthorization on a manager with one pending flow. "{state}" in
// the input is replaced by the pending state, so the fuzzer reaches the
// code exchange, which a canned token endpoint answers. It must never
// panic; a state is usable once; a success comes with a token.
func FuzzCompleteAuthorization(f *testing.F) {
	for _, s := range []string{
		"http://127.0.0.1:8976/callback?code=abc&state={state}",
		"http://127.0.0.1:8976/callback?code=abc&state={state}&iss=https%3A%2F%2Fas.example.com",
		"http://127.0.0.1:8976/callback?code=abc&state={state}&iss=https%3A%2F%2Fevil.example.com",
		"http://127.0.0.1:8976/callback?error=access_denied&error_description=no&state={state}",
		"http://127.0.0.1:8976/callback?code=abc&state={state}&state={state}",
		"http://127.0.0.1:8976/callback?state={state}",
		"http://127.0.0.1:8976/callback?code=abc&state=wrong",
		"%zz",
		"",
		"?code=a&state={state};x=1",
		"http://[::1]:80/cb?code=%ff%fe&state={state}#frag",
		"callback?code=abc&state={state}&code=def",
	} {
		f.Add(s)
	}
	tokenBody := []byte(`{"access_token":"at-fuzz","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-fuzz"}`)
	f.Fuzz(func(t *testing.T, raw string) {
		cfg := &Config{ClientID: "public", TokenURL: "https://as.example.com/token",
			AuthorizeURL: "https://as.example.com/authorize", Issuer: "https://as.example.com", Scopes: []string{"mcp"}}
		m, err := NewTokenManager(cfg, WithHTTPClient(&http.Client{
			Transport: cannedTransport{status: 200, body: tokenBody}, Timeout: time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}))
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		req, err := m.BeginAuthorization(context.Background(), "http://127.0.0.1:8976/callback")
		if err != nil {
			t.Fatal(err)
		}
		in := strings.ReplaceAll(raw, "{state}", req.State)
		snap, err := m.CompleteAuthorization(context.Background(), in)
		if err != nil {
			if !knownError(err) {
				t.Fatalf("untyped error %T %v", err, err)
			}
			if strings.Contains(err.Error(), "at-fuzz") || strings.Contains(err.Error(), "rt-fuzz") {
				t.Fatalf("error leaks a token: %v", err)
			}
		} else if snap.AccessToken != "at-fuzz" {
			t.Fatalf("success without the token: %+v", snap)
		}
		if err == nil || !errors.Is(err, ErrStateMismatch) {
			// The pending state was consumed (or never matched): replaying the
			// same URL can no longer succeed.
			if _, err2 := m.CompleteAuthorization(context.Background(), in); err2 == nil {
				t.Fatal("a state was usable twice")
			}
		}
	})
}

// FuzzParseConfig decodes arbitrary configuration documents. Every failure
// is a *ConfigError; an accepted configuration validates again unchanged
// (Validate is idempotent) and survives a JSON round trip.
func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{
		`{"client_id":"c","client_secret":"s","token_url":"https://as.example.com/token","scopes":["a","b"]}`,
		`{"client_id":"c","token_url":"https://as.example.com/token","authorize_url":"https://as.example.com/authorize","redirect_uri":"http://127.0.0.1:8976/cb","issuer":"https://as.example.com","resource":"https://mcp.example.com/mcp"}`,
		`{"server_url":"https://mcp.example.com/mcp","client_name":"x","http_timeout_seconds":2.5,"refresh_margin_seconds":0}`,
		`{"client_id":"c","client_secret":"s","token_url":"http://127.0.0.1:9/token","token_endpoint_auth_method":"client_secret_post","grant_type":"client_credentials"}`,
		`{"client_id":"c","token_url":"http://example.com/token"}`,
		`{"client_id":"c","client_secret":"s","token_url":"https://as.example.com/token","pkce":false,"authorize_url":"https://as.example.com/a"}`,
		`{"client_id":"c","client_secret":"s","token_url":"https://as.example.com/token","unknown":1}`,
		`{"client_id":1}`,
		`{"client_id":"c","client_secret":"s","token_url":"https://as.example.com/token"} {}`,
		`{"client_id":"c","client_secret":"s","token_url":"https://as.example.com/token","http_timeout_seconds":1e309}`,
		`{"client_id":"c","client_secret":"s","token_url":"https://as.example.com/token","refresh_margin_seconds":-1}`,
		`{"client_id":"c","client_secret":"s","token_url":"https://as.example.com/token","scopes":["a b"]}`,
		`{"client_id":"c","private_key_pem":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----","token_url":"https://as.example.com/token"}`,
		`[]`, `null`, ``, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(data)
		if err != nil {
			var ce *ConfigError
			if c != nil || !errors.As(err, &ce) {
				t.Fatalf("not a ConfigError: %T %v", err, err)
			}
			return
		}
		again := *c
		if err := again.Validate(); err != nil {
			t.Fatalf("accepted config fails Validate: %v", err)
		}
		if !reflect.DeepEqual(&again, c) {
			t.Fatalf("Validate is not idempotent:\n%+v\n%+v", c, &again)
		}
		if c.HTTPTimeout() <= 0 || c.RefreshMargin() < 0 {
			t.Fatalf("timeout %v margin %v", c.HTTPTimeout(), c.RefreshMargin())
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		rt, err := ParseConfig(out)
		if err != nil {
			t.Fatalf("round trip of %s fails: %v", out, err)
		}
		// "scopes":[] comes back absent (omitempty): the same configuration.
		if len(c.Scopes) == 0 && len(rt.Scopes) == 0 {
			rt.Scopes = c.Scopes
		}
		if !reflect.DeepEqual(rt, c) {
			t.Fatalf("round trip changed the config:\n%+v\n%+v", c, rt)
		}
	})
}
