package oauthtest

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/testserve/servetest"
)

func TestRequestLogHasNoSecrets(t *testing.T) {
	var log servetest.SyncBuffer
	s := StartT(t, Options{RequestLog: &log})
	tok := ccToken(t, s, url.Values{})
	code := authorizationCode(t, s, authorizeQuery())
	s.FailNext(1, Failure{Mode: ModeReset})
	_, _, err := rawToken(http.DefaultClient, s)
	require.Error(t, err)
	s.Close()

	out := log.String()
	assert.Contains(t, out, "POST /token 200 ")
	assert.Contains(t, out, "GET /authorize 302 ")
	assert.Contains(t, out, "POST /token - ")
	for _, secret := range []string{DefaultClientSecret, tok["access_token"].(string), code, "xyz"} {
		assert.NotContains(t, out, secret)
	}
}

func TestURLs(t *testing.T) {
	s := StartT(t, Options{Addr: "0.0.0.0:0"})
	assert.True(t, strings.HasPrefix(s.URL, "http://127.0.0.1:"), s.URL)
	assert.Equal(t, s.URL+"/token", s.TokenURL())
	assert.Equal(t, s.URL+"/authorize", s.AuthorizeURL())
	assert.Equal(t, s.URL+"/protected", s.ProtectedURL())
	assert.Equal(t, s.URL, s.Issuer())

	_, port, err := net.SplitHostPort(strings.TrimPrefix(s.URL, "http://"))
	require.NoError(t, err)
	resp, err := http.Get("http://localhost:" + port + metadataPath)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}
