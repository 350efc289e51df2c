package core

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/proxytest"
)

// Enterprise networks: the environment's proxy and a private CA.

// behindProxy serves an MCP server and its authorization server as
// https://mcp.proxied.test and https://as.proxied.test, names only the
// proxy knows, with certificates of a private CA; it returns the server,
// the proxy and a ca_file of that CA.
func behindProxy(t *testing.T) (*mcptest.Server, *proxytest.Proxy, string) {
	ca, err := proxytest.NewCA("mcp-oauth test private CA")
	require.NoError(t, err)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(caFile, ca.PEM, 0o600))
	srv := mcptest.StartT(t, mcptest.Options{BaseURL: "https://mcp.proxied.test",
		AS: oauthtest.Options{BaseURL: "https://as.proxied.test"}})
	proxy := proxytest.StartT(t)
	for host, backend := range map[string]string{"mcp.proxied.test": srv.Addr, "as.proxied.test": srv.AS().Addr} {
		cert, err := ca.Issue(host)
		require.NoError(t, err)
		proxy.Route(host+":443", backend, cert)
	}
	return srv, proxy, caFile
}

func TestProxyCarriesDiscoveryTokenAndMCPRequests(t *testing.T) {
	srv, proxy, caFile := behindProxy(t)
	withEnv(t, map[string]string{"HTTPS_PROXY": proxy.URL})
	// Discovery, dynamic registration, client_credentials, an MCP session.
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), GrantType: GrantClientCredentials, CAFile: caFile})
	s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.NoError(t, err)
	assert.Equal(t, "via proxy", sdkEcho(t, s, "via proxy"))
	s.Close()

	tunnels := proxy.Tunnels()
	assert.Positive(t, tunnels["mcp.proxied.test:443"], "MCP and metadata requests tunnelled")
	assert.Positive(t, tunnels["as.proxied.test:443"], "authorization server requests tunnelled")
	assert.Len(t, tunnels, 2)
	counts := srv.AS().Counts()
	assert.Equal(t, 1, counts.Register)
	assert.Equal(t, 1, counts.TokenByGrant[GrantClientCredentials])
	assert.Positive(t, counts.Metadata)
}

func TestNoProxyBypassesTheProxy(t *testing.T) {
	srv, proxy, caFile := behindProxy(t)
	withEnv(t, map[string]string{"HTTPS_PROXY": proxy.URL, "NO_PROXY": "example.org,.proxied.test"})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), GrantType: GrantClientCredentials, CAFile: caFile,
		HTTPTimeoutSeconds: 5})
	noRetryWait(m)
	_, err := m.Token(context.Background())
	require.Error(t, err, "a direct connection to a name only the proxy knows fails")
	assert.Zero(t, proxy.TunnelCount(), "NO_PROXY's hosts are not proxied")
}

func TestProxyOnLoopbackIsTrustedAndLearnedURLsStillChecked(t *testing.T) {
	srv, proxy, caFile := behindProxy(t)
	withEnv(t, map[string]string{"HTTPS_PROXY": proxy.URL})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), GrantType: GrantClientCredentials, CAFile: caFile})
	_, err := m.Token(context.Background())
	require.NoError(t, err, "the proxy on 127.0.0.1 may be dialled")
	// The MCP server answered through a loopback proxy: that does not put
	// the server on loopback, so a URL it gives may still not lead there.
	assert.Zero(t, m.reach.dialPolicy("learned.example")&netLoopback)
	assert.Error(t, m.reach.checkLearned("http://127.0.0.1:1/x"))
}

func TestCAFileWithoutProxyIsNeeded(t *testing.T) {
	srv, proxy, _ := behindProxy(t)
	withEnv(t, map[string]string{"HTTPS_PROXY": proxy.URL})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), GrantType: GrantClientCredentials, HTTPTimeoutSeconds: 5})
	noRetryWait(m)
	_, err := m.Token(context.Background())
	require.Error(t, err, "the private CA is not trusted without ca_file")
	var uae x509.UnknownAuthorityError
	assert.ErrorAs(t, err, &uae)
}

// TestCAFileAddsToTheSystemRoots: with ca_file, a server certified by a
// public CA (a system root) and one certified by the private CA both
// verify, and the pool holds every system root. The system roots are
// SSL_CERT_FILE's, which Go reads once per process: the test runs its
// client in a child process, whose only system root is a CA made here.
func TestCAFileAddsToTheSystemRoots(t *testing.T) {
	const childEnv = "MCP_OAUTH_TEST_PUBLIC_SERVER"
	if url := os.Getenv(childEnv); url != "" {
		caFileChild(t, url)
		return
	}
	public, err := proxytest.NewCA("a public root")
	require.NoError(t, err)
	dir := t.TempDir()
	systemFile := filepath.Join(dir, "system.pem")
	require.NoError(t, os.WriteFile(systemFile, public.PEM, 0o600))
	publicServer := tlsServer(t, public)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCAFileAddsToTheSystemRoots$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+publicServer.URL, "SSL_CERT_FILE="+systemFile, "SSL_CERT_DIR="+dir)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "--- PASS: TestCAFileAddsToTheSystemRoots")
}

// caFileChild is the child's part: publicURL is served under a system root.
func caFileChild(t *testing.T, publicURL string) {
	system, err := x509.SystemCertPool()
	require.NoError(t, err)
	//nolint:staticcheck // Subjects is fine for a pool read from SSL_CERT_FILE
	require.Len(t, system.Subjects(), 1, "the system roots are the parent's public CA")

	private, err := proxytest.NewCA("a private CA")
	require.NoError(t, err)
	caFile := filepath.Join(t.TempDir(), "private.pem")
	require.NoError(t, os.WriteFile(caFile, private.PEM, 0o600))
	roots, err := withSystemRoots(private.PEM)
	require.NoError(t, err)
	assert.True(t, containsAll(roots, system), "the pool holds every system root")
	assert.True(t, containsAll(roots, poolOf(t, private.PEM)), "and the file's CA")

	c, err := newHTTPClient(&Config{CAFile: caFile}, nil)
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	for name, url := range map[string]string{"public": publicURL, "private": tlsServer(t, private).URL} {
		resp, err := c.Get(url)
		require.NoError(t, err, "the %s CA's server verifies", name)
		resp.Body.Close()
	}
	plain, err := newHTTPClient(&Config{}, nil)
	require.NoError(t, err)
	defer plain.CloseIdleConnections()
	_, err = plain.Get(tlsServer(t, private).URL)
	var uae x509.UnknownAuthorityError
	assert.ErrorAs(t, err, &uae, "without ca_file the private CA is unknown")
}

// containsAll says whether every certificate of sub is in pool.
func containsAll(pool, sub *x509.CertPool) bool {
	//nolint:staticcheck // Subjects is fine for pools not from the system verifier
	for _, s := range sub.Subjects() {
		found := false
		//nolint:staticcheck
		for _, p := range pool.Subjects() {
			if string(p) == string(s) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func poolOf(t *testing.T, pem []byte) *x509.CertPool {
	p := x509.NewCertPool()
	require.True(t, p.AppendCertsFromPEM(pem))
	return p
}

// tlsServer is an https server on 127.0.0.1 certified by ca.
func tlsServer(t *testing.T, ca *proxytest.CA) *httptest.Server {
	cert, err := ca.Issue("127.0.0.1")
	require.NoError(t, err)
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	s.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}
