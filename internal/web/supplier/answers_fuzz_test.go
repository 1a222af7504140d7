package supplier

import (
	"encoding/json"
	"testing"
)

// FuzzToInput: any bytes a client sends as one answer are read into an
// input or refused with an error, never a panic; what is read can be
// written back as JSON, and an answer object keeps its parts apart.
func FuzzToInput(f *testing.F) {
	for _, seed := range []string{
		`"yes"`, `42`, `null`, `["a","b"]`, `{"value": "yes", "comment": "ok", "base": 3}`, `{"comment": null}`,
		`{"$gt": ""}`, `{"value": {"$where": "1"}}`, `{"base": "x", "value": 1}`, `{"value": 1e400}`, "\"\xff\"", `[[[[[[]]]]]]`, ``, `{`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		in, err := toInput(raw)
		if err != nil {
			return
		}
		if !in.HasValue && !in.HasComment {
			t.Fatalf("%q read as neither a value nor a comment", raw)
		}
		if _, err := json.Marshal(in.Value); err != nil {
			t.Fatalf("%q read as a value that cannot be written back: %v", raw, err)
		}
	})
}
