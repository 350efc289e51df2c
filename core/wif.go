package core

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/url"
	"os"
	"os/exec"
	"strings"
)

// Workload identity federation (MCP extension SEP-1933, RFC 7523 §2.1): a
// workload that already holds a JWT from its platform — a Kubernetes
// projected service-account token, a GitHub Actions OIDC token, a SPIFFE
// JWT-SVID — presents it directly to the MCP server's authorization server
// as the assertion of a jwt-bearer grant, with the RFC 8707 resource. The
// token obtained is cached and refreshed like any other: each new token
// request takes the workload JWT afresh from its source, so a file the
// platform rotates is read again.

// WorkloadTokenSource returns the workload's current JWT.
type WorkloadTokenSource func(ctx context.Context) (string, error)

// WithWorkloadIdentity makes the manager take the workload identity JWT
// from src (the Go counterpart of workload_identity_token_file and
// workload_identity_token_command); the configuration must use
// grant_type "jwt_bearer" without the identity provider members.
func WithWorkloadIdentity(src WorkloadTokenSource) Option {
	return func(m *TokenManager) { m.workload = src }
}

// maxWorkloadToken bounds a workload JWT read from a file or a command.
const maxWorkloadToken = 64 << 10

// hasWorkloadIdentity reports whether the configuration names a workload
// identity source.
func (c *Config) hasWorkloadIdentity() bool {
	return c.WorkloadIdentityToken != "" || c.WorkloadIdentityTokenFile != "" || len(c.WorkloadIdentityTokenCommand) > 0
}

// checkWorkloadIdentity allows at most one workload identity source (the
// configured ones, and a Go callback when workloadCallback), only with
// grant_type jwt_bearer and not together with the identity provider members
// of the cross-app access flow.
func (c *Config) checkWorkloadIdentity(workloadCallback bool) error {
	sources := 0
	field := ""
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"workload_identity_token", c.WorkloadIdentityToken != ""},
		{"workload_identity_token_file", c.WorkloadIdentityTokenFile != ""},
		{"workload_identity_token_command", len(c.WorkloadIdentityTokenCommand) > 0},
		{"WithWorkloadIdentity", workloadCallback},
	} {
		if f.set {
			sources++
			field = f.name
		}
	}
	switch {
	case sources == 0:
		return nil
	case sources > 1:
		return &ConfigError{Field: field, Reason: "give one workload identity source: a token, a file or a command"}
	case c.GrantType != GrantJWTBearer:
		return &ConfigError{Field: field, Reason: `only applies with grant_type "jwt_bearer"`}
	case c.IDPTokenEndpoint != "" || c.IDPIDToken != "":
		return &ConfigError{Field: field, Reason: "cannot be combined with the idp_* members of the cross-app access flow"}
	case len(c.WorkloadIdentityTokenCommand) > 0 && c.WorkloadIdentityTokenCommand[0] == "":
		return &ConfigError{Field: field, Reason: "the command's first element must name the program"}
	}
	return nil
}

// workloadToken returns the workload JWT from the configured source.
func (m *TokenManager) workloadToken(ctx context.Context) (string, error) {
	cfg := m.cfg
	var raw []byte
	var err error
	switch {
	case m.workload != nil:
		var s string
		s, err = m.workload(ctx)
		raw = []byte(s)
	case cfg.WorkloadIdentityToken != "":
		raw = []byte(cfg.WorkloadIdentityToken)
	case cfg.WorkloadIdentityTokenFile != "":
		raw, err = readWorkloadFile(cfg.WorkloadIdentityTokenFile)
	case len(cfg.WorkloadIdentityTokenCommand) > 0:
		raw, err = m.runWorkloadCommand(ctx)
	default:
		return "", &ConfigError{Field: "workload_identity_token", Reason: "no workload identity source"}
	}
	if err != nil {
		return "", err
	}
	tok := strings.TrimSpace(string(raw))
	if tok == "" || strings.Count(tok, ".") != 2 || strings.ContainsAny(tok, " \t\r\n") {
		return "", &ConfigError{Field: m.workloadField(), Reason: "the workload identity token is not a compact JWT"}
	}
	return tok, nil
}

// readWorkloadFile reads the token file; it is read again for every token
// request, so a platform that rotates it in place (Kubernetes refreshes
// projected tokens by an atomic symlink swap) is followed.
func readWorkloadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &ConfigError{Field: "workload_identity_token_file", Reason: "cannot be read: " + err.Error()}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxWorkloadToken+1))
	if err != nil {
		return nil, &ConfigError{Field: "workload_identity_token_file", Reason: "cannot be read: " + err.Error()}
	}
	if len(data) > maxWorkloadToken {
		return nil, &ConfigError{Field: "workload_identity_token_file", Reason: "the file exceeds 64 KiB"}
	}
	return data, nil
}

// runWorkloadCommand runs the configured command (no shell), bounded by the
// HTTP timeout, and returns what it printed. Its standard error is not kept:
// it could echo the token.
func (m *TokenManager) runWorkloadCommand(ctx context.Context) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, m.cfg.HTTPTimeout())
	defer cancel()
	argv := m.cfg.WorkloadIdentityTokenCommand
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out bytes.Buffer
	cmd.Stdout = &cappedWriter{w: &out, n: maxWorkloadToken + 1}
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, &ConfigError{Field: "workload_identity_token_command", Reason: "timed out"}
	case err != nil:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, &ConfigError{Field: "workload_identity_token_command", Reason: "failed (" + ee.ProcessState.String() + ")"}
		}
		return nil, &ConfigError{Field: "workload_identity_token_command", Reason: "cannot be run: " + err.Error()}
	case out.Len() > maxWorkloadToken:
		return nil, &ConfigError{Field: "workload_identity_token_command", Reason: "printed more than 64 KiB"}
	}
	return out.Bytes(), nil
}

// cappedWriter keeps at most n bytes and discards the rest.
type cappedWriter struct {
	w io.Writer
	n int
}

func (c *cappedWriter) Write(p []byte) (int, error) {
	keep := min(len(p), c.n)
	if keep > 0 {
		_, _ = c.w.Write(p[:keep])
		c.n -= keep
	}
	return len(p), nil
}

// obtainWorkloadIdentity presents the workload JWT as a jwt-bearer grant
// (RFC 7523 §2.1) with the scopes and, added by the endpoint, the resource;
// the client authenticates as configured (or not at all: RFC 7523 §3.1
// makes client authentication optional for this grant). A failure is the
// server's answer and is not retried with another grant.
func (m *TokenManager) obtainWorkloadIdentity(ctx context.Context, p *authParams) (Snapshot, error) {
	assertion, err := m.workloadToken(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	return m.grant(ctx, p, url.Values{"grant_type": {grantTypeJWTBearer}, "assertion": {assertion}})
}

// hasWorkload reports whether the manager has a workload identity source.
func (m *TokenManager) hasWorkload() bool { return m.workload != nil || m.cfg.hasWorkloadIdentity() }

// workloadField names the configured workload identity source, for errors.
func (m *TokenManager) workloadField() string {
	switch {
	case m.workload != nil:
		return "workload identity callback"
	case m.cfg.WorkloadIdentityTokenFile != "":
		return "workload_identity_token_file"
	case len(m.cfg.WorkloadIdentityTokenCommand) > 0:
		return "workload_identity_token_command"
	}
	return "workload_identity_token"
}
