package api

import (
	"bytes"
	"context"
	"errors"
	"mime"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/internal/fakeclock"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/mail/pgptest"
	"github.com/zimmerwald/zimmerwald/mail/smtptest"
	"github.com/zimmerwald/zimmerwald/models"
)

// reminderLead is the lead the reminder tests run with (the default of ZW_ONLINE_REMINDER_LEAD).
const reminderLead = 30 * time.Minute

// hybridAgenda is a conference with an online hall, the delegates of every case and sessions on
// 6 September 2027 (Zurich, CEST): a plenary in the hall at 10:00 (speaker, a speaker whose
// registration is still pending, chair), a workshop
// with its own link at 14:00 (attendee signed up), and a cancelled plenary and a draft at 10:00
// with links of their own.
type hybridAgenda struct {
	conf                                        *models.Conference
	speaker, chair, attendee, remote, onSite    *models.Delegate
	pendingRemote, pendingSpeaker               *models.Delegate
	plenaryID, workshopID, cancelledID, draftID string
	roomLink, ownLink, cancelledLink, draftLink string
	staff                                       string
}

func newHybridAgenda(t *testing.T, e *testEnv) *hybridAgenda {
	ctx := context.Background()
	h := &hybridAgenda{conf: e.conference(), staff: e.staffToken(models.StaffOrganiser),
		roomLink: "https://meet.example.org/room-secret-1", ownLink: "https://meet.example.org/own-secret-2",
		cancelledLink: "https://meet.example.org/cancelled-secret-3", draftLink: "https://meet.example.org/draft-secret-4"}
	o := e.organisation(h.conf, "Union", true, 20)
	e.do("POST", "/api/v1/conferences/"+h.conf.Slug+"/rooms", h.staff, map[string]any{"name": "Online Hall", "online_url": h.roomLink}).want(t, 201)
	newDelegate := func(name string, status models.DelegateStatus, remote bool) *models.Delegate {
		d := e.delegate(h.conf, o, name, status, models.VisibilityPublic)
		if remote {
			d.Attendance = models.AttendRemote
			if err := e.st.UpdateDelegate(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		return d
	}
	h.speaker, h.chair = newDelegate("Speaker", models.DelegateApproved, false), newDelegate("Chair", models.DelegateApproved, false)
	h.attendee, h.remote = newDelegate("Attendee", models.DelegateApproved, false), newDelegate("Remote", models.DelegateApproved, true)
	h.onSite, h.pendingRemote = newDelegate("On Site", models.DelegateApproved, false), newDelegate("Pending Remote", models.DelegateSubmitted, true)

	h.pendingSpeaker = newDelegate("Pending Speaker", models.DelegateSubmitted, false)
	plenary := sessionBody("Plenary", "Online Hall", 6, 10, h.speaker, h.pendingSpeaker)
	plenary["kind"], plenary["chair_ids"] = "plenary", []string{h.chair.ID}
	h.plenaryID = e.addSession(t, h.staff, h.conf, plenary)["id"].(string)
	workshop := sessionBody("Workshop", "Room B", 6, 14)
	workshop["online_url"] = h.ownLink
	h.workshopID = e.addSession(t, h.staff, h.conf, workshop)["id"].(string)
	cancelled := sessionBody("Cancelled plenary", "Room C", 6, 10, h.speaker)
	cancelled["kind"], cancelled["online_url"] = "plenary", h.cancelledLink
	h.cancelledID = e.addSession(t, h.staff, h.conf, cancelled)["id"].(string)
	draft := sessionBody("Draft plenary", "Room D", 6, 10, h.speaker)
	draft["kind"], draft["online_url"] = "plenary", h.draftLink
	h.draftID = e.addSession(t, h.staff, h.conf, draft)["id"].(string)
	for _, id := range []string{h.plenaryID, h.workshopID, h.cancelledID} {
		e.publishSession(t, h.staff, id)
	}
	e.do("PATCH", "/api/v1/sessions/"+h.cancelledID, h.staff, map[string]any{"status": "cancelled"}).want(t, 200)
	e.do("POST", "/api/v1/sessions/"+h.workshopID+"/attendance", e.delegateToken(h.attendee), nil).want(t, 201)
	e.do("POST", "/api/v1/sessions/"+h.workshopID+"/attendance", e.delegateToken(h.remote), nil).want(t, 201)
	e.do("DELETE", "/api/v1/sessions/"+h.workshopID+"/attendance", e.delegateToken(h.remote), nil).want(t, 204)
	return h
}

// atZurich is 6 September 2027 at hour:minute in Zurich (CEST, UTC+2).
func atZurich(hour, minute int) time.Time {
	return time.Date(2027, time.September, 6, hour-2, minute, 0, 0, time.UTC)
}

// TestOnlineReminderReachesExactlyParticipants runs the reminders as serve does, on a fake clock,
// and delivers them through a real SMTP server: the speaker, the chair and the remote delegates
// get one mail with the plenary's link, the one signed up one with the workshop's; on-site
// delegates who take no part, a pending delegate and a pending speaker, a remote delegate who left the workshop, the
// cancelled session and the draft mail nobody. A second run enqueues nothing; a delegate approved
// in between is reminded on the next run; a session moved to another time is reminded again for
// the new time. A delegate with an OpenPGP key gets it encrypted, and the default subject does not
// name the conference.
func TestOnlineReminderReachesExactlyParticipants(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		h := newHybridAgenda(t, e)
		key, public := pgptest.KeyPair(t)
		e.do("PATCH", "/api/v1/me", e.delegateToken(h.chair), map[string]any{"openpgp_key": public}).want(t, 200)
		before := len(e.deliver()) // the sign-up mails
		dom := e.srv.dom
		clock := fakeclock.New(atZurich(9, 20))
		e.st.SetClock(clock.Now)
		t.Cleanup(func() { e.st.SetClock(time.Now) })
		remind := func(want int) {
			t.Helper()
			if n, err := dom.RemindOnline(ctx, reminderLead); err != nil || n != want {
				t.Fatalf("RemindOnline at %s UTC: %d, %v; want %d", clock.Now().Format("15:04"), n, err, want)
			}
		}

		remind(0) // 09:20: the plenary is 40 minutes away
		clock.Advance(10 * time.Minute)
		remind(3) // 09:30: speaker, chair, remote
		remind(0)
		clock.Advance(time.Minute)
		remind(0)
		h.pendingRemote.Status = models.DelegateApproved
		if err := e.st.UpdateDelegate(ctx, h.pendingRemote); err != nil {
			t.Fatal(err)
		}
		remind(1)

		got := e.deliver()[before:]
		if c := mailCounts(t, got); len(c) != 4 || c[h.speaker.Email] != 1 || c[h.chair.Email] != 1 || c[h.remote.Email] != 1 || c[h.pendingRemote.Email] != 1 {
			t.Fatalf("plenary reminders went to %v", c)
		}
		for _, m := range got {
			if m.To[0] == h.chair.Email {
				if outerSubject(t, m) != mail.NeutralSubject || strings.Contains(string(m.Data), "meet.example.org") {
					t.Errorf("the reminder to the delegate with a key is readable outside: %q", outerSubject(t, m))
				}
				if _, inner := pgptest.Decrypt(t, m.Data, key); !strings.Contains(inner, h.roomLink) {
					t.Errorf("the decrypted reminder lacks the link:\n%s", inner)
				}
				continue
			}
			subject, text := mailText(t, m)
			if subject != "Your session starts soon" || strings.Contains(subject, h.conf.Title) {
				t.Errorf("subject %q", subject)
			}
			for _, want := range []string{h.roomLink, "“Plenary”", "Mon 6 Sep, 10:00–11:00 CEST"} {
				if !strings.Contains(text, want) {
					t.Errorf("reminder to %s lacks %q:\n%s", m.To[0], want, text)
				}
			}
			for _, other := range []string{h.ownLink, h.cancelledLink, h.draftLink} {
				if strings.Contains(string(m.Data), other) {
					t.Errorf("reminder to %s carries %s", m.To[0], other)
				}
			}
		}

		// Moved ten minutes later: reminded again, for the new time only (at 09:41).
		plenary, err := e.st.Session(ctx, h.plenaryID)
		if err != nil {
			t.Fatal(err)
		}
		plenary.StartsAt, plenary.EndsAt = atZurich(10, 10), atZurich(11, 10)
		if err := e.st.UpdateSession(ctx, plenary); err != nil {
			t.Fatal(err)
		}
		remind(0) // 09:31: 10:10 is not due yet
		clock.Advance(10 * time.Minute)
		remind(4)
		remind(0)
		moved := e.deliver()[before+4:]
		if len(moved) != 4 {
			t.Fatalf("after the move: %d mails, want 4", len(moved))
		}
		for _, m := range moved {
			if m.To[0] == h.chair.Email {
				continue
			}
			if _, text := mailText(t, m); !strings.Contains(text, "Mon 6 Sep, 10:10–11:10 CEST") {
				t.Errorf("the reminder after the move does not give the new time:\n%s", text)
			}
		}

		// 13:40: the workshop, to the one signed up only (not the remote delegate who left it).
		clock.Advance(3*time.Hour + 59*time.Minute)
		remind(1)
		workshop := e.deliver()[before+8:]
		if len(workshop) != 1 || workshop[0].To[0] != h.attendee.Email {
			t.Fatalf("workshop reminders: %v", mailCounts(t, workshop))
		}
		if _, text := mailText(t, workshop[0]); !strings.Contains(text, h.ownLink) {
			t.Errorf("the workshop reminder lacks its link:\n%s", text)
		}
		if strings.Contains(e.logs.String(), "meet.example.org") {
			t.Error("a log line carries an online link")
		}
	})
}

// TestOnlineReminderOnceAcrossProcesses: two services on one database (two serve processes), each
// running the reminders several times at once, enqueue each reminder once (on PostgreSQL with real
// concurrent transactions).
func TestOnlineReminderOnceAcrossProcesses(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		h := newHybridAgenda(t, e)
		e.deliver() // the sign-up mails
		e.smtp = smtptest.NewServer(t)
		extra := e.annDelegates(h.conf, many(40, annDelegate{attendance: models.AttendRemote})...)
		e.st.SetClock(fakeclock.New(atZurich(9, 45)).Now)
		t.Cleanup(func() { e.st.SetClock(time.Now) })
		procs := []*domain.Service{e.srv.dom, domain.New(domain.Options{Store: e.st, Config: e.cfg})}
		var wg sync.WaitGroup
		counts, errs := make([]int, 8), make([]error, 8)
		for i := range 8 {
			wg.Go(func() { counts[i], errs[i] = procs[i%2].RemindOnline(ctx, reminderLead) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		want := 3 + len(extra) // speaker, chair, remote and the extra remote delegates
		if n, sum := reminderRows(t, e, h.conf), countSum(counts); n != want || sum != want {
			t.Fatalf("%d reminders in the outbox, the runs counted %v; want %d", n, counts, want)
		}
		if n, err := procs[1].RemindOnline(ctx, reminderLead); err != nil || n != 0 {
			t.Errorf("a later run: %d, %v; want nothing", n, err)
		}
		if c := mailCounts(t, e.deliver()); len(c) != want {
			t.Errorf("%d recipients, want %d", len(c), want)
		} else {
			for to, n := range c {
				if n != 1 {
					t.Errorf("%s got %d mails", to, n)
				}
			}
		}
	})
}

// countSum adds the counts of the runs.
func countSum(ns []int) int {
	sum := 0
	for _, n := range ns {
		sum += n
	}
	return sum
}

// outerSubject is the Subject header of a delivered message, decoded.
func outerSubject(t testing.TB, m smtptest.Received) string {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatal(err)
	}
	s, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// reminderRows counts the online reminders in a conference's outbox.
func reminderRows(t *testing.T, e *testEnv, c *models.Conference) int {
	t.Helper()
	n := 0
	for _, m := range e.outbox(c) {
		if m.Template == string(mail.TemplateOnlineReminder) {
			n++
		}
	}
	return n
}
