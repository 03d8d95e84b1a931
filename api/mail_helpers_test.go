package api

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/mail/smtptest"
	"github.com/zimmerwald/zimmerwald/models"
)

// annDelegate describes a delegate for the announcement tests; zero fields take defaults.
type annDelegate struct {
	org        *models.Organisation
	status     models.DelegateStatus // default approved
	role       models.DelegateRole   // default delegate
	attendance models.AttendanceMode // default in_person
	langs      []string
	optOut     bool
	name       string
	email      string
}

// annDelegates creates delegates directly in the store, in one transaction (fast for thousands).
func (e *testEnv) annDelegates(conf *models.Conference, specs ...annDelegate) []*models.Delegate {
	e.t.Helper()
	now := time.Now().UTC()
	out := make([]*models.Delegate, len(specs))
	err := e.st.Tx(context.Background(), func(tx *models.Store) error {
		for i, sp := range specs {
			d := &models.Delegate{ConferenceID: conf.ID, Role: orDefault(sp.role, models.RoleDelegate), Status: orDefault(sp.status, models.DelegateApproved),
				DisplayName: orDefault(sp.name, fmt.Sprintf("Delegate %d", i)), Email: fmt.Sprintf("d%d-%s@delegates.test", i, models.NewID()[:8]),
				Languages: models.StringList(sp.langs), Attendance: orDefault(sp.attendance, models.AttendInPerson), Visibility: models.VisibilityParticipants,
				NotifyAnnouncements: !sp.optOut, NotifyAgenda: true, ConsentAt: &now}
			if sp.email != "" {
				d.Email = sp.email
			}
			if len(sp.langs) == 0 {
				d.Languages = models.StringList{"en"}
			}
			if d.Status != models.DelegatePending {
				d.ConfirmedAt = &now
			}
			if sp.org != nil {
				d.OrganisationID = &sp.org.ID
			}
			if err := tx.CreateDelegate(context.Background(), d); err != nil {
				return err
			}
			out[i] = d
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// many returns n copies of spec.
func many(n int, spec annDelegate) []annDelegate {
	out := make([]annDelegate, n)
	for i := range out {
		out[i] = spec
	}
	return out
}

// announce sends an announcement through the API as an organiser and returns its answer.
func (e *testEnv) announce(token string, conf *models.Conference, body map[string]any) map[string]any {
	e.t.Helper()
	if body["subject"] == nil {
		body["subject"] = "Practical information"
	}
	if body["body"] == nil {
		body["body"] = "The plenary starts at nine."
	}
	return e.do("POST", "/api/v1/conferences/"+conf.Slug+"/announcements", token, body).want(e.t, 202).json(e.t)
}

// mailWorker is a real mail worker on a queue with its own SMTP connection to srv.
func mailWorker(t testing.TB, q mail.Queue, srv *smtptest.Server, cfg mail.WorkerConfig, wrap func(mail.Sender) mail.Sender) *mail.Worker {
	t.Helper()
	tmpl, err := mailTemplates()
	if err != nil {
		t.Fatal(err)
	}
	sender, err := mail.NewSMTPSender(srv.URL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sender.Close() })
	var s mail.Sender = sender
	if wrap != nil {
		s = wrap(sender)
	}
	if cfg.From == "" {
		cfg.From = "Conference secretariat <noreply@zw.test>"
	}
	if cfg.BackoffFunc == nil {
		cfg.BackoffFunc = func(int) time.Duration { return 0 }
	}
	return mail.NewWorker(q, s, tmpl, cfg, slog.New(slog.DiscardHandler))
}

// drainWorker runs w until a round processes nothing; it fails the test on any worker error.
func drainWorker(t testing.TB, w *mail.Worker) {
	t.Helper()
	for range 10000 {
		n, err := w.RunOnce(context.Background())
		if err != nil {
			t.Fatalf("mail worker: %v", err)
		}
		if n == 0 {
			return
		}
	}
	t.Fatal("outbox not drained")
}

// received is one message as the SMTP server got it, parsed.
type received struct {
	rcpts     []string
	header    netmail.Header
	messageID string
	raw       string
}

// receivedMail parses everything srv accepted.
func receivedMail(t testing.TB, srv *smtptest.Server) []received {
	t.Helper()
	var out []received
	for _, m := range srv.Messages() {
		msg, err := netmail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatalf("unparsable message: %v", err)
		}
		out = append(out, received{rcpts: m.To, header: msg.Header, messageID: msg.Header.Get("Message-ID"), raw: string(m.Data)})
	}
	return out
}

// rowIDOf returns the outbox row ID of a Message-ID "<id@domain>".
func rowIDOf(messageID string) string {
	id := messageID
	if len(id) > 2 {
		id = id[1 : len(id)-1]
	}
	if i := bytes.IndexByte([]byte(id), '@'); i >= 0 {
		id = id[:i]
	}
	return id
}

// counts returns the outbox counts of a conference.
func (e *testEnv) counts(conf *models.Conference) map[models.OutboxState]int64 {
	e.t.Helper()
	c, err := e.st.OutboxCounts(context.Background(), conf.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// orDefault is v, or def when v is empty.
func orDefault[T ~string](v, def T) T {
	if v == "" {
		return def
	}
	return v
}
