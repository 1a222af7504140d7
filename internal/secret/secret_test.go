package secret

import "testing"

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
