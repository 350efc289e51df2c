package core

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckDiscoveryURL(t *testing.T) {
	tests := []struct {
		url    string
		reason string // "" = allowed
	}{
		{"https://mcp.example.com/mcp", ""},
		{"https://mcp.example.com:8443", ""},
		{"HTTPS://MCP.EXAMPLE.COM/x", ""},
		{"http://127.0.0.1:8080/mcp", ""},
		{"http://localhost/mcp", ""},
		{"http://[::1]:9000/", ""},
		{"https://10.0.0.5/mcp", ""}, // private networks are fine: enterprise servers live there
		{"https://[2001:db8::1]/", ""},
		{"http://mcp.example.com/mcp", "https is required"},
		{"ftp://mcp.example.com/", "https is required"},
		{"file:///etc/passwd", "not an absolute URL"},
		{"/relative/path", "not an absolute URL"},
		{"https://", "not an absolute URL"},
		{"://bad", "not an absolute URL"},
		{"https://user:SECRETPW@mcp.example.com/", "credentials"},
		{"https://mcp.example.com/#frag", "fragment"},
		{"http://169.254.169.254/latest/meta-data/", "https is required"},
		{"https://169.254.169.254/latest/meta-data/", "cloud metadata address"},
		{"https://169.254.10.1/", "link-local"},
		{"https://[fe80::1]/", "link-local"},
		{"https://[fe80::1%25eth0]/", "link-local"},
		{"https://[fd00:ec2::254]/", "cloud metadata address"},
		{"https://[::ffff:169.254.169.254]/", "cloud metadata address"},
		{"https://0.0.0.0/", "unspecified"},
		{"https://[::]/", "unspecified"},
		{"https://239.1.2.3/", "multicast"},
		{"https://metadata.google.internal/computeMetadata/v1/", "cloud metadata host"},
		{"https://METADATA.GOOGLE.INTERNAL./", "cloud metadata host"},
		{"https://2852039166/", "non-canonical"},
		{"https://0xa9fea9fe/", "non-canonical"},
		{"https://169.254.43518/", "non-canonical"},
		{"https://0251.0376.0251.0376/", "non-canonical"},
		{"https://host.0x/", "non-canonical"},
		{"https://example.123abc/", ""},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			err := checkDiscoveryURL(tc.url)
			if tc.reason == "" {
				assert.NoError(t, err)
				return
			}
			var ue *DiscoveryURLError
			require.ErrorAs(t, err, &ue)
			assert.Contains(t, ue.Reason, tc.reason)
			assert.NotContains(t, err.Error(), "SECRETPW", "credentials never reach the message")
		})
	}
}

func TestDiscoveryDialControl(t *testing.T) {
	tests := []struct {
		addr    string
		refused bool
	}{
		{"127.0.0.1:443", false},
		{"93.184.216.34:443", false},
		{"[2001:db8::1]:443", false},
		{"169.254.169.254:80", true},
		{"169.254.1.1:443", true},
		{"[fe80::1%eth0]:443", true},
		{"[fd00:ec2::254]:80", true},
		{"0.0.0.0:443", true},
		{"not-an-ip:443", false},
	}
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			err := discoveryDialControl("tcp", tc.addr, nil)
			assert.Equal(t, tc.refused, err != nil, "err = %v", err)
		})
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://mcp.example.com/mcp", "https://mcp.example.com/mcp"},
		{"https://mcp.example.com/mcp?api_key=SECRET", "https://mcp.example.com/mcp?…"},
		{"https://user:SECRET@mcp.example.com/", "https://mcp.example.com/?…"},
		{"https://mcp.example.com/#SECRET", "https://mcp.example.com/?…"},
		{"", `""`},
		{"%zz://x", "(unparseable URL)"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			assert.Equal(t, tc.want, redactURL(tc.in))
		})
	}
}

func TestErrorMessagesHideSecrets(t *testing.T) {
	errs := []error{
		&ResourceMismatchError{ServerURL: "https://mcp.example.com/mcp?key=SECRET", Resource: "https://evil.example/?t=SECRET", MetadataURL: "https://mcp.example.com/.well-known/oauth-protected-resource/mcp?key=SECRET"},
		&MetadataError{Document: docPRM, URL: "https://x.example/?token=SECRET", Reason: "r"},
		&DiscoveryURLError{URL: "https://u:SECRET@x.example/", Reason: "r"},
		&MetadataIssuerMismatchError{Expected: "https://a.example", Got: "https://b.example", MetadataURL: "https://a.example/?SECRET"},
	}
	for _, err := range errs {
		assert.NotContains(t, err.Error(), "SECRET")
		assert.Contains(t, err.Error(), "mcp-oauth: ")
	}
	assert.True(t, errors.Is(&MetadataError{Err: ErrMetadataNotFound}, ErrMetadataNotFound))

	long := (&RegistrationError{ErrorCode: "invalid_client_metadata", ErrorDescription: strings.Repeat("y", 5000), StatusCode: 400}).Error()
	assert.Less(t, len(long), 400, "server text is clipped")
	assert.Contains(t, (&ClientIssuerMismatchError{ClientIssuer: "https://old.example", ServerIssuer: "https://new.example"}).Error(),
		`registered with issuer "https://old.example"`)
}
