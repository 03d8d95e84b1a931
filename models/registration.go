package models

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/zimmerwald/zimmerwald/internal/batch"
	"github.com/zimmerwald/zimmerwald/internal/seal"
)

// Lifetimes of the one-time links mailed to delegates (SECURITY: at most 30 minutes).
const (
	ConfirmTTL = 30 * time.Minute // registration confirmation
	LoginTTL   = 15 * time.Minute // sign-in link (magic link, "already registered")
)

// maxRegistrationBatch bounds how many registrations one group-commit transaction holds.
const maxRegistrationBatch = 256

// Registration is one public registration. Register seals its personal fields and generates its
// link secret before any transaction; the transaction then only inserts rows.
type Registration struct {
	// Delegate is the new registration with its plaintext personal fields; Register fills ID,
	// status, blind index and sealed columns.
	Delegate *Delegate
	// NewOrganisation is an organisation proposed with the registration (status proposed, not
	// listed), or nil. A proposal whose name exists in the conference links to that organisation.
	NewOrganisation *Organisation
	// Mail builds the one message of the outcome: for a new address (known false) the confirmation
	// carrying secret; for a known address a note to the delegate d who holds it, carrying secret
	// as a sign-in link. It runs inside the transaction and must not do I/O.
	Mail func(d *Delegate, known bool, secret string) (*OutboxMessage, error)

	secret string
	hash   []byte
	result RegistrationResult
}

// RegistrationResult says what a registration did. Callers must answer new and known addresses
// alike: it is for tests and internal use only.
type RegistrationResult struct {
	DelegateID string // the new delegate, or the one that already holds the address
	Known      bool
}

// Register stores a registration: a new delegate (pending confirmation) with a confirmation token
// and mail, or, for an address already registered in the conference, a sign-in token and a mail to
// its holder, and never a second record. Both outcomes do the same work in one transaction.
//
// Concurrent calls are grouped into one write transaction (group commit), so that durable commits
// (synchronous=FULL) are shared; a batch that fails is retried one registration at a time, so one
// bad registration never fails the others.
func (s *Store) Register(ctx context.Context, r *Registration) (RegistrationResult, error) {
	d := r.Delegate
	d.ID, d.Status = NewID(), DelegatePending
	d.EmailIndex = s.box.Index(EmailIndexPurpose(d.ConferenceID), seal.NormalizeEmail(d.Email))
	s.sealDelegate(d)
	r.secret, r.hash = NewSecret()
	if s.inTx() {
		err := s.registerBatch(ctx, []*Registration{r})
		return r.result, err
	}
	// The caller waits for its own outcome even if ctx ends: r.result is written by the batch.
	err := s.registrar.Submit(context.WithoutCancel(ctx), r)
	return r.result, err
}

// newRegistrar returns the group-commit queue of a Store: while a batch commits, new
// registrations queue; the next batch takes them all.
func newRegistrar(s *Store) *batch.Group[*Registration] {
	return batch.New(maxRegistrationBatch, s.commitRegistrations)
}

// commitRegistrations runs a batch in one transaction, falling back to one transaction per
// registration if the batch fails, and returns each registration's error.
func (s *Store) commitRegistrations(regs []*Registration) []error {
	ctx := context.Background() // a batch serves many requests: no single one may cancel it
	err := s.Tx(ctx, func(tx *Store) error { return tx.registerBatch(ctx, regs) })
	if err == nil {
		return nil
	}
	errs := make([]error, len(regs))
	if len(regs) == 1 {
		errs[0] = err
		return errs
	}
	for i, r := range regs {
		errs[i] = s.Tx(ctx, func(tx *Store) error { return tx.registerBatch(ctx, []*Registration{r}) })
	}
	return errs
}

// registerBatch stores a batch inside the current transaction.
//
// A known address and a new one cost the same work (T3): the first lookup reads the index alone,
// so that a held address costs no row read; the new delegates and the decoys are inserted; then
// every registration's holder is read by one query — the delegate who held the address, or the
// one just inserted — so that both read and scan one row.
func (s *Store) registerBatch(ctx context.Context, batch []*Registration) error {
	held, err := s.heldAddresses(ctx, batch)
	if err != nil {
		return err
	}
	var fresh, decoys []*Delegate
	for _, r := range batch {
		key := holderKey(r.Delegate.ConferenceID, r.Delegate.EmailIndex)
		if held[key] {
			decoys = append(decoys, decoyOf(r.Delegate))
			continue
		}
		if r.NewOrganisation != nil {
			id, err := s.proposeOrganisation(ctx, r.NewOrganisation)
			if err != nil {
				return err
			}
			r.Delegate.OrganisationID = &id
		}
		held[key] = true
		fresh = append(fresh, r.Delegate)
	}
	if err := s.insertFresh(ctx, fresh); err != nil {
		return err
	}
	if err := s.insertDecoys(ctx, decoys); err != nil {
		return err
	}
	holders, err := s.addressHolders(ctx, batch)
	if err != nil {
		return err
	}
	now := s.now()
	tokens := make([]*AuthToken, 0, len(batch))
	msgs := make([]*OutboxMessage, 0, len(batch))
	for _, r := range batch {
		holder, ok := holders[holderKey(r.Delegate.ConferenceID, r.Delegate.EmailIndex)]
		if !ok {
			return fmt.Errorf("register: delegate %s was not stored: %w", r.Delegate.ID, ErrConflict)
		}
		// Known also when another process took the address between the lookup and the insert.
		r.result = RegistrationResult{DelegateID: holder.ID, Known: holder.ID != r.Delegate.ID}
		t := &AuthToken{ID: NewRowID(), TokenHash: r.hash, Kind: TokenConfirm, DelegateID: &r.result.DelegateID, ExpiresAt: now.Add(ConfirmTTL), CreatedAt: now}
		if r.result.Known {
			t.Kind, t.ExpiresAt = TokenMagicLink, now.Add(LoginTTL)
		}
		s.sealTokenTimes(t)
		tokens = append(tokens, t)
		m, err := r.Mail(holder, r.result.Known, r.secret)
		if err != nil {
			return err
		}
		msgs = append(msgs, m)
	}
	if err := s.write(ctx).CreateInBatches(tokens, 200).Error; err != nil {
		return fmt.Errorf("register: tokens: %w", err)
	}
	return s.Enqueue(ctx, msgs...)
}

// decoyOf is a copy of a registration for an address already held, with its own ID and noise in
// place of everything the registration said: registerBatch inserts it into registration_decoys
// where a new address would insert a delegate, so that a known address costs the same insert (T3).
// Decoys are never deleted in the request's transaction (an unknown address would delete nothing,
// and the difference showed in the timing); SweepDecoys deletes them later, apart from any request.
// Until then a decoy row holds nothing the registration said but the organisation it named (a
// reference its foreign key checks, as for a delegate): random blind index and sealed fields,
// placeholder text of the same lengths, its creation time to the hour.
func decoyOf(d *Delegate) *Delegate {
	c := *d
	c.ID = NewID()
	for _, b := range []*[]byte{&c.EmailIndex, &c.EmailSealed, &c.LegalNameSealed, &c.InterpretationNeedsSealed, &c.AccessibilityNeedsSealed, &c.OpenPGPKeySealed} {
		if *b != nil { // noise of the same length
			*b = make([]byte, len(*b))
			rand.Read(*b)
		}
	}
	c.DisplayName, c.Country = strings.Repeat("x", len(c.DisplayName)), strings.Repeat("X", len(c.Country))
	c.Languages = make(StringList, len(d.Languages))
	for i, l := range d.Languages {
		c.Languages[i] = strings.Repeat("x", len(l))
	}
	c.Role, c.Attendance, c.Visibility, c.NeedsVisaLetter, c.MailLanguage = RoleDelegate, AttendInPerson, VisibilityOrganisers, false, ""
	return &c
}

// RegistrationDecoy is a row of registration_decoys: a delegate row that is never kept (see
// decoyOf). The table has the shape and indexes of delegates, and nothing refers to it.
type RegistrationDecoy struct{ Delegate }

// TableName is registration_decoys.
func (RegistrationDecoy) TableName() string { return "registration_decoys" }

// insertDecoys inserts the decoys of a batch's known addresses (see decoyOf).
func (s *Store) insertDecoys(ctx context.Context, decoys []*Delegate) error {
	if len(decoys) == 0 {
		return nil
	}
	hour := coarse(s.now())
	rows := make([]*RegistrationDecoy, len(decoys))
	for i, d := range decoys {
		d.CreatedAt, d.UpdatedAt, d.ConsentAt = hour, hour, &hour
		rows[i] = &RegistrationDecoy{*d}
	}
	if err := s.write(ctx).CreateInBatches(rows, 100).Error; err != nil {
		return fmt.Errorf("register: decoys: %w", err)
	}
	return nil
}

// SweepDecoys deletes every decoy row left by registrations for known addresses (see decoyOf);
// serve runs it with its hourly housekeeping, apart from any request.
func (s *Store) SweepDecoys(ctx context.Context) (int64, error) {
	res := s.write(ctx).Where("1 = 1").Delete(&RegistrationDecoy{})
	if res.Error != nil {
		return 0, fmt.Errorf("sweep decoys: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// insertFresh inserts the new delegates of a batch. An address taken between the lookup and the
// insert (another process on PostgreSQL) is skipped: registerBatch then finds it held by the
// delegate who took it.
func (s *Store) insertFresh(ctx context.Context, fresh []*Delegate) error {
	if len(fresh) == 0 {
		return nil
	}
	// Rows in the order of their unique key: two batches that share an address (two processes, or
	// two batches of one process on PostgreSQL) then wait for each other rather than deadlock.
	slices.SortFunc(fresh, func(a, b *Delegate) int { return bytes.Compare(a.EmailIndex, b.EmailIndex) })
	err := s.write(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "conference_id"}, {Name: "email_index"}}, DoNothing: true}).
		CreateInBatches(fresh, 100).Error
	if err != nil {
		return fmt.Errorf("register: insert: %w", err)
	}
	return nil
}

// heldAddresses returns the addresses of a batch already held in their conference, keyed by
// holderKey. It reads the unique index (email_index, conference_id) alone, no row.
func (s *Store) heldAddresses(ctx context.Context, batch []*Registration) (map[string]bool, error) {
	rows, err := s.write(ctx).Raw(`SELECT conference_id, email_index FROM delegates WHERE email_index IN ?`, batchIndexes(batch)).Rows()
	if err != nil {
		return nil, fmt.Errorf("register: lookup: %w", err)
	}
	defer rows.Close()
	held := map[string]bool{}
	for rows.Next() {
		var conf string
		var idx []byte
		if err := rows.Scan(&conf, &idx); err != nil {
			return nil, fmt.Errorf("register: lookup: %w", err)
		}
		held[holderKey(conf, idx)] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("register: lookup: %w", err)
	}
	return held, nil
}

// addressHolders returns the stored delegates holding the addresses of a batch, keyed by
// holderKey: after registerBatch's inserts, every registration's address has one. Only the
// fields a mail needs are loaded. The lookup is by blind index alone, which only the unique index
// (email_index, conference_id) can answer (migration 00017); a blind index is keyed per
// conference, and holderKey keeps conferences apart all the same.
func (s *Store) addressHolders(ctx context.Context, batch []*Registration) (map[string]*Delegate, error) {
	rows, err := s.write(ctx).Raw(`SELECT id, conference_id, email_index, display_name, languages, mail_language FROM delegates
		WHERE email_index IN ?`, batchIndexes(batch)).Rows()
	if err != nil {
		return nil, fmt.Errorf("register: holders: %w", err)
	}
	defer rows.Close()
	out := make(map[string]*Delegate, len(batch))
	for rows.Next() { // scanned by hand: every registration of a rush reads one
		d := &Delegate{}
		if err := rows.Scan(&d.ID, &d.ConferenceID, &d.EmailIndex, &d.DisplayName, &d.Languages, &d.MailLanguage); err != nil {
			return nil, fmt.Errorf("register: holders: %w", err)
		}
		out[holderKey(d.ConferenceID, d.EmailIndex)] = d
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("register: holders: %w", err)
	}
	return out, nil
}

// batchIndexes lists the blind indexes of a batch's addresses.
func batchIndexes(batch []*Registration) [][]byte {
	idx := make([][]byte, len(batch))
	for i, r := range batch {
		idx[i] = r.Delegate.EmailIndex
	}
	return idx
}

func holderKey(conferenceID string, index []byte) string {
	return conferenceID + "\x00" + string(index)
}

// proposeOrganisation creates a proposed, unlisted organisation, or finds the conference's
// organisation of that name, and returns its ID.
func (s *Store) proposeOrganisation(ctx context.Context, o *Organisation) (string, error) {
	p := *o
	p.ID, p.Status, p.Listed, p.DelegateQuota = NewID(), OrgProposed, false, 0
	s.sealOrganisation(&p)
	err := s.write(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "conference_id"}, {Name: "name_index"}}, DoNothing: true}).Create(&p).Error
	if err != nil {
		return "", fmt.Errorf("propose organisation: %w", err)
	}
	var ids []string
	err = s.write(ctx).Model(&Organisation{}).Where("conference_id = ? AND name_index = ?", o.ConferenceID, p.NameIndex).Pluck("id", &ids).Error
	if err != nil {
		return "", fmt.Errorf("propose organisation: %w", err)
	}
	if len(ids) != 1 {
		return "", fmt.Errorf("propose organisation: %w", ErrNotFound)
	}
	return ids[0], nil
}
