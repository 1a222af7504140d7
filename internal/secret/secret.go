// Package secret makes the random values the service hands out (link and
// session tokens, ids) and the hashes under which tokens are stored.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
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

// Sealer encrypts short secrets (a supplier's link waiting in the outbox)
// with AES-256-GCM under a key derived from the operator's secret.
type Sealer struct{ aead cipher.AEAD }

// NewSealer derives the key from secret (SAQ_SECRET_KEY) with SHA-256.
func NewSealer(secret string) (*Sealer, error) {
	if len(secret) < 16 {
		return nil, errors.New("the secret key needs at least 16 characters")
	}
	key := sha256.Sum256([]byte(secret))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, fmt.Errorf("cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("gcm: %w", err)
	}
	return &Sealer{aead}, nil
}

// Seal encrypts plain with a fresh nonce.
func (s *Sealer) Seal(plain string) string {
	nonce := random(s.aead.NonceSize())
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, []byte(plain), nil))
}

// Open decrypts what Seal made with the same key.
func (s *Sealer) Open(sealed string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(sealed)
	n := s.aead.NonceSize()
	if err != nil || len(b) < n {
		return "", errors.New("not a sealed value")
	}
	plain, err := s.aead.Open(nil, b[:n], b[n:], nil)
	if err != nil {
		return "", fmt.Errorf("open: %w", err)
	}
	return string(plain), nil
}
