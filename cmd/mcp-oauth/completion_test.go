package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// completionScript writes mcp-oauth completion shell to a file.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	r := newEnv(t).mustRun("completion", shell)
	path := filepath.Join(t.TempDir(), "mcp-oauth."+shell)
	require.NoError(t, os.WriteFile(path, []byte(r.stdout), 0o600))
	return path
}

// shellOutput runs script in shell and returns its output.
func shellOutput(t *testing.T, shell string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, shell, args...).CombinedOutput()
	require.NoError(t, err, "%s %v: %s", shell, args, out)
	return string(out)
}

// TestCompletionBash: the bash script parses (bash -n), registers its
// function with complete, and completes the registered commands, their
// flags and the values of the flags that have a fixed set.
func TestCompletionBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script := completionScript(t, "bash")
	shellOutput(t, bash, "-n", script)
	complete := func(words ...string) []string {
		t.Helper()
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = "'" + w + "'"
		}
		out := shellOutput(t, bash, "-c", `source "$1"; complete -p mcp-oauth;
COMP_WORDS=(`+strings.Join(quoted, " ")+`); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _mcp_oauth; printf '%s\n' "${COMPREPLY[@]}"`, "x", script)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		assert.Equal(t, "complete -F _mcp_oauth mcp-oauth", lines[0])
		return lines[1:]
	}
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	assert.Equal(t, names, complete("mcp-oauth", ""), "every registered command")
	assert.Equal(t, []string{"login", "logout"}, complete("mcp-oauth", "lo"))
	assert.Equal(t, []string{"--no-browser"}, complete("mcp-oauth", "--json", "login", "--no"), "a command's own flags")
	assert.Contains(t, complete("mcp-oauth", "token", "--"), "--auth-method", "the global flags")
	assert.NotContains(t, complete("mcp-oauth", "token", "--"), "--no-browser", "not another command's")
	assert.Equal(t, []string{"streamable_http", "sse", "auto"}, complete("mcp-oauth", "tools", "--transport", ""))
	assert.Contains(t, complete("mcp-oauth", "tools", "-"), "-v", "a one-letter flag takes one dash")
	assert.Equal(t, []string{"client_secret_post"}, complete("mcp-oauth", "--auth-method", "client_secret_p"))
	assert.Equal(t, []string{"zsh"}, complete("mcp-oauth", "completion", "z"))
	assert.Equal(t, []string{"--version"}, complete("mcp-oauth", "--vers"))
}

// TestCompletionZshAndFish: the zsh and fish scripts parse (zsh -n,
// fish --no-execute) where those shells are installed, and fish completes
// commands and flag values.
func TestCompletionZshAndFish(t *testing.T) {
	for _, shell := range []string{"zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			path, err := exec.LookPath(shell)
			if err != nil {
				t.Skip("no " + shell)
			}
			script := completionScript(t, shell)
			shellOutput(t, path, "-n", script)
			if shell == "fish" {
				out := shellOutput(t, path, "-c", `source $argv[1]; complete -C "mcp-oauth lo"; complete -C "mcp-oauth tools --transport "`, script)
				assert.Contains(t, out, "login\t")
				assert.Contains(t, out, "logout\t")
				assert.Contains(t, out, "sse\t")
			}
		})
	}
	for _, shell := range []string{"zsh", "fish"} {
		script, err := os.ReadFile(completionScript(t, shell))
		require.NoError(t, err)
		for _, c := range commands {
			assert.Contains(t, string(script), c.name, shell)
		}
		assert.Contains(t, string(script), "no-browser", shell)
	}
	r := newEnv(t).run("completion", "tcsh")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `no completion for "tcsh"`)
}
