package main

import (
	"bufio"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// deviceServer is an MCP server whose authorization server asks device
// clients to poll every second, the shortest interval RFC 8628 can state.
func deviceServer(t *testing.T, lifetime time.Duration) *mcptest.Server {
	return startServer(t, mcptest.Options{AS: oauthtest.Options{DeviceInterval: time.Second, DeviceCodeLifetime: lifetime}})
}

// deviceLogin starts mcp-oauth login --device and returns the user code it
// prints, with a function that waits for the command's result.
func deviceLogin(t *testing.T, e *env, server string, extra ...string) (userCode string, prompt string, wait func() result) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	cmd := e.command(ctx, append(append([]string{"login", "--device"}, extra...), server)...)
	pipe, err := cmd.StderrPipe()
	require.NoError(t, err)
	var stdout strings.Builder
	cmd.Stdout = &stdout
	require.NoError(t, cmd.Start())
	r := bufio.NewReader(pipe)
	var seen strings.Builder
	codeNext := false // the next non-blank line is the user code
	for !strings.Contains(seen.String(), "Waiting for the approval") {
		line, err := r.ReadString('\n')
		require.NoError(t, err, "stderr so far: %s", seen.String())
		seen.WriteString(line)
		switch text := strings.TrimSpace(line); {
		case strings.HasSuffix(text, "enter the code"):
			codeNext = true
		case codeNext && text != "":
			userCode, codeNext = text, false
		}
	}
	require.NotEmpty(t, userCode, "stderr: %s", seen.String())
	return userCode, seen.String(), func() result {
		rest, _ := readAll(r)
		err := cmd.Wait()
		code := 0
		if err != nil {
			code = cmd.ProcessState.ExitCode()
		}
		return result{stdout: stdout.String(), stderr: seen.String() + rest, code: code}
	}
}

func readAll(r *bufio.Reader) (string, error) {
	var b strings.Builder
	_, err := r.WriteTo(&b)
	return b.String(), err
}

func TestLoginDevice(t *testing.T) {
	s := deviceServer(t, 0)
	e := newEnv(t)
	delete(e.vars, "BROWSER")
	code, prompt, wait := deviceLogin(t, e, s.StreamableURL())
	assert.Contains(t, prompt, s.AS().VerificationURL())
	assert.Contains(t, prompt, s.AS().VerificationURL()+"?user_code=", "the complete URI too")
	require.NoError(t, s.AS().ApproveDevice(code))
	r := wait()
	require.Equal(t, exitOK, r.code, "stderr: %s", r.stderr)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "Logged in to "+s.StreamableURL())
	assert.Zero(t, s.AS().Counts().Authorize, "no browser redirect was used")

	token := strings.TrimSpace(e.mustRun("token", s.StreamableURL()).stdout)
	_, ok := s.AS().Introspect(token)
	assert.True(t, ok)
	assert.Equal(t, "hi\n", e.mustRun("call", s.StreamableURL(), "echo", `{"text":"hi"}`).stdout)
}

func TestLoginDeviceFailures(t *testing.T) {
	t.Run("denied", func(t *testing.T) {
		s := deviceServer(t, 0)
		e := newEnv(t)
		code, _, wait := deviceLogin(t, e, s.StreamableURL())
		require.NoError(t, s.AS().DenyDevice(code))
		r := wait()
		assert.Equal(t, exitAuthDenied, r.code)
		assert.Contains(t, r.stderr, `authorization failed with "access_denied"`)
		assert.Equal(t, exitLoginNeeded, e.run("token", s.StreamableURL()).code)
	})
	t.Run("code expired", func(t *testing.T) {
		s := deviceServer(t, time.Second)
		e := newEnv(t)
		_, _, wait := deviceLogin(t, e, s.StreamableURL())
		r := wait()
		assert.Equal(t, exitAuthDenied, r.code)
		assert.Contains(t, r.stderr, "the device authorization expired")
	})
	t.Run("timeout", func(t *testing.T) {
		s := deviceServer(t, 0)
		e := newEnv(t)
		_, _, wait := deviceLogin(t, e, s.StreamableURL(), "--timeout", "1500ms")
		r := wait()
		assert.Equal(t, exitAuthDenied, r.code)
		assert.Contains(t, r.stderr, "timed out waiting for the device authorization")
	})
}
