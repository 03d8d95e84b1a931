package seal

import (
	"bytes"
	"testing"
)

func TestSealOpenBindsRow(t *testing.T) {
	b, err := New(NewKey())
	if err != nil {
		t.Fatal(err)
	}
	ct := b.Seal("delegates", "email", "row-1", "anna@example.org")
	if bytes.Contains(ct, []byte("anna")) {
		t.Fatalf("ciphertext contains plaintext")
	}
	got, err := b.Open("delegates", "email", "row-1", ct)
	if err != nil || got != "anna@example.org" {
		t.Fatalf("got %q, %v; want the address", got, err)
	}
	for _, c := range [][3]string{{"delegates", "email", "row-2"}, {"delegates", "legal_name", "row-1"}, {"accounts", "email", "row-1"}} {
		if _, err := b.Open(c[0], c[1], c[2], ct); err != ErrOpen {
			t.Errorf("open with %v: got %v, want ErrOpen", c, err)
		}
	}
	other, _ := New(NewKey())
	if _, err := other.Open("delegates", "email", "row-1", ct); err != ErrOpen {
		t.Errorf("open with other key: got %v, want ErrOpen", err)
	}
}

func TestIndexKeyedAndStable(t *testing.T) {
	k := NewKey()
	a, _ := New(k)
	b, _ := New(k)
	c, _ := New(NewKey())
	x := a.Index("p", NormalizeEmail(" Anna@Example.org "))
	if !bytes.Equal(x, b.Index("p", "anna@example.org")) {
		t.Error("same key and value gave different indexes")
	}
	if bytes.Equal(x, c.Index("p", "anna@example.org")) {
		t.Error("different keys gave the same index")
	}
	if bytes.Equal(x, a.Index("q", "anna@example.org")) {
		t.Error("different purposes gave the same index")
	}
}

func TestParseKey(t *testing.T) {
	if _, err := ParseKey("c2hvcnQ="); err == nil {
		t.Error("short key accepted")
	}
	if _, err := ParseKey("!!"); err == nil {
		t.Error("non-base64 accepted")
	}
	if _, err := ParseKey("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="); err != nil {
		t.Errorf("valid key refused: %v", err)
	}
}
