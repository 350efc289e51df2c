// Command tablegen writes the tables that several languages copy, each from
// its one source, so that no copy is kept in sync by hand:
//
//   - The configuration schema comes from the Config struct of
//     core/config.go: each field's json tag (the member name), its Go type
//     (the JSON type), its doc comment (the documentation) and its
//     required, default, enum and secret tags. Copies: the member list in
//     mcp_oauth_new's comment (include/mcp_oauth.h), the table of
//     docs/concepts.md, Python's McpOAuthConfig
//     (bindings/python/src/mcp_oauth_client/_config.py) and Node's
//     McpOAuthConfigFields, McpOAuthConfigCamelFields and McpOAuthConfig
//     (bindings/node/index.d.ts) and the camelCase keys Node accepts
//     (bindings/node/lib/configkeys.js).
//     ParseConfig's strict decoder reads the struct itself. To add a member,
//     add a field to Config (its comment says how) and run `make generate`:
//     that is the whole change.
//   - The status codes come from the MCP_OAUTH_OK and MCP_OAUTH_E_* macros
//     of include/mcp_oauth.h (0, -1, -2, ... in order, never renumbered).
//     Copies: Python's constants (_errors.py), Node's Status (lib/errors.js)
//     and its declaration (index.d.ts). To add a code, append its #define
//     with its comment to the header and run `make generate`; then give it
//     an exception class in each binding and a row in docs/concepts.md's
//     error table (the bindings' tests and this package's test fail until
//     then).
//
// A copy is the text between a line holding "BEGIN GENERATED <name>" and
// one holding "END GENERATED <name>"; the rest of each file is written by
// hand. Run from anywhere in the repository:
//
//	go run ./internal/tablegen      (make generate; go generate ./core)
//
// TestGeneratedFilesUpToDate (go test ./internal/tablegen, part of make
// test) regenerates every copy in memory and fails when a file differs.
// CONTRIBUTING.md lists every shared table: the generated ones and those a
// test holds to their source.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

func main() {
	root, err := repoRoot()
	if err == nil {
		err = write(root)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tablegen:", err)
		os.Exit(1)
	}
}

// write regenerates every copy under root, rewriting only the files that
// changed.
func write(root string) error {
	files, err := generate(root)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(root, name)
		old, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if string(old) == files[name] {
			continue
		}
		if err := os.WriteFile(path, []byte(files[name]), 0o644); err != nil {
			return err
		}
		fmt.Println("tablegen: wrote", name)
	}
	return nil
}

// repoRoot is the nearest directory above the working directory that holds
// go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}
