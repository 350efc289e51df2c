package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const root = "../.."

// TestGeneratedFilesUpToDate regenerates every copy in memory: a file that
// differs has been edited by hand, or its source changed without `make
// generate`.
func TestGeneratedFilesUpToDate(t *testing.T) {
	files, err := generate(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 7 {
		t.Errorf("generated %d files, want 7", len(files))
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		if line, ok := firstDifference(string(got), want); !ok {
			t.Errorf("%s is out of date at line %d: run `make generate` (go run ./internal/tablegen)", name, line)
		}
	}
}

// TestDriftIsDetected proves the check above can fail: a member added to
// the Config struct only, or a status code appended to the header only,
// leaves every copy of it stale.
func TestDriftIsDetected(t *testing.T) {
	cases := []struct {
		name, source, after, insert, marker string
		stale                               []string
	}{
		{"config member", configSource, "\tCAFile string `json:\"ca_file,omitempty\"`\n",
			"\t// A test member.\n\tMaxResponseBytes float64 `json:\"max_response_bytes,omitempty\" default:\"1048576\"`\n",
			"max_response_bytes",
			[]string{headerSource, docsConfig, pyConfig, nodeTypes, nodeConfigKeys}},
		{"status code", headerSource, "#define MCP_OAUTH_E_TOKEN_REJECTED -21\n",
			"/* A test code. */\n#define MCP_OAUTH_E_TEST_ONLY -22\n", "TEST_ONLY",
			[]string{pyErrors, nodeErrors, nodeTypes}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			for _, name := range []string{configSource, headerSource, pyConfig, pyErrors, nodeErrors, nodeTypes, nodeConfigKeys, docsConfig} {
				data, err := os.ReadFile(filepath.Join(root, name))
				if err != nil {
					t.Fatal(err)
				}
				text := string(data)
				if name == tc.source {
					if !strings.Contains(text, tc.after) {
						t.Fatalf("%s no longer holds %q", name, tc.after)
					}
					text = strings.Replace(text, tc.after, tc.after+tc.insert, 1)
				}
				if err := os.MkdirAll(filepath.Dir(filepath.Join(tmp, name)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(tmp, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			files, err := generate(tmp)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range tc.stale {
				old, _ := os.ReadFile(filepath.Join(root, name))
				if files[name] == string(old) {
					t.Errorf("%s: not stale after the change", name)
				}
				if !strings.Contains(files[name], tc.marker) {
					t.Errorf("%s: the regenerated copy lacks the new entry", name)
				}
			}
		})
	}
}

// TestStatusCodesMustBeAppended: the generator refuses a header whose codes
// are renumbered or skip one, so no copy can be generated from it.
func TestStatusCodesMustBeAppended(t *testing.T) {
	for _, header := range []string{
		"#define MCP_OAUTH_OK 0\n#define MCP_OAUTH_E_A -1\n#define MCP_OAUTH_E_B -3\n",
		"#define MCP_OAUTH_OK 0\n#define MCP_OAUTH_E_B -2\n#define MCP_OAUTH_E_A -1\n",
		"#define MCP_OAUTH_E_A -1\n",
	} {
		if _, err := parseStatusCodes(header); err == nil {
			t.Errorf("accepted %q", header)
		}
	}
}

// TestDocsErrorTableMatchesHeader: the error table of docs/concepts.md has
// one row per status code of the header, in order, with its number and C
// name. (Each binding's tests check its own column of class names.)
func TestDocsErrorTableMatchesHeader(t *testing.T) {
	header, err := os.ReadFile(filepath.Join(root, headerSource))
	if err != nil {
		t.Fatal(err)
	}
	codes, err := parseStatusCodes(string(header))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := os.ReadFile(filepath.Join(root, docsConfig))
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(docs), "\n## Errors\n")
	section, _, _ = strings.Cut(section, "\n## ")
	row := regexp.MustCompile("(?m)^\\| (-?[0-9]+) \\| `MCP_OAUTH_(E_[A-Z0-9_]+)` \\|")
	var got []statusCode
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		v, _ := strconv.Atoi(m[1])
		got = append(got, statusCode{Name: m[2], Value: v})
	}
	want := codes[1:] // MCP_OAUTH_OK has no row
	if len(got) != len(want) {
		t.Fatalf("docs/concepts.md's error table has %d rows, the header %d codes", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: %+v, the header says %+v", i+1, got[i], want[i])
		}
	}
}

// firstDifference reports the first line at which got and want differ.
func firstDifference(got, want string) (int, bool) {
	if got == want {
		return 0, true
	}
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return i + 1, false
		}
	}
	return min(len(g), len(w)) + 1, false
}
