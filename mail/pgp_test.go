package mail

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"

	"github.com/zimmerwald/zimmerwald/mail/pgptest"
)

// TestEncryptedMailDecryptsWithThePrivateKey: a message encrypted to a delegate's key is PGP/MIME
// with a neutral subject; nothing of its subject or bodies is readable outside, and the private
// key recovers them.
func TestEncryptedMailDecryptsWithThePrivateKey(t *testing.T) {
	key, public := pgptest.KeyPair(t)
	m, err := Compose("Secretariat <noreply@example.org>", "delegate@example.net", "", Rendered{
		Subject: "Your sign-in link — Zimmerwald 2027", Text: "Hello Clara,\n\nSign in: https://zw.example.org/login?token=s3cr3t\n", HTML: "<p>Hello Clara</p>"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Encrypt(public); err != nil {
		t.Fatal(err)
	}
	var raw bytes.Buffer
	if _, err := m.WriteTo(&raw); err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"Zimmerwald", "Clara", "s3cr3t", "sign-in"} {
		if strings.Contains(raw.String(), leak) {
			t.Errorf("the encrypted message shows %q outside the encryption", leak)
		}
	}
	h, inner := pgptest.Decrypt(t, raw.Bytes(), key)
	if h.Get("Subject") != NeutralSubject {
		t.Errorf("outer subject: got %q, want %q", h.Get("Subject"), NeutralSubject)
	}
	if !strings.Contains(inner, "token=3Ds3cr3t") && !strings.Contains(inner, "token=s3cr3t") || !strings.Contains(inner, "Subject: =?utf-8?q?Your_sign-in_link") {
		t.Errorf("decrypted inner entity lacks the body or the protected subject:\n%s", inner)
	}
}

// TestOpenPGPKeysAreChecked: a private key, garbage, two keys and an expired key are refused.
func TestOpenPGPKeysAreChecked(t *testing.T) {
	key, public := pgptest.KeyPair(t)
	if err := CheckOpenPGPKey(public, time.Now()); err != nil {
		t.Fatalf("a fresh public key: %v", err)
	}
	var priv bytes.Buffer
	w, _ := armor.Encode(&priv, openpgp.PrivateKeyType, nil)
	key.SerializePrivate(w, nil)
	w.Close()
	_, other := pgptest.KeyPair(t)
	for name, k := range map[string]string{
		"garbage":  "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----\n",
		"empty":    "",
		"private":  priv.String(),
		"two keys": public + other,
	} {
		if err := CheckOpenPGPKey(k, time.Now()); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := CheckOpenPGPKey(expiringKey(t, time.Hour), time.Now()); err != nil {
		t.Errorf("a key valid for another hour: %v", err)
	}
	expired := expiringKey(t, -time.Hour)
	if err := CheckOpenPGPKey(expired, time.Now()); err == nil {
		t.Error("an expired key was accepted")
	}
}

// expiringKey is an armoured public key that expires at now+after (created two days ago).
func expiringKey(t testing.TB, after time.Duration) string {
	t.Helper()
	created := time.Now().Add(-48 * time.Hour)
	cfg := &packetConfig{now: created}
	e, err := openpgp.NewEntity("Old", "", "old@example.net", cfg.config(uint32((48*time.Hour + after).Seconds())))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w, _ := armor.Encode(&b, openpgp.PublicKeyType, nil)
	e.Serialize(w)
	w.Close()
	return b.String()
}
