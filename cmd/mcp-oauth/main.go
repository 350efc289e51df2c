// Command mcp-oauth obtains OAuth access tokens for MCP servers and calls
// their tools from the shell: log in once (discovery, registration and the
// authorization code flow in a browser, or the device authorization grant),
// then print a token for curl, list and call tools, and manage the stored
// credentials. Run mcp-oauth --help for the commands and exit codes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// version is the command's version, printed by mcp-oauth version.
const version = core.Version

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// command is one subcommand.
type command struct {
	name    string
	args    string // synopsis of the positional arguments
	summary string
	// flags registers the command's own flags; nil when it has none.
	flags func(fs *flag.FlagSet, o *options)
	run   func(ctx context.Context, a *app, args []string) error
}

// commands in the order of the help text.
var commands = []*command{loginCommand, tokenCommand, toolsCommand, callCommand, statusCommand, logoutCommand, versionCommand, completionCommand}

// app is one invocation: its streams, environment and options.
type app struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	opts           options
}

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{stdout: stdout, stderr: stderr, getenv: getenv}
	err := a.dispatch(ctx, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	code := exitCode(err)
	if code == exitInterrupted {
		err = errors.New("interrupted")
	}
	if err != nil {
		fmt.Fprintln(stderr, "mcp-oauth:", shownLines(strings.TrimPrefix(err.Error(), "mcp-oauth: ")))
		if code == exitUsage {
			fmt.Fprintln(stderr, "Run 'mcp-oauth --help' for usage.")
		}
	}
	return code
}

// dispatch parses the global flags, finds the command and runs it.
func (a *app) dispatch(ctx context.Context, args []string) error {
	a.opts.setDefaults(a.getenv)
	top := flag.NewFlagSet("mcp-oauth", flag.ContinueOnError)
	top.SetOutput(io.Discard)
	a.opts.register(top)
	var showVersion bool
	registerTopFlags(top, &showVersion)
	top.Usage = func() {}
	if err := top.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.usage(a.stdout)
			return err
		}
		return &usageError{msg: err.Error()}
	}
	if showVersion {
		return a.printVersion()
	}
	if top.NArg() == 0 {
		a.usage(a.stderr)
		return &usageError{msg: "no command given"}
	}
	name := top.Arg(0)
	if name == "help" {
		a.usage(a.stdout)
		return nil
	}
	for _, c := range commands {
		if c.name == name {
			return a.runCommand(ctx, c, top.Args()[1:])
		}
	}
	return &usageError{msg: fmt.Sprintf("unknown command %q", name)}
}

// runCommand parses a command's flags, which may come before, between or
// after its arguments (the global flags are accepted there too), and runs it.
func (a *app) runCommand(ctx context.Context, c *command, args []string) error {
	fs := flag.NewFlagSet("mcp-oauth "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	a.opts.register(fs)
	if c.flags != nil {
		c.flags(fs, &a.opts)
	}
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		a.commandUsage(a.stdout, c, fs)
		return err
	}
	if err != nil {
		a.commandUsage(a.stderr, c, fs)
		return &usageError{msg: err.Error()}
	}
	if err := a.opts.check(); err != nil {
		return err
	}
	if h := a.opts.logHandler(a.stderr); h != nil {
		core.SetLogHandler(h)
		defer core.SetLogHandler(nil)
	}
	return c.run(ctx, a, pos)
}

// parseInterspersed parses flags anywhere among the positional arguments,
// which it returns; "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// wantArgs checks the number of positional arguments.
func wantArgs(args []string, min, max int, synopsis string) error {
	if len(args) < min || len(args) > max {
		return &usageError{msg: "usage: mcp-oauth " + synopsis}
	}
	return nil
}

// registerTopFlags declares the flags accepted only before the command.
func registerTopFlags(fs *flag.FlagSet, showVersion *bool) {
	fs.BoolVar(showVersion, "version", false, "print the version and exit (before any command; as the version command)")
}

// versionCommand prints the version.
var versionCommand = &command{
	name: "version", summary: "print the version",
	run: func(_ context.Context, a *app, args []string) error {
		if err := wantArgs(args, 0, 0, "version"); err != nil {
			return err
		}
		return a.printVersion()
	},
}

// printVersion prints the version, as JSON with --json.
func (a *app) printVersion() error {
	if a.opts.json {
		return a.printJSON(map[string]string{"version": version})
	}
	_, err := fmt.Fprintln(a.stdout, "mcp-oauth", version)
	return err
}
