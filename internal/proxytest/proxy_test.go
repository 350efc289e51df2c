package proxytest

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestRoutedTunnelTerminatesTLSAndCounts(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello from "+r.Host)
	}))
	defer backend.Close()
	ca, err := NewCA("test CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.Issue("svc.example.test")
	if err != nil {
		t.Fatal(err)
	}
	p := StartT(t)
	p.Route("svc.example.test:443", backend.Listener.Addr().String(), cert)

	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(ca.PEM)
	proxyURL, _ := url.Parse(p.URL)
	tr := &http.Transport{Proxy: http.ProxyURL(proxyURL), TLSClientConfig: &tls.Config{RootCAs: roots}}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get("https://svc.example.test/x")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "hello from svc.example.test" {
		t.Errorf("body %q", body)
	}
	if got := p.Tunnels()["svc.example.test:443"]; got != 1 || p.TunnelCount() != 1 {
		t.Errorf("tunnels %v", p.Tunnels())
	}
}

func TestOnlyConnectIsServed(t *testing.T) {
	p := StartT(t)
	c, err := net.Dial("tcp", p.URL[len("http://"):])
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET http://example.test/ HTTP/1.1\r\nHost: example.test\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || p.TunnelCount() != 0 {
		t.Errorf("status %d, tunnels %d", resp.StatusCode, p.TunnelCount())
	}
}
