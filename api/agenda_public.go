package api

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/models"
)

// agendaResponse is the public agenda: the latest release of the published sessions. Times carry
// the conference's UTC offset; readers convert them to their own zone.
type agendaResponse struct {
	Conference agendaConference `json:"conference"`
	Release    agendaRelease    `json:"release"`
	Rooms      []agendaRoom     `json:"rooms"`
	Sessions   []agendaSession  `json:"sessions"`
}

type agendaConference struct {
	Slug     string `json:"slug"`
	Title    string `json:"title"`
	Acronym  string `json:"acronym"`
	Timezone string `json:"timezone"`
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
	Venue    string `json:"venue"`
}

type agendaRelease struct {
	Number      int       `json:"number"`
	PublishedAt time.Time `json:"published_at"`
}

type agendaRoom struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Capacity int    `json:"capacity"`
}

type agendaSession struct {
	ID             string             `json:"id"`
	Title          string             `json:"title"`
	Kind           models.SessionKind `json:"kind"`
	Description    string             `json:"description"`
	Room           *string            `json:"room"`
	RoomID         *string            `json:"room_id"`
	StartsAt       string             `json:"starts_at"`
	EndsAt         string             `json:"ends_at"`
	Capacity       int                `json:"capacity"`
	Languages      []string           `json:"languages"`
	Interpretation []string           `json:"interpretation"`
	Track          string             `json:"track"`
	Speakers       []personResponse   `json:"speakers"`
	Chairs         []personResponse   `json:"chairs"`
	StatementIDs   []string           `json:"statement_ids"`
	// Translations are the title and description in other languages, by language code.
	Translations map[string]sessionTranslation `json:"translations"`
}

// getAgenda serves the latest release as JSON (public, cached per release, ETag and 304).
func (s *Server) getAgenda(c *gin.Context) error {
	return s.serveRelease(c, "agenda", "application/json; charset=utf-8", renderAgendaJSON)
}

// renderAgendaJSON renders the public agenda; people are named by peopleView's public rules.
func renderAgendaJSON(doc *releaseDoc, people map[string]models.AgendaPerson) ([]byte, error) {
	conf, loc := &doc.conf, doc.conf.Location()
	out := agendaResponse{
		Conference: agendaConference{Slug: conf.Slug, Title: conf.Title, Acronym: conf.Acronym, Timezone: loc.String(),
			StartsOn: conf.StartsOn.Format(dateLayout), EndsOn: conf.EndsOn.Format(dateLayout), Venue: conf.Venue},
		Release:  agendaRelease{Number: doc.number, PublishedAt: doc.created.CreatedAt.UTC()},
		Rooms:    []agendaRoom{},
		Sessions: make([]agendaSession, 0, len(doc.snap.Sessions)),
	}
	seenRoom := map[string]bool{}
	for _, ss := range doc.sessionsOf(nil) {
		as := agendaSession{ID: ss.ID, Title: ss.Title, Kind: ss.Kind, Description: ss.Description,
			StartsAt: ss.StartsAt.In(loc).Format(time.RFC3339), EndsAt: ss.EndsAt.In(loc).Format(time.RFC3339),
			Capacity: ss.Capacity, Languages: listOrEmpty(ss.Languages), Interpretation: listOrEmpty(ss.Interpretation), Track: ss.Track,
			Speakers: peopleView(ss.Speakers, people, false), Chairs: peopleView(ss.Chairs, people, false),
			StatementIDs: listOrEmpty(ss.Statements), Translations: translationsView(ss.Translations)}
		if ss.RoomID != "" {
			room, id := ss.Room, ss.RoomID
			as.Room, as.RoomID = &room, &id
			if !seenRoom[id] {
				seenRoom[id] = true
				out.Rooms = append(out.Rooms, agendaRoom{ID: id, Name: room, Capacity: ss.RoomCapacity})
			}
		}
		out.Sessions = append(out.Sessions, as)
	}
	slices.SortFunc(out.Rooms, func(a, b agendaRoom) int { return strings.Compare(a.Name, b.Name) })
	return json.Marshal(out)
}
