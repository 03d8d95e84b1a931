package domain

import "github.com/zimmerwald/zimmerwald/models"

// Sight is how much of a registration a staff reader sees: least privilege, decided here once
// for both skins.
type Sight int

const (
	// SightReview is what deciding on a statement or an amendment needs, for reviewers: the
	// registration's ID, conference, organisation, role, status, display name, languages and
	// dates. No country, attendance, visibility, visa request, needs, notification or mail
	// settings, email, legal name, notes or decision reason.
	SightReview Sight = iota
	// SightStaff is the registration without its sealed personal fields: organisers' lists.
	SightStaff
	// SightPersonal is the whole registration: an organiser's or admin's audited read of one.
	SightPersonal
)

// Personal reports whether the sealed personal fields are shown.
func (v Sight) Personal() bool { return v == SightPersonal }

// Review reports whether only what review needs is shown.
func (v Sight) Review() bool { return v == SightReview }

// ForSight is a copy of d holding only what sight shows; the rest is zero.
func ForSight(d *models.Delegate, sight Sight) *models.Delegate {
	if sight == SightPersonal {
		return d
	}
	c := &models.Delegate{ID: d.ID, ConferenceID: d.ConferenceID, OrganisationID: d.OrganisationID, Role: d.Role, Status: d.Status,
		DisplayName: d.DisplayName, Languages: d.Languages, WaitlistSeq: d.WaitlistSeq, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
		ConfirmedAt: d.ConfirmedAt, DecidedAt: d.DecidedAt, ErasedAt: d.ErasedAt}
	if sight == SightStaff {
		c.Country, c.Attendance, c.Visibility, c.NeedsVisaLetter = d.Country, d.Attendance, d.Visibility, d.NeedsVisaLetter
		c.NotifyAnnouncements, c.NotifyAgenda, c.MailLanguage = d.NotifyAnnouncements, d.NotifyAgenda, d.MailLanguage
	}
	return c
}
