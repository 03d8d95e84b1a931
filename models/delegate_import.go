package models

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zimmerwald/zimmerwald/internal/seal"
)

// ImportColumns are the columns an import file may have (header row, any order, case-insensitive).
// Only email and display_name are required. organisation is an organisation's ID or exact name;
// languages are separated by spaces, commas or semicolons; status is pending_confirmation,
// submitted (the default), approved or waitlisted.
var ImportColumns = []string{"email", "display_name", "organisation", "role", "country", "languages", "attendance",
	"visibility", "interpretation_needs", "accessibility_needs", "legal_name", "needs_visa_letter", "status"}

// exportOnlyColumns are columns of the delegates export that an import ignores, so that an
// export can be edited and imported into another conference.
var exportOnlyColumns = []string{"id", "organisation_id", "created_at", "confirmed_at", "decided_at"}

// MaxImportRows bounds the size of one import.
const MaxImportRows = 100000

// ImportRow is one line of an import file.
type ImportRow struct {
	Line         int // line number in the file (the header is line 1)
	Organisation string
	Delegate     *Delegate
}

// RowError is one problem of one line of an import file (Line 0: the file as a whole).
type RowError struct {
	Line           int
	Field, Message string
}

// String formats the error for the terminal, without the value at fault.
func (e RowError) String() string {
	if e.Line == 0 {
		return fmt.Sprintf("file: %s: %s", e.Field, e.Message)
	}
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Message)
}

// ImportError lists every problem of an import file; nothing was imported.
type ImportError struct {
	Rows []RowError
}

// Error summarises the problems.
func (e *ImportError) Error() string {
	return fmt.Sprintf("import: %d problems, nothing imported", len(e.Rows))
}

var (
	importLang    = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)
	importCountry = regexp.MustCompile(`^[A-Z]{2}$`)
)

// ParseDelegateCSV reads and checks an import file line by line. It returns the rows, or an
// *ImportError listing every problem found (it does not stop at the first).
func ParseDelegateCSV(r io.Reader) ([]ImportRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, &ImportError{Rows: []RowError{{Field: "header", Message: "cannot read the header row"}}}
	}
	col := map[string]int{}
	var errs []RowError
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if slices.Contains(exportOnlyColumns, h) {
			continue
		}
		if !slices.Contains(ImportColumns, h) {
			errs = append(errs, RowError{Field: "header", Message: fmt.Sprintf("unknown column %q", h)})
			continue
		}
		col[h] = i
	}
	for _, need := range []string{"email", "display_name"} {
		if _, ok := col[need]; !ok {
			errs = append(errs, RowError{Field: "header", Message: "missing column " + need})
		}
	}
	if len(errs) > 0 {
		return nil, &ImportError{Rows: errs}
	}
	var rows []ImportRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			errs = append(errs, RowError{Line: pe.StartLine, Field: "csv", Message: "cannot be parsed: " + pe.Err.Error()})
			break
		}
		if err != nil {
			errs = append(errs, RowError{Field: "csv", Message: "cannot be read"})
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rows) >= MaxImportRows {
			errs = append(errs, RowError{Line: line, Field: "file", Message: fmt.Sprintf("more than %d rows", MaxImportRows)})
			break
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row, rowErrs := parseImportRow(line, get)
		errs = append(errs, rowErrs...)
		rows = append(rows, row)
	}
	if len(errs) > 0 {
		return nil, &ImportError{Rows: errs}
	}
	return rows, nil
}

func parseImportRow(line int, get func(string) string) (ImportRow, []RowError) {
	var errs []RowError
	bad := func(field, msg string) { errs = append(errs, RowError{Line: line, Field: field, Message: msg}) }
	d := &Delegate{Role: orDefault(get("role"), RoleDelegate), Attendance: orDefault(get("attendance"), AttendInPerson),
		Visibility: orDefault(get("visibility"), VisibilityOrganisers), Status: orDefault(get("status"), DelegateSubmitted),
		DisplayName: get("display_name"), Country: strings.ToUpper(get("country")), Email: get("email"),
		InterpretationNeeds: get("interpretation_needs"), AccessibilityNeeds: get("accessibility_needs"), LegalName: get("legal_name"),
		NotifyAnnouncements: true, NotifyAgenda: true}
	if !ValidEmail(d.Email) {
		bad("email", "must be one email address")
	}
	if msg := CheckName(d.DisplayName, 100, true).Message; msg != "" {
		bad("display_name", msg)
	}
	if msg := CheckName(d.LegalName, 200, false).Message; msg != "" {
		bad("legal_name", msg)
	}
	for name, v := range map[string]string{"interpretation_needs": d.InterpretationNeeds, "accessibility_needs": d.AccessibilityNeeds} {
		if utf8.RuneCountInString(v) > 2000 || !utf8.ValidString(v) {
			bad(name, "must be at most 2000 characters of text")
		}
	}
	checkEnum := func(field, v string, allowed []string) {
		if !slices.Contains(allowed, v) {
			bad(field, "must be one of: "+strings.Join(allowed, ", "))
		}
	}
	checkEnum("role", string(d.Role), Strings(DelegateRoles))
	checkEnum("attendance", string(d.Attendance), Strings(Attendances))
	checkEnum("visibility", string(d.Visibility), Strings(Visibilities))
	checkEnum("status", string(d.Status), Strings([]DelegateStatus{DelegatePending, DelegateSubmitted, DelegateApproved, DelegateWaitlist}))
	if d.Country != "" && !importCountry.MatchString(d.Country) {
		bad("country", "must be a two-letter country code")
	}
	for _, l := range strings.FieldsFunc(get("languages"), func(r rune) bool { return r == ' ' || r == ',' || r == ';' }) {
		if !importLang.MatchString(l) {
			bad("languages", "must be language codes such as en, ru, uk")
			break
		}
		d.Languages = append(d.Languages, l)
	}
	if len(d.Languages) > 10 {
		bad("languages", "must have at most 10 items")
	}
	switch strings.ToLower(get("needs_visa_letter")) {
	case "", "no", "false", "0":
	case "yes", "true", "1":
		d.NeedsVisaLetter = true
	default:
		bad("needs_visa_letter", "must be yes or no")
	}
	org := get("organisation")
	if d.Role == RoleDelegate && org == "" {
		bad("organisation", "is required for delegates")
	}
	return ImportRow{Line: line, Organisation: org, Delegate: d}, errs
}

func orDefault[T ~string](v string, def T) T {
	if v == "" {
		return def
	}
	return T(strings.ToLower(v))
}

// ValidEmail reports whether s is exactly one bare email address (no display name, no line
// breaks, a dot in the domain).
func ValidEmail(s string) bool {
	if s == "" || len(s) > 254 || strings.ContainsAny(s, "\r\n<>,;") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	return strings.Contains(a.Address[strings.LastIndex(a.Address, "@")+1:], ".")
}

// CheckName checks a one-line name (display name, legal name, organisation name): at most max
// characters, no line breaks or other control or bidirectional-override characters. It returns
// "" when the name is acceptable, else the message for the client.
func CheckName(s string, max int, required bool) FieldError {
	switch {
	case strings.TrimSpace(s) == "":
		if required {
			return FieldError{FieldRequired, "is required"}
		}
		return FieldError{}
	case !utf8.ValidString(s):
		return FieldError{FieldInvalid, "must be text"}
	case strings.ContainsAny(s, "\r\n"):
		return FieldError{FieldControlCharacters, "must not contain line breaks"}
	case utf8.RuneCountInString(s) > max:
		return FieldError{FieldTooLong, fmt.Sprintf("must be at most %d characters", max)}
	}
	for _, r := range s {
		if unicode.IsControl(r) || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return FieldError{FieldControlCharacters, "must not contain control characters"}
		}
	}
	return FieldError{}
}

// ImportDelegates checks rows against the conference (organisations, quotas, addresses already
// registered or repeated in the file) and inserts them all in one transaction, or nothing: any
// problem gives an *ImportError listing them all. progress (may be nil) is called as rows are
// stored. No mail is sent.
func (s *Store) ImportDelegates(ctx context.Context, conferenceID string, rows []ImportRow, progress func(done, total int)) (int, error) {
	err := s.Tx(ctx, func(tx *Store) error {
		conf, err := tx.ConferenceByID(ctx, conferenceID)
		if err != nil {
			return err
		}
		if errs := tx.checkImport(ctx, conf, rows); len(errs) > 0 {
			return &ImportError{Rows: errs}
		}
		now := tx.now()
		batch := make([]*Delegate, 0, 200)
		flush := func(done int) error {
			if len(batch) == 0 {
				return nil
			}
			if err := tx.write(ctx).Create(batch).Error; err != nil {
				return fmt.Errorf("import: %w", notFound(err))
			}
			batch = batch[:0]
			if progress != nil {
				progress(done, len(rows))
			}
			return nil
		}
		for i, r := range rows {
			d := r.Delegate
			d.ID, d.ConferenceID, d.ConsentAt = NewID(), conf.ID, nil
			d.EmailIndex = tx.box.Index(EmailIndexPurpose(conf.ID), seal.NormalizeEmail(d.Email))
			if d.Status != DelegatePending {
				d.ConfirmedAt = &now
			}
			if d.Status == DelegateApproved || d.Status == DelegateWaitlist {
				d.DecidedAt = &now
			}
			tx.sealDelegate(d)
			if batch = append(batch, d); len(batch) == cap(batch) {
				if err := flush(i + 1); err != nil {
					return err
				}
			}
		}
		return flush(len(rows))
	})
	if err != nil {
		return 0, err
	}
	return len(rows), nil
}

// checkImport resolves organisations, assigns waitlist positions and finds rule violations.
func (s *Store) checkImport(ctx context.Context, conf *Conference, rows []ImportRow) []RowError {
	var errs []RowError
	orgs, err := s.ListOrganisations(ctx, OrganisationFilter{ConferenceID: conf.ID})
	if err != nil {
		return []RowError{{Field: "organisation", Message: "cannot read the organisations"}}
	}
	byKey := map[string]*Organisation{}
	for i := range orgs {
		byKey[orgs[i].ID], byKey[orgs[i].Name] = &orgs[i], &orgs[i]
	}
	seen := map[string]int{}
	approved, waitSeq := map[string]int64{}, map[string]int64{}
	for _, r := range rows {
		d := r.Delegate
		idx := string(s.box.Index(EmailIndexPurpose(conf.ID), seal.NormalizeEmail(d.Email)))
		if first, dup := seen[idx]; dup {
			errs = append(errs, RowError{Line: r.Line, Field: "email", Message: fmt.Sprintf("repeats the address of line %d", first)})
		}
		seen[idx] = r.Line
		if r.Organisation == "" {
			continue
		}
		o := byKey[r.Organisation]
		if o == nil || o.Status == OrgRejected {
			errs = append(errs, RowError{Line: r.Line, Field: "organisation", Message: "is not an organisation of this conference"})
			continue
		}
		d.OrganisationID = &o.ID
		switch d.Status {
		case DelegateApproved:
			if _, ok := approved[o.ID]; !ok {
				approved[o.ID], _ = s.approvedIn(ctx, o.ID)
			}
			if approved[o.ID]++; enforcesQuota(conf, o) && approved[o.ID] > int64(o.DelegateQuota) {
				errs = append(errs, RowError{Line: r.Line, Field: "status", Message: fmt.Sprintf("the quota of %d approved delegates of this organisation is full", o.DelegateQuota)})
			}
		case DelegateWaitlist:
			if _, ok := waitSeq[o.ID]; !ok {
				waitSeq[o.ID], _ = s.nextWaitlistSeq(ctx, d)
			}
			seq := waitSeq[o.ID]
			waitSeq[o.ID]++
			d.WaitlistSeq = &seq
		}
	}
	indexes := make([][]byte, 0, len(seen))
	for idx := range seen {
		indexes = append(indexes, []byte(idx))
	}
	var taken []int
	for chunk := range slices.Chunk(indexes, 500) {
		var found [][]byte
		if err := s.write(ctx).Model(&Delegate{}).Where("conference_id = ? AND email_index IN ?", conf.ID, chunk).Pluck("email_index", &found).Error; err != nil {
			return append(errs, RowError{Field: "email", Message: "cannot check the addresses"})
		}
		for _, idx := range found {
			taken = append(taken, seen[string(idx)])
		}
	}
	slices.Sort(taken)
	for _, line := range taken {
		errs = append(errs, RowError{Line: line, Field: "email", Message: "is registered for this conference already"})
	}
	return errs
}
