package models

import (
	"context"
	"time"
)

// demoAgenda adds the demo conference's rooms, a dozen published sessions over its four days with
// speakers and chairs from the demo delegates (public and not), one draft with a conflict for the
// organisers to see, and a first agenda release (published without mail).
func (s *Store) demoAgenda(ctx context.Context, conf *Conference, orgs []*Organisation, delegates []*Delegate) error {
	rooms := []*Room{
		{Name: "Main hall", Capacity: 180},
		{Name: "Small hall", Capacity: 40},
		{Name: "Garden room", Capacity: 60},
		{Name: "Online", Capacity: 300, OnlineURL: "https://meet.example.org/zimmerwald-2027"},
	}
	for _, r := range rooms {
		r.ConferenceID = conf.ID
		if err := s.CreateRoom(ctx, r); err != nil {
			return err
		}
	}
	loc := conf.Location()
	at := func(day, hour, minute int) time.Time {
		return time.Date(2027, time.September, 5+day, hour, minute, 0, 0, loc).UTC()
	}
	anna, vera, mykola, lea, jeanMarc := delegates[0].ID, delegates[1].ID, delegates[2].ID, delegates[4].ID, delegates[5].ID
	type demoSession struct {
		title            string
		kind             SessionKind
		track            string
		room             *Room
		start, end       time.Time
		speakers, chairs []string
		langs            []string
		status           SessionStatus
	}
	list := []demoSession{
		{"Opening plenary: a century after Zimmerwald", KindPlenary, "Plenary", rooms[0], at(0, 18, 0), at(0, 19, 30), []string{anna, mykola}, []string{jeanMarc}, []string{"en", "de"}, SessionPublished},
		{"Welcome dinner", KindBreak, "", nil, at(0, 19, 30), at(0, 21, 0), nil, nil, nil, SessionPublished},
		{"Plenary: the war and the workers' movement", KindPlenary, "Plenary", rooms[0], at(1, 9, 0), at(1, 11, 0), []string{mykola, vera}, []string{anna}, []string{"en", "ru", "uk"}, SessionPublished},
		{"Commission A: conscientious objection and desertion", KindCommission, "Commissions", rooms[1], at(1, 11, 30), at(1, 13, 0), []string{vera}, []string{jeanMarc}, []string{"ru", "en"}, SessionPublished},
		{"Commission B: arms industry and unions", KindCommission, "Commissions", rooms[2], at(1, 11, 30), at(1, 13, 0), []string{anna}, nil, []string{"de", "fr"}, SessionPublished},
		{"Lunch", KindBreak, "", nil, at(1, 13, 0), at(1, 14, 30), nil, nil, nil, SessionPublished},
		{"Workshop: digital security for delegates", KindWorkshop, "Workshops", rooms[1], at(1, 14, 30), at(1, 16, 0), []string{jeanMarc}, nil, []string{"en", "fr"}, SessionPublished},
		{"Meeting of Ukrainian and Russian organisations", KindMeeting, "Meetings", rooms[3], at(1, 16, 30), at(1, 18, 0), []string{mykola, vera}, nil, []string{"uk", "ru"}, SessionPublished},
		{"Plenary: position statements", KindPlenary, "Plenary", rooms[0], at(2, 9, 0), at(2, 12, 0), []string{anna}, []string{mykola}, []string{"en", "de", "ru", "uk", "fr"}, SessionPublished},
		{"Workshop: translation and interpretation", KindWorkshop, "Workshops", rooms[2], at(2, 14, 0), at(2, 15, 30), []string{jeanMarc}, nil, []string{"fr", "en"}, SessionPublished},
		{"Commission C: sanctions and solidarity", KindCommission, "Commissions", rooms[1], at(2, 14, 0), at(2, 15, 30), []string{mykola}, []string{anna}, []string{"uk", "en"}, SessionPublished},
		{"Closing plenary: the manifesto", KindPlenary, "Plenary", rooms[0], at(3, 10, 0), at(3, 12, 30), []string{anna, jeanMarc, mykola}, []string{vera}, []string{"en", "de", "fr", "ru", "uk"}, SessionPublished},
		{"Reserve: youth meeting", KindMeeting, "Meetings", rooms[1], at(2, 14, 30), at(2, 15, 30), []string{lea}, nil, []string{"de"}, SessionDraft},
	}
	for _, d := range list {
		sess := &Session{ConferenceID: conf.ID, Title: d.title, Kind: d.kind, Track: d.track, StartsAt: d.start, EndsAt: d.end,
			Languages: StringList(d.langs), Interpretation: StringList{}, Status: d.status, SpeakerIDs: d.speakers, ChairIDs: d.chairs}
		if d.room != nil {
			sess.RoomID = &d.room.ID
		}
		if sess.Languages == nil {
			sess.Languages = StringList{}
		}
		if err := s.CreateSession(ctx, sess); err != nil {
			return err
		}
	}
	_, err := s.PublishRelease(ctx, conf.ID, nil)
	return err
}
