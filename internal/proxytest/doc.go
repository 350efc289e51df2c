// Package proxytest is a test fixture for enterprise networks: an HTTP
// CONNECT proxy (RFC 9110 §9.3.6) that counts the tunnels it opens, and a
// private certificate authority.
//
// The proxy can stand in for hosts that do not exist: a tunnel to a routed
// host name is served by the proxy itself, which terminates TLS with a
// certificate of the private CA and relays the plain HTTP to a local
// server. A client then reaches https://mcp.example.test through the proxy
// (trusting the CA) while the test servers listen on plain loopback ports.
package proxytest
