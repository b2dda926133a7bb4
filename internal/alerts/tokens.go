package alerts

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
)

// An alert's link token is its id and an HMAC-SHA256 of that id under
// PORTAL_SECRET, base64url-encoded: 8 bytes of id, 32 of MAC. The server
// can write it into every digest without storing it, and a token cannot be
// forged or guessed without the secret. The database keeps only
// token_hash, the SHA-256 of the MAC as issued, so a copy of the database
// yields no working link. Links are checked by their MAC and then loaded
// by id, so changing PORTAL_SECRET ends every link already sent, while the
// next digest carries links that work again.
const (
	idSize    = 8
	macSize   = sha256.Size
	tokenSize = idSize + macSize
)

// tokenContext keeps these MACs apart from anything else that may one day
// be signed with the same secret.
const tokenContext = "portal job alert link\x00"

func (s *Store) mac(id int64) []byte {
	h := hmac.New(sha256.New, s.secret)
	h.Write([]byte(tokenContext))
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(id)))
	return h.Sum(nil)
}

// Token returns the link token of the alert with id.
func (s *Store) Token(id int64) string {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, tokenSize), uint64(id))
	return base64.RawURLEncoding.EncodeToString(append(b, s.mac(id)...))
}

// tokenHash is what token_hash holds for the alert with id.
func (s *Store) tokenHash(id int64) []byte {
	sum := sha256.Sum256(s.mac(id))
	return sum[:]
}

// parseToken returns the alert id a token was issued for, or false when
// the token is malformed or its MAC is wrong.
func (s *Store) parseToken(token string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != tokenSize {
		return 0, false
	}
	id := int64(binary.BigEndian.Uint64(b[:idSize]))
	if id <= 0 || !hmac.Equal(b[idSize:], s.mac(id)) {
		return 0, false
	}
	return id, true
}
