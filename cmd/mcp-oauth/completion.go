package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// shells are the shells completion writes a script for.
var shells = []string{"bash", "zsh", "fish"}

// completionCommand writes a shell completion script generated from the
// registered commands and their flags.
var completionCommand = &command{
	name: "completion", args: "<shell>",
	summary: "print a completion script for bash, zsh or fish",
}

// The run function is set by init: it reads commands, which holds
// completionCommand (an initialization cycle otherwise).
func init() { completionCommand.run = runCompletion }

func runCompletion(_ context.Context, a *app, args []string) error {
	if err := wantArgs(args, 1, 1, "completion bash|zsh|fish"); err != nil {
		return err
	}
	spec := completionSpec()
	switch args[0] {
	case "bash":
		writeBash(a.stdout, spec)
	case "zsh":
		writeZsh(a.stdout, spec)
	case "fish":
		writeFish(a.stdout, spec)
	default:
		return &usageError{msg: fmt.Sprintf("no completion for %q: bash, zsh or fish", args[0])}
	}
	return nil
}

// flagValues are the values a flag takes, for the flags with a fixed set;
// fileFlags take a file or directory.
var (
	flagValues = map[string][]string{
		"transport":   {"streamable_http", "sse", "auto"},
		"auth-method": {core.AuthClientSecretBasic, core.AuthClientSecretPost, core.AuthPrivateKeyJWT, core.AuthNone},
	}
	fileFlags = []string{"store", "private-key-file", "workload-token-file"}
)

// compFlag is a flag as completion presents it.
type compFlag struct {
	name, help string
	takesValue bool
}

// compCommand is a command with its flags: the global ones first.
type compCommand struct {
	name, help string
	flags      []compFlag
	words      []string // its fixed positional arguments
}

// completionSpec lists every command with its flags, as registered: the
// global flags (options.register, which are also accepted before the
// command), then the command's own.
func completionSpec() []compCommand {
	var out []compCommand
	for _, c := range commands {
		fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
		var o options
		o.register(fs)
		if c.flags != nil {
			c.flags(fs, &o)
		}
		cc := compCommand{name: c.name, help: c.summary}
		fs.VisitAll(func(f *flag.Flag) { cc.flags = append(cc.flags, newCompFlag(f)) })
		if c.name == completionCommand.name {
			cc.words = shells
		}
		out = append(out, cc)
	}
	return out
}

// topFlags are the flags accepted before the command.
func topFlags() []compFlag {
	fs := flag.NewFlagSet("mcp-oauth", flag.ContinueOnError)
	var o options
	o.register(fs)
	registerTopFlags(fs, new(bool))
	var out []compFlag
	fs.VisitAll(func(f *flag.Flag) { out = append(out, newCompFlag(f)) })
	return out
}

func newCompFlag(f *flag.Flag) compFlag {
	_, help := flag.UnquoteUsage(f)
	for _, sep := range []string{" (", "; ", ", e.g."} {
		help, _, _ = strings.Cut(help, sep)
	}
	b, isBool := f.Value.(interface{ IsBoolFlag() bool })
	return compFlag{name: f.Name, help: strings.TrimSpace(help), takesValue: !isBool || !b.IsBoolFlag()}
}

// valueFlags is the names of the flags of cmds that take a value.
func valueFlags(flags []compFlag) []string {
	var names []string
	for _, f := range flags {
		if f.takesValue && !slices.Contains(names, f.name) {
			names = append(names, f.name)
		}
	}
	return names
}

// dashed is the flag as typed: -v for a one-letter flag, --name else.
func (f compFlag) dashed() string {
	if len(f.name) == 1 {
		return "-" + f.name
	}
	return "--" + f.name
}

func flagWords(flags []compFlag) string {
	var w []string
	for _, f := range flags {
		w = append(w, f.dashed())
	}
	return strings.Join(w, " ")
}

func writeBash(w io.Writer, spec []compCommand) {
	var names []string
	for _, c := range spec {
		names = append(names, c.name)
	}
	fmt.Fprintf(w, `# bash completion for mcp-oauth: source <(mcp-oauth completion bash)
_mcp_oauth() {
    local cur prev cmd i words flags
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    cmd=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${COMP_WORDS[i]}" in
            %s) cmd="${COMP_WORDS[i]}"; break ;;
        esac
    done
    case "$prev" in
`, strings.Join(names, "|"))
	for name, values := range sortedMap(flagValues) {
		fmt.Fprintf(w, "        --%s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", name, strings.Join(values, " "))
	}
	fmt.Fprintf(w, "        %s) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", "--"+strings.Join(fileFlags, "|--"))
	var others []string
	all := topFlags()
	for _, c := range spec {
		all = append(all, c.flags...)
	}
	for _, n := range valueFlags(all) {
		if _, fixed := flagValues[n]; !fixed && !slices.Contains(fileFlags, n) {
			others = append(others, "--"+n)
		}
	}
	fmt.Fprintf(w, "        %s) COMPREPLY=(); return ;;\n    esac\n    case \"$cmd\" in\n", strings.Join(others, "|"))
	fmt.Fprintf(w, "        \"\") words=%q; flags=%q ;;\n", strings.Join(names, " "), flagWords(topFlags()))
	for _, c := range spec {
		fmt.Fprintf(w, "        %s) words=%q; flags=%q ;;\n", c.name, strings.Join(c.words, " "), flagWords(c.flags))
	}
	fmt.Fprint(w, `    esac
    [[ "$cur" == -* ]] && words="$flags"
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _mcp_oauth mcp-oauth
`)
}

// zshQuote makes s safe in a single-quoted zsh _arguments spec.
func zshQuote(s string) string {
	return strings.NewReplacer("'", "", "[", "(", "]", ")", ":", " -", `\`, "").Replace(s)
}

func writeZsh(w io.Writer, spec []compCommand) {
	fmt.Fprint(w, `#compdef mcp-oauth
# zsh completion for mcp-oauth: mcp-oauth completion zsh > "${fpath[1]}/_mcp-oauth"
_mcp-oauth() {
  local -a commands
  commands=(
`)
	for _, c := range spec {
		fmt.Fprintf(w, "    '%s:%s'\n", c.name, zshQuote(c.help))
	}
	fmt.Fprint(w, `  )
  local i cmd=""
  for ((i = 2; i < CURRENT; i++)); do
    if (( ${commands[(I)${words[i]}:*]} )); then cmd=${words[i]}; break; fi
  done
  if [[ -z $cmd ]]; then
    _arguments -s \
`)
	writeZshFlags(w, topFlags())
	fmt.Fprint(w, "      '*:command:->command'\n    [[ $state == command ]] && _describe 'command' commands\n    return\n  fi\n  case $cmd in\n")
	for _, c := range spec {
		fmt.Fprintf(w, "    %s)\n      _arguments -s \\\n", c.name)
		writeZshFlags(w, c.flags)
		if len(c.words) > 0 {
			fmt.Fprintf(w, "        '*:argument:(%s)'\n", strings.Join(c.words, " "))
		} else {
			fmt.Fprint(w, "        '*:argument:_default'\n")
		}
		fmt.Fprint(w, "      ;;\n")
	}
	fmt.Fprint(w, "  esac\n}\n_mcp-oauth \"$@\"\n")
}

func writeZshFlags(w io.Writer, flags []compFlag) {
	for _, f := range flags {
		action := ""
		switch {
		case flagValues[f.name] != nil:
			action = ":" + f.name + ":(" + strings.Join(flagValues[f.name], " ") + ")"
		case slices.Contains(fileFlags, f.name):
			action = ":" + f.name + ":_files"
		case f.takesValue:
			action = ":" + f.name + ": "
		}
		fmt.Fprintf(w, "        '%s[%s]%s' \\\n", f.dashed(), zshQuote(f.help), action)
	}
}

// fishQuote single-quotes s for fish.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}

func writeFish(w io.Writer, spec []compCommand) {
	var names []string
	for _, c := range spec {
		names = append(names, c.name)
	}
	fmt.Fprintln(w, "# fish completion for mcp-oauth: mcp-oauth completion fish > ~/.config/fish/completions/mcp-oauth.fish")
	fmt.Fprintln(w, "complete -c mcp-oauth -f")
	for _, c := range spec {
		fmt.Fprintf(w, "complete -c mcp-oauth -n __fish_use_subcommand -a %s -d %s\n", c.name, fishQuote(c.help))
	}
	fishFlags := func(cond string, flags []compFlag) {
		for _, f := range flags {
			opt := "-l " + f.name
			if len(f.name) == 1 {
				opt = "-s " + f.name
			}
			line := fmt.Sprintf("complete -c mcp-oauth -n %s %s -d %s", fishQuote(cond), opt, fishQuote(f.help))
			switch {
			case flagValues[f.name] != nil:
				line += " -x -a " + fishQuote(strings.Join(flagValues[f.name], " "))
			case slices.Contains(fileFlags, f.name):
				line += " -r -F"
			case f.takesValue:
				line += " -x"
			}
			fmt.Fprintln(w, line)
		}
	}
	fishFlags("not __fish_seen_subcommand_from "+strings.Join(names, " "), topFlags())
	for _, c := range spec {
		fishFlags("__fish_seen_subcommand_from "+c.name, c.flags)
		if len(c.words) > 0 {
			fmt.Fprintf(w, "complete -c mcp-oauth -n %s -a %s\n", fishQuote("__fish_seen_subcommand_from "+c.name), fishQuote(strings.Join(c.words, " ")))
		}
	}
}

// sortedMap iterates m in key order.
func sortedMap(m map[string][]string) func(func(string, []string) bool) {
	return func(yield func(string, []string) bool) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !yield(k, m[k]) {
				return
			}
		}
	}
}
