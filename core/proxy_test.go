package core

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withEnv makes the proxy variables those of env until the test ends.
func withEnv(t *testing.T, env map[string]string) {
	SetGetenv(func(name string) string { return env[name] })
	t.Cleanup(func() { SetGetenv(nil) })
}

func TestUseProxy(t *testing.T) {
	tests := []struct {
		url, noProxy string
		want         bool
	}{
		{"https://as.example.com/token", "", true},
		{"https://as.example.com/token", "*", false},
		{"https://as.example.com/token", "example.com", false},
		{"https://example.com/token", "example.com", false},
		{"https://notexample.com/token", "example.com", true},
		{"https://as.example.com/token", ".example.com", false},
		{"https://example.com/token", ".example.com", true},
		{"https://as.example.com/token", "*.example.com", false},
		{"https://as.example.com/token", " other.org , EXAMPLE.com ", false},
		{"https://as.example.com/token", "example.com:8443", true},
		{"https://as.example.com:8443/token", "example.com:8443", false},
		{"https://as.example.com/token", "example.com:443", false},
		{"https://10.1.2.3/token", "10.0.0.0/8", false},
		{"https://11.1.2.3/token", "10.0.0.0/8", true},
		{"https://10.1.2.3/token", "10.1.2.3", false},
		{"https://[2001:db8::1]/token", "2001:db8::/32", false},
		{"https://[2001:db8::1]:443/token", "[2001:db8::1]:443", false},
		{"http://localhost:8080/mcp", "", false},
		{"http://127.0.0.1:8080/mcp", "", false},
		{"http://[::1]:8080/mcp", "", false},
		{"http://app.localhost:8080/mcp", "", false},
	}
	for _, tc := range tests {
		u, err := url.Parse(tc.url)
		require.NoError(t, err)
		assert.Equal(t, tc.want, useProxy(u, tc.noProxy), "%s with NO_PROXY=%q", tc.url, tc.noProxy)
	}
}

func TestProxyFromEnvReadsTheEnvironmentAtEachRequest(t *testing.T) {
	env := map[string]string{}
	withEnv(t, env)
	req := func(raw string) *http.Request {
		r, err := http.NewRequest(http.MethodGet, raw, nil)
		require.NoError(t, err)
		return r
	}
	u, err := proxyFromEnv(req("https://as.example.com/token"))
	require.NoError(t, err)
	assert.Nil(t, u, "no variable: direct")

	env["https_proxy"] = "proxy.corp:3128"
	u, err = proxyFromEnv(req("https://as.example.com/token"))
	require.NoError(t, err)
	assert.Equal(t, "http://proxy.corp:3128", u.String(), "set later, lower case, host:port")
	env["HTTPS_PROXY"] = "http://upper.corp:8080"
	u, _ = proxyFromEnv(req("https://as.example.com/token"))
	assert.Equal(t, "http://upper.corp:8080", u.String(), "upper case first")
	u, _ = proxyFromEnv(req("http://as.example.com/token"))
	assert.Nil(t, u, "HTTPS_PROXY is for https URLs")

	env["HTTP_PROXY"] = "http://plain.corp:8080"
	u, _ = proxyFromEnv(req("http://as.example.com/token"))
	assert.Equal(t, "http://plain.corp:8080", u.String())
	env["REQUEST_METHOD"] = "GET"
	u, _ = proxyFromEnv(req("http://as.example.com/token"))
	assert.Nil(t, u, "HTTP_PROXY is ignored in a CGI program")

	env["no_proxy"] = "example.com"
	u, _ = proxyFromEnv(req("https://as.example.com/token"))
	assert.Nil(t, u)

	env["HTTPS_PROXY"] = "ftp://proxy.corp"
	_, err = proxyFromEnv(req("https://other.org/token"))
	assert.Error(t, err)
	env["HTTPS_PROXY"] = "http://"
	_, err = proxyFromEnv(req("https://other.org/token"))
	assert.Error(t, err)
}
