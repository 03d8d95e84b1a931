// Package pgptest makes OpenPGP keys for tests of encrypted mail. It imports nothing of ours.
package pgptest

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
)

// KeyPair returns a fresh key: the entity with its private key (to decrypt), and the
// ASCII-armoured public key (what a delegate gives).
func KeyPair(t testing.TB) (*openpgp.Entity, string) {
	t.Helper()
	e, err := openpgp.NewEntity("Delegate", "", "delegate@example.net", nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w, err := armor.Encode(&b, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Serialize(w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return e, b.String()
}

// Decrypt checks that raw is a PGP/MIME message (RFC 3156) and returns its header and the
// decrypted inner entity.
func Decrypt(t testing.TB, raw []byte, key *openpgp.Entity) (netmail.Header, string) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/encrypted" || params["protocol"] != "application/pgp-encrypted" {
		t.Fatalf("Content-Type %q: want multipart/encrypted with protocol application/pgp-encrypted", msg.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	first, err := mr.NextPart()
	if err != nil || first.Header.Get("Content-Type") != "application/pgp-encrypted" {
		t.Fatalf("first part: %v %v", first, err)
	}
	if v, _ := io.ReadAll(first); !strings.Contains(string(v), "Version: 1") {
		t.Errorf("first part: got %q, want Version: 1", v)
	}
	second, err := mr.NextPart()
	if err != nil || !strings.HasPrefix(second.Header.Get("Content-Type"), "application/octet-stream") {
		t.Fatalf("second part: %v", err)
	}
	block, err := armor.Decode(second)
	if err != nil {
		t.Fatal(err)
	}
	md, err := openpgp.ReadMessage(block.Body, openpgp.EntityList{key}, nil, nil)
	if err != nil {
		t.Fatalf("decrypt: %v", err)
	}
	inner, err := io.ReadAll(md.UnverifiedBody)
	if err != nil {
		t.Fatal(err)
	}
	return msg.Header, string(inner)
}
