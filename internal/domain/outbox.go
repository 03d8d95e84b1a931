package domain

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/zimmerwald/zimmerwald/models"
)

// OutboxStates are the states a delivery view may be narrowed to.
var OutboxStates = []models.OutboxState{models.OutboxPending, models.OutboxSending, models.OutboxSent, models.OutboxDead}

// Delivery is a conference's delivery view: message counts per state and one page of messages,
// newest first, whose recipients are masked ("o***@e***.org"), whose failure reasons hold no
// address and whose template data is dropped.
type Delivery struct {
	Counts   map[models.OutboxState]int64
	Messages []models.OutboxMessage
}

// ListOutbox shows the mail delivery of the conference with slug (organisers), of one state
// (any when ""). The read is audited.
func (s *Service) ListOutbox(ctx context.Context, a *Actor, slug string, state models.OutboxState, pg models.Page) (*Delivery, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	if state != "" && !slices.Contains(OutboxStates, state) {
		return nil, models.Malformed("invalid state", models.FieldProblem("state", models.FieldOneOf, "must be one of: "+strings.Join(models.Strings(OutboxStates), ", ")))
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return nil, err
	}
	counts, err := s.store.OutboxCounts(ctx, conf.ID)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.ListOutbox(ctx, models.OutboxFilter{ConferenceID: conf.ID, State: state, Page: pg})
	if err != nil {
		return nil, err
	}
	for i := range rows {
		m := &rows[i]
		m.LastError = scrubReason(m.LastError, m.To)
		m.To, m.Data = MaskEmail(m.To), nil
	}
	if err := s.audit(ctx, s.store, a, conf.ID, "outbox.read", "conference", conf.ID); err != nil {
		return nil, err
	}
	return &Delivery{Counts: counts, Messages: rows}, nil
}

// RetryOutbox puts a dead message of the conference with slug back in the queue (organisers): a
// message of another conference is not found, one that is not dead an invalid transition. The
// retry is audited.
func (s *Service) RetryOutbox(ctx context.Context, a *Actor, slug, id string) error {
	if err := a.RequireStaff(Organisers...); err != nil {
		return err
	}
	if uuid.Validate(id) != nil {
		return models.ErrNotFound
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return err
	}
	return s.change(ctx, func(tx *models.Store) error {
		if err := tx.RetryOutbox(ctx, conf.ID, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "outbox.retry", "outbox_message", id)
	})
}

// MaskEmail keeps the first character of the local part and of the domain, and the top-level
// domain: "olga@example.org" becomes "o***@e***.org". Anything else becomes "***".
func MaskEmail(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 {
		return "***"
	}
	local, domain := addr[:at], addr[at+1:]
	first := func(s string) string {
		r, _ := utf8.DecodeRuneInString(s)
		return string(r)
	}
	out := first(local) + "***@" + first(domain) + "***"
	if dot := strings.LastIndexByte(domain, '.'); dot > 0 && dot < len(domain)-1 {
		out += domain[dot:]
	}
	return out
}

// addressInText matches anything shaped like an email address.
var addressInText = regexp.MustCompile(`[^\s<>@"',;:()]+@[^\s<>@"',;:()]+`)

// scrubReason removes the recipient's and any other address from a stored failure reason. The
// worker stores none; this guards the view against rows written by anything else.
func scrubReason(reason, to string) string {
	if to != "" {
		reason = strings.ReplaceAll(reason, to, "<redacted>")
	}
	return addressInText.ReplaceAllString(reason, "<redacted>")
}
