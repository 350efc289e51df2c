package oauthtest

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ccCall is a valid client_credentials request of the default client.
var ccCall = tokenCall{
	form:    url.Values{"grant_type": {"client_credentials"}},
	basicID: DefaultClientID, basicSecret: DefaultClientSecret,
}

// rawToken sends ccCall with client and returns the response with its body,
// or the error. It may be called from any goroutine.
func rawToken(client *http.Client, s *Server) (*http.Response, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, s.TokenURL(), strings.NewReader(ccCall.form.Encode()))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(ccCall.basicID, ccCall.basicSecret)
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func TestFailNextResponses(t *testing.T) {
	s := StartT(t, Options{})
	tests := []struct {
		name            string
		failure         Failure
		wantStatus      int
		wantBody        string
		wantContentType string
		wantHeader      map[string]string
	}{
		{
			name:            "status, body and header",
			failure:         Failure{Status: 503, Body: `{"error":"temporarily_unavailable"}`, Header: map[string]string{"Retry-After": "1"}},
			wantStatus:      503,
			wantBody:        `{"error":"temporarily_unavailable"}`,
			wantContentType: "application/json",
			wantHeader:      map[string]string{"Retry-After": "1"},
		},
		{
			name:            "default status",
			failure:         Failure{Body: "<html>oops</html>", ContentType: "text/html"},
			wantStatus:      400,
			wantBody:        "<html>oops</html>",
			wantContentType: "text/html",
		},
		{
			name:       "redirect",
			failure:    Failure{Mode: ModeRedirect},
			wantStatus: 302,
			wantHeader: map[string]string{"Location": s.URL + "/redirected"},
		},
		{
			name:       "redirect elsewhere",
			failure:    Failure{Mode: ModeRedirect, Status: 307, Header: map[string]string{"Location": "http://127.0.0.1:1/x"}},
			wantStatus: 307,
			wantHeader: map[string]string{"Location": "http://127.0.0.1:1/x"},
		},
		{
			name:            "echo: the request in error_description",
			failure:         Failure{Mode: ModeEcho},
			wantStatus:      400,
			wantBody:        `{"error":"invalid_request","error_description":"Authorization: Basic dGVzdC1jbGllbnQ6dGVzdC1zZWNyZXQ=\ngrant_type=client_credentials"}`,
			wantContentType: "application/json",
		},
		{
			name:            "echo: a form value in a template",
			failure:         Failure{Mode: ModeEcho, Status: 200, Body: `{"access_token":"a","token_type":"{{grant_type}}","x":"{{nope}}"}`},
			wantStatus:      200,
			wantBody:        `{"access_token":"a","token_type":"client_credentials","x":""}`,
			wantContentType: "application/json",
		},
		{
			name:            "echo: form-encoded",
			failure:         Failure{Mode: ModeEcho, ContentType: "application/x-www-form-urlencoded", Body: "error=invalid_client&error_description={{request}}"},
			wantStatus:      400,
			wantBody:        "error=invalid_client&error_description=Authorization%3A+Basic+dGVzdC1jbGllbnQ6dGVzdC1zZWNyZXQ%3D%0Agrant_type%3Dclient_credentials",
			wantContentType: "application/x-www-form-urlencoded",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.FailNext(2, tt.failure)
			for range 2 {
				resp, body, err := rawToken(noRedirects, s)
				require.NoError(t, err)
				assert.Equal(t, tt.wantStatus, resp.StatusCode)
				assert.Equal(t, tt.wantBody, string(body))
				if tt.wantContentType != "" {
					assert.Equal(t, tt.wantContentType, resp.Header.Get("Content-Type"))
				}
				for k, v := range tt.wantHeader {
					assert.Equal(t, v, resp.Header.Get(k))
				}
			}
			resp, _, err := rawToken(noRedirects, s)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, resp.StatusCode, "normal service resumes")
		})
	}
}

func TestFailNextQueues(t *testing.T) {
	s := StartT(t, Options{})
	s.FailNext(1, Failure{Status: 500})
	s.FailNext(0, Failure{Status: 501}) // no effect
	s.FailNext(2, Failure{Status: 502})
	var got []int
	for range 4 {
		resp, _, err := rawToken(http.DefaultClient, s)
		require.NoError(t, err)
		got = append(got, resp.StatusCode)
	}
	assert.Equal(t, []int{500, 502, 502, 200}, got)
	assert.Equal(t, 4, s.Counts().Token)
	assert.Panics(t, func() { s.FailNext(1, Failure{Mode: "explode"}) })
}

func TestFailNextHang(t *testing.T) {
	s := StartT(t, Options{})
	s.FailNext(1, Failure{Mode: ModeHang})
	start := time.Now()
	_, _, err := rawToken(&http.Client{Timeout: 200 * time.Millisecond}, s)
	require.Error(t, err)
	assert.Less(t, time.Since(start), 2*time.Second)

	resp, _, err := rawToken(http.DefaultClient, s)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestFailNextReset(t *testing.T) {
	s := StartT(t, Options{})
	for _, f := range []Failure{{Mode: ModeReset}, {Mode: ModeReset, Status: 500, Body: `{"error":"server_error"}`}} {
		s.FailNext(1, f)
		_, _, err := rawToken(http.DefaultClient, s)
		assert.Error(t, err)
	}
	resp, _, err := rawToken(http.DefaultClient, s)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestCloseUnblocksHangAndLatency(t *testing.T) {
	s, err := Start(Options{})
	require.NoError(t, err)
	s.FailNext(1, Failure{Mode: ModeHang})
	errs := make(chan error, 2)
	go func() { _, _, err := rawToken(http.DefaultClient, s); errs <- err }()
	require.Eventually(t, func() bool { return s.Counts().Token == 1 }, 2*time.Second, 5*time.Millisecond)
	s.SetLatency(time.Hour)
	go func() { _, _, err := rawToken(http.DefaultClient, s); errs <- err }()
	require.Eventually(t, func() bool { return s.Counts().Token == 2 }, 2*time.Second, 5*time.Millisecond)

	start := time.Now()
	s.Close()
	assert.Less(t, time.Since(start), time.Second)
	for range 2 {
		assert.Error(t, <-errs)
	}
	s.Close() // idempotent
}

func TestLatency(t *testing.T) {
	s := StartT(t, Options{Latency: 300 * time.Millisecond})
	done := make(chan time.Duration)
	go func() {
		start := time.Now()
		_, _, _ = rawToken(http.DefaultClient, s)
		done <- time.Since(start)
	}()
	require.Eventually(t, func() bool { return s.Counts().Token == 1 }, 2*time.Second, 5*time.Millisecond)

	// The delayed request does not block the rest of the server.
	start := time.Now()
	resp, err := http.Get(s.URL + metadataPath)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Less(t, time.Since(start), 200*time.Millisecond)

	assert.GreaterOrEqual(t, <-done, 300*time.Millisecond)
}
