package mcptest

import (
	"encoding/json"
	"maps"
	"net/http"
)

// Counts is a snapshot of the requests the MCP server received since it
// started or the counts were last reset. The authorization server keeps its
// own counts.
type Counts struct {
	// Requests counts requests to the MCP endpoints, whatever their outcome.
	Requests int `json:"requests"`
	// Unauthorized counts 401 answers: no, invalid, expired or
	// wrong-audience token.
	Unauthorized int `json:"unauthorized"`
	// Forbidden counts 403 insufficient_scope answers.
	Forbidden int `json:"forbidden"`
	// Metadata counts requests for protected resource metadata.
	Metadata int `json:"metadata"`
	// DPoPRequests counts requests presenting a DPoP-bound token with a
	// valid proof (RFC 9449 §7).
	DPoPRequests int `json:"dpop_requests"`
	// ToolCalls counts the calls that reached each tool.
	ToolCalls map[string]int `json:"tool_calls"`
}

// Counts returns a snapshot of the counters.
func (s *Server) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.counts
	c.ToolCalls = maps.Clone(s.counts.ToolCalls)
	return c
}

// ResetCounts zeroes the counters.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetCountsLocked()
}

// resetCountsLocked zeroes the counters. s.mu must be held.
func (s *Server) resetCountsLocked() {
	s.counts = Counts{ToolCalls: map[string]int{}}
}

// count applies update to the counters.
func (s *Server) count(update func(*Counts)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	update(&s.counts)
}

// countTool counts a call of the named tool.
func (s *Server) countTool(name string) {
	s.count(func(c *Counts) { c.ToolCalls[name]++ })
}

// writeJSON writes v as a JSON response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // a write error means the client went away
}
