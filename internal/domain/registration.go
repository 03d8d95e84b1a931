package domain

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zimmerwald/zimmerwald/internal/metrics"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// NewOrganisation is an organisation proposed with a registration.
type NewOrganisation struct {
	Name, Country string
	Kind          models.OrganisationKind
}

// Registration is one public registration as a visitor fills it in. Empty Role, Attendance and
// Visibility take their defaults (delegate, in_person, organisers: the most private); no
// Languages means the conference's first language.
type Registration struct {
	Email, DisplayName  string
	OrganisationID      *string
	NewOrganisation     *NewOrganisation
	Role                models.DelegateRole
	Country             string
	Languages           []string
	Attendance          models.AttendanceMode
	Visibility          models.Visibility
	InterpretationNeeds string
	AccessibilityNeeds  string
	LegalName           string
	NeedsVisaLetter     bool
	Consent             bool
	MailLanguage        string // one of MailLanguages, or "" for the first of Languages
}

// errRegistrationShut refuses a registration for a conference that is not open.
var errRegistrationShut = models.Fail(models.KindConflict, models.CodeRegistrationShut, "registration for this conference is not open")

// orgKinds are the kinds of a proposed organisation.
var orgKinds = []models.OrganisationKind{models.OrgParty, models.OrgUnion, models.OrgMovement, models.OrgCollective, models.OrgMedia, models.OrgOther}

// Register is the public registration to the conference slug (rate-limited per client). Every
// well-formed registration for an open conference has the same outcome for the caller: a new
// address gets a pending registration and a confirmation mail; a known one gets a mail to its
// holder with a sign-in link and no second record. Both do the same work (sealing, token, one
// group-committed transaction, one mail).
func (s *Service) Register(ctx context.Context, a *Actor, slug string, in Registration) (err error) {
	defer func() { metrics.Registration(err == nil) }()
	if !s.AllowPublic(a.Client) {
		return errTooMany
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return err
	}
	if err := in.check(conf); err != nil {
		return err
	}
	now := s.store.Now()
	if !conf.RegistrationOpen(now) {
		return errRegistrationShut
	}
	d := &models.Delegate{ConferenceID: conf.ID, Role: in.Role, DisplayName: in.DisplayName, Email: in.Email,
		Country: in.Country, Languages: models.StringList(in.Languages), Attendance: in.Attendance, Visibility: in.Visibility,
		InterpretationNeeds: in.InterpretationNeeds, AccessibilityNeeds: in.AccessibilityNeeds, LegalName: in.LegalName,
		NeedsVisaLetter: in.NeedsVisaLetter, MailLanguage: in.MailLanguage, NotifyAnnouncements: true, NotifyAgenda: true, ConsentAt: &now}
	reg := &models.Registration{Delegate: d, Mail: s.registrationMail(conf, in.Email)}
	if in.OrganisationID != nil {
		o, err := s.registrationOrganisation(ctx, conf.ID, *in.OrganisationID)
		if errors.Is(err, models.ErrNotFound) || err == nil && o.Status == models.OrgRejected {
			return models.Invalid(models.FieldProblem("organisation_id", models.FieldUnknownOrg, "is not an organisation of this conference"))
		}
		if err != nil {
			return err
		}
		d.OrganisationID = &o.ID
	}
	if no := in.NewOrganisation; no != nil {
		reg.NewOrganisation = &models.Organisation{ConferenceID: conf.ID, Name: no.Name, Country: no.Country, Kind: no.Kind}
	}
	if _, err := s.store.Register(ctx, reg); err != nil {
		return err
	}
	s.notify()
	return nil
}

// check normalises the registration (trimmed, defaults) and applies its field rules.
func (r *Registration) check(conf *models.Conference) error {
	fe := delegateChecks{}
	r.Email, r.DisplayName, r.LegalName = strings.TrimSpace(r.Email), strings.TrimSpace(r.DisplayName), strings.TrimSpace(r.LegalName)
	r.Country = strings.ToUpper(strings.TrimSpace(r.Country))
	if r.Email == "" {
		fe.Set("email", models.FieldRequired, "is required")
	} else if !models.ValidEmail(r.Email) {
		fe.Set("email", models.FieldInvalidEmail, "must be one email address")
	}
	if !r.Consent {
		fe.Set("consent", models.FieldConsentRequired, "must be true: we store your registration only with your consent")
	}
	fe.name("display_name", r.DisplayName, 100, true)
	fe.name("legal_name", r.LegalName, 200, false)
	if r.NeedsVisaLetter && r.LegalName == "" {
		fe.Set("legal_name", models.FieldRequiredForVisa, "is required for a visa letter")
	}
	fe.country("country", r.Country)
	fe.languages(r.Languages)
	fe.mailLanguage(r.MailLanguage)
	if len(r.Languages) == 0 {
		r.Languages = []string{"en"}
		if len(conf.Languages) > 0 {
			r.Languages = []string{conf.Languages[0]}
		}
	}
	r.Role = orDefault(r.Role, models.RoleDelegate)
	r.Attendance = orDefault(r.Attendance, models.AttendInPerson)
	r.Visibility = orDefault(r.Visibility, models.VisibilityOrganisers)
	oneOf(fe, "role", r.Role, models.DelegateRoles)
	oneOf(fe, "attendance", r.Attendance, models.Attendances)
	oneOf(fe, "visibility", r.Visibility, models.Visibilities)
	fe.maxLen("interpretation_needs", r.InterpretationNeeds, 2000)
	fe.maxLen("accessibility_needs", r.AccessibilityNeeds, 2000)
	switch {
	case r.OrganisationID != nil && r.NewOrganisation != nil:
		fe.Set("new_organisation", models.FieldExclusive, "give either organisation_id or new_organisation, not both")
	case r.OrganisationID == nil && r.NewOrganisation == nil && r.Role == models.RoleDelegate:
		fe.Set("organisation_id", models.FieldNeedsOrganisation, "is required for delegates (or propose a new_organisation)")
	}
	if o := r.NewOrganisation; o != nil {
		o.Name, o.Country = strings.TrimSpace(o.Name), strings.ToUpper(strings.TrimSpace(o.Country))
		fe.name("new_organisation.name", o.Name, 200, true)
		fe.country("new_organisation.country", o.Country)
		o.Kind = orDefault(o.Kind, models.OrgOther)
		oneOf(fe, "new_organisation.kind", o.Kind, orgKinds)
	}
	return models.FieldErrors(fe).Err()
}

// registrationMail builds the mail of a registration's outcome, addressed to the address given.
func (s *Service) registrationMail(conf *models.Conference, to string) func(*models.Delegate, bool, string) (*models.OutboxMessage, error) {
	return func(d *models.Delegate, known bool, secret string) (*models.OutboxMessage, error) {
		env := Envelope{ConferenceID: conf.ID, DelegateID: d.ID, To: to, Lang: d.Lang()}
		if known {
			data := &mail.AlreadyRegisteredData{Conference: conf.Title, Name: d.DisplayName, Link: s.link("/login?token=" + secret + langQuery(d)),
				ExpiresMinutes: int(models.LoginTTL / time.Minute)}
			return NewMail(env, "known:"+models.NewID(), data)
		}
		data := &mail.ConfirmData{Conference: conf.Title, Name: d.DisplayName, Link: s.link("/confirm?token=" + secret + langQuery(d)),
			ExpiresMinutes: int(models.ConfirmTTL / time.Minute)}
		return NewMail(env, "confirm", data)
	}
}

// RegistrationOrganisations are the organisations the registration form of conf offers: the
// verified and listed ones, plus the one named by an invitation link (/c/{slug}/register?
// organisation=ID) when it is verified but not listed. An organisation at risk is not named
// publicly, so its members register through the link its organisers hand them; a random ID
// reveals nothing, an unknown or unverified one adds nothing.
func (s *Service) RegistrationOrganisations(ctx context.Context, conf *models.Conference, invited string) ([]models.Organisation, error) {
	orgs, err := s.store.ListOrganisations(ctx, models.OrganisationFilter{ConferenceID: conf.ID, PublicOnly: true})
	if err != nil || invited == "" || slices.ContainsFunc(orgs, func(o models.Organisation) bool { return o.ID == invited }) {
		return orgs, err
	}
	o, err := s.store.Organisation(ctx, conf.ID, invited)
	if err != nil || o.Status != models.OrgVerified {
		return orgs, nil
	}
	return append(orgs, *o), nil
}

// delegateChecks collects the field problems of a delegate's own data.
type delegateChecks models.FieldErrors

// Set records the problem of field (the first one wins).
func (fe delegateChecks) Set(field string, code models.Code, message string) {
	models.FieldErrors(fe).Set(field, code, message)
}

func (fe delegateChecks) name(field, v string, max int, required bool) {
	if p := models.CheckName(v, max, required); p.Code != "" {
		fe.Set(field, p.Code, p.Message)
	}
}

func (fe delegateChecks) country(field, v string) {
	if v != "" && !validCountry(v) {
		fe.Set(field, models.FieldInvalidCountry, "must be a two-letter country code such as UA")
	}
}

func (fe delegateChecks) languages(langs []string) {
	if len(langs) > 10 {
		fe.Set("languages", models.FieldTooLong, "must have at most 10 items")
	}
	for _, l := range langs {
		if !validLanguage(l) {
			fe.Set("languages", models.FieldInvalidLanguage, "must be language codes such as en, ru, uk")
		}
	}
}

// MailLanguages are the languages mail is written in (every template exists in each).
var MailLanguages = []string{"en", "ru", "uk", "de", "fr"}

// mailLanguage checks a chosen mail language ("" is no choice).
func (fe delegateChecks) mailLanguage(l string) {
	if l != "" && !slices.Contains(MailLanguages, l) {
		fe.Set("mail_language", models.FieldOneOf, "must be one of: "+strings.Join(MailLanguages, ", "))
	}
}

func oneOf[T ~string](fe delegateChecks, field string, v T, allowed []T) {
	if !slices.Contains(allowed, v) {
		fe.Set(field, models.FieldOneOf, "must be one of: "+strings.Join(models.Strings(allowed), ", "))
	}
}

func (fe delegateChecks) maxLen(field, v string, max int) {
	if utf8.RuneCountInString(v) > max {
		fe.Set(field, models.FieldTooLong, "must be at most "+strconv.Itoa(max)+" characters")
	}
}

func validCountry(v string) bool {
	return len(v) == 2 && v[0] >= 'A' && v[0] <= 'Z' && v[1] >= 'A' && v[1] <= 'Z'
}

// validLanguage accepts a language code such as en, rus or pt-BR (2–3 letters, an optional
// subtag of 2–8 letters or digits).
func validLanguage(v string) bool {
	lang, sub, hasSub := strings.Cut(v, "-")
	if len(lang) < 2 || len(lang) > 3 || strings.IndexFunc(lang, func(r rune) bool { return r < 'a' || r > 'z' }) >= 0 {
		return false
	}
	if !hasSub {
		return true
	}
	return len(sub) >= 2 && len(sub) <= 8 && strings.IndexFunc(sub, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) < 0
}

func orDefault[T ~string](v, def T) T {
	if v == "" {
		return def
	}
	return v
}
