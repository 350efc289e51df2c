package core

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	prmRoot     = "/.well-known/oauth-protected-resource"
	prmInserted = "/.well-known/oauth-protected-resource/mcp"
	prmHeader   = "/meta/prm.json"
)

func TestDiscoverProtectedResourceOrderAndFallbacks(t *testing.T) {
	type routes map[string]func(s *docServer) http.HandlerFunc
	good := func(s *docServer) http.HandlerFunc {
		return jsonAnswer(200, prmDoc(s.URL+"/mcp", "https://as.example.com"))
	}
	goodRoot := func(s *docServer) http.HandlerFunc { return jsonAnswer(200, prmDoc(s.URL, "https://as.example.com")) }
	status := func(code int) func(*docServer) http.HandlerFunc {
		return func(*docServer) http.HandlerFunc { return statusAnswer(code) }
	}
	tests := []struct {
		name      string
		header    bool // pass the challenge's resource_metadata URL
		routes    routes
		wantFrom  string   // path the accepted document came from; "" = error
		wantHits  []string // paths requested, in order
		wantError func(t *testing.T, err error)
	}{
		{name: "header URL first and only", header: true,
			routes:   routes{prmHeader: good, prmInserted: good, prmRoot: good},
			wantFrom: prmHeader, wantHits: []string{prmHeader}},
		{name: "path-inserted before root", routes: routes{prmInserted: good, prmRoot: goodRoot},
			wantFrom: prmInserted, wantHits: []string{prmInserted}},
		{name: "root after path-inserted 404", routes: routes{prmRoot: goodRoot},
			wantFrom: prmRoot, wantHits: []string{prmInserted, prmRoot}},
		{name: "header 404 falls back to well-known", header: true, routes: routes{prmRoot: goodRoot},
			wantFrom: prmRoot, wantHits: []string{prmHeader, prmInserted, prmRoot}},
		{name: "400 falls back (Cognito)", routes: routes{prmInserted: status(400), prmRoot: goodRoot},
			wantFrom: prmRoot, wantHits: []string{prmInserted, prmRoot}},
		{name: "401 falls back (CDN)", routes: routes{prmInserted: status(401), prmRoot: goodRoot},
			wantFrom: prmRoot, wantHits: []string{prmInserted, prmRoot}},
		{name: "403 falls back (CDN)", routes: routes{prmInserted: status(403), prmRoot: goodRoot},
			wantFrom: prmRoot, wantHits: []string{prmInserted, prmRoot}},
		{name: "405 and 429 fall back", header: true, routes: routes{prmHeader: status(405), prmInserted: status(429), prmRoot: goodRoot},
			wantFrom: prmRoot, wantHits: []string{prmHeader, prmInserted, prmRoot}},
		{name: "HTML catch-all page falls back", routes: routes{prmInserted: func(*docServer) http.HandlerFunc { return htmlAnswer }, prmRoot: goodRoot},
			wantFrom: prmRoot, wantHits: []string{prmInserted, prmRoot}},
		{name: "malformed JSON falls back", routes: routes{prmInserted: func(*docServer) http.HandlerFunc { return jsonAnswer(200, `{"resource": "x",`) }, prmRoot: goodRoot},
			wantFrom: prmRoot, wantHits: []string{prmInserted, prmRoot}},
		{name: "nothing anywhere", header: true, routes: routes{},
			wantHits: []string{prmHeader, prmInserted, prmRoot},
			wantError: func(t *testing.T, err error) {
				require.ErrorIs(t, err, ErrMetadataNotFound)
				assert.Contains(t, err.Error(), "HTTP 404")
			}},
		{name: "malformed JSON everywhere", routes: routes{
			prmInserted: func(*docServer) http.HandlerFunc { return jsonAnswer(200, `{"resource"`) },
			prmRoot:     func(*docServer) http.HandlerFunc { return jsonAnswer(200, `[1,2]`) }},
			wantHits: []string{prmInserted, prmRoot},
			wantError: func(t *testing.T, err error) {
				require.ErrorIs(t, err, ErrMetadataNotFound)
				assert.Contains(t, err.Error(), "not a JSON object")
			}},
		{name: "5xx stops discovery", routes: routes{prmInserted: status(503), prmRoot: goodRoot},
			wantHits: []string{prmInserted},
			wantError: func(t *testing.T, err error) {
				var se *ServerError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, 503, se.StatusCode)
			}},
		{name: "PRM for another resource", routes: routes{prmInserted: func(*docServer) http.HandlerFunc {
			return jsonAnswer(200, prmDoc("https://other.example.com/mcp", "https://as.example.com"))
		}},
			wantHits: []string{prmInserted, prmRoot},
			wantError: func(t *testing.T, err error) {
				var me *ResourceMismatchError
				require.ErrorAs(t, err, &me)
				assert.Equal(t, "https://other.example.com/mcp", me.Resource)
				assert.Contains(t, me.MetadataURL, prmInserted)
			}},
		{name: "mismatching document is skipped for a matching one", routes: routes{
			prmInserted: func(*docServer) http.HandlerFunc {
				return jsonAnswer(200, prmDoc("https://other.example.com/mcp", "https://evil.example.com"))
			},
			prmRoot: goodRoot},
			wantFrom: prmRoot, wantHits: []string{prmInserted, prmRoot}},
		{name: "resource more specific than the server", routes: routes{prmInserted: func(s *docServer) http.HandlerFunc {
			return jsonAnswer(200, prmDoc(s.URL+"/mcp/v2", "https://as.example.com"))
		}},
			wantHits: []string{prmInserted, prmRoot},
			wantError: func(t *testing.T, err error) {
				var me *ResourceMismatchError
				require.ErrorAs(t, err, &me)
			}},
		{name: "resource without member", routes: routes{prmInserted: func(*docServer) http.HandlerFunc {
			return jsonAnswer(200, map[string]any{"authorization_servers": []string{"https://as.example.com"}})
		}},
			wantHits: []string{prmInserted, prmRoot},
			wantError: func(t *testing.T, err error) {
				var me *MetadataError
				require.ErrorAs(t, err, &me)
				assert.Contains(t, me.Reason, "resource member is missing")
			}},
		{name: "member of the wrong type", routes: routes{prmInserted: func(*docServer) http.HandlerFunc {
			return jsonAnswer(200, `{"resource": 5, "authorization_servers": ["https://as.example.com"]}`)
		}},
			wantHits: []string{prmInserted, prmRoot},
			wantError: func(t *testing.T, err error) {
				var me *MetadataError
				require.ErrorAs(t, err, &me)
				assert.Contains(t, me.Reason, "wrong type")
			}},
		{name: "no usable authorization server", routes: routes{prmInserted: func(s *docServer) http.HandlerFunc {
			return jsonAnswer(200, prmDoc(s.URL+"/mcp", "http://as.example.com", "https://169.254.169.254", "https://as.example.com?x=1", ""))
		}},
			wantHits: []string{prmInserted, prmRoot},
			wantError: func(t *testing.T, err error) {
				var me *MetadataError
				require.ErrorAs(t, err, &me)
				assert.Contains(t, me.Reason, "authorization_servers")
			}},
		{name: "same-origin redirect is followed", routes: routes{
			prmInserted:  func(*docServer) http.HandlerFunc { return redirectAnswer(301, "/moved/prm") },
			"/moved/prm": good},
			wantFrom: "/moved/prm", wantHits: []string{prmInserted, "/moved/prm"}},
		{name: "redirect loop is abandoned", routes: routes{
			prmInserted: func(*docServer) http.HandlerFunc { return redirectAnswer(302, prmInserted) },
			prmRoot:     goodRoot},
			wantFrom: prmRoot,
			wantHits: []string{prmInserted, prmInserted, prmInserted, prmInserted, prmInserted, prmInserted, prmRoot}},
		{name: "redirect without Location", routes: routes{prmInserted: func(*docServer) http.HandlerFunc { return statusAnswer(302) }, prmRoot: goodRoot},
			wantFrom: prmRoot, wantHits: []string{prmInserted, prmRoot}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newDocServer(t)
			for path, h := range tc.routes {
				s.route(path, h(s))
			}
			header := ""
			if tc.header {
				header = s.URL + prmHeader
			}
			got, err := DiscoverProtectedResource(context.Background(), s.client(2*time.Second), s.URL+"/mcp", header)
			assert.Equal(t, tc.wantHits, s.requested())
			if tc.wantFrom == "" {
				require.Error(t, err)
				assert.Nil(t, got)
				tc.wantError(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, s.URL+tc.wantFrom, got.MetadataURL)
			assert.Equal(t, []string{"https://as.example.com"}, got.AuthorizationServers)
			assert.Equal(t, []string{"mcp:read", "mcp:write"}, got.ScopesSupported)
			assert.Equal(t, "Test MCP", got.ResourceName)
		})
	}
}

func TestDiscoverProtectedResourceCrossOriginRedirect(t *testing.T) {
	other := newDocServer(t)
	other.json(prmInserted, prmDoc("https://ignored.example", "https://as.example.com"))
	s := newDocServer(t)
	s.route(prmInserted, redirectAnswer(307, other.URL+prmInserted))
	s.route(prmRoot, redirectAnswer(307, other.URL+prmRoot))

	_, err := DiscoverProtectedResource(context.Background(), s.client(2*time.Second), s.URL+"/mcp", "")
	require.ErrorIs(t, err, ErrMetadataNotFound)
	assert.Contains(t, err.Error(), "another origin")
	assert.Empty(t, other.requested(), "a redirect to another origin is never followed")
}

// A client that follows redirects itself is tamed: discovery decides.
func TestDiscoverProtectedResourceIgnoresClientRedirectPolicy(t *testing.T) {
	other := newDocServer(t)
	s := newDocServer(t)
	other.json(prmRoot, prmDoc(s.URL, "https://as.example.com"))
	s.route(prmRoot, redirectAnswer(302, other.URL+prmRoot))
	c := s.client(2 * time.Second)
	c.CheckRedirect = nil // net/http default: follow up to 10
	_, err := DiscoverProtectedResource(context.Background(), c, s.URL, "")
	require.ErrorIs(t, err, ErrMetadataNotFound)
	assert.Empty(t, other.requested())
}

func TestDiscoverProtectedResourceHostileBodiesAndTimeouts(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		check   func(t *testing.T, err error)
	}{
		{"10 MB body with Content-Length", hugeAnswer(10<<20, true), bodyTooLarge},
		{"10 MB chunked body", hugeAnswer(10<<20, false), bodyTooLarge},
		{"slow headers", slowAnswer(false), timedOut},
		{"slow body", slowAnswer(true), timedOut},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newDocServer(t)
			s.route(prmInserted, tc.handler)
			s.json(prmRoot, prmDoc(s.URL, "https://as.example.com"))
			// A timeout is told from the slow server's late empty answer by
			// the error's kind (timedOut), a body cap by bodyTooLarge.
			_, err := DiscoverProtectedResource(context.Background(), s.client(200*time.Millisecond), s.URL+"/mcp", "")
			tc.check(t, err)
			assert.Equal(t, []string{prmInserted}, s.requested(), "discovery stops at a hostile answer")
		})
	}
}

func bodyTooLarge(t *testing.T, err error) {
	t.Helper()
	var pe *ProtocolError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.Reason, "1 MiB")
}

func timedOut(t *testing.T, err error) {
	t.Helper()
	var ne *NetworkError
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout, "err = %v", err)
	assert.Contains(t, ne.Endpoint, "metadata")
}

func TestDiscoverProtectedResourceRefusesUnsafeURLs(t *testing.T) {
	s := newDocServer(t)
	tests := []struct{ name, server, header string }{
		{"server over plain http", "http://mcp.example.com/mcp", ""},
		{"header pointing at cloud metadata", s.URL + "/mcp", "https://169.254.169.254/latest/meta-data/"},
		{"header over plain http", s.URL + "/mcp", "http://attacker.example/prm"},
		{"header with credentials", s.URL + "/mcp", "https://u:p@mcp.example.com/prm"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DiscoverProtectedResource(context.Background(), s.client(time.Second), tc.server, tc.header)
			var ue *DiscoveryURLError
			require.ErrorAs(t, err, &ue)
		})
	}
	assert.Empty(t, s.requested())
}

func TestDiscoverProtectedResourceContextAndDefaultClient(t *testing.T) {
	s := newDocServer(t)
	s.json(prmRoot, prmDoc(s.URL, "https://as.example.com"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := DiscoverProtectedResource(ctx, s.client(time.Second), s.URL, "")
	var ne *NetworkError
	require.ErrorAs(t, err, &ne)
	require.ErrorIs(t, err, context.Canceled)

	t.Cleanup(defaultDiscoveryClient().CloseIdleConnections)
	got, err := DiscoverProtectedResource(context.Background(), nil, s.URL, "")
	require.NoError(t, err)
	assert.Equal(t, s.URL, got.Resource)
}

func TestDiscoverProtectedResourceKeepsQuery(t *testing.T) {
	s := newDocServer(t)
	s.json(prmInserted+"?tenant=a", map[string]any{"resource": s.URL + "/mcp?tenant=a", "authorization_servers": []string{"https://as.example.com"}})
	got, err := DiscoverProtectedResource(context.Background(), s.client(time.Second), s.URL+"/mcp?tenant=a#frag", "")
	require.NoError(t, err)
	assert.Equal(t, s.URL+"/mcp?tenant=a", got.Resource)
}

func TestPRMWellKnownURLs(t *testing.T) {
	tests := []struct {
		server string
		want   []string
	}{
		{"https://mcp.example.com", []string{"https://mcp.example.com/.well-known/oauth-protected-resource"}},
		{"https://mcp.example.com/", []string{"https://mcp.example.com/.well-known/oauth-protected-resource"}},
		{"https://mcp.example.com/public/mcp", []string{
			"https://mcp.example.com/.well-known/oauth-protected-resource/public/mcp",
			"https://mcp.example.com/.well-known/oauth-protected-resource"}},
		{"https://mcp.example.com/mcp/", []string{
			"https://mcp.example.com/.well-known/oauth-protected-resource/mcp",
			"https://mcp.example.com/.well-known/oauth-protected-resource"}},
		{"https://mcp.example.com:8443/?x=1", []string{
			"https://mcp.example.com:8443/.well-known/oauth-protected-resource?x=1",
			"https://mcp.example.com:8443/.well-known/oauth-protected-resource"}},
		{"https://mcp.example.com/a%2Fb", []string{
			"https://mcp.example.com/.well-known/oauth-protected-resource/a%2Fb",
			"https://mcp.example.com/.well-known/oauth-protected-resource"}},
	}
	for _, tc := range tests {
		t.Run(tc.server, func(t *testing.T) {
			u, err := url.Parse(tc.server)
			require.NoError(t, err)
			assert.Equal(t, tc.want, prmWellKnownURLs(u))
		})
	}
}

func TestResourceMatchesServer(t *testing.T) {
	tests := []struct {
		resource, server string
		want             bool
	}{
		{"https://mcp.example.com/mcp", "https://mcp.example.com/mcp", true},
		{"https://mcp.example.com", "https://mcp.example.com/mcp", true},
		{"https://mcp.example.com/", "https://mcp.example.com/mcp", true},
		{"https://mcp.example.com/mcp/", "https://mcp.example.com/mcp", true},
		{"https://mcp.example.com/mcp", "https://mcp.example.com/mcp/", true},
		{"https://mcp.example.com/server", "https://mcp.example.com/server/mcp", true},
		{"HTTPS://MCP.Example.COM/mcp", "https://mcp.example.com/mcp", true},
		{"https://mcp.example.com:443/mcp", "https://mcp.example.com/mcp", true},
		{"https://mcp.example.com/%7Euser/mcp", "https://mcp.example.com/~user/mcp", true},
		{"https://mcp.example.com/a%2fb", "https://mcp.example.com/a%2Fb", true},
		{"https://mcp.example.com/x/../mcp", "https://mcp.example.com/mcp", true},
		{"https://mcp.example.com/mcp", "https://mcp.example.com/mcp?session=1", true},
		{"https://mcp.example.com/mcp?tenant=a", "https://mcp.example.com/mcp?tenant=a", true},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080/mcp", true},

		{"https://mcp.example.com/mcp", "https://mcp.example.com/mcp2", false},
		{"https://mcp.example.com/mc", "https://mcp.example.com/mcp", false},
		{"https://mcp.example.com/mcp/v2", "https://mcp.example.com/mcp", false},
		{"https://mcp.example.com/other", "https://mcp.example.com/mcp", false},
		{"https://evil.example.com/mcp", "https://mcp.example.com/mcp", false},
		{"https://mcp.example.com.evil.example/mcp", "https://mcp.example.com/mcp", false},
		{"http://mcp.example.com/mcp", "https://mcp.example.com/mcp", false},
		{"https://mcp.example.com:8443/mcp", "https://mcp.example.com/mcp", false},
		{"https://mcp.example.com/a/b", "https://mcp.example.com/a%2Fb", false},
		{"https://mcp.example.com/mcp?tenant=b", "https://mcp.example.com/mcp?tenant=a", false},
		{"https://mcp.example.com/mcp?tenant=a", "https://mcp.example.com/mcp/x?tenant=a", false},
		{"https://mcp.example.com/mcp#frag", "https://mcp.example.com/mcp", false},
		{"https://u@mcp.example.com/mcp", "https://mcp.example.com/mcp", false},
		{"mcp.example.com/mcp", "https://mcp.example.com/mcp", false},
		{"urn:example:mcp", "https://mcp.example.com/mcp", false},
		{"", "https://mcp.example.com/mcp", false},
		{"https://mcp.example.com/mcp", "::bad", false},
	}
	for _, tc := range tests {
		t.Run(tc.resource+" vs "+tc.server, func(t *testing.T) {
			assert.Equal(t, tc.want, ResourceMatchesServer(tc.resource, tc.server))
		})
	}
}

func TestResourceMismatchErrorIsTyped(t *testing.T) {
	err := error(&ResourceMismatchError{ServerURL: "https://a.example/mcp", Resource: "https://b.example", MetadataURL: "https://a.example/.well-known/oauth-protected-resource"})
	var me *ResourceMismatchError
	assert.True(t, errors.As(err, &me))
	assert.Contains(t, err.Error(), `"https://b.example"`)
}
