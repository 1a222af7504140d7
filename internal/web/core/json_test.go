package core

import "testing"

func TestDuplicateKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body string
		key  string // "" when none
	}{
		{`{"a": 1, "b": 2}`, ""},
		{`{"a": 1, "a": 2}`, "a"},
		{`{"a": {"b": 1}, "c": {"b": 2}}`, ""},
		{`{"a": {"b": 1, "b": 2}}`, "b"},
		{`{"answers": {"Q1.3": {"value": 5}, "Q1.3": {"value": -5}}}`, "Q1.3"},
		{`{"a": ["a", "a"], "b": "a"}`, ""},
		{`[{"x": 1}, {"x": 2}]`, ""},
		{`[{"x": 1, "x": 2}]`, "x"},
		{`{"a": [{"k": 1}], "a": 2}`, "a"},
		{`{"a": "b", "b": "a"}`, ""},
		{`{"a": null, "b": true, "c": 1.5, "a": false}`, "a"},
		{`not json`, ""},
	}
	for _, tt := range tests {
		key, dup := duplicateKey([]byte(tt.body))
		if dup != (tt.key != "") || key != tt.key {
			t.Errorf("duplicateKey(%s) = %q, %v; want %q", tt.body, key, dup, tt.key)
		}
	}
}
