package seal

import (
	"bytes"
	"crypto/rand"
	"testing"
)

func TestStreamRoundTripAndTamper(t *testing.T) {
	b, _ := New(NewKey())
	for _, size := range []int{0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 3*chunkSize + 17} {
		plain := make([]byte, size)
		rand.Read(plain)
		var enc bytes.Buffer
		if err := b.EncryptStream(&enc, bytes.NewReader(plain)); err != nil {
			t.Fatal(err)
		}
		var dec bytes.Buffer
		if err := b.DecryptStream(&dec, bytes.NewReader(enc.Bytes())); err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if !bytes.Equal(dec.Bytes(), plain) {
			t.Fatalf("size %d: round trip differs", size)
		}
		if size > 0 {
			// Truncating at a chunk boundary or flipping a byte must fail.
			cut := enc.Bytes()[:enc.Len()-1]
			if err := b.DecryptStream(&bytes.Buffer{}, bytes.NewReader(cut)); err == nil {
				t.Errorf("size %d: truncated backup decrypted", size)
			}
			flipped := append([]byte{}, enc.Bytes()...)
			flipped[len(flipped)/2] ^= 1
			if err := b.DecryptStream(&bytes.Buffer{}, bytes.NewReader(flipped)); err == nil {
				t.Errorf("size %d: tampered backup decrypted", size)
			}
		}
		if size > chunkSize {
			first := enc.Bytes()[:len(streamMagic)+16+chunkSize+16]
			if err := b.DecryptStream(&bytes.Buffer{}, bytes.NewReader(first)); err == nil {
				t.Errorf("size %d: backup cut after a whole chunk decrypted", size)
			}
		}
	}
	other, _ := New(NewKey())
	var enc bytes.Buffer
	b.EncryptStream(&enc, bytes.NewReader([]byte("secret")))
	if err := other.DecryptStream(&bytes.Buffer{}, &enc); err == nil {
		t.Error("decrypted with another key")
	}
}
