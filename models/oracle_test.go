package models_test

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// statementRecorder records the shape of every SQL statement run through the store's writer
// (table and verb, values removed), so that two code paths can be compared.
type statementRecorder struct {
	mu   sync.Mutex
	seen []string
}

var literals = regexp.MustCompile(`'[^']*'|\$\d+|\?|\b\d+\b|\(\s*(,\s*)*\)`)

func (r *statementRecorder) install(t *testing.T, db *gorm.DB) {
	rec := func(db *gorm.DB) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.seen = append(r.seen, literals.ReplaceAllString(db.Statement.SQL.String(), "?"))
	}
	cb := db.Callback()
	for i, err := range []error{
		cb.Create().After("gorm:create").Register("oracle:create", rec),
		cb.Query().After("gorm:query").Register("oracle:query", rec),
		cb.Delete().After("gorm:delete").Register("oracle:delete", rec),
		cb.Update().After("gorm:update").Register("oracle:update", rec),
	} {
		if err != nil {
			t.Fatalf("callback %d: %v", i, err)
		}
	}
}

func (r *statementRecorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.seen
	r.seen = nil
	return out
}

// TestKnownAndUnknownAddressesRunTheSameStatements: a sign-in link request and a registration
// run the same SQL statements, in the same order, whether the address is registered or not (T3:
// no timing oracle), and the decoys they write leave no row.
func TestKnownAndUnknownAddressesRunTheSameStatements(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		if _, err := st.Register(ctx, registration(c, "holder@example.org", nil)); err != nil {
			t.Fatal(err)
		}
		rec := &statementRecorder{}
		rec.install(t, st.WriterForTest())
		mail := func(d *models.Delegate, secret string) (*models.OutboxMessage, error) {
			return &models.OutboxMessage{ConferenceID: &c.ID, Template: "login", Lang: d.Lang(), To: d.Email,
				IdempotencyKey: models.DelegateMailKey(d.ID, "login:"+models.NewID()), Data: []byte(`{"Link":"` + secret + `"}`)}, nil
		}
		if known, err := st.RequestLogin(ctx, c.ID, "holder@example.org", mail); err != nil || !known {
			t.Fatalf("known login: %v %v", known, err)
		}
		knownLogin := rec.take()
		if known, err := st.RequestLogin(ctx, c.ID, "stranger@example.org", mail); err != nil || known {
			t.Fatalf("unknown login: %v %v", known, err)
		}
		if unknownLogin := rec.take(); !slices.Equal(knownLogin, unknownLogin) {
			t.Errorf("sign-in link statements differ:\nknown   %q\nunknown %q", knownLogin, unknownLogin)
		}
		if r, err := st.Register(ctx, registration(c, "holder@example.org", nil)); err != nil || !r.Known {
			t.Fatalf("known registration: %+v %v", r, err)
		}
		knownReg := rec.take()
		if r, err := st.Register(ctx, registration(c, "newcomer@example.org", nil)); err != nil || r.Known {
			t.Fatalf("new registration: %+v %v", r, err)
		}
		newReg := rec.take()
		if verbs(knownReg) != verbs(newReg) {
			t.Errorf("registration statements differ:\nknown %q\nnew   %q", knownReg, newReg)
		}
		var mails int64
		st.WriterForTest().Model(&models.OutboxMessage{}).Where("template = ?", "login").Count(&mails)
		if mails != 1 {
			t.Errorf("%d login mails, want 1", mails)
		}
		// The known registration left one decoy row, which holds nothing of what was sent, until
		// the sweep.
		var decoys []models.RegistrationDecoy
		if err := st.WriterForTest().Find(&decoys).Error; err != nil || len(decoys) != 1 {
			t.Fatalf("decoys %d (%v), want 1", len(decoys), err)
		}
		holder, err := st.DelegateByEmail(ctx, c.ID, "holder@example.org")
		if err != nil {
			t.Fatal(err)
		}
		d := decoys[0]
		if d.DisplayName == holder.DisplayName || d.Country == "CH" || bytes.Equal(d.EmailIndex, holder.EmailIndex) ||
			strings.Contains(string(d.EmailSealed)+string(d.LegalNameSealed), "holder") || d.CreatedAt.Minute() != 0 || d.CreatedAt.Second() != 0 {
			t.Errorf("the decoy keeps something of the registration: %+v", d)
		}
		if n, err := st.SweepDecoys(ctx); err != nil || n != 1 {
			t.Errorf("sweep: %d rows (%v), want 1", n, err)
		}
		var left int64
		st.WriterForTest().Table("registration_decoys").Count(&left)
		if left != 0 {
			t.Errorf("%d decoys left after the sweep", left)
		}
	})
}

var verbTable = regexp.MustCompile("(INSERT INTO|DELETE FROM|FROM|UPDATE)\\s+[`\"]?(\\w+)")

// verbs reduces statements to their verb and table ("INSERT INTO delegates" and "INSERT INTO
// registration_decoys" both count as one insert of a delegate-shaped row).
func verbs(stmts []string) string {
	out := ""
	for _, s := range stmts {
		m := verbTable.FindStringSubmatch(s)
		if m == nil {
			out += "[" + s + "] "
			continue
		}
		table := m[2]
		if table == "registration_decoys" {
			table = "delegates"
		}
		out += m[1] + " " + table + "; "
	}
	return out
}
