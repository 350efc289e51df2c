package oauthtest

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deviceCall sends a device authorization request (RFC 8628 §3.1) and
// returns the status and decoded body.
func deviceCall(t *testing.T, s *Server, c tokenCall) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.DeviceAuthorizationURL(), strings.NewReader(c.form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c.basicID != "" {
		req.SetBasicAuth(url.QueryEscape(c.basicID), url.QueryEscape(c.basicSecret))
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	return resp.StatusCode, decodeBody(t, resp.Body)
}

// beginDevice starts a device authorization for the public client and
// returns the response.
func beginDevice(t *testing.T, s *Server) map[string]any {
	t.Helper()
	status, body := deviceCall(t, s, tokenCall{form: url.Values{"client_id": {DefaultPublicClientID}, "scope": {"read"}}})
	require.Equal(t, http.StatusOK, status, body)
	return body
}

// pollDevice sends one device access token request for the public client
// and returns the status and body.
func pollDevice(t *testing.T, s *Server, deviceCode string) (int, map[string]any) {
	t.Helper()
	status, body, _ := postToken(t, s, tokenCall{form: url.Values{
		"grant_type": {GrantDeviceCode}, "client_id": {DefaultPublicClientID}, "device_code": {deviceCode},
	}})
	return status, body
}

func TestDeviceAuthorizationResponse(t *testing.T) {
	s := StartT(t, Options{DeviceInterval: 2 * time.Second, DeviceCodeLifetime: 90 * time.Second})
	body := beginDevice(t, s)
	assert.Regexp(t, `^dc_`, body["device_code"])
	assert.Regexp(t, regexp.MustCompile(`^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$`), body["user_code"])
	assert.Equal(t, s.VerificationURL(), body["verification_uri"])
	assert.Equal(t, s.VerificationURL()+"?user_code="+body["user_code"].(string), body["verification_uri_complete"])
	assert.Equal(t, 90.0, body["expires_in"])
	assert.Equal(t, 2.0, body["interval"])
	assert.Equal(t, 1, s.Counts().DeviceAuthorization)

	s.SetDeviceInterval(-1)
	assert.NotContains(t, beginDevice(t, s), "interval", "a negative interval is omitted")
}

func TestDeviceAuthorizationRequestErrors(t *testing.T) {
	s := StartT(t, Options{ScopesSupported: []string{"read"}})
	tests := []struct {
		name    string
		call    tokenCall
		status  int
		errCode string
	}{
		{"no client", tokenCall{form: url.Values{}}, http.StatusUnauthorized, "invalid_client"},
		{"unknown client", tokenCall{form: url.Values{"client_id": {"nobody"}}}, http.StatusUnauthorized, "invalid_client"},
		{"confidential without secret", tokenCall{form: url.Values{"client_id": {DefaultClientID}}}, http.StatusUnauthorized, "invalid_client"},
		{"wrong secret", tokenCall{form: url.Values{}, basicID: DefaultClientID, basicSecret: "nope"}, http.StatusUnauthorized, "invalid_client"},
		{"unsupported scope", tokenCall{form: url.Values{"client_id": {DefaultPublicClientID}, "scope": {"admin"}}}, http.StatusBadRequest, "invalid_scope"},
		{"bad resource", tokenCall{form: url.Values{"client_id": {DefaultPublicClientID}, "resource": {"relative"}}}, http.StatusBadRequest, "invalid_target"},
		{"repeated scope", tokenCall{form: url.Values{"client_id": {DefaultPublicClientID}, "scope": {"read", "read"}}}, http.StatusBadRequest, "invalid_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := deviceCall(t, s, tc.call)
			assert.Equal(t, tc.status, status, body)
			assert.Equal(t, tc.errCode, body["error"])
		})
	}

	status, body := deviceCall(t, s, tokenCall{form: url.Values{"scope": {"read"}}, basicID: DefaultClientID, basicSecret: DefaultClientSecret})
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, len(tests)+1, s.Counts().DeviceAuthorization)
}

func TestDevicePolling(t *testing.T) {
	tests := []struct {
		name string
		// act runs between the device request and the polls.
		act func(t *testing.T, s *Server, userCode string)
		// want is the error of each poll in turn; "" is the token.
		want []string
	}{
		{"pending", func(t *testing.T, s *Server, _ string) {}, []string{"authorization_pending", "authorization_pending"}},
		{"approved", func(t *testing.T, s *Server, uc string) { require.NoError(t, s.ApproveDevice(uc)) }, []string{"", "invalid_grant"}},
		{"approved with typed code", func(t *testing.T, s *Server, uc string) {
			require.NoError(t, s.ApproveDevice(strings.ToLower(strings.ReplaceAll(uc, "-", " "))))
		}, []string{""}},
		{"denied", func(t *testing.T, s *Server, uc string) { require.NoError(t, s.DenyDevice(uc)) }, []string{"access_denied", "invalid_grant"}},
		{"deny authorization", func(t *testing.T, s *Server, _ string) { s.DenyAuthorization("access_denied") }, []string{"access_denied"}},
		{"auto approve on third poll", func(t *testing.T, s *Server, _ string) { s.SetDeviceAutoApprove(3) },
			[]string{"authorization_pending", "authorization_pending", ""}},
		{"slow down", func(t *testing.T, s *Server, uc string) {
			s.SlowDownNext(2)
			require.NoError(t, s.ApproveDevice(uc))
		}, []string{"slow_down", "slow_down", ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := StartT(t, Options{})
			dev := beginDevice(t, s)
			tc.act(t, s, dev["user_code"].(string))
			for i, want := range tc.want {
				status, body := pollDevice(t, s, dev["device_code"].(string))
				if want == "" {
					require.Equal(t, http.StatusOK, status, "poll %d: %v", i+1, body)
					assert.Regexp(t, `^at_`, body["access_token"])
					assert.Regexp(t, `^rt_`, body["refresh_token"])
					assert.Equal(t, "read", body["scope"])
					continue
				}
				assert.Equal(t, http.StatusBadRequest, status, "poll %d", i+1)
				assert.Equal(t, want, body["error"], "poll %d", i+1)
			}
			assert.Equal(t, len(tc.want), s.Counts().TokenByGrant[GrantDeviceCode])
		})
	}
}

func TestDeviceCodeBinding(t *testing.T) {
	s := StartT(t, Options{})
	dev := beginDevice(t, s)
	require.NoError(t, s.ApproveDevice(dev["user_code"].(string)))

	status, body, _ := postToken(t, s, tokenCall{
		form:    url.Values{"grant_type": {GrantDeviceCode}, "device_code": {dev["device_code"].(string)}},
		basicID: DefaultClientID, basicSecret: DefaultClientSecret,
	})
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", body["error"], "another client's device code")

	status, body = pollDevice(t, s, "")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_request", body["error"])

	status, body = pollDevice(t, s, dev["device_code"].(string))
	require.Equal(t, http.StatusOK, status, body)

	// The token works at the protected resource and refreshes.
	resp, _ := getProtected(t, s, "Bearer "+body["access_token"].(string))
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	status, refreshed, _ := postToken(t, s, tokenCall{form: url.Values{
		"grant_type": {"refresh_token"}, "client_id": {DefaultPublicClientID}, "refresh_token": {body["refresh_token"].(string)},
	}})
	assert.Equal(t, http.StatusOK, status, refreshed)

	assert.ErrorIs(t, s.ApproveDevice("BCDF-GHJK"), errUnknownUserCode)
}

func TestDeviceCodeExpiry(t *testing.T) {
	s := StartT(t, Options{})
	s.SetDeviceCodeLifetime(time.Millisecond)
	dev := beginDevice(t, s)
	assert.Equal(t, 1.0, dev["expires_in"], "rounded up to whole seconds")
	time.Sleep(5 * time.Millisecond) // lets the code expire: no event marks it
	assert.ErrorIs(t, s.ApproveDevice(dev["user_code"].(string)), errUnknownUserCode)
	status, body := pollDevice(t, s, dev["device_code"].(string))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "expired_token", body["error"])
}

func TestDeviceVerificationPage(t *testing.T) {
	s := StartT(t, Options{})
	dev := beginDevice(t, s)
	userCode := dev["user_code"].(string)

	resp, err := http.Get(dev["verification_uri_complete"].(string))
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(page), `value="`+userCode+`"`)

	submit := func(code, action string) (int, string) {
		resp, err := http.PostForm(s.VerificationURL(), url.Values{"user_code": {code}, "action": {action}})
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, text := submit("<script>", "approve")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.NotContains(t, text, "<script>", "user input is escaped")
	status, _ = submit(userCode, "maybe")
	assert.Equal(t, http.StatusBadRequest, status)
	status, text = submit(userCode, "approve")
	assert.Equal(t, http.StatusOK, status, text)
	assert.Contains(t, text, "Done")
	assert.Equal(t, 4, s.Counts().DeviceVerification)

	status, body := pollDevice(t, s, dev["device_code"].(string))
	assert.Equal(t, http.StatusOK, status, body)
}

func TestDeviceControlAPI(t *testing.T) {
	s := StartT(t, Options{})
	post := func(path, body string) (int, string) {
		status, resp := controlCall(t, s, http.MethodPost, path, body)
		return status, string(resp)
	}
	status, resp := post("/_test/config", `{"device_auto_approve_polls":-1}`)
	assert.Equal(t, http.StatusBadRequest, status, resp)
	status, resp = post("/_test/config", `{"device_code_lifetime_ms":30000,"device_interval_ms":1000,"device_slow_down_polls":1}`)
	require.Equal(t, http.StatusOK, status, resp)
	dev := beginDevice(t, s)
	assert.Equal(t, 30.0, dev["expires_in"])
	assert.Equal(t, 1.0, dev["interval"])

	status, resp = post("/_test/device", `{"user_code":"`+dev["user_code"].(string)+`","action":"approve"}`)
	require.Equal(t, http.StatusOK, status, resp)
	status, resp = post("/_test/device", `{"user_code":"`+dev["user_code"].(string)+`","action":"deny"}`)
	assert.Equal(t, http.StatusBadRequest, status, "already decided: %s", resp)
	status, _ = post("/_test/device", `{"user_code":"x","action":"shrug"}`)
	assert.Equal(t, http.StatusBadRequest, status)

	_, body := pollDevice(t, s, dev["device_code"].(string))
	assert.Equal(t, "slow_down", body["error"])
	_, body = pollDevice(t, s, dev["device_code"].(string))
	assert.Contains(t, body, "access_token")

	status, resp = post("/_test/config", `{"device_auto_approve_polls":1}`)
	require.Equal(t, http.StatusOK, status, resp)
	_, body = pollDevice(t, s, beginDevice(t, s)["device_code"].(string))
	assert.Contains(t, body, "access_token", "auto-approved on the first poll")

	s.Reset()
	_, body = pollDevice(t, s, beginDevice(t, s)["device_code"].(string))
	assert.Equal(t, "authorization_pending", body["error"], "Reset ends auto-approval")
	assert.Equal(t, 5.0, beginDevice(t, s)["interval"], "Reset restores the default interval")
}

func TestDeviceAuthorizationDisabled(t *testing.T) {
	s := StartT(t, Options{DisableDeviceAuthorization: true})
	resp, err := http.Get(s.URL + metadataPath)
	require.NoError(t, err)
	md := decodeBody(t, resp.Body)
	resp.Body.Close()
	assert.NotContains(t, md, "device_authorization_endpoint")
	assert.NotContains(t, md["grant_types_supported"], GrantDeviceCode)

	resp, err = http.PostForm(s.DeviceAuthorizationURL(), url.Values{"client_id": {DefaultPublicClientID}})
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	status, body := pollDevice(t, s, "dc_x")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "unsupported_grant_type", body["error"])
}

func TestRegisterDeviceGrant(t *testing.T) {
	s := StartT(t, Options{})
	status, body := register(t, s, `{"redirect_uris":["http://127.0.0.1:9/cb"],"token_endpoint_auth_method":"none",
		"grant_types":["authorization_code","refresh_token","`+GrantDeviceCode+`"]}`)
	require.Equal(t, http.StatusCreated, status, body)
	id := body["client_id"].(string)

	status, dev := deviceCall(t, s, tokenCall{form: url.Values{"client_id": {id}}})
	require.Equal(t, http.StatusOK, status, dev)
	require.NoError(t, s.ApproveDevice(dev["user_code"].(string)))
	status, tok, _ := postToken(t, s, tokenCall{form: url.Values{
		"grant_type": {GrantDeviceCode}, "client_id": {id}, "device_code": {dev["device_code"].(string)},
	}})
	assert.Equal(t, http.StatusOK, status, tok)
}
