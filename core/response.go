package core

import (
	"bytes"
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// responseFields holds the top-level members of a token or error response,
// decoded from JSON or from a form-encoded body.
type responseFields map[string]any

// maxLifetime bounds expires_in (about 68 years, the int32 range used by
// most servers); larger values are refused as malformed.
const maxLifetime = math.MaxInt32 * time.Second

// decodeFields decodes a response body as JSON, or as a form when the
// content type says so.
func decodeFields(contentType string, body []byte) (responseFields, error) {
	if isFormBody(contentType) && !bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, &ProtocolError{Reason: "response is neither JSON nor a valid form"}
		}
		f := responseFields{}
		for k, v := range vals {
			f[k] = v[0]
		}
		return f, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var f responseFields
	if err := dec.Decode(&f); err != nil || f == nil {
		return nil, &ProtocolError{Reason: "response is not a JSON object"}
	}
	return f, nil
}

// str returns a string member, or "" when it is absent or not a string.
func (f responseFields) str(name string) string {
	s, _ := f[name].(string)
	return s
}

// expiresIn returns the expires_in member (RFC 6749 §5.1) as a duration: 0
// when absent. A numeric string is accepted (some servers send one); zero,
// negative, fractional-garbage, non-numeric or absurdly large values are a
// [ProtocolError].
func (f responseFields) expiresIn() (time.Duration, error) {
	raw, ok := f["expires_in"]
	if !ok || raw == nil {
		return 0, nil
	}
	var text string
	switch v := raw.(type) {
	case json.Number:
		text = v.String()
	case string:
		text = strings.TrimSpace(v)
	default:
		return 0, &ProtocolError{Reason: "expires_in is not a number"}
	}
	secs, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(secs) || math.IsInf(secs, 0) {
		return 0, &ProtocolError{Reason: "expires_in is not a number"}
	}
	if secs <= 0 {
		return 0, &ProtocolError{Reason: "expires_in must be positive"}
	}
	if secs > maxLifetime.Seconds() {
		return 0, &ProtocolError{Reason: "expires_in is out of range"}
	}
	return time.Duration(secs * float64(time.Second)), nil
}
