// Package badge renders a delegate's printable badge: an A6 PDF page with the pseudonym, the
// organisation when it may be named, the conference, and a QR code of the check-in code. It never
// takes a legal name or an email address. It imports nothing of ours.
package badge

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
)

//go:embed DejaVuSansCondensed-Bold.ttf
var font []byte

// Badge is what a badge shows. Organisation is empty when it may not be named.
type Badge struct {
	Conference   string
	DisplayName  string
	Organisation string
	CheckinCode  string
}

// PDF renders b as a one-page PDF.
func PDF(b Badge) ([]byte, error) {
	png, err := qrcode.Encode(b.CheckinCode, qrcode.Medium, 512)
	if err != nil {
		return nil, fmt.Errorf("badge: qr code: %w", err)
	}
	pdf := fpdf.New("P", "mm", "A6", "")
	pdf.SetCreator("Zimmerwald", true)
	pdf.SetCompression(true)
	pdf.AddUTF8FontFromBytes("badge", "B", font)
	pdf.SetMargins(8, 10, 8)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddPage()
	w, _ := pdf.GetPageSize()
	pdf.SetFont("badge", "B", 10)
	pdf.MultiCell(0, 5, b.Conference, "", "C", false)
	pdf.Ln(6)
	pdf.SetFont("badge", "B", 20)
	pdf.MultiCell(0, 9, b.DisplayName, "", "C", false)
	if b.Organisation != "" {
		pdf.Ln(1)
		pdf.SetFont("badge", "B", 12)
		pdf.MultiCell(0, 6, b.Organisation, "", "C", false)
	}
	opts := fpdf.ImageOptions{ImageType: "PNG"}
	pdf.RegisterImageOptionsReader("qr", opts, bytes.NewReader(png))
	size := 50.0
	pdf.ImageOptions("qr", (w-size)/2, 78, size, size, false, opts, 0, "")
	pdf.SetY(130)
	pdf.SetFont("badge", "B", 11)
	pdf.CellFormat(0, 6, b.CheckinCode, "", 1, "C", false, 0, "")
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("badge: %w", err)
	}
	return out.Bytes(), nil
}
