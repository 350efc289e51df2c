package core

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/netip"
	"os"
	"time"
)

// maxBodyBytes caps every response body read from a server.
const maxBodyBytes = 1 << 20

// newHTTPClient builds the client used for every request: refusing
// link-local and cloud-metadata addresses at dial time, and loopback and
// private ones that r does not allow (see netreach.go), bounded by the
// configured timeout, trusting only ca_file's CAs when it is set, and never
// following redirects (a token endpoint that redirects is an error; OAuth 2.1
// §3.2 — the caller decides per endpoint).
func newHTTPClient(c *Config, r *reach) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 16
	// Whatever a host name resolves to: the addresses are vetted, then
	// dialled (the Control check is a last line for the same rule).
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: discoveryDialControl}
	lookup := func(ctx context.Context, host string) ([]netip.Addr, error) {
		return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, &ConfigError{Field: "ca_file", Reason: "cannot be read"}
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &ConfigError{Field: "ca_file", Reason: "holds no PEM certificate"}
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{
		Transport: guardTransport(tr, r, lookup, dialer.DialContext),
		Timeout:   c.HTTPTimeout(),
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}, nil
}
