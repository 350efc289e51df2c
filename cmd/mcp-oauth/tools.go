package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/core/mcpclient"
)

// tool is what the listing shows of a tool (MCP "Tools", Tool).
type tool struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

var toolsCommand = &command{
	name: "tools", args: "[server-url]",
	summary: "list the server's tools",
	run: func(ctx context.Context, a *app, args []string) error {
		server, args, err := a.serverAndArgs(args, 0)
		if err != nil {
			return err
		}
		if err := wantArgs(args, 0, 0, "tools [flags] [server-url]"); err != nil {
			return err
		}
		return a.withSession(ctx, server, func(ctx context.Context, s *mcpclient.MCPSession) error {
			tools, err := s.Tools(ctx)
			if err != nil {
				return err
			}
			if a.opts.json {
				return a.printJSON(map[string]any{"tools": tools})
			}
			for _, raw := range tools {
				var t tool
				if json.Unmarshal(raw, &t) != nil {
					continue
				}
				fmt.Fprintf(a.stdout, "%s\t%s\n", shown(t.Name), shown(oneLine(t.Description)))
			}
			return nil
		})
	},
}

// oneLine is the first line of s.
func oneLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

var callCommand = &command{
	name: "call", args: "[server-url] <tool> [json-args]",
	summary: "call a tool with a JSON object of arguments; print its result",
	run: func(ctx context.Context, a *app, args []string) error {
		server, args, err := a.serverAndArgs(args, 2)
		if err != nil {
			return err
		}
		if err := wantArgs(args, 1, 2, "call [flags] [server-url] <tool> [json-args]"); err != nil {
			return err
		}
		name := args[0]
		var toolArgs json.RawMessage
		if len(args) == 2 {
			toolArgs = json.RawMessage(args[1])
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(toolArgs, &obj); err != nil || obj == nil {
				return &usageError{msg: "the tool arguments must be a JSON object, such as '{\"text\":\"hi\"}'"}
			}
		}
		return a.withSession(ctx, server, func(ctx context.Context, s *mcpclient.MCPSession) error {
			raw, err := s.CallTool(ctx, name, toolArgs)
			if err != nil {
				return err
			}
			return a.printCallResult(name, raw)
		})
	},
}

// callResult is a tools/call result (MCP "Tools", CallToolResult).
type callResult struct {
	Content           []json.RawMessage `json:"content"`
	StructuredContent json.RawMessage   `json:"structuredContent"`
	IsError           bool              `json:"isError"`
}

// printCallResult prints a tool's result: the JSON result with --json,
// else its content, one item a line: text as is, other content as JSON. A
// result with isError is a toolError carrying the text.
func (a *app) printCallResult(name string, raw json.RawMessage) error {
	var res callResult
	if err := json.Unmarshal(raw, &res); err != nil {
		return &core.ProtocolError{Reason: "malformed tools/call result: " + err.Error()}
	}
	lines := make([]string, 0, len(res.Content))
	for _, item := range res.Content {
		var c struct{ Type, Text string }
		if json.Unmarshal(item, &c) == nil && c.Type == "text" {
			lines = append(lines, c.Text)
		} else {
			lines = append(lines, string(item))
		}
	}
	if len(res.Content) == 0 && len(res.StructuredContent) > 0 {
		lines = append(lines, string(res.StructuredContent))
	}
	if a.opts.json {
		if err := a.printJSON(raw); err != nil {
			return err
		}
	} else if !res.IsError {
		for _, l := range lines {
			fmt.Fprintln(a.stdout, shownLines(l))
		}
	}
	if res.IsError {
		return &toolError{tool: name, text: strings.Join(lines, "\n")}
	}
	return nil
}
