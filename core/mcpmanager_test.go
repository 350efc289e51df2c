package core

import (
	"fmt"
	"net/url"
	"testing"
)

// mcpManager is a manager whose token endpoint issues a new token for every
// request, for sessions with a server that takes any
// ([mcptest.StartRawT]).
func mcpManager(t *testing.T) *TokenManager {
	t.Helper()
	as := newFakeEndpoint(t, func(n int64, _ url.Values) (int, any) { return 200, bearer(fmt.Sprintf("at-hostile-%04d", n), 3600) })
	return newManager(t, clientCredentials(as.URL))
}
