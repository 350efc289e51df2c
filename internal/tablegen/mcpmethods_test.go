package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestMCPMethodListsMatchCore: the MCP requests core/mcpclient's MCPSession.Request
// accepts are listed in the header, the docs, the bindings' docstrings and
// Node's McpMethod type. Every list in the tree (the text from a "ping" to
// the "completion/complete" that ends it) must name exactly those methods,
// in the same order.
func TestMCPMethodListsMatchCore(t *testing.T) {
	want := coreMCPMethods(t)
	if len(want) < 2 || want[0] != "ping" || want[len(want)-1] != "completion/complete" {
		t.Fatalf("core's MCP methods %q: this test expects ping first and completion/complete last", want)
	}
	method := regexp.MustCompile(`\bping\b|\b[a-z]+(?:/[a-z]+)+\b`)
	lists := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", "build", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		if !regexp.MustCompile(`\.(go|h|c|py|js|mjs|ts|md)$`).MatchString(path) || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text := string(data)
		for _, end := range regexp.MustCompile(`completion/complete`).FindAllStringIndex(text, -1) {
			start := strings.LastIndex(text[max(0, end[0]-400):end[0]], "ping")
			if start < 0 {
				continue
			}
			lists++
			got := method.FindAllString(text[max(0, end[0]-400)+start:end[1]], -1)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s lists the MCP methods %q, core accepts %q", rel, got, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if lists < 8 {
		t.Errorf("found %d lists of MCP methods, expected the header's, the docs', the bindings'", lists)
	}
}

// coreMCPMethods are the string cases of the switch in MCPSession.Request,
// wherever it lives under core/ (core/mcpclient/mcpconn.go).
func coreMCPMethods(t *testing.T) []string {
	var methods []string
	found := false
	err := filepath.WalkDir(filepath.Join(root, "core"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Name.Name != "Request" || fn.Recv == nil || !strings.Contains(typeName(fn.Recv.List[0].Type), "MCPSession") {
				continue
			}
			found = true
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if cc, ok := n.(*ast.CaseClause); ok {
					for _, e := range cc.List {
						if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
							s, _ := strconv.Unquote(lit.Value)
							methods = append(methods, s)
						}
					}
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Fatal("no method Request of MCPSession under core/")
	}
	return methods
}

func typeName(e ast.Expr) string {
	if s, ok := e.(*ast.StarExpr); ok {
		e = s.X
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}
