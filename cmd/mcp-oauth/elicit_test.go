package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
)

// The test server's ask tool elicits: a URL-mode request is printed (not
// opened) and accepted, a form is declined, a URL that is not http(s) is declined
// unprinted — never a time-out.
func TestCallAnswersElicitation(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	e := newEnv(t)
	e.login(s.StreamableURL())
	answer := func(r result) (a struct{ Action string }) {
		t.Helper()
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &a), r.stdout)
		return a
	}

	var fetched atomic.Int32 // the page must not be opened (the test BROWSER would GET it)
	site := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { fetched.Add(1) }))
	defer site.Close()
	page := site.URL + "/connect?step=1"
	r := e.mustRun("call", s.StreamableURL(), "ask", `{"url":"`+page+`"}`)
	assert.Equal(t, "accept", answer(r).Action)
	assert.Contains(t, r.stderr, "The server asks you to open this page (Open this page to continue.):\n  "+page)
	assert.Zero(t, fetched.Load(), "never opened without the user's consent")

	r = e.mustRun("call", s.StreamableURL(), "ask")
	assert.Equal(t, "decline", answer(r).Action)
	assert.Contains(t, r.stderr, "does not fill in forms: declined")

	r = e.mustRun("call", s.StreamableURL(), "ask", `{"url":"file:///etc/passwd"}`)
	assert.Equal(t, "decline", answer(r).Action)
	assert.NotContains(t, r.stderr, "/etc/passwd")
}
