package domain

import (
	"context"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/live"
	"github.com/zimmerwald/zimmerwald/models"
)

// SpeakerView is one entry of a list of speakers as the reader may see it: Delegate is nil for a
// delegate the reader may not name ("a delegate"), Organisation nil unless the reader may see it.
type SpeakerView struct {
	ID           string
	Delegate     *DelegateRef
	Organisation *OrganisationRef
	Remote       bool
	PointOfOrder bool
	Status       models.SpeakerStatus
	RequestedAt  time.Time
	StartedAt    *time.Time
	EndsAt       *time.Time
	FinishedAt   *time.Time
}

// SpeakerListView is an item's list of speakers as the reader may see it.
type SpeakerListView struct {
	Item    *models.AgendaItem
	Current *SpeakerView
	Queue   []SpeakerView
	Spoken  []SpeakerView
}

// LiveView is what the hall sees of a conference: the session and item on screen, who has the
// floor, who waits, and the ballot on the item's statement. Names follow the public's rights.
type LiveView struct {
	Version   int64
	Session   *models.Session
	Item      *models.AgendaItem
	Speakers  *SpeakerListView
	Ballot    *BallotView
	UpdatedAt time.Time
}

// SpeakerList returns an item's list of speakers, the queue in the order the floor is given.
func (s *Service) SpeakerList(ctx context.Context, a *Actor, itemID string) (*SpeakerListView, error) {
	it, sess, err := s.visibleItem(ctx, a, itemID)
	if err != nil {
		return nil, err
	}
	conf, err := s.store.ConferenceByID(ctx, sess.ConferenceID)
	if err != nil {
		return nil, err
	}
	return s.speakerView(ctx, readerOf(a, conf), it)
}

// speakerView builds the list of it for the reader r.
func (s *Service) speakerView(ctx context.Context, r reader, it *models.AgendaItem) (*SpeakerListView, error) {
	list, err := s.store.Speakers(ctx, it.ID)
	if err != nil {
		return nil, err
	}
	var all []models.SpeakerRequest
	if list.Current != nil {
		all = append(all, *list.Current)
	}
	all = append(append(all, list.Queue...), list.Spoken...)
	var delIDs []string
	for _, q := range all {
		delIDs = append(delIDs, q.DelegateID)
	}
	dels, err := s.store.SpeakerDelegates(ctx, delIDs)
	if err != nil {
		return nil, err
	}
	var orgIDs []*string
	for _, d := range dels {
		orgIDs = append(orgIDs, d.OrganisationID)
	}
	orgs, _, err := s.parties(ctx, orgIDs, nil)
	if err != nil {
		return nil, err
	}
	view := func(q models.SpeakerRequest) SpeakerView {
		v := SpeakerView{ID: q.ID, PointOfOrder: q.PointOfOrder, Status: q.Status, RequestedAt: q.RequestedAt, StartedAt: q.StartedAt, EndsAt: q.EndsAt, FinishedAt: q.FinishedAt}
		d, ok := dels[q.DelegateID]
		if !ok {
			return v
		}
		v.Remote = d.Attendance == models.AttendRemote
		if r.showsDelegate(&d) {
			v.Delegate = delegateRef(&d)
		}
		if d.OrganisationID != nil {
			if o, ok := orgs[*d.OrganisationID]; ok && r.showsOrganisation(&o) {
				v.Organisation = orgRef(&o)
			}
		}
		return v
	}
	out := &SpeakerListView{Item: it}
	if list.Current != nil {
		c := view(*list.Current)
		out.Current = &c
	}
	for _, q := range list.Queue {
		out.Queue = append(out.Queue, view(q))
	}
	for _, q := range list.Spoken {
		out.Spoken = append(out.Spoken, view(q))
	}
	return out, nil
}

// Live returns the live view of the conference with slug, as the public sees it.
func (s *Service) Live(ctx context.Context, slug string) (*LiveView, error) {
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	return s.LiveOf(ctx, conf.ID)
}

// LiveOf returns the live view of a conference by ID, as the public sees it. The version is read
// first, so that the view is never older than it.
func (s *Service) LiveOf(ctx context.Context, conferenceID string) (*LiveView, error) {
	st, err := s.store.Live(ctx, conferenceID)
	if err != nil {
		return nil, err
	}
	v := &LiveView{Version: st.Version, UpdatedAt: st.UpdatedAt}
	if st.ItemID == nil {
		return v, nil
	}
	if v.Item, err = s.store.Item(ctx, *st.ItemID); err != nil {
		return nil, err
	}
	if v.Session, err = s.store.Session(ctx, v.Item.SessionID); err != nil {
		return nil, err
	}
	if v.Session.Status != models.SessionPublished {
		return &LiveView{Version: st.Version, UpdatedAt: st.UpdatedAt}, nil
	}
	public := reader{}
	if v.Speakers, err = s.speakerView(ctx, public, v.Item); err != nil {
		return nil, err
	}
	if v.Item.StatementID != nil {
		bs, err := s.store.LatestBallots(ctx, []string{*v.Item.StatementID})
		if err != nil {
			return nil, err
		}
		if b, ok := bs[*v.Item.StatementID]; ok {
			if v.Ballot, err = s.ballotView(ctx, public, &b, false); err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

// Broadcaster is the process's live broadcaster, which the skins' streams subscribe to.
func (s *Service) Broadcaster() *live.Broadcaster { return s.live }

// WatchLive keeps this process's live streams in step with the changes other processes commit,
// polling the conferences' change counters every interval until ctx ends.
func (s *Service) WatchLive(ctx context.Context, interval time.Duration) {
	s.live.Watch(ctx, interval, s.store.LiveVersions)
}

// changeLive is change for an operation on an agenda item that alters the conference's live
// view: after fn, in the same transaction, it counts the change (live_states.version; with show,
// the item and its session become what the view shows) and audits action on the item; after the
// commit it tells the broadcaster.
func (s *Service) changeLive(ctx context.Context, a *Actor, sess *models.Session, itemID, action string, show bool, fn func(tx *models.Store) error) error {
	err := s.change(ctx, func(tx *models.Store) error {
		if err := fn(tx); err != nil {
			return err
		}
		var shownSession, shownItem *string
		if show {
			shownSession, shownItem = &sess.ID, &itemID
		}
		if _, err := tx.BumpLive(ctx, sess.ConferenceID, shownSession, shownItem); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, sess.ConferenceID, action, "agenda_item", itemID)
	})
	if err == nil {
		s.liveChanged(ctx, sess.ConferenceID)
	}
	return err
}

// liveChanged tells the broadcaster that a conference's live view changed (after the commit).
func (s *Service) liveChanged(ctx context.Context, conferenceID string) {
	_ = s.live.Changed(context.WithoutCancel(ctx), conferenceID)
}

// touchLive counts a change to the live view made outside the speakers' own transactions (a
// ballot opened or closed) and tells the broadcaster.
func (s *Service) touchLive(ctx context.Context, conferenceID string) {
	if _, err := s.store.BumpLive(ctx, conferenceID, nil, nil); err == nil {
		s.liveChanged(ctx, conferenceID)
	}
}
