package web

import "testing"

func TestSafeNext(t *testing.T) {
	t.Parallel()
	tests := []struct{ next, want string }{
		{"", "/dashboard"},
		{"/", "/dashboard"},
		{"/assessments", "/assessments"},
		{"/assessments?status=issued&region=skane", "/assessments?status=issued&region=skane"},
		{"/assessments/abc#d-1", "/assessments/abc#d-1"},
		{"/\r\nSet-Cookie: saq_session=evil", "/dashboard"},
		{"/\nLocation: https://evil.example", "/dashboard"},
		{"/\t/evil.example", "/dashboard"},
		{"/ /evil.example", "/dashboard"},
		{"//evil.example", "/dashboard"},
		{"/\\evil.example", "/dashboard"},
		{"\\\\evil.example", "/dashboard"},
		{"/%2F/evil.example", "/dashboard"},
		{"/%5Cevil.example", "/dashboard"},
		{"https://evil.example/", "/dashboard"},
		{"javascript:alert(1)", "/dashboard"},
		{"evil.example", "/dashboard"},
		{"/\u2028/evil.example", "/dashboard"},
		{"/\x7f", "/dashboard"},
		{"/a%0d%0aSet-Cookie:x", "/a%0d%0aSet-Cookie:x"}, // encoded, it stays a path
	}
	for _, tt := range tests {
		if got := safeNext(tt.next); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}

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
