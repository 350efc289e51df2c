package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// decodeStrict decodes one JSON value into v: an unknown member is an
// error, and so is anything after the value.
func decodeStrict(js []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON object")
	}
	return nil
}
