package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"
)

// configField is one member of the configuration, as declared by a field
// of core's Config struct.
type configField struct {
	Name     string   // the JSON member name (json tag)
	Kind     string   // "string", "array", "boolean", "number" or "integer" (from the Go type)
	Required string   // when it is required, e.g. "unless server_url" (required tag)
	Default  string   // a fixed default (default tag)
	Enum     []string // the accepted strings (enum tag)
	Secret   bool     // a credential (secret tag)
	Doc      string   // the field's doc comment, on one line
}

// requiredUnless is the prefix of a required tag that makes the member
// optional when another one, the next word, is set ("unless server_url is
// set"); the TypeScript type expresses it as a union.
const requiredUnless = "unless "

// parseConfig reads the fields of the Config struct in the Go file at path.
func parseConfig(path string) ([]configField, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var st *ast.StructType
	ast.Inspect(f, func(n ast.Node) bool {
		if ts, ok := n.(*ast.TypeSpec); ok && ts.Name.Name == "Config" {
			st, _ = ts.Type.(*ast.StructType)
		}
		return st == nil
	})
	if st == nil {
		return nil, fmt.Errorf("no struct type Config")
	}
	var fields []configField
	for _, fld := range st.Fields.List {
		if fld.Tag == nil || len(fld.Names) != 1 {
			return nil, fmt.Errorf("Config: every field needs one name and a json tag")
		}
		raw, err := strconv.Unquote(fld.Tag.Value)
		if err != nil {
			return nil, err
		}
		tag := reflect.StructTag(raw)
		name, _, _ := strings.Cut(tag.Get("json"), ",")
		goName := fld.Names[0].Name
		if name == "" || name == "-" {
			return nil, fmt.Errorf("Config.%s: no json member name", goName)
		}
		kind, err := jsonKind(fld.Type)
		if err != nil {
			return nil, fmt.Errorf("Config.%s: %w", goName, err)
		}
		doc := strings.Join(strings.Fields(fld.Doc.Text()), " ")
		if doc == "" {
			return nil, fmt.Errorf("Config.%s: no doc comment (it is the member's documentation)", goName)
		}
		if strings.Contains(doc, "|") {
			return nil, fmt.Errorf("Config.%s: a doc comment cannot hold '|' (it goes into a Markdown table)", goName)
		}
		c := configField{Name: name, Kind: kind, Required: tag.Get("required"), Default: tag.Get("default"),
			Secret: tag.Get("secret") == "true", Doc: doc}
		if e := tag.Get("enum"); e != "" {
			if kind != "string" {
				return nil, fmt.Errorf("Config.%s: an enum tag needs a string field", goName)
			}
			c.Enum = strings.Split(e, ",")
		}
		fields = append(fields, c)
	}
	return fields, nil
}

// jsonKind is the JSON type of a Config field's Go type.
func jsonKind(t ast.Expr) (string, error) {
	if star, ok := t.(*ast.StarExpr); ok { // a pointer tells "absent" from the zero value
		t = star.X
	}
	switch t := t.(type) {
	case *ast.Ident:
		switch t.Name {
		case "string":
			return "string", nil
		case "bool":
			return "boolean", nil
		case "float64":
			return "number", nil
		case "int64":
			return "integer", nil
		}
	case *ast.ArrayType:
		if id, ok := t.Elt.(*ast.Ident); ok && t.Len == nil && id.Name == "string" {
			return "array", nil
		}
	}
	return "", fmt.Errorf("a type with no JSON equivalent here (string, []string, bool, float64, int64 or a pointer to one)")
}

// typeText is the member's JSON type in prose: the enumeration of its
// values, each quoted by quote, or the type's name.
func (f configField) typeText(quote func(string) string) string {
	if len(f.Enum) == 0 {
		if f.Kind == "array" {
			return "array of strings"
		}
		return f.Kind
	}
	q := make([]string, len(f.Enum))
	for i, v := range f.Enum {
		q[i] = quote(v)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// notes are the required and default facts as a sentence ("" when none).
func (f configField) notes() string {
	var parts []string
	if f.Required != "" {
		parts = append(parts, "required "+codeWords(f.Required))
	}
	if f.Default != "" {
		parts = append(parts, "default "+f.Default)
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, "; ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func dquote(s string) string { return `"` + s + `"` }

// codeWords marks the member names of a required tag ("unless server_url")
// as code: each word with an underscore.
func codeWords(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if strings.Contains(w, "_") {
			words[i] = "`" + w + "`"
		}
	}
	return strings.Join(words, " ")
}

// text is the documentation followed by the notes.
func (f configField) text() string {
	if n := f.notes(); n != "" {
		return f.Doc + " " + n
	}
	return f.Doc
}

// headerConfigText is the member list of mcp_oauth_new's comment.
func headerConfigText(fields []configField) string {
	var b strings.Builder
	for _, f := range fields {
		indent := " *" + strings.Repeat(" ", 31)
		lead := fmt.Sprintf(" *   %-28s", f.Name)
		if len(f.Name) >= 28 { // a long name gets a line of its own
			b.WriteString(" *   " + f.Name + "\n")
			lead = indent
		}
		b.WriteString(wrap(f.typeText(dquote)+". "+f.text(), 79, lead, indent))
	}
	return b.String()
}

// docsConfigText is the configuration table of docs/concepts.md.
func docsConfigText(fields []configField) string {
	code := func(s string) string { return "`" + s + "`" }
	var b strings.Builder
	b.WriteString("| member | type | required | default | meaning |\n|---|---|---|---|---|\n")
	for _, f := range fields {
		required := "no"
		if f.Required != "" {
			required = codeWords(f.Required)
		}
		def := ""
		if f.Default != "" {
			def = code(f.Default)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", f.Name, f.typeText(code), required, def, f.Doc)
	}
	return b.String()
}

// pyConfigText is the docstring and the fields of Python's McpOAuthConfig
// dataclass.
func pyConfigText(fields []configField) string {
	var b strings.Builder
	b.WriteString(`    """Configuration of an :class:` + "`~mcp_oauth_client.OAuthTokenManager`" + `.

    One attribute per member of the library's JSON configuration (generated
    from core/config.go). ` + "``None``" + ` means "not set" and is left out of the
    JSON handed to the library, which validates everything strictly and names
    the field at fault in a :class:` + "`~mcp_oauth_client.ConfigError`" + `.

    Attributes:
`)
	for _, f := range fields {
		text := f.text()
		if len(f.Enum) > 0 {
			text += " One of " + f.typeText(dquote) + "."
		}
		b.WriteString(wrap(text, 88, "        "+f.Name+": ", "            "))
	}
	b.WriteString("    \"\"\"\n\n")
	for _, f := range fields {
		var typ, def string
		switch f.Kind {
		case "string":
			typ, def = "Optional[str]", "None"
		case "boolean":
			typ, def = "Optional[bool]", "None"
		case "number":
			typ, def = "Optional[float]", "None"
		case "integer":
			typ, def = "Optional[int]", "None"
		case "array":
			typ, def = "Optional[List[str]]", "None"
			if f.Name == "scopes" { // the seed API's field, always a list
				typ, def = "List[str]", "field(default_factory=list)"
			}
		}
		if f.Secret {
			def = "field(default=None, repr=False)"
		}
		fmt.Fprintf(&b, "    %s: %s = %s\n", f.Name, typ, def)
	}
	return b.String()
}

// tsType is the member's TypeScript type.
func (f configField) tsType() string {
	if len(f.Enum) > 0 {
		q := make([]string, len(f.Enum))
		for i, v := range f.Enum {
			q[i] = "'" + v + "'"
		}
		return strings.Join(q, " | ")
	}
	return map[string]string{"string": "string", "boolean": "boolean", "number": "number", "integer": "number", "array": "string[]"}[f.Kind]
}

// tsConfigText is McpOAuthConfigFields and McpOAuthConfig of index.d.ts.
func tsConfigText(fields []configField) (string, error) {
	var b strings.Builder
	b.WriteString(`/**
 * Client configuration (generated from core/config.go). Keys are snake_case,
 * one schema for every language (Node takes their camelCase spellings too:
 * McpOAuthConfigCamelFields); the engine decodes it strictly (an unknown key
 * is a ConfigError naming it). ` + "`undefined` and `null`" + ` mean "not set".
 */
export interface McpOAuthConfigFields {
`)
	var unless string
	var required, names []string
	byName := map[string]configField{}
	for _, f := range fields {
		byName[f.Name] = f
		if one := "  /** " + f.text() + " */"; len(one) <= 100 {
			b.WriteString(one + "\n")
		} else {
			b.WriteString("  /**\n" + wrap(f.text(), 100, "   * ", "   * ") + "   */\n")
		}
		fmt.Fprintf(&b, "  %s?: %s | null;\n", f.Name, f.tsType())
		if cond, ok := strings.CutPrefix(f.Required, requiredUnless); ok {
			other := strings.Fields(cond)[0]
			if unless != "" && other != unless {
				return "", fmt.Errorf("%s: only one member can make others optional (required:\"unless X\") in TypeScript", configSource)
			}
			unless = other
			required = append(required, f.Name+": "+f.tsType())
			names = append(names, f.Name)
		}
	}
	b.WriteString("}\n\n")
	b.WriteString(`/**
 * The members of McpOAuthConfigFields spelled in camelCase, as Node options
 * are: the binding turns them into the engine's names. A member given in both
 * spellings is a ConfigError.
 */
export interface McpOAuthConfigCamelFields {
`)
	for _, f := range fields {
		if c := camelCase(f.Name); c != f.Name {
			fmt.Fprintf(&b, "  %s?: McpOAuthConfigFields['%s'];\n", c, f.Name)
		}
	}
	b.WriteString("}\n\n")
	const both = "McpOAuthConfigFields & McpOAuthConfigCamelFields"
	if unless == "" {
		b.WriteString("/** The configuration. */\nexport type McpOAuthConfig = " + both + ";\n")
		return b.String(), nil
	}
	other, ok := byName[unless]
	if !ok {
		return "", fmt.Errorf("%s: required:\"unless %s\" names no member", configSource, unless)
	}
	camelRequired := make([]string, len(names))
	for i, n := range names {
		camelRequired[i] = camelCase(n) + ": " + byName[n].tsType()
	}
	fmt.Fprintf(&b, "/**\n * The configuration: %s are required unless %s is set (in either\n * spelling).\n */\n",
		strings.Join(names, " and "), unless)
	fmt.Fprintf(&b, "export type McpOAuthConfig =\n  | (%[1]s & { %[2]s })\n  | (%[1]s & { %[3]s: %[4]s })\n  | (%[1]s & { %[5]s })\n  | (%[1]s & { %[6]s: %[4]s });\n",
		both, strings.Join(required, "; "), unless, other.tsType(), strings.Join(camelRequired, "; "), camelCase(unless))
	return b.String(), nil
}

// camelCase is a member's name as a Node option: client_id -> clientId.
func camelCase(name string) string {
	parts := strings.Split(name, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// jsConfigKeysText is the camelCase-to-member table of lib/configkeys.js
// (only the members whose two spellings differ).
func jsConfigKeysText(fields []configField) string {
	var b strings.Builder
	b.WriteString("/** The configuration members' camelCase spellings and the engine's names. */\nconst CAMEL_KEYS = Object.freeze({\n")
	for _, f := range fields {
		if c := camelCase(f.Name); c != f.Name {
			fmt.Fprintf(&b, "  %s: '%s',\n", c, f.Name)
		}
	}
	b.WriteString("});\n")
	return b.String()
}
