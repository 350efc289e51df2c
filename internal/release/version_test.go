package release

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// root is the repository's root, two levels above this package.
const root = "../.."

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// version returns VERSION's number and its parts.
func version(t *testing.T) (v string, major, minor, patch int) {
	t.Helper()
	v = strings.TrimSpace(read(t, "VERSION"))
	if _, err := fmt.Sscanf(v, "%d.%d.%d", &major, &minor, &patch); err != nil || fmt.Sprintf("%d.%d.%d", major, minor, patch) != v {
		t.Fatalf("VERSION %q is not MAJOR.MINOR.PATCH", v)
	}
	return v, major, minor, patch
}

// find returns the first submatch of pattern in the file, or fails.
func find(t *testing.T, file, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(read(t, file))
	if m == nil {
		t.Fatalf("%s: no match for %s", file, pattern)
	}
	return m[1]
}

// TestVersionCopies checks every copy of the version against VERSION: the
// Go constant (CLI, MCP client info), mcp_oauth_version() in capi, the
// header's macros (MCP_OAUTH_VERSION_NUMBER = MAJOR*1000000+MINOR*1000+PATCH),
// the Python package (pyproject reads _version.py), the Node package and its
// lock file, and the CLI reference. packaging/set-version.sh writes them all.
func TestVersionCopies(t *testing.T) {
	v, major, minor, patch := version(t)
	copies := []struct{ where, got, want string }{
		{"core.Version", core.Version, v},
		{"capi/statics.go mcp_oauth_version", find(t, "capi/statics.go", `mcp_oauth_version\(void\) \{ return "([^"]*)"`), v},
		{"MCP_OAUTH_VERSION", find(t, "include/mcp_oauth.h", `(?m)^#define MCP_OAUTH_VERSION "([^"]*)"`), v},
		{"MCP_OAUTH_VERSION_MAJOR", find(t, "include/mcp_oauth.h", `(?m)^#define MCP_OAUTH_VERSION_MAJOR (\d+)`), fmt.Sprint(major)},
		{"MCP_OAUTH_VERSION_MINOR", find(t, "include/mcp_oauth.h", `(?m)^#define MCP_OAUTH_VERSION_MINOR (\d+)`), fmt.Sprint(minor)},
		{"MCP_OAUTH_VERSION_PATCH", find(t, "include/mcp_oauth.h", `(?m)^#define MCP_OAUTH_VERSION_PATCH (\d+)`), fmt.Sprint(patch)},
		{"MCP_OAUTH_VERSION_NUMBER", find(t, "include/mcp_oauth.h", `(?m)^#define MCP_OAUTH_VERSION_NUMBER (\d+)`), fmt.Sprint(major*1000000 + minor*1000 + patch)},
		{"Python _version.py", find(t, "bindings/python/src/mcp_oauth_client/_version.py", `(?m)^VERSION = "([^"]*)"`), v},
		{"Python pyproject.toml", find(t, "bindings/python/pyproject.toml", `(version = \{ attr = "mcp_oauth_client\._version\.VERSION" \})`), `version = { attr = "mcp_oauth_client._version.VERSION" }`},
		{"docs/cli.md", find(t, "docs/cli.md", "`mcp-oauth ([0-9.]+)`"), v},
	}
	var pkg struct {
		Version              string            `json:"version"`
		OptionalDependencies map[string]string `json:"optionalDependencies"`
	}
	if err := json.Unmarshal([]byte(read(t, "bindings/node/package.json")), &pkg); err != nil {
		t.Fatal(err)
	}
	copies = append(copies, struct{ where, got, want string }{"bindings/node/package.json", pkg.Version, v})
	for name, dep := range pkg.OptionalDependencies {
		copies = append(copies, struct{ where, got, want string }{"package.json optionalDependencies " + name, dep, v})
	}
	var lock struct {
		Version  string `json:"version"`
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	if err := json.Unmarshal([]byte(read(t, "bindings/node/package-lock.json")), &lock); err != nil {
		t.Fatal(err)
	}
	copies = append(copies,
		struct{ where, got, want string }{"package-lock.json", lock.Version, v},
		struct{ where, got, want string }{`package-lock.json packages[""]`, lock.Packages[""].Version, v})
	for _, c := range copies {
		if c.got != c.want {
			t.Errorf("%s is %q, VERSION says %q: run packaging/set-version.sh", c.where, c.got, c.want)
		}
	}
}

// TestChangelogHasVersion checks that CHANGELOG.md (Keep a Changelog) has a
// section for the version being released.
func TestChangelogHasVersion(t *testing.T) {
	v, _, _, _ := version(t)
	if !regexp.MustCompile(`(?m)^## \[` + regexp.QuoteMeta(v) + `\] - \d{4}-\d{2}-\d{2}$`).MatchString(read(t, "CHANGELOG.md")) {
		t.Errorf("CHANGELOG.md has no \"## [%s] - YYYY-MM-DD\" section", v)
	}
}
