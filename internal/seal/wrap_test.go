package seal

import (
	"bytes"
	"errors"
	"testing"
)

// TestWrappedKeyOpensOnlyWithItsPassphrase: a wrapped key file holds no copy of the key, opens with
// its passphrase and refuses another one or a tampered file.
func TestWrappedKeyOpensOnlyWithItsPassphrase(t *testing.T) {
	key := NewKey()
	file, err := WrapKey(key, []byte("correct horse battery staple"))
	if err != nil {
		t.Fatal(err)
	}
	if !IsWrapped(file) || bytes.Contains(file, key) {
		t.Fatal("wrapped file is not marked as wrapped, or holds the key")
	}
	got, err := UnwrapKey(file, []byte("correct horse battery staple"))
	if err != nil || !bytes.Equal(got, key) {
		t.Fatalf("unwrap: %v", err)
	}
	if _, err := UnwrapKey(file, []byte("wrong")); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: got %v", err)
	}
	tampered := bytes.Replace(file, []byte("t=3"), []byte("t=1"), 1)
	if _, err := UnwrapKey(tampered, []byte("correct horse battery staple")); err == nil {
		t.Error("a file with changed parameters opened")
	}
	if _, err := WrapKey(key, nil); err == nil {
		t.Error("an empty passphrase was accepted")
	}
}
