package accounts

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// sealedPrefix marks a two-factor secret encrypted with the store's key.
// Secrets without it were stored before there was a key and still work.
const sealedPrefix = "v1:"

// SetSecretKey makes the store encrypt two-factor secrets at rest with a
// key derived from secret (the portal's PORTAL_SECRET), so a copy of the
// database alone cannot mint codes. Without it secrets are stored as they
// are, as in tests that do not care. Configuration checks the secret's
// length; any length makes a 256-bit key here.
func (s *Store) SetSecretKey(secret []byte) {
	key := sha256.Sum256(append([]byte("portal two-factor secrets\x00"), secret...))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		panic(err) // cannot happen: the key is 32 bytes
	}
	if s.box, err = cipher.NewGCM(block); err != nil {
		panic(err) // cannot happen for AES
	}
}

// seal encrypts a two-factor secret for storage.
func (s *Store) seal(secret string) string {
	if s.box == nil {
		return secret
	}
	nonce := make([]byte, s.box.NonceSize())
	rand.Read(nonce)
	return sealedPrefix + base64.RawURLEncoding.EncodeToString(s.box.Seal(nonce, nonce, []byte(secret), nil))
}

// open reads a stored two-factor secret, sealed or not.
func (s *Store) open(stored string) (string, error) {
	if !strings.HasPrefix(stored, sealedPrefix) {
		return stored, nil
	}
	if s.box == nil {
		return "", errors.New("a sealed two-factor secret, but no key to open it (PORTAL_SECRET)")
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(stored, sealedPrefix))
	if err != nil || len(raw) < s.box.NonceSize() {
		return "", errors.New("a damaged two-factor secret")
	}
	plain, err := s.box.Open(nil, raw[:s.box.NonceSize()], raw[s.box.NonceSize():], nil)
	if err != nil {
		return "", fmt.Errorf("open two-factor secret (was PORTAL_SECRET changed?): %w", err)
	}
	return string(plain), nil
}
