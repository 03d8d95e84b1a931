package mail

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
)

// NeutralSubject is the outer subject of an encrypted mail: the real one travels inside.
const NeutralSubject = "..."

// MaxOpenPGPKey bounds the size of an armoured public key a delegate may give.
const MaxOpenPGPKey = 64 << 10

// ErrOpenPGPKey wraps every reason a public key is refused.
var ErrOpenPGPKey = errors.New("openpgp key")

// CheckOpenPGPKey reports whether armored is one ASCII-armoured OpenPGP public key that can
// encrypt at now: not expired, not revoked, with an encryption-capable (sub)key.
func CheckOpenPGPKey(armored string, now time.Time) error {
	_, err := encryptionKeys(armored, now)
	return err
}

// encryptionKeys parses an armoured key and returns it if it can encrypt at now.
func encryptionKeys(armored string, now time.Time) (openpgp.EntityList, error) {
	if len(armored) > MaxOpenPGPKey {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrOpenPGPKey, MaxOpenPGPKey)
	}
	if strings.Count(armored, "-----BEGIN PGP PUBLIC KEY BLOCK-----") != 1 {
		return nil, fmt.Errorf("%w: want one ASCII-armoured public key block", ErrOpenPGPKey)
	}
	list, err := openpgp.ReadArmoredKeyRing(strings.NewReader(armored))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOpenPGPKey, err)
	}
	if len(list) != 1 {
		return nil, fmt.Errorf("%w: want exactly one key, got %d", ErrOpenPGPKey, len(list))
	}
	if list[0].PrivateKey != nil {
		return nil, fmt.Errorf("%w: this is a private key; give the public key only", ErrOpenPGPKey)
	}
	if _, ok := list[0].EncryptionKey(now); !ok {
		return nil, fmt.Errorf("%w: expired, revoked or unable to encrypt", ErrOpenPGPKey)
	}
	return list, nil
}

// Encrypt turns m into a PGP/MIME message (RFC 3156) for the holder of armored: the text and
// HTML bodies and the real subject (as a protected header) are encrypted into a
// multipart/encrypted body, and the outer subject becomes NeutralSubject. Nothing of the plain
// message stays in m.
func (m *Message) Encrypt(armored string) error {
	keys, err := encryptionKeys(armored, time.Now())
	if err != nil {
		return err
	}
	inner, err := m.innerEntity()
	if err != nil {
		return err
	}
	var sealed bytes.Buffer
	aw, err := armor.Encode(&sealed, "PGP MESSAGE", nil)
	if err != nil {
		return fmt.Errorf("openpgp: %w", err)
	}
	pw, err := openpgp.Encrypt(aw, keys, nil, nil, nil)
	if err != nil {
		return fmt.Errorf("openpgp: encrypt: %w", err)
	}
	if _, err := pw.Write(inner); err != nil {
		return fmt.Errorf("openpgp: encrypt: %w", err)
	}
	if err := errors.Join(pw.Close(), aw.Close()); err != nil {
		return fmt.Errorf("openpgp: encrypt: %w", err)
	}
	boundary := "zw-pgp-" + rand.Text()
	var body strings.Builder
	body.WriteString("This is an OpenPGP/MIME encrypted message (RFC 3156).\r\n")
	body.WriteString("--" + boundary + "\r\nContent-Type: application/pgp-encrypted\r\nContent-Description: PGP/MIME version identification\r\n\r\nVersion: 1\r\n\r\n")
	body.WriteString("--" + boundary + "\r\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\r\nContent-Description: OpenPGP encrypted message\r\nContent-Disposition: inline; filename=\"encrypted.asc\"\r\n\r\n")
	body.WriteString(strings.ReplaceAll(sealed.String(), "\n", "\r\n"))
	body.WriteString("\r\n--" + boundary + "--\r\n")
	m.Subject, m.Text, m.HTML = NeutralSubject, "", ""
	m.encrypted, m.boundary = body.String(), boundary
	return nil
}

// innerEntity is the MIME entity that gets encrypted: multipart/alternative of the text and HTML
// bodies, with the real subject as a protected header.
func (m *Message) innerEntity() ([]byte, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fmt.Fprintf(&buf, "Content-Type: multipart/alternative; boundary=%q; protected-headers=\"v1\"\r\nSubject: %s\r\n\r\n",
		mw.Boundary(), mime.QEncoding.Encode("utf-8", m.Subject))
	parts := []struct{ kind, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}}
	for _, p := range parts {
		if p.body == "" {
			continue
		}
		w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {p.kind + "; charset=utf-8"}, "Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, err
		}
		qw := quotedprintable.NewWriter(w)
		if _, err := qw.Write([]byte(p.body)); err != nil {
			return nil, err
		}
		if err := qw.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
