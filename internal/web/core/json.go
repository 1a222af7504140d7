package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"
	"github.com/regionerna/saq/internal/apperr"
)

// DecodeJSON reads a JSON body strictly: unknown fields and trailing data
// are refused, so a misspelt field never passes silently.
func DecodeJSON(c *fiber.Ctx, v any) error {
	if !bytes.HasPrefix(c.Request().Header.ContentType(), []byte(fiber.MIMEApplicationJSON)) {
		return apperr.New(apperr.Invalid, "Skicka JSON (Content-Type: application/json).", "Send JSON (Content-Type: application/json).")
	}
	if key, dup := duplicateKey(c.Body()); dup {
		return apperr.New(apperr.Invalid, fmt.Sprintf("JSON-kroppen har nyckeln %q två gånger.", key), fmt.Sprintf("The JSON body has the key %q twice.", key))
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return apperr.New(apperr.Invalid, "JSON-kroppen kunde inte läsas: "+jsonProblem(err), "The JSON body could not be read: "+jsonProblem(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.Invalid, "JSON-kroppen har data efter slutet.", "The JSON body has data after its end.")
	}
	return CheckText(v)
}

// duplicateKey finds a key that stands twice in one object of a JSON
// document: decoding would silently keep the last, so what the client
// meant is unknown. A document that does not parse is left to the decoder.
func duplicateKey(data []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		keys   map[string]bool
		object bool
		key    bool // the next string is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if top != nil && top.object {
					top.key = true // the object or array was a value
				}
				stack = append(stack, &frame{keys: map[string]bool{}, object: t == '{', key: t == '{'})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].key = true
				}
			}
		case string:
			if top != nil && top.object && top.key {
				if top.keys[t] {
					return t, true
				}
				top.keys[t] = true
				top.key = false
				continue
			}
			if top != nil && top.object {
				top.key = true
			}
		default:
			if top != nil && top.object {
				top.key = true
			}
		}
	}
}

// jsonProblem says what was wrong with a body without echoing it.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s must be %s", te.Field, te.Type.String())
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	}
	return err.Error()
}
