package layering

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/mcp-oauth-client/mcp-oauth-client"

// allowed maps a package of the module to the packages of the module it may
// depend on (directly or not), its tests aside. A package not listed may
// depend on anything but the front ends (capi, cmd/...), which nothing
// imports.
var allowed = map[string][]string{
	"core":           {},
	"core/mcpclient": {"core"}, // MCP sessions, above the token engine
	"redisstore":     {"core"}, // a token store backend: registers itself with core
	"keyringstore":   {"core"}, // another
	"capi":           {"core", "core/mcpclient", "keyringstore", "redisstore"},
	"cmd/mcp-oauth":  {"core", "core/mcpclient", "keyringstore", "redisstore"},
}

// pkg is what `go list -json` tells of a package.
type pkg struct {
	ImportPath string
	Deps       []string
	Dir        string
	GoFiles    []string
}

// violations lists every dependency of pkgs that breaks the layering.
func violations(pkgs []pkg) []string {
	var bad []string
	for _, p := range pkgs {
		self := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		rule, ruled := allowed[self]
		for _, d := range p.Deps {
			dep, ours := strings.CutPrefix(d, module+"/")
			if !ours {
				continue
			}
			frontEnd := dep == "capi" || strings.HasPrefix(dep, "cmd/")
			if (ruled && !slices.Contains(rule, dep)) || frontEnd {
				bad = append(bad, fmt.Sprintf("%s imports %s", self, dep))
			}
		}
	}
	return bad
}

// modulePackages runs `go list -json` over the module:
// each package with its transitive dependencies, test files left out.
func modulePackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Deps,Dir,GoFiles", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "go list: %s", stderr.String())
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(t, err)
		}
		pkgs = append(pkgs, p)
		// go test caches a result by the files the test itself reads, not
		// by those `go list` read: reading the directories and files here
		// makes an import added anywhere run the test again.
		_, _ = os.ReadDir(p.Dir)
		for _, f := range p.GoFiles {
			_, _ = os.ReadFile(filepath.Join(p.Dir, f))
		}
	}
	return pkgs
}

func TestImportGraph(t *testing.T) {
	pkgs := modulePackages(t)
	var listed []string
	for _, p := range pkgs {
		listed = append(listed, strings.TrimPrefix(p.ImportPath, module+"/"))
	}
	for name := range allowed {
		require.Contains(t, listed, name, "go list found no package %s", name)
	}
	assert.Empty(t, violations(pkgs))
}

// TestViolationsFindsABreach: the checker fails on each kind of breach.
func TestViolationsFindsABreach(t *testing.T) {
	m := func(p string) string { return module + "/" + p }
	assert.Equal(t, []string{"core imports internal/mcptest"},
		violations([]pkg{{ImportPath: m("core"), Deps: []string{"net/http", m("internal/mcptest")}}}))
	assert.Equal(t, []string{"core imports core/mcpclient"},
		violations([]pkg{{ImportPath: m("core"), Deps: []string{m("core/mcpclient")}}}))
	assert.Equal(t, []string{"core/mcpclient imports redisstore"},
		violations([]pkg{{ImportPath: m("core/mcpclient"), Deps: []string{m("core"), m("redisstore")}}}))
	assert.Equal(t, []string{"capi imports internal/oauthtest"},
		violations([]pkg{{ImportPath: m("capi"), Deps: []string{m("core"), m("internal/oauthtest")}}}))
	assert.Equal(t, []string{"cmd/mcp-oauth imports capi"},
		violations([]pkg{{ImportPath: m("cmd/mcp-oauth"), Deps: []string{m("core"), m("capi")}}}))
	assert.Equal(t, []string{"internal/mcptest imports cmd/mcp-oauth"},
		violations([]pkg{{ImportPath: m("internal/mcptest"), Deps: []string{m("cmd/mcp-oauth")}}}))
	assert.Empty(t, violations([]pkg{{ImportPath: m("capi"), Deps: []string{m("core"), m("core/mcpclient"), "C"}}}))
	assert.Empty(t, violations([]pkg{{ImportPath: m("core/mcpclient"), Deps: []string{m("core")}}}))
}
