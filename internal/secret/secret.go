// Package secret makes the random values the service hands out (link and
// session tokens, ids) and the hashes under which tokens are stored.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// Token returns 256 random bits, URL-safe (43 characters).
func Token() string {
	return base64.RawURLEncoding.EncodeToString(random(32))
}

// ID returns 96 random bits as 24 hex digits: ids that reveal no count or time.
func ID() string {
	return hex.EncodeToString(random(12))
}

// Hash is how a token is stored and looked up, so a copy of the database
// holds no working token.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func random(n int) []byte {
	b := make([]byte, n)
	// crypto/rand.Read never fails on supported platforms (Go 1.24+): it
	// crashes the program itself rather than return predictable bytes.
	_, _ = rand.Read(b)
	return b
}
