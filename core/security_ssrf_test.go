package core

// Rule: no SSRF into the user's own machine or private network (issue 12
// item 2). A URL learned from a server — the challenge's resource_metadata,
// the metadata's authorization servers and endpoints — may point at a
// loopback address only when the MCP server is itself on loopback, and at a
// private address (RFC 1918, ULA fc00::/7, CGNAT 100.64.0.0/10) only when
// the MCP server is itself on a private network. It is checked on the URL
// and again when dialling (a name that resolves there), so that DNS
// rebinding cannot get round it. Link-local and cloud metadata addresses
// stay refused always (security_test.go rule 3).

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// victim is a loopback HTTP server standing for a service on the user's
// machine: it counts every connection and request it gets.
type victim struct {
	*httptest.Server
	conns, requests atomic.Int64
}

func newVictim(t *testing.T) *victim {
	v := &victim{}
	v.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v.requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		// A victim that answers like the document asked for, so that a
		// request that goes through is used.
		_, _ = w.Write([]byte(`{"resource":"https://mcp.example.com/mcp","authorization_servers":["https://as.example.com"],` +
			`"issuer":"` + "http://" + r.Host + `","token_endpoint":"http://` + r.Host + `/quitquitquit","access_token":"at-victim-0123456789","token_type":"Bearer"}`))
	}))
	v.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			v.conns.Add(1)
		}
	}
	v.Start()
	t.Cleanup(v.Close)
	return v
}

// TestSecuritySSRFLearnedURLs: a remote https MCP server (the site) names a
// URL on the user's loopback or private network; the client refuses it
// with a DiscoveryURLError naming it, and the service there sees nothing.
func TestSecuritySSRFLearnedURLs(t *testing.T) {
	v := newVictim(t)
	loop := v.URL // http://127.0.0.1:PORT
	const (
		machine = iota // client credentials with its issuer, https://as.example.com
		login          // authorization code, everything discovered
		device         // the device grant, everything discovered
	)
	for _, tc := range []struct {
		name        string
		flow        int
		authServers []string
		asm         func(map[string]any)
		challenge   string
		refused     string // the URL the error names
	}{
		{name: "challenge resource_metadata on loopback", flow: machine, authServers: []string{"https://as.example.com"},
			challenge: loop + "/admin/delete-everything?confirm=yes", refused: loop + "/admin/delete-everything?confirm=yes"},
		{name: "authorization server on loopback", flow: login, authServers: []string{loop}, refused: loop},
		{name: "authorization server on localhost", flow: login, authServers: []string{strings.Replace(loop, "127.0.0.1", "localhost", 1)},
			refused: strings.Replace(loop, "127.0.0.1", "localhost", 1)},
		{name: "token endpoint on loopback", flow: machine, authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["token_endpoint"] = loop + "/quitquitquit" }, refused: loop + "/quitquitquit"},
		{name: "registration endpoint on loopback", flow: login, authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["registration_endpoint"] = loop + "/register" }, refused: loop + "/register"},
		{name: "device endpoint on loopback", flow: device, authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["device_authorization_endpoint"] = loop + "/device" }, refused: loop + "/device"},
		{name: "authorization endpoint on loopback", flow: login, authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["authorization_endpoint"] = loop + "/authorize" }, refused: loop + "/authorize"},
		{name: "token endpoint on IPv6 loopback", flow: machine, authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["token_endpoint"] = "http://[::1]:1/token" }, refused: "http://[::1]:1/token"},
		{name: "authorization server on RFC 1918", flow: login, authServers: []string{"https://10.1.2.3"}, refused: "https://10.1.2.3"},
		{name: "token endpoint on 192.168/16", flow: machine, authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["token_endpoint"] = "https://192.168.1.1/token" }, refused: "https://192.168.1.1/token"},
		{name: "token endpoint on 172.16/12", flow: machine, authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["token_endpoint"] = "https://172.20.0.1/token" }, refused: "https://172.20.0.1/token"},
		{name: "registration endpoint on CGNAT", flow: login, authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["registration_endpoint"] = "https://100.64.0.1/register" }, refused: "https://100.64.0.1/register"},
		{name: "token endpoint on ULA", flow: machine, authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["token_endpoint"] = "https://[fd12:3456::1]/token" }, refused: "https://[fd12:3456::1]/token"},
		{name: "token endpoint on IPv4-mapped loopback", flow: machine, authServers: []string{"https://as.example.com"},
			asm: func(d map[string]any) { d["token_endpoint"] = "https://[::ffff:127.0.0.1]/token" }, refused: "https://[::ffff:127.0.0.1]/token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v.conns.Store(0)
			s := newSite(t)
			s.serveDiscovery(tc.authServers, tc.asm)
			// The site's client would dial the victim for loopback URLs.
			tr := s.transport()
			siteDial := tr.DialContext
			tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
				if host, _, _ := net.SplitHostPort(addr); host == "127.0.0.1" || host == "localhost" || host == "::1" {
					return (&net.Dialer{}).DialContext(ctx, "tcp", v.Listener.Addr().String())
				}
				return siteDial(ctx, network, addr)
			}
			cfg := &Config{ServerURL: "https://mcp.example.com/mcp"}
			if tc.flow == machine {
				cfg = &Config{ServerURL: "https://mcp.example.com/mcp", ClientID: "client", ClientSecret: "s3cr3t-value",
					Issuer: "https://as.example.com", GrantType: GrantClientCredentials}
			}
			m, err := NewTokenManager(cfg, WithHTTPClient(&http.Client{Transport: tr, Timeout: 5 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}))
			require.NoError(t, err)
			defer m.Close()
			if tc.challenge != "" {
				ch, _ := BearerChallenge(ParseWWWAuthenticate([]string{`Bearer resource_metadata="` + tc.challenge + `"`}))
				m.SetChallenge(ch)
			}
			switch tc.flow {
			case machine:
				_, err = m.Token(context.Background())
			case login:
				_, err = m.BeginAuthorization(context.Background(), "")
			case device:
				_, err = m.BeginDeviceAuthorization(context.Background())
			}
			var ue *DiscoveryURLError
			require.ErrorAs(t, err, &ue, "got %T %v", err, err)
			assert.Equal(t, tc.refused, ue.URL)
			assert.Contains(t, ue.Reason, "MCP server is not")
			assert.NotContains(t, err.Error(), "s3cr3t-value")
			assert.NotContains(t, err.Error(), "confirm=yes", "the query is not quoted")
			assert.Zero(t, v.conns.Load(), "the service on the user's machine saw nothing")
			for _, hit := range s.requested() {
				assert.NotContains(t, hit, "/token", "no token request anywhere")
			}
		})
	}
}

// TestSecuritySSRFLocalServersMayUseLocalURLs: an MCP server on loopback
// may name loopback URLs (the usual development setup, and every test of
// this repository); a server on a private network may name private URLs.
func TestSecuritySSRFLocalServersMayUseLocalURLs(t *testing.T) {
	as := asServer(t, oauthtest.Options{})
	doc := newDocServer(t)
	doc.json("/.well-known/oauth-protected-resource/mcp", prmDoc(doc.URL+"/mcp", as.URL))
	doc.route("/mcp", protectedMCP)
	m := newManager(t, &Config{ServerURL: doc.URL + "/mcp"}) // nothing configured but the server
	_, err := m.BeginAuthorization(context.Background(), "")
	require.NoError(t, err, "a loopback server's loopback authorization server, endpoints and registration")
	assert.Equal(t, 1, as.Counts().Register)

	r := newReach(&Config{ServerURL: "https://10.0.0.5/mcp"})
	assert.NoError(t, r.checkLearned("https://10.9.9.9/token"), "private server, private URL")
	assert.NoError(t, r.checkLearned("https://[fd00::1]/token"))
	assert.Error(t, r.checkLearned("http://127.0.0.1/token"), "a private server may not name loopback")
	assert.Error(t, r.checkLearned("https://169.254.169.254/"), "nor the cloud metadata address")
	r = newReach(&Config{ServerURL: "http://localhost:8000/mcp"})
	assert.NoError(t, r.checkLearned("http://127.0.0.1:9000/token"))
	assert.Error(t, r.checkLearned("https://192.168.0.1/token"), "a loopback server may not name a private address")
	assert.Error(t, r.checkLearned("http://169.254.169.254/latest"))
}

// fakeDNS resolves test names, and dials the addresses it hands out by
// connecting to test servers instead.
type fakeDNS struct {
	mu      sync.Mutex
	names   map[string][]netip.Addr // each lookup pops the first answer while more than one is left
	targets map[netip.Addr]string   // address → the listener to connect to; absent → dial fails
	dialled []string
}

func (d *fakeDNS) lookup(_ context.Context, host string) ([]netip.Addr, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	answers := d.names[host]
	if len(answers) == 0 {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	if len(answers) > 1 {
		d.names[host] = answers[1:]
	}
	return answers[:1], nil
}

func (d *fakeDNS) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, _ := net.SplitHostPort(addr)
	ip, _ := netip.ParseAddr(host)
	d.mu.Lock()
	d.dialled = append(d.dialled, addr)
	target := d.targets[ip]
	d.mu.Unlock()
	if target == "" {
		return nil, errors.New("connection refused (fake)")
	}
	return (&net.Dialer{}).DialContext(ctx, network, target)
}

// TestSecuritySSRFAtDialTime: host names that resolve into the user's
// machine or private network are refused when dialled, whatever the URL
// looked like; the MCP server's own network counts only once a response
// came from it (a server name rebound to a private address for one
// connection does not open the private network).
func TestSecuritySSRFAtDialTime(t *testing.T) {
	public := netip.MustParseAddr("203.0.113.10")
	publicAS := netip.MustParseAddr("203.0.113.11")
	loopback := netip.MustParseAddr("127.0.0.1")
	// setup serves discovery for https://mcp.example.com/mcp, its
	// authorization server https://as.example.com whose token endpoint is
	// https://sso.example.com/token, through a client whose names resolve
	// as names says.
	setup := func(t *testing.T, cfg *Config, names map[string][]netip.Addr) (*fakeDNS, *TokenManager, *victim) {
		s := newSite(t)
		v := newVictim(t)
		s.serveDiscovery([]string{"https://as.example.com"}, func(d map[string]any) { d["token_endpoint"] = "https://sso.example.com/token" })
		s.route("https://sso.example.com/token", jsonAnswer(200, bearer("at-sso-0123456789", 3600)))
		d := &fakeDNS{names: names, targets: map[netip.Addr]string{
			public: s.tls.Listener.Addr().String(), publicAS: s.tls.Listener.Addr().String(),
			loopback:                        v.Listener.Addr().String(),
			netip.MustParseAddr("10.0.0.5"): s.tls.Listener.Addr().String(), // a corporate server and its SSO
			netip.MustParseAddr("10.0.0.6"): s.tls.Listener.Addr().String(),
		}}
		m, err := NewTokenManager(cfg)
		require.NoError(t, err)
		t.Cleanup(m.Close)
		base := s.tls.Client().Transport.(*http.Transport).Clone()
		m.client = &http.Client{Transport: guardTransport(base, m.reach, d.lookup, d.dial), Timeout: 5 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		return d, m, v
	}
	machineCfg := func() *Config {
		return &Config{ServerURL: "https://mcp.example.com/mcp", ClientID: "client", ClientSecret: "s3cr3t-value",
			Issuer: "https://as.example.com", GrantType: GrantClientCredentials}
	}
	isRefused := func(t *testing.T, err error, url, reason string) {
		var ue *DiscoveryURLError
		if assert.ErrorAs(t, err, &ue, "got %T %v", err, err) {
			assert.Equal(t, url, ue.URL)
			assert.Contains(t, ue.Reason, reason)
		}
	}

	t.Run("authorization server name resolving to loopback", func(t *testing.T) {
		_, m, v := setup(t, &Config{ServerURL: "https://mcp.example.com/mcp"},
			map[string][]netip.Addr{"mcp.example.com": {public}, "as.example.com": {loopback}})
		_, err := m.BeginAuthorization(context.Background(), "")
		isRefused(t, err, "https://as.example.com/.well-known/oauth-authorization-server", "loopback")
		assert.Zero(t, v.conns.Load())
	})
	t.Run("token endpoint name resolving to loopback", func(t *testing.T) {
		_, m, v := setup(t, machineCfg(), map[string][]netip.Addr{
			"mcp.example.com": {public}, "as.example.com": {publicAS}, "sso.example.com": {loopback}})
		_, err := m.Token(context.Background())
		isRefused(t, err, "https://sso.example.com/token", "loopback")
		assert.Zero(t, v.conns.Load())
	})
	t.Run("corporate network: server and SSO both private", func(t *testing.T) {
		_, m, _ := setup(t, machineCfg(), map[string][]netip.Addr{
			"mcp.example.com": {netip.MustParseAddr("10.0.0.5")}, "as.example.com": {publicAS},
			"sso.example.com": {netip.MustParseAddr("10.0.0.6")}})
		_, err := m.Token(context.Background())
		require.NoError(t, err)
	})
	t.Run("a private server does not open loopback", func(t *testing.T) {
		_, m, v := setup(t, machineCfg(), map[string][]netip.Addr{
			"mcp.example.com": {netip.MustParseAddr("10.0.0.5")}, "as.example.com": {publicAS}, "sso.example.com": {loopback}})
		_, err := m.Token(context.Background())
		isRefused(t, err, "https://sso.example.com/token", "loopback")
		assert.Zero(t, v.conns.Load())
	})
	t.Run("server name rebound to a private address once does not open the private network", func(t *testing.T) {
		d, m, _ := setup(t, machineCfg(), map[string][]netip.Addr{
			"mcp.example.com": {netip.MustParseAddr("10.0.0.9"), public}, // nothing answers at 10.0.0.9
			"as.example.com":  {publicAS}, "sso.example.com": {netip.MustParseAddr("10.0.0.6")}})
		_, err := m.Token(context.Background())
		require.Error(t, err, "the first connection to the server failed")
		_, err = m.Token(context.Background())
		isRefused(t, err, "https://sso.example.com/token", "private")
		d.mu.Lock()
		defer d.mu.Unlock()
		assert.NotContains(t, d.dialled, "10.0.0.6:443")
	})
	t.Run("link-local stays refused for a server on a private network", func(t *testing.T) {
		_, m, _ := setup(t, machineCfg(), map[string][]netip.Addr{
			"mcp.example.com": {netip.MustParseAddr("10.0.0.5")}, "as.example.com": {publicAS},
			"sso.example.com": {netip.MustParseAddr("169.254.169.254")}})
		_, err := m.Token(context.Background())
		isRefused(t, err, "https://sso.example.com/token", "cloud metadata")
	})
}

// TestSecuritySSRFProxyIsConfiguration: a proxy from the environment
// (HTTPS_PROXY), here on loopback, is dialled for a public server: it is
// configuration, not a URL learned from a server.
func TestSecuritySSRFProxyIsConfiguration(t *testing.T) {
	proxy := newVictim(t)
	m := newManager(t, &Config{ServerURL: "https://mcp.example.com/mcp"})
	base := m.client.Transport.(*reachTransport).pools.base.Clone()
	proxyURL, _ := url.Parse(proxy.URL)
	base.Proxy = http.ProxyURL(proxyURL)
	m.client.Transport = guardTransport(base, m.reach, func(context.Context, string) ([]netip.Addr, error) {
		return nil, errors.New("the proxy resolves names")
	}, (&net.Dialer{}).DialContext)
	_, err := m.BeginAuthorization(context.Background(), "")
	require.Error(t, err, "the victim is no proxy")
	var ue *DiscoveryURLError
	assert.False(t, errors.As(err, &ue), "the proxy was not refused: %v", err)
	assert.NotZero(t, proxy.conns.Load(), "the proxy was dialled")
}
