package seal

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// wrappedHeader opens a passphrase-wrapped key file.
const wrappedHeader = "zimmerwald-key v1 argon2id"

// Argon2id cost of wrapping a key: deliberately slow, it runs once per start.
const (
	wrapTime    = 3
	wrapMemory  = 64 * 1024 // KiB
	wrapThreads = 1
)

// ErrWrongPassphrase is returned when a wrapped key does not open with the passphrase given.
var ErrWrongPassphrase = errors.New("seal: wrong passphrase (or a damaged key file)")

// IsWrapped reports whether a key file's content is a passphrase-wrapped key.
func IsWrapped(file []byte) bool { return bytes.HasPrefix(file, []byte(wrappedHeader)) }

// WrapKey returns the content of a key file holding key sealed under passphrase: an argon2id
// key-encryption key (t=3, 64 MiB, random salt) and XChaCha20-Poly1305. Without the passphrase the
// file gives nothing.
func WrapKey(key, passphrase []byte) ([]byte, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("seal: key must be %d bytes, got %d", KeySize, len(key))
	}
	if len(passphrase) == 0 {
		return nil, errors.New("seal: empty passphrase")
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.NewX(argon2.IDKey(passphrase, salt, wrapTime, wrapMemory, wrapThreads, KeySize))
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	params := fmt.Sprintf("t=%d m=%d p=%d", wrapTime, wrapMemory, wrapThreads)
	sealed := aead.Seal(nonce, nonce, key, []byte(wrappedHeader+"\n"+params))
	b64 := base64.StdEncoding.EncodeToString
	return []byte(wrappedHeader + "\n" + params + "\n" + b64(salt) + "\n" + b64(sealed) + "\n"), nil
}

// UnwrapKey opens a key file written by WrapKey with passphrase.
func UnwrapKey(file, passphrase []byte) ([]byte, error) {
	lines := strings.Split(strings.TrimSpace(string(file)), "\n")
	if len(lines) != 4 || lines[0] != wrappedHeader {
		return nil, errors.New("seal: not a wrapped key file")
	}
	var t, m uint32
	var p uint8
	if _, err := fmt.Sscanf(lines[1], "t=%d m=%d p=%d", &t, &m, &p); err != nil || t == 0 || m == 0 || p == 0 || m > 4<<20 {
		return nil, errors.New("seal: wrapped key file: bad argon2id parameters")
	}
	salt, err1 := base64.StdEncoding.DecodeString(lines[2])
	sealed, err2 := base64.StdEncoding.DecodeString(lines[3])
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("seal: wrapped key file: %w", err)
	}
	aead, err := chacha20poly1305.NewX(argon2.IDKey(passphrase, salt, t, m, p, KeySize))
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, ErrWrongPassphrase
	}
	key, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(lines[0]+"\n"+lines[1]))
	if err != nil || len(key) != KeySize {
		return nil, ErrWrongPassphrase
	}
	return key, nil
}
