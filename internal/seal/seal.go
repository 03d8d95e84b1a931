// Package seal encrypts personal fields at rest and computes blind indexes for lookups.
//
// It owns the data key's use: XChaCha20-Poly1305 sealing with the table, column and row ID bound as
// associated data, and HMAC-SHA256 blind indexes for equality lookups. It imports nothing of ours.
package seal

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

// KeySize is the length in bytes of the data key.
const KeySize = 32

// ErrOpen is returned when a sealed value cannot be decrypted: wrong key, wrong row or tampering.
var ErrOpen = errors.New("seal: cannot open sealed value")

// Box seals and opens personal fields with keys derived from one data key.
type Box struct {
	aead     aeadCipher
	indexKey []byte
}

type aeadCipher interface {
	NonceSize() int
	Overhead() int
	Seal(dst, nonce, plaintext, additionalData []byte) []byte
	Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
}

// New derives the encryption and index keys from a 32-byte data key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("seal: key must be %d bytes, got %d", KeySize, len(key))
	}
	encKey := derive(key, "zimmerwald field encryption v1")
	aead, err := chacha20poly1305.NewX(encKey)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return &Box{aead: aead, indexKey: derive(key, "zimmerwald blind index v1")}, nil
}

// ParseKey decodes a base64 (standard or URL, padded or not) data key.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != KeySize {
				return nil, fmt.Errorf("seal: key must be %d bytes, got %d", KeySize, len(b))
			}
			return b, nil
		}
	}
	return nil, errors.New("seal: key is not valid base64")
}

// NewKey returns a fresh random data key.
func NewKey() []byte {
	k := make([]byte, KeySize)
	if _, err := io.ReadFull(rand.Reader, k); err != nil {
		panic(fmt.Sprintf("seal: no randomness: %v", err))
	}
	return k
}

func derive(key []byte, info string) []byte {
	out := make([]byte, KeySize)
	if _, err := io.ReadFull(hkdf.New(sha256.New, key, nil, []byte(info)), out); err != nil {
		panic(fmt.Sprintf("seal: hkdf: %v", err))
	}
	return out
}

func associated(table, column, rowID string) []byte {
	return []byte(table + "\x00" + column + "\x00" + rowID)
}

// Seal encrypts plaintext for the given table, column and row. An empty plaintext seals to nil,
// so absent values stay absent.
func (b *Box) Seal(table, column, rowID, plaintext string) []byte {
	if plaintext == "" {
		return nil
	}
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plaintext)+b.aead.Overhead())
	if _, err := io.ReadFull(rand.Reader, nonce); err != nil {
		panic(fmt.Sprintf("seal: no randomness: %v", err))
	}
	return b.aead.Seal(nonce, nonce, []byte(plaintext), associated(table, column, rowID))
}

// Open decrypts a value sealed for the same table, column and row. Nil opens to "".
func (b *Box) Open(table, column, rowID string, sealed []byte) (string, error) {
	if len(sealed) == 0 {
		return "", nil
	}
	n := b.aead.NonceSize()
	if len(sealed) < n+b.aead.Overhead() {
		return "", ErrOpen
	}
	plain, err := b.aead.Open(nil, sealed[:n], sealed[n:], associated(table, column, rowID))
	if err != nil {
		return "", ErrOpen
	}
	return string(plain), nil
}

// Index returns the keyed blind index of value within a purpose (for example "delegate.email:" plus
// a conference ID). Equal inputs give equal indexes; without the key nothing can be learned.
func (b *Box) Index(purpose, value string) []byte {
	m := hmac.New(sha256.New, b.indexKey)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return m.Sum(nil)
}

// NormalizeEmail lower-cases and trims an address so that blind indexes of the same mailbox match.
func NormalizeEmail(addr string) string {
	return strings.ToLower(strings.TrimSpace(addr))
}
