package seal

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/chacha20poly1305"
)

// streamMagic starts every encrypted stream (backups) so a wrong file is recognised at once.
var streamMagic = []byte("ZWBACKUP1")

const chunkSize = 64 << 10

// EncryptStream writes r to w encrypted under a key derived from the data key: a header with a
// random 16-byte stream ID, then 64 KiB chunks sealed with XChaCha20-Poly1305. Each chunk's nonce
// holds the stream ID and the chunk number, and its associated data marks the last chunk, so
// chunks cannot be reordered, dropped or truncated undetected.
func (b *Box) EncryptStream(w io.Writer, r io.Reader) error {
	aead, err := chacha20poly1305.NewX(b.streamKey())
	if err != nil {
		return err
	}
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return err
	}
	if _, err := w.Write(append(append([]byte{}, streamMagic...), id...)); err != nil {
		return err
	}
	buf := make([]byte, chunkSize)
	next := make([]byte, chunkSize)
	n, err := io.ReadFull(r, buf)
	for i := uint64(0); ; i++ {
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return fmt.Errorf("backup read: %w", err)
		}
		m, nerr := 0, err
		if err == nil {
			m, nerr = io.ReadFull(r, next)
		}
		last := err != nil || (m == 0 && (errors.Is(nerr, io.EOF)))
		ct := aead.Seal(nil, chunkNonce(id, i), buf[:n], chunkAD(last))
		if _, werr := w.Write(ct); werr != nil {
			return werr
		}
		if last {
			return nil
		}
		buf, next = next, buf
		n, err = m, nerr
	}
}

// DecryptStream reverses EncryptStream; it fails on a wrong key, a foreign file or any tampering.
func (b *Box) DecryptStream(w io.Writer, r io.Reader) error {
	aead, err := chacha20poly1305.NewX(b.streamKey())
	if err != nil {
		return err
	}
	head := make([]byte, len(streamMagic)+16)
	if _, err := io.ReadFull(r, head); err != nil || !bytes.Equal(head[:len(streamMagic)], streamMagic) {
		return errors.New("not a zimmerwald backup")
	}
	id := head[len(streamMagic):]
	buf := make([]byte, chunkSize+aead.Overhead())
	for i := uint64(0); ; i++ {
		n, err := io.ReadFull(r, buf)
		if errors.Is(err, io.EOF) {
			return errors.New("backup is truncated")
		}
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return err
		}
		last := n < len(buf)
		if !last {
			// A full chunk may still be the last one: peek for more data.
			var one [1]byte
			if k, _ := io.ReadFull(r, one[:]); k == 0 {
				last = true
			} else {
				r = io.MultiReader(bytes.NewReader(one[:]), r)
			}
		}
		pt, oerr := aead.Open(nil, chunkNonce(id, i), buf[:n], chunkAD(last))
		if oerr != nil {
			return errors.New("backup cannot be decrypted: wrong key or damaged file")
		}
		if _, err := w.Write(pt); err != nil {
			return err
		}
		if last {
			return nil
		}
	}
}

func (b *Box) streamKey() []byte { return derive(b.indexKey, "zimmerwald backup stream v1") }

func chunkNonce(id []byte, i uint64) []byte {
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	copy(nonce, id)
	binary.BigEndian.PutUint64(nonce[16:], i)
	return nonce
}

func chunkAD(last bool) []byte {
	if last {
		return []byte("last")
	}
	return []byte("more")
}
