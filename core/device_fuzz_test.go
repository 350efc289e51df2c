package core

import (
	"strings"
	"testing"
	"time"
	"unicode"
)

// FuzzDeviceAuthorizationResponse feeds arbitrary device authorization
// endpoint answers (RFC 8628 §3.2) to the parser. A success has a device
// code, a printable user code and https (or loopback http) verification
// URIs, an expiry after the request within a day and an interval of at
// least one second; every failure is typed.
func FuzzDeviceAuthorizationResponse(f *testing.F) {
	for _, s := range []struct {
		status int
		ct     string
		body   string
	}{
		{200, "application/json", `{"device_code":"dc","user_code":"ABCD-EFGH","verification_uri":"https://as.example/device","expires_in":600,"interval":5}`},
		{200, "application/json", `{"device_code":"dc","user_code":"A","verification_uri":"http://127.0.0.1:9/device","verification_uri_complete":"http://127.0.0.1:9/device?user_code=A","expires_in":"600"}`},
		{200, "application/json", `{"device_code":"dc","user_code":"A\u001b[2J","verification_uri":"https://as.example/d","expires_in":600}`},
		{200, "application/json", `{"device_code":"dc","user_code":"A","verification_uri":"http://evil.example/d","expires_in":600}`},
		{200, "application/json", `{"device_code":"dc","user_code":"A","verification_uri":"https://as.example/d","expires_in":600,"interval":-1}`},
		{200, "application/json", `{"device_code":"dc","user_code":"A","verification_uri":"https://as.example/d","expires_in":1e30,"interval":1e30}`},
		{200, "application/x-www-form-urlencoded", "device_code=dc&user_code=A&verification_uri=https%3A%2F%2Fas.example%2Fd&expires_in=600"},
		{400, "application/json", `{"error":"invalid_client","error_description":"nope"}`},
		{200, "application/json", `{"device_code":7}`},
		{500, "text/html", "<html>"},
	} {
		f.Add(s.status, s.ct, []byte(s.body))
	}
	sent := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		fields, err := successFields(status, contentType, body)
		if err != nil {
			if !knownError(err) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		d, err := parseDeviceAuthorization(fields, sent)
		if err != nil {
			if !knownError(err) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		switch {
		case d.deviceCode == "" || d.UserCode == "":
			t.Fatalf("accepted without a device or user code: %+v", d)
		case strings.IndexFunc(d.UserCode+d.VerificationURI+d.VerificationURIComplete, unicode.IsControl) >= 0:
			t.Fatalf("accepted control characters: %q %q", d.UserCode, d.VerificationURI)
		case !strings.HasPrefix(d.VerificationURI, "https://") && !strings.HasPrefix(d.VerificationURI, "http://"):
			t.Fatalf("accepted verification_uri %q", d.VerificationURI)
		case !d.ExpiresAt.After(sent) || d.ExpiresAt.After(sent.Add(24*time.Hour)):
			t.Fatalf("expiry %v out of range", d.ExpiresAt)
		case d.Interval < time.Second:
			t.Fatalf("interval %v below a second", d.Interval)
		}
	})
}
