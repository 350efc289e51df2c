package oauthtest

import "net/http"

// oauthError is an error response of the token endpoint (RFC 6749 §5.2).
type oauthError struct {
	status      int
	code        string
	description string
	// basicChallenge adds WWW-Authenticate: Basic, required when the client
	// attempted to authenticate with the Authorization header (RFC 6749 §5.2).
	basicChallenge bool
}

// oauthErrorBody is the JSON body of an error response (RFC 6749 §5.2).
type oauthErrorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

func badRequest(code, description string) *oauthError {
	return &oauthError{status: http.StatusBadRequest, code: code, description: description}
}

func invalidRequest(description string) *oauthError {
	return badRequest("invalid_request", description)
}

func invalidGrant(description string) *oauthError {
	return badRequest("invalid_grant", description)
}

func invalidClient(description string, basic bool) *oauthError {
	return &oauthError{
		status:         http.StatusUnauthorized,
		code:           "invalid_client",
		description:    description,
		basicChallenge: basic,
	}
}

// write sends the error response, which like every token endpoint response
// must not be cached (RFC 6749 §5.1).
func (e *oauthError) write(w http.ResponseWriter) {
	if e.basicChallenge {
		w.Header().Set("WWW-Authenticate", `Basic realm="oauthtest"`)
	}
	writeTokenJSON(w, e.status, oauthErrorBody{Error: e.code, ErrorDescription: e.description})
}

// writeTokenJSON writes a token endpoint response with the cache headers of
// RFC 6749 §5.1.
func writeTokenJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, status, v)
}
