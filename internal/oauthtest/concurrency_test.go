package oauthtest

import (
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConcurrentTokenRequests(t *testing.T) {
	const n = 200
	s := StartT(t, Options{})
	s.FailNext(10, Failure{Status: 503})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}}
	t.Cleanup(client.CloseIdleConnections)

	var wg sync.WaitGroup
	statuses := make(chan int, n)
	for range n {
		wg.Go(func() {
			resp, _, err := rawToken(client, s)
			if err != nil {
				statuses <- 0
				return
			}
			statuses <- resp.StatusCode
		})
	}
	// Readers race with the writers.
	for range 20 {
		wg.Go(func() {
			_ = s.Counts()
			_ = s.TokenRequests()
			s.SetLatency(0)
		})
	}
	wg.Wait()
	close(statuses)

	byStatus := map[int]int{}
	for st := range statuses {
		byStatus[st]++
	}
	assert.Equal(t, map[int]int{200: n - 10, 503: 10}, byStatus)
	c := s.Counts()
	assert.Equal(t, n, c.Token)
	assert.Equal(t, n, c.TokenByGrant["client_credentials"])
	require.Len(t, s.TokenRequests(), n)

	s.mu.Lock()
	defer s.mu.Unlock()
	assert.Len(t, s.access, n-10, "every issued token is distinct")
}

func TestConcurrentRefreshRotation(t *testing.T) {
	// Only one of many concurrent uses of a refresh token succeeds.
	const n = 50
	s := StartT(t, Options{})
	token := codeTokens(t, s)["refresh_token"].(string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range n {
		wg.Go(func() {
			form := url.Values{"grant_type": {"refresh_token"}, "client_id": {DefaultPublicClientID}, "refresh_token": {token}}
			resp, err := http.PostForm(s.TokenURL(), form)
			if err != nil {
				return
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 1, ok)
}
