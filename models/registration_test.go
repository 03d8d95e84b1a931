package models_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

func registration(c *models.Conference, email string, mailErr error) *models.Registration {
	return &models.Registration{
		Delegate: &models.Delegate{ConferenceID: c.ID, Role: models.RoleObserver, DisplayName: "D " + email, Email: email,
			LegalName: "Legal " + email, Attendance: models.AttendRemote, Visibility: models.VisibilityPublic, Languages: models.StringList{"uk"}},
		Mail: func(d *models.Delegate, known bool, secret string) (*models.OutboxMessage, error) {
			if mailErr != nil {
				return nil, mailErr
			}
			tmpl := "confirm"
			if known {
				tmpl = "already_registered"
			}
			return &models.OutboxMessage{ConferenceID: &c.ID, Template: tmpl, Lang: d.Lang(), To: email,
				IdempotencyKey: models.DelegateMailKey(d.ID, tmpl+":"+models.NewID()), Data: []byte(`{"Link":"` + secret + `"}`)}, nil
		},
	}
}

// Concurrent registrations are grouped; repeated addresses (also within one batch) become known
// registrations of the first holder; every one gets exactly one token and one mail.
func TestRegisterGroupsAndDeduplicates(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		const n, unique = 300, 120
		results := make([]models.RegistrationResult, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				results[i], errs[i] = st.Register(ctx, registration(c, fmt.Sprintf("g%d@Example.org", i%unique), nil))
			})
		}
		wg.Wait()
		holder := map[string]string{}
		known := 0
		for i, r := range results {
			if errs[i] != nil {
				t.Fatalf("registration %d: %v", i, errs[i])
			}
			addr := fmt.Sprintf("g%d", i%unique)
			if r.Known {
				known++
				continue
			}
			if holder[addr] != "" {
				t.Fatalf("address %s registered twice: %s and %s", addr, holder[addr], r.DelegateID)
			}
			holder[addr] = r.DelegateID
		}
		if known != n-unique || len(holder) != unique {
			t.Errorf("got %d known and %d new, want %d and %d", known, len(holder), n-unique, unique)
		}
		for i, r := range results {
			if want := holder[fmt.Sprintf("g%d", i%unique)]; r.DelegateID != want {
				t.Errorf("registration %d: got holder %s, want %s", i, r.DelegateID, want)
			}
		}
		counts, err := st.OutboxCounts(ctx, c.ID)
		if err != nil || counts[models.OutboxPending] != n {
			t.Errorf("got outbox %v (%v), want %d pending", counts, err, n)
		}
		d, err := st.DelegateByEmail(ctx, c.ID, "g7@example.org")
		if err != nil || d.Status != models.DelegatePending || d.LegalName != "Legal g7@Example.org" {
			t.Errorf("got %+v, %v", d, err)
		}
	})
}

// A registration that fails does not fail the others of its batch.
func TestRegisterIsolatesFailures(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		boom := errors.New("boom")
		var wg sync.WaitGroup
		errs := make([]error, 100)
		for i := range errs {
			wg.Go(func() {
				var fail error
				if i%10 == 3 {
					fail = boom
				}
				_, errs[i] = st.Register(ctx, registration(c, fmt.Sprintf("iso%d@example.org", i), fail))
			})
		}
		wg.Wait()
		for i, err := range errs {
			if want := i%10 == 3; errors.Is(err, boom) != want || (!want && err != nil) {
				t.Errorf("registration %d: got %v", i, err)
			}
		}
		n, err := st.CountDelegates(ctx, models.DelegateFilter{ConferenceID: c.ID})
		if err != nil || n != 90 {
			t.Errorf("got %d delegates (%v), want 90", n, err)
		}
	})
}

// A sign-in request for an unknown address stores a decoy that opens nothing and mails nothing;
// a known one mails a link that opens a session once and confirms a pending registration.
func TestRequestLoginAndRedeem(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		c := newConference(t, st)
		if _, err := st.Register(ctx, registration(c, "known@example.org", nil)); err != nil {
			t.Fatal(err)
		}
		var secret string
		mail := func(d *models.Delegate, s string) (*models.OutboxMessage, error) {
			secret = s
			return &models.OutboxMessage{Template: "login", Lang: "en", To: d.Email, IdempotencyKey: models.DelegateMailKey(d.ID, "login")}, nil
		}
		if known, err := st.RequestLogin(ctx, c.ID, "nobody@example.org", mail); known || err != nil {
			t.Fatalf("unknown address: got known=%v err=%v", known, err)
		}
		var queued int64
		if st.WriterForTest().Model(&models.OutboxMessage{}).Where("template = ?", "login").Count(&queued); queued != 0 {
			t.Fatalf("unknown address: %d login mails queued, want 0 (the decoy mail is deleted)", queued)
		}
		secret = ""
		if known, err := st.RequestLogin(ctx, c.ID, "KNOWN@example.org", mail); !known || err != nil || secret == "" {
			t.Fatalf("known address: got known=%v err=%v", known, err)
		}
		s, err := st.RedeemLink(ctx, secret, models.TokenMagicLink, models.LoginTTL, models.LoginTTL)
		if err != nil || s.Delegate.Status != models.DelegateSubmitted || s.Secret == "" {
			t.Fatalf("redeem: got %+v, %v", s, err)
		}
		if _, err := st.RedeemLink(ctx, secret, models.TokenMagicLink, models.LoginTTL, models.LoginTTL); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("second redeem: got %v, want ErrNotFound", err)
		}
		if _, err := st.ValidToken(ctx, s.Secret, 0, models.TokenDelegateSession); err != nil {
			t.Errorf("session: %v", err)
		}
	})
}

// An address is registered once per conference: the same address in two conferences, even in
// one batch, makes two delegates, and a second registration in either finds its own holder.
func TestRegisterKeepsConferencesApart(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		a, b := newConference(t, st), newConference(t, st)
		first := make([]models.RegistrationResult, 2)
		var wg sync.WaitGroup
		for i, c := range []*models.Conference{a, b} {
			wg.Go(func() {
				var err error
				if first[i], err = st.Register(ctx, registration(c, "both@example.org", nil)); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if first[0].Known || first[1].Known || first[0].DelegateID == first[1].DelegateID {
			t.Fatalf("first registrations %+v, want two new delegates", first)
		}
		for i, c := range []*models.Conference{a, b} {
			again, err := st.Register(ctx, registration(c, "Both@Example.org", nil))
			if err != nil || !again.Known || again.DelegateID != first[i].DelegateID {
				t.Errorf("again in conference %d: %+v (%v), want known, held by %s", i, again, err, first[i].DelegateID)
			}
		}
	})
}
