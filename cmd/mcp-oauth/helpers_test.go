package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
)

// cliBinary is the mcp-oauth command built by TestMain.
var cliBinary string

// browserModeEnv makes the test binary act as a browser: it fetches the URL
// given as its argument, following redirects (the test authorization server
// approves at once and redirects to the loopback listener), and exits.
const browserModeEnv = "MCP_OAUTH_TEST_ACT_AS_BROWSER"

func TestMain(m *testing.M) {
	if os.Getenv(browserModeEnv) == "1" {
		os.Exit(actAsBrowser(os.Args[1:]))
	}
	dir, err := os.MkdirTemp("", "mcp-oauth-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cliBinary = filepath.Join(dir, "mcp-oauth")
	build := exec.Command("go", "build", "-o", cliBinary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building mcp-oauth: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// actAsBrowser GETs args[0] and reports failure through its exit status.
func actAsBrowser(args []string) int {
	if len(args) != 1 {
		return 2
	}
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(args[0])
	if err != nil {
		return 1
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return 1
	}
	return 0
}

// env is a test's environment for the command: its own store and home,
// no graphical session, the test binary as browser.
type env struct {
	t        *testing.T
	store    string
	redirect string
	vars     map[string]string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	self, err := os.Executable()
	require.NoError(t, err)
	home := t.TempDir()
	return &env{
		t: t, store: filepath.Join(home, "store"), redirect: freeRedirectURI(t),
		vars: map[string]string{
			"HOME": home, "PATH": os.Getenv("PATH"), envStore: filepath.Join(home, "store"),
			"BROWSER": self, browserModeEnv: "1",
		},
	}
}

// freeRedirectURI is a loopback redirect URI on a port that was free a
// moment ago: a fixed port, as --redirect-uri gives one.
func freeRedirectURI(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return "http://" + l.Addr().String() + "/callback"
}

// result is one run of the command.
type result struct {
	stdout, stderr string
	code           int
}

// command returns the command for args, not started.
func (e *env) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, cliBinary, args...)
	cmd.Env = nil
	for k, v := range e.vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

// run runs the command to completion (at most a minute).
func (e *env) run(args ...string) result {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := e.command(ctx, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		exitErr, ok := err.(*exec.ExitError)
		require.True(e.t, ok, "running mcp-oauth %v: %v", args, err)
		code = exitErr.ExitCode()
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// mustRun runs the command and requires it to succeed.
func (e *env) mustRun(args ...string) result {
	e.t.Helper()
	r := e.run(args...)
	require.Equal(e.t, exitOK, r.code, "mcp-oauth %v failed\nstdout: %s\nstderr: %s", args, r.stdout, r.stderr)
	return r
}

// login logs in to server through the test browser.
func (e *env) login(server string) result {
	e.t.Helper()
	return e.mustRun("login", "--redirect-uri", e.redirect, server)
}

// startServer starts an MCP server with its authorization server.
func startServer(t *testing.T, opts mcptest.Options) *mcptest.Server {
	t.Helper()
	return mcptest.StartT(t, opts)
}

// lineWith reads r until a line containing substr and returns it.
func lineWith(t *testing.T, r *bufio.Reader, substr string) string {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		if strings.Contains(line, substr) {
			return strings.TrimSpace(line)
		}
		require.NoError(t, err, "no line containing %q", substr)
	}
}

// storedSecrets lists every token and secret of the test's token store.
func (e *env) storedSecrets() []string {
	e.t.Helper()
	creds, err := (&core.FileStore{Dir: e.store}).List()
	require.NoError(e.t, err)
	var out []string
	for _, c := range creds {
		for _, s := range []string{c.AccessToken, c.RefreshToken, c.ClientSecret, c.DPoPKey} {
			if s != "" {
				out = append(out, s)
			}
		}
	}
	require.NotEmpty(e.t, out)
	return out
}
