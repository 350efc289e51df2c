package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// The lenient JSON member types below accept the shapes real servers send
// for metadata members, so that one odd member does not discard a whole
// document: the field keeps its Go type and the decoder adapts.

// strList is a JSON array of strings; a single string is accepted as a
// space-separated list (some servers send scopes_supported as "a b"), null
// as empty. Non-string elements are an error.
type strList []string

func (l *strList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*l = nil
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = strings.Fields(s)
		return nil
	}
	var v []string
	if err := json.Unmarshal(b, &v); err != nil {
		return errWrongType
	}
	*l = v
	return nil
}

// flexBool is a JSON boolean; the strings "true" and "false" are accepted,
// anything else is false.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch t := v.(type) {
	case bool:
		*f = flexBool(t)
	case string:
		*f = flexBool(strings.EqualFold(t, "true"))
	default:
		*f = false
	}
	return nil
}

// flexInt is a JSON integer; a numeric string is accepted, null is 0.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*f = 0
		return nil
	}
	b = bytes.Trim(b, `"`)
	n, err := strconv.ParseFloat(string(b), 64)
	if err != nil || !(n >= -1<<53 && n <= 1<<53) { // also refuses NaN
		return errWrongType
	}
	*f = flexInt(n)
	return nil
}

// errWrongType is returned by the lenient types for a member of a shape
// they cannot take.
var errWrongType = errors.New("member has the wrong type")

// decodeMetadata decodes a metadata JSON object into v, turning a member of
// the wrong type into a [MetadataError] naming the member.
func decodeMetadata(document, from string, body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		reason := "malformed JSON"
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			reason = "member " + quoteShort(typeErr.Field) + " has the wrong type"
		} else if errors.Is(err, errWrongType) {
			reason = "a member has the wrong type"
		}
		return &MetadataError{Document: document, URL: from, Reason: reason}
	}
	return nil
}
