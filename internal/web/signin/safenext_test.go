package signin

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
