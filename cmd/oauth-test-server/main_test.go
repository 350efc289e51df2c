package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/testserve/servetest"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// childEnv makes the test binary act as oauth-test-server, with the
// space-separated arguments it holds, so that signals can be tested on a
// real process.
const childEnv = "OAUTH_TEST_SERVER_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(childEnv); ok {
		os.Args = append([]string{"oauth-test-server"}, strings.Fields(args)...)
		main()
	}
	os.Exit(m.Run())
}

func TestParseFlags(t *testing.T) {
	tests := []servetest.FlagCase[oauthtest.Options]{
		{Name: "defaults", Args: nil, Want: oauthtest.Options{Addr: "127.0.0.1:0", TokenLifetime: time.Hour}},
		{
			Name: "all flags",
			Args: []string{"-addr", "127.0.0.1:9999", "-lifetime", "-1s", "-latency", "50ms", "-refresh-for-client-credentials",
				"-client", "conf:s3:cr", "-client", "pub:", "-client", "pub2"},
			Want: oauthtest.Options{
				Addr: "127.0.0.1:9999", TokenLifetime: -time.Second, Latency: 50 * time.Millisecond,
				RefreshTokensForClientCredentials: true,
				Clients:                           []oauthtest.Client{{ID: "conf", Secret: "s3:cr"}, {ID: "pub"}, {ID: "pub2"}},
			},
		},
		{Name: "empty client ID", Args: []string{"-client", ":secret"}, Want: oauthtest.Options{}, WantErr: true},
		{Name: "bad duration", Args: []string{"-lifetime", "soon"}, Want: oauthtest.Options{}, WantErr: true},
		{Name: "positional argument", Args: []string{"extra"}, Want: oauthtest.Options{}, WantErr: true},
	}
	servetest.TestFlags(t, tests, func(args []string) (oauthtest.Options, error) {
		cfg, err := parseFlags(args, io.Discard)
		return cfg.opts, err
	})
}

func TestRunWatchStdin(t *testing.T) {
	stdinR, stdinW := io.Pipe()
	stdoutR, stdoutW := io.Pipe()
	var stderr servetest.SyncBuffer
	done := make(chan int)
	go func() {
		done <- run(context.Background(), []string{"-watch-stdin", "-v", "-client", "c:s"}, stdinR, stdoutW, &stderr)
	}()

	line, err := bufio.NewReader(stdoutR).ReadString('\n')
	require.NoError(t, err)
	base := strings.TrimSuffix(line, "\n")
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, base)

	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"c"}, "client_secret": {"s"}}
	resp, err := http.PostForm(base+"/token", form)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	require.NoError(t, stdinW.Close())
	select {
	case code := <-done:
		assert.Equal(t, 0, code)
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after stdin EOF")
	}
	assert.Equal(t, "POST /token 200", strings.Join(strings.Fields(stderr.String())[:3], " "))
	assert.NotContains(t, stderr.String(), "at_")
}

func TestRunStartError(t *testing.T) {
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"-client", "a", "-client", "a:b"}, strings.NewReader(""), io.Discard, &stderr)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr.String(), "duplicate client")
	assert.Equal(t, 2, run(context.Background(), []string{"-nope"}, strings.NewReader(""), io.Discard, io.Discard))
}

func TestProcessExitsOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			// atexit_sleep_ms=0 spares the second the race detector waits at exit.
			cmd.Env = append(os.Environ(), childEnv+"=-addr 127.0.0.1:0", "GORACE=atexit_sleep_ms=0")
			stdout, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			t.Cleanup(func() { _ = cmd.Process.Kill() })

			line, err := bufio.NewReader(stdout).ReadString('\n')
			require.NoError(t, err)
			resp, err := http.Get(strings.TrimSpace(line) + "/.well-known/oauth-authorization-server")
			require.NoError(t, err)
			resp.Body.Close()

			require.NoError(t, cmd.Process.Signal(sig))
			require.NoError(t, cmd.Wait())
			assert.Equal(t, 0, cmd.ProcessState.ExitCode())
		})
	}
}
