package proxytest

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// Proxy is a running CONNECT proxy.
type Proxy struct {
	// URL is the proxy's URL, e.g. http://127.0.0.1:40123: the value of
	// HTTPS_PROXY.
	URL string

	ln     net.Listener
	routes map[string]route // by host:port, lower case
	wg     sync.WaitGroup

	mu      sync.Mutex
	tunnels map[string]int // by the CONNECT target
	conns   map[net.Conn]bool
	closed  bool
}

// route is a host the proxy serves itself: TLS with cert, then plain bytes
// to backend.
type route struct {
	backend string
	cert    tls.Certificate
}

// Start starts a proxy on a loopback port. Tunnels to other hosts than the
// routed ones connect to them directly.
func Start() (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{URL: "http://" + ln.Addr().String(), ln: ln, routes: map[string]route{},
		tunnels: map[string]int{}, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

// StartT starts a proxy for a test and closes it when the test ends.
func StartT(t testing.TB) *Proxy {
	t.Helper()
	p, err := Start()
	if err != nil {
		t.Fatalf("proxytest.Start: %v", err)
	}
	t.Cleanup(p.Close)
	return p
}

// Route makes the proxy serve tunnels to hostPort (e.g.
// "mcp.example.test:443") itself: it terminates TLS with cert and relays
// the plain connection to backend (e.g. "127.0.0.1:40124"). Call it before
// the first tunnel.
func (p *Proxy) Route(hostPort, backend string, cert tls.Certificate) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.routes[strings.ToLower(hostPort)] = route{backend: backend, cert: cert}
}

// Tunnels is the number of CONNECT requests answered, by target host:port.
func (p *Proxy) Tunnels() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]int, len(p.tunnels))
	for k, v := range p.tunnels {
		out[k] = v
	}
	return out
}

// TunnelCount is the number of CONNECT requests answered in all.
func (p *Proxy) TunnelCount() int {
	n := 0
	for _, v := range p.Tunnels() {
		n += v
	}
	return n
}

// Close stops the proxy and ends every tunnel.
func (p *Proxy) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	p.ln.Close()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *Proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c) {
			c.Close()
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer p.untrack(c)
			p.handle(c)
		}()
	}
}

func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.conns[c] = true
	return true
}

func (p *Proxy) untrack(c net.Conn) {
	c.Close()
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
}

// handle answers one CONNECT request and relays the tunnel.
func (p *Proxy) handle(c net.Conn) {
	br := bufio.NewReader(c)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	if req.Method != http.MethodConnect {
		io.WriteString(c, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		return
	}
	target := strings.ToLower(req.Host)
	p.mu.Lock()
	r, routed := p.routes[target]
	p.mu.Unlock()
	backend := target
	if routed {
		backend = r.backend
	}
	up, err := net.Dial("tcp", backend)
	if err != nil {
		io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		return
	}
	if !p.track(up) {
		up.Close()
		return
	}
	defer p.untrack(up)
	p.mu.Lock()
	p.tunnels[target]++
	p.mu.Unlock()
	if _, err := io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return
	}
	var client io.ReadWriter = struct {
		io.Reader
		io.Writer
	}{br, c}
	if routed {
		tc := tls.Server(bufferedConn{Conn: c, r: br}, &tls.Config{Certificates: []tls.Certificate{r.cert}})
		if err := tc.Handshake(); err != nil {
			return
		}
		client = tc
	}
	done := make(chan struct{}, 2)
	go func() { io.Copy(up, client); closeWrite(up); done <- struct{}{} }()
	go func() { io.Copy(client, up); done <- struct{}{} }()
	<-done
	<-done
}

// bufferedConn is c whose reads start with what r buffered.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (b bufferedConn) Read(p []byte) (int, error) { return b.r.Read(p) }

func closeWrite(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.CloseWrite()
	}
}
