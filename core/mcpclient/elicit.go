package mcpclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// Elicitation (MCP 2025-11-25, "Client features: Elicitation"; URL mode,
// SEP-1036): a server asks the user, during one of the client's requests,
// either to fill in a form (a flat JSON Schema of primitive fields) or to
// open a URL (e.g. a third party's authorization page). The application
// answers through an [ElicitationHandler] set on the session; a session
// without one declines every request at once, so a server never waits for
// an answer that cannot come. The same handler answers the input requests
// of a multi round-trip result (SEP-2322), which the Go SDK turns into
// elicitation calls.

// Elicitation modes.
const (
	ElicitModeForm = "form"
	ElicitModeURL  = "url"
)

// Elicitation answers (MCP "Elicitation": action).
const (
	ElicitAccept  = "accept"  // the user submitted the form / agreed to open the URL
	ElicitDecline = "decline" // the user explicitly refused
	ElicitCancel  = "cancel"  // the user dismissed the request without a choice
)

// ElicitRequest is a server's elicitation/create request as the application
// sees it (its JSON form is what the C ABI and the bindings hand over).
type ElicitRequest struct {
	Mode    string `json:"mode"` // ElicitModeForm or ElicitModeURL
	Message string `json:"message"`
	// RequestedSchema is the form's JSON Schema, exactly as the server sent
	// it (form mode).
	RequestedSchema json.RawMessage `json:"requestedSchema,omitempty"`
	URL             string          `json:"url,omitempty"`           // URL mode
	ElicitationID   string          `json:"elicitationId,omitempty"` // URL mode
}

// ElicitResponse is the application's answer.
type ElicitResponse struct {
	Action string `json:"action"` // ElicitAccept, ElicitDecline or ElicitCancel
	// Content is the form's values, a JSON object, with accept in form mode
	// only. Fields left out get the schema's defaults (SEP-1034).
	Content json.RawMessage `json:"content,omitempty"`
}

// ElicitationHandler answers one elicitation request. It runs on a
// goroutine of the session, while the client's request that led to it is
// waiting; ctx ends when that request does (its time-out, or the session
// closing). It may be called for several requests at once.
type ElicitationHandler func(ctx context.Context, req ElicitRequest) (ElicitResponse, error)

// elicitSlot holds a session's handler; it is read for every request, so a
// handler set (or removed) after connecting applies to the next one.
type elicitSlot struct {
	h atomic.Pointer[ElicitationHandler]
}

// clientOptions are the Go SDK client options of a session that answers
// elicitation through slot: both modes are advertised, since an
// unanswerable request is declined, never left waiting.
func (slot *elicitSlot) clientOptions() *mcp.ClientOptions {
	return &mcp.ClientOptions{
		ElicitationHandler: slot.answer,
		Capabilities: &mcp.ClientCapabilities{
			RootsV2: &mcp.RootCapabilities{ListChanged: true}, // the SDK's default
			Elicitation: &mcp.ElicitationCapabilities{
				Form: &mcp.FormElicitationCapabilities{},
				URL:  &mcp.URLElicitationCapabilities{},
			},
		},
	}
}

// answer is the Go SDK's elicitation handler. The SDK has already checked
// the request (mode, schema); after answer returns it checks accepted
// content against the schema and fills in the schema's defaults.
func (slot *elicitSlot) answer(ctx context.Context, req *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
	h := slot.h.Load()
	if h == nil {
		return &mcp.ElicitResult{Action: ElicitDecline}, nil
	}
	p := req.Params
	er := ElicitRequest{Mode: p.Mode, Message: p.Message, URL: p.URL, ElicitationID: p.ElicitationID}
	if er.Mode == "" {
		er.Mode = ElicitModeForm
		if p.URL != "" || p.ElicitationID != "" {
			er.Mode = ElicitModeURL
		}
	}
	if p.RequestedSchema != nil {
		raw, err := json.Marshal(p.RequestedSchema)
		if err != nil {
			return nil, fmt.Errorf("elicitation: requestedSchema: %w", err)
		}
		er.RequestedSchema = raw
	}
	resp, err := (*h)(ctx, er)
	if err != nil {
		return nil, err
	}
	return elicitResult(er.Mode, resp)
}

// Check reports an answer the protocol cannot carry: an unknown action, or
// content that is not a JSON object.
func (r ElicitResponse) Check() error {
	switch r.Action {
	case ElicitAccept, ElicitDecline, ElicitCancel:
	default:
		return &core.ConfigError{Field: "action", Reason: `must be "accept", "decline" or "cancel"`}
	}
	if t := bytes.TrimSpace(r.Content); len(t) > 0 && string(t) != "null" && !core.IsJSONObject(t) {
		return &core.ConfigError{Field: "content", Reason: "must be a JSON object"}
	}
	return nil
}

// elicitResult checks the application's answer and turns it into the
// protocol's result.
func elicitResult(mode string, resp ElicitResponse) (*mcp.ElicitResult, error) {
	if err := resp.Check(); err != nil {
		return nil, err
	}
	res := &mcp.ElicitResult{Action: resp.Action}
	if resp.Action != ElicitAccept || mode != ElicitModeForm {
		return res, nil // URL mode: accept carries no content
	}
	// An accepted form always has content, so that the SDK fills in the
	// defaults of every field the user left out.
	res.Content = map[string]any{}
	if t := bytes.TrimSpace(resp.Content); len(t) > 0 && string(t) != "null" {
		if err := json.Unmarshal(t, &res.Content); err != nil {
			return nil, &core.ConfigError{Field: "content", Reason: err.Error()}
		}
	}
	return res, nil
}

// SetElicitationHandler sets the handler that answers the server's
// elicitation requests from now on; nil declines them all (the default).
func (s *MCPSession) SetElicitationHandler(h ElicitationHandler) {
	if h == nil {
		s.elicit.h.Store(nil)
		return
	}
	s.elicit.h.Store(&h)
}
