package mcptest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Arguments and results of the tools.
type (
	textArgs struct {
		Text string `json:"text" jsonschema:"the text"`
	}
	addArgs struct {
		A float64 `json:"a" jsonschema:"the first addend"`
		B float64 `json:"b" jsonschema:"the second addend"`
	}
	addResult struct {
		Sum float64 `json:"sum"`
	}
	askArgs struct {
		URL string `json:"url,omitempty" jsonschema:"ask the user to open this URL (URL mode) instead of filling in a form"`
	}
	whoamiResult struct {
		ClientID string   `json:"client_id"`
		Subject  string   `json:"subject"`
		Scopes   []string `json:"scopes"`
	}
)

// newMCPServer returns an MCP server with the tools echo, add, whoami and
// ask, which need ScopeRead, and write_note, which also needs ScopeWrite;
// and wait, which needs ScopeRead and answers only when the call is
// cancelled or the session ends: a call that blocks, for cancellation tests.
// fallback describes the token of a session whose transport passes no token
// information with each request (HTTP+SSE), or is nil.
func (s *Server) newMCPServer(fallback *auth.TokenInfo) *mcp.Server {
	srv := mcp.NewServer(&mcp.Implementation{Name: "mcptest", Version: "1.0.0"},
		&mcp.ServerOptions{PageSize: max(s.opts.ToolsPageSize, 0)})
	s.addSkills(srv)
	token := func(req *mcp.CallToolRequest) *auth.TokenInfo {
		if req.Extra != nil && req.Extra.TokenInfo != nil {
			return req.Extra.TokenInfo
		}
		return fallback
	}

	mcp.AddTool(srv, &mcp.Tool{Name: "echo", Description: "Returns its text."},
		func(_ context.Context, _ *mcp.CallToolRequest, in textArgs) (*mcp.CallToolResult, any, error) {
			s.countTool("echo")
			return textResult(in.Text), nil, nil
		})
	mcp.AddTool(srv, &mcp.Tool{Name: "add", Description: "Adds two numbers."},
		func(_ context.Context, _ *mcp.CallToolRequest, in addArgs) (*mcp.CallToolResult, addResult, error) {
			s.countTool("add")
			sum := in.A + in.B
			return textResult(strconv.FormatFloat(sum, 'g', -1, 64)), addResult{Sum: sum}, nil
		})
	mcp.AddTool(srv, &mcp.Tool{Name: "whoami", Description: "Describes the access token: its client, subject and scopes."},
		func(_ context.Context, req *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, whoamiResult, error) {
			s.countTool("whoami")
			ti := token(req)
			if ti == nil {
				return nil, whoamiResult{}, errors.New("no token information")
			}
			clientID, _ := ti.Extra[extraClientID].(string)
			return nil, whoamiResult{ClientID: clientID, Subject: ti.UserID, Scopes: ti.Scopes}, nil
		})
	mcp.AddTool(srv, &mcp.Tool{Name: "ask", Description: "Asks the user, by elicitation, and returns the answer as JSON."},
		func(ctx context.Context, req *mcp.CallToolRequest, in askArgs) (*mcp.CallToolResult, any, error) {
			s.countTool("ask")
			return ask(ctx, req.Session, in.URL)
		})
	mcp.AddTool(srv, &mcp.Tool{Name: "wait", Description: "Never answers: returns when the call is cancelled."},
		func(ctx context.Context, _ *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, any, error) {
			s.countTool("wait")
			select {
			case <-ctx.Done():
				return nil, nil, ctx.Err()
			case <-s.closing: // a cancellation that never came (notifications/cancelled is best-effort)
				return nil, nil, errors.New("mcptest: the server is closing")
			}
		})
	mcp.AddTool(srv, &mcp.Tool{Name: "write_note", Description: "Saves a note; needs scope " + ScopeWrite + "."},
		func(_ context.Context, req *mcp.CallToolRequest, in textArgs) (*mcp.CallToolResult, any, error) {
			s.countTool("write_note")
			if ti := token(req); ti == nil || !slices.Contains(ti.Scopes, ScopeWrite) {
				return nil, nil, errors.New("insufficient scope: " + ScopeWrite + " is required")
			}
			n := s.addNote(in.Text)
			return textResult(fmt.Sprintf("saved note %d", n)), nil, nil
		})
	return srv
}

// AskSchema is the form the tool ask requests: a name defaulting to
// "anonymous" and a count defaulting to 3 (SEP-1034 defaults).
const AskSchema = `{"type":"object","properties":{` +
	`"name":{"type":"string","description":"your name","default":"anonymous"},` +
	`"count":{"type":"integer","description":"how many","default":3}}}`

// ask sends one elicitation/create request to the client — a form
// (AskSchema), or with url a URL-mode request (elicitation id "ask-1") — and
// returns the client's answer (action and content) as the text of the
// result.
func ask(ctx context.Context, ss *mcp.ServerSession, url string) (*mcp.CallToolResult, any, error) {
	params := &mcp.ElicitParams{Mode: "form", Message: "Who are you?", RequestedSchema: json.RawMessage(AskSchema)}
	if url != "" {
		params = &mcp.ElicitParams{Mode: "url", Message: "Open this page to continue.", URL: url, ElicitationID: "ask-1"}
	}
	res, err := ss.Elicit(ctx, params)
	if err != nil {
		return nil, nil, fmt.Errorf("elicitation failed: %w", err)
	}
	answer, err := json.Marshal(map[string]any{"action": res.Action, "content": res.Content})
	if err != nil {
		return nil, nil, err
	}
	return textResult(string(answer)), nil, nil
}

// textResult is a tool result of one text content.
func textResult(text string) *mcp.CallToolResult {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}
}

// addNote saves a note and returns how many notes there are.
func (s *Server) addNote(text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notes = append(s.notes, text)
	return len(s.notes)
}

// Notes returns the notes saved by write_note, oldest first.
func (s *Server) Notes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.notes)
}
