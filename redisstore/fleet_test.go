package redisstore

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// fleetConfig is a client-credentials configuration on the shared store,
// with an encryption key written to a temporary file.
func fleetConfig(t *testing.T, tokenURL, storeURL string) map[string]any {
	key := filepath.Join(t.TempDir(), "store.key")
	require.NoError(t, os.WriteFile(key, []byte(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))), 0o600))
	return map[string]any{"client_id": oauthtest.DefaultClientID, "client_secret": oauthtest.DefaultClientSecret,
		"token_url": tokenURL, "token_store": storeURL, "token_store_key_file": key}
}

// spawn starts this test binary as a fleet worker (see TestMain).
func spawn(t *testing.T, cfg map[string]any, host string) (*exec.Cmd, *bytes.Buffer) {
	data, err := json.Marshal(cfg)
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "MCP_OAUTH_FLEET_CONFIG="+string(data), "MCP_OAUTH_FLEET_HOST="+host)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	return cmd, &out
}

// newManager opens a manager on cfg (a separate in-memory cache: another
// host, as far as the store can tell).
func newManager(t *testing.T, cfg map[string]any) *core.TokenManager {
	data, err := json.Marshal(cfg)
	require.NoError(t, err)
	c, err := core.ParseConfig(data)
	require.NoError(t, err)
	m, err := core.NewTokenManager(c)
	require.NoError(t, err)
	t.Cleanup(m.Close)
	return m
}

// TestFleetColdStoreOneTokenRequest: 2 hosts × 8 processes, each its own
// process with its own cache, start together on a cold store: the fleet
// makes exactly one token request and every process holds its token.
func TestFleetColdStoreOneTokenRequest(t *testing.T) {
	rs := startRedis(t)
	as := oauthtest.StartT(t, oauthtest.Options{Latency: 200 * time.Millisecond})
	cfg := fleetConfig(t, as.TokenURL(), rs.URL())
	type proc struct {
		cmd *exec.Cmd
		out *bytes.Buffer
	}
	var procs []proc
	for _, host := range []string{"host-a", "host-b"} {
		for range 8 {
			cmd, out := spawn(t, cfg, host)
			procs = append(procs, proc{cmd, out})
		}
	}
	tokens := map[string]int{}
	for _, p := range procs {
		require.NoError(t, p.cmd.Wait(), p.out.String())
		tokens[strings.TrimSpace(p.out.String())]++
	}
	assert.Len(t, tokens, 1, "every process holds the one token")
	assert.Equal(t, 1, as.Counts().Token, "token requests across the fleet")
}

// TestFleetRotationUnderContention: 4 hosts share a grant whose refresh
// token rotates on every use (the test server counts a rotated token
// presented again). For 1,000 rounds all 4 lose their token at once (a
// resource server rejected it) and ask for a new one together: each round
// makes one refresh, the latest refresh token read under the lock, and no
// refresh token is ever presented twice or refused.
func TestFleetRotationUnderContention(t *testing.T) {
	rs := startRedis(t)
	as := oauthtest.StartT(t, oauthtest.Options{RefreshTokensForClientCredentials: true})
	cfg := fleetConfig(t, as.TokenURL(), rs.URL())
	hosts := make([]*core.TokenManager, 4)
	for i := range hosts {
		hosts[i] = newManager(t, cfg)
	}
	ctx := context.Background()
	first, err := hosts[0].Token(ctx)
	require.NoError(t, err)
	current := first.AccessToken
	for _, m := range hosts[1:] { // the others adopt the stored token
		s, err := m.Token(ctx)
		require.NoError(t, err)
		require.Equal(t, current, s.AccessToken)
	}
	rounds := 1000
	if testing.Short() {
		rounds = 100
	}
	for round := range rounds {
		var wg sync.WaitGroup
		got := make([]string, len(hosts))
		for i, m := range hosts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m.Invalidate(current)
				s, err := m.Token(ctx)
				if assert.NoError(t, err) {
					got[i] = s.AccessToken
				}
			}()
		}
		wg.Wait()
		for _, tok := range got {
			require.Equal(t, got[0], tok, "round %d: every host holds the same token", round)
		}
		require.NotEqual(t, current, got[0], "round %d", round)
		current = got[0]
	}
	c := as.Counts()
	assert.Zero(t, c.RefreshReuse, "refresh tokens presented twice")
	assert.Equal(t, 1, c.TokenByGrant["client_credentials"], "never fell back after an invalid_grant")
	assert.Equal(t, rounds, c.TokenByGrant["refresh_token"], "one refresh per round")
}

// TestFleetLockHolderKilled: the process holding the lock is SIGKILLed
// while its token request hangs; the next process gets its token once the
// lease expires (LockLease), well before its wait for the lock would give
// up (the HTTP timeout, 30 s).
func TestFleetLockHolderKilled(t *testing.T) {
	rs := startRedis(t)
	arrived := make(chan struct{}, 1)
	hang := make(chan struct{})
	var mu sync.Mutex
	n := 0
	ep := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		if first {
			arrived <- struct{}{}
			<-hang // the holder is killed while it waits here
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"second","token_type":"Bearer","expires_in":3600}`))
	}))
	defer ep.Close()
	defer close(hang) // first: lets the hung handler end before ep.Close
	cfg := fleetConfig(t, ep.URL+"/token", rs.URL())
	holder, _ := spawn(t, cfg, "host-a")
	<-arrived
	require.NoError(t, holder.Process.Kill())
	_ = holder.Wait()
	began := time.Now()
	next, out := spawn(t, cfg, "host-b")
	require.NoError(t, next.Wait(), out.String())
	waited := time.Since(began)
	assert.Equal(t, "second", strings.TrimSpace(out.String()))
	assert.Less(t, waited, 2*LockLease, "the dead holder's lock expired with its lease")
	mu.Lock()
	assert.Equal(t, 2, n)
	mu.Unlock()
}

// TestRedisRestartedMidRun: while Redis is down, hosts holding a valid
// token keep getting it; a host whose token is due refreshes it unshared
// (token_store_fallback "unshared", the default); a new host configured
// with "fail" gets a network error naming the token store; once Redis is
// back, new hosts share the stored token again.
func TestRedisRestartedMidRun(t *testing.T) {
	rs := startRedis(t)
	as := oauthtest.StartT(t, oauthtest.Options{TokenLifetime: time.Hour})
	cfg := fleetConfig(t, as.TokenURL(), rs.URL())
	ctx := context.Background()
	holders := make([]*core.TokenManager, 4)
	for i := range holders {
		holders[i] = newManager(t, cfg)
		_, err := holders[i].Token(ctx)
		require.NoError(t, err)
	}
	require.Equal(t, 1, as.Counts().Token)

	rs.stop()
	for range 1000 {
		for _, m := range holders {
			_, err := m.Token(ctx)
			require.NoError(t, err, "a holder of a valid token failed while Redis was down")
		}
	}
	failCfg := map[string]any{}
	for k, v := range cfg {
		failCfg[k] = v
	}
	failCfg["token_store_fallback"] = "fail"
	_, err := newManager(t, failCfg).Token(ctx)
	var ne *core.NetworkError
	require.True(t, errors.As(err, &ne), "got %v", err)
	assert.Equal(t, "token store", ne.Endpoint)
	unshared, err := newManager(t, cfg).Token(ctx)
	require.NoError(t, err, "unshared fallback")
	assert.Equal(t, 2, as.Counts().Token, "the unshared host made its own request")

	rs.start() // an empty server: the store starts cold again
	a, err := newManager(t, cfg).Token(ctx)
	require.NoError(t, err)
	b, err := newManager(t, cfg).Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, a.AccessToken, b.AccessToken, "shared again once Redis is back")
	assert.NotEqual(t, unshared.AccessToken, a.AccessToken)
	assert.Equal(t, 3, as.Counts().Token)
}
