package secret

import (
	"strings"
	"testing"
)

func TestValues(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		tok := Token()
		if len(tok) != 43 || seen[tok] {
			t.Fatalf("token %q repeated or of the wrong length", tok)
		}
		seen[tok] = true
	}
	if id := ID(); len(id) != 24 {
		t.Errorf("id %q", id)
	}
	if Hash("a") == Hash("b") || len(Hash("a")) != 64 || Hash("a") != Hash("a") {
		t.Error("hash is not a stable SHA-256")
	}
}

func TestSealer(t *testing.T) {
	s, err := NewSealer("a secret key of the region")
	if err != nil {
		t.Fatal(err)
	}
	const link = "https://saq.test/s/TOKEN"
	a, b := s.Seal(link), s.Seal(link)
	if a == b || strings.Contains(a, "TOKEN") {
		t.Errorf("sealed %q and %q", a, b)
	}
	if got, err := s.Open(a); err != nil || got != link {
		t.Errorf("open: %q, %v", got, err)
	}
	other, _ := NewSealer("another secret key entirely")
	for _, bad := range []string{"", "xyz", a[:len(a)-2] + "AA"} {
		if _, err := s.Open(bad); err == nil {
			t.Errorf("opened %q", bad)
		}
	}
	if _, err := other.Open(a); err == nil {
		t.Error("another key opened it")
	}
	if _, err := NewSealer("short"); err == nil {
		t.Error("a short key was taken")
	}
}
