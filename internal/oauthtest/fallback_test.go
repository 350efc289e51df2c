package oauthtest

import (
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListenerAndFallback(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := StartT(t, Options{
		Listener: ln,
		Fallback: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, "fallback "+r.Method+" "+r.URL.Path)
		}),
	})
	assert.Equal(t, "http://"+ln.Addr().String(), s.URL)

	status, md := getMetadata(t, s.URL+metadataPath)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, s.Issuer(), md["issuer"])

	resp, err := http.Post(s.URL+"/mcp", "application/json", nil)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "fallback POST /mcp", string(body))

	s.Close()
	_, err = http.Get(s.URL + metadataPath)
	assert.Error(t, err, "Close closes the listener")
}
