package mail

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Template names. Each has a data struct (see NewData) and exists in every
// language of Languages.
const (
	TemplateConfirm           = "confirm"
	TemplateLogin             = "login"
	TemplateAlreadyRegistered = "already_registered"
	TemplateDecision          = "decision"
	TemplateWaitlistPromoted  = "waitlist_promoted"
	TemplateAgendaChanges     = "agenda_changes"
	TemplateSessionSignup     = "session_signup"
	TemplateSessionPromoted   = "session_promoted"
	TemplateStatementDecision = "statement_decision"
	TemplateCosigned          = "cosigned"
	TemplateAmendmentDecision = "amendment_decision"
	TemplateVoteResult        = "vote_result"
	TemplateAnnouncement      = "announcement"
)

// registry maps each template name to a constructor of its data struct. It
// is read-only.
var registry = map[string]func() any{
	TemplateConfirm:           func() any { return new(ConfirmData) },
	TemplateLogin:             func() any { return new(LoginData) },
	TemplateAlreadyRegistered: func() any { return new(AlreadyRegisteredData) },
	TemplateDecision:          func() any { return new(DecisionData) },
	TemplateWaitlistPromoted:  func() any { return new(WaitlistPromotedData) },
	TemplateAgendaChanges:     func() any { return new(AgendaChangesData) },
	TemplateSessionSignup:     func() any { return new(SessionSignupData) },
	TemplateSessionPromoted:   func() any { return new(SessionPromotedData) },
	TemplateStatementDecision: func() any { return new(StatementDecisionData) },
	TemplateCosigned:          func() any { return new(CosignedData) },
	TemplateAmendmentDecision: func() any { return new(AmendmentDecisionData) },
	TemplateVoteResult:        func() any { return new(VoteResultData) },
	TemplateAnnouncement:      func() any { return new(AnnouncementData) },
}

// NewData returns a new pointer to the data struct of the named template
// (for example *ConfirmData for "confirm"), ready for json.Unmarshal, and
// false if the name is unknown.
func NewData(name string) (any, bool) {
	f, ok := registry[name]
	if !ok {
		return nil, false
	}
	return f(), true
}

// TemplateNames returns every template name, sorted.
func TemplateNames() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ConfirmData is the data of "confirm": the link that confirms a new
// registration.
type ConfirmData struct {
	Conference, Name string
	Link             string
	ExpiresMinutes   int
}

// Validate reports whether the data can be rendered.
func (d *ConfirmData) Validate() error { return checkLink("Link", d.Link, true) }

// LoginData is the data of "login": a one-time sign-in link.
type LoginData struct {
	Conference, Name string
	Link             string
	ExpiresMinutes   int
}

// Validate reports whether the data can be rendered.
func (d *LoginData) Validate() error { return checkLink("Link", d.Link, true) }

// AlreadyRegisteredData is the data of "already_registered": someone tried
// to register an address that is already registered; Link is a sign-in link.
type AlreadyRegisteredData struct {
	Conference, Name string
	Link             string
	ExpiresMinutes   int
}

// Validate reports whether the data can be rendered.
func (d *AlreadyRegisteredData) Validate() error { return checkLink("Link", d.Link, true) }

// DecisionData is the data of "decision": the organisers decided on a
// registration. Decision is "approved", "waitlisted" or "rejected".
type DecisionData struct {
	Conference, Name string
	Decision         string
	Reason           string // optional note from the organisers
}

// Validate reports whether the data can be rendered.
func (d *DecisionData) Validate() error {
	return checkEnum("Decision", d.Decision, "approved", "waitlisted", "rejected")
}

// WaitlistPromotedData is the data of "waitlist_promoted": a registration
// moved from the waiting list to approved.
type WaitlistPromotedData struct {
	Conference, Name string
}

// AgendaChange is one change of a published agenda release that concerns
// the recipient. Kind is "added", "cancelled", "moved", "speakers_changed"
// or "updated"; When and PreviousWhen are already formatted in the
// conference's time zone.
type AgendaChange struct {
	Kind         string
	Session      string // session title
	When, Room   string
	PreviousWhen string
	PreviousRoom string
}

// AgendaChangesData is the data of "agenda_changes": the recipient's own
// changes in agenda release number Release.
type AgendaChangesData struct {
	Conference, Name string
	Release          int
	Changes          []AgendaChange
	AgendaURL        string // optional
}

// Validate reports whether the data can be rendered.
func (d *AgendaChangesData) Validate() error {
	if len(d.Changes) == 0 {
		return fmt.Errorf("mail: agenda_changes: no changes")
	}
	for i, c := range d.Changes {
		if err := checkEnum("Kind", c.Kind, "added", "cancelled", "moved", "speakers_changed", "updated"); err != nil {
			return fmt.Errorf("change %d: %w", i, err)
		}
	}
	return checkLink("AgendaURL", d.AgendaURL, false)
}

// SessionSignupData is the data of "session_signup": the recipient signed
// up for a session. Status is "confirmed" or "waitlisted".
type SessionSignupData struct {
	Conference, Name    string
	Session, When, Room string
	Status              string
}

// Validate reports whether the data can be rendered.
func (d *SessionSignupData) Validate() error {
	return checkEnum("Status", d.Status, "confirmed", "waitlisted")
}

// SessionPromotedData is the data of "session_promoted": the recipient moved
// from a session's waiting list to a confirmed place.
type SessionPromotedData struct {
	Conference, Name    string
	Session, When, Room string
}

// StatementDecisionData is the data of "statement_decision": the reviewers
// decided on the recipient's statement. Decision is "accepted", "rejected"
// or "changes_requested".
type StatementDecisionData struct {
	Conference, Name string
	Statement        string // title
	Decision         string
	Comment          string // optional, plain text
}

// Validate reports whether the data can be rendered.
func (d *StatementDecisionData) Validate() error {
	return checkEnum("Decision", d.Decision, "accepted", "rejected", "changes_requested")
}

// CosignedData is the data of "cosigned": an organisation co-signed the
// recipient's statement. Organisation is its name only as it may be shown.
type CosignedData struct {
	Conference, Name string
	Statement        string
	Organisation     string
}

// AmendmentDecisionData is the data of "amendment_decision": a decision on
// the recipient's amendment. Decision is "accepted" or "rejected".
type AmendmentDecisionData struct {
	Conference, Name string
	Statement        string
	Decision         string
}

// Validate reports whether the data can be rendered.
func (d *AmendmentDecisionData) Validate() error {
	return checkEnum("Decision", d.Decision, "accepted", "rejected")
}

// VoteResultData is the data of "vote_result": the result of the vote on a
// statement. Result is "adopted" or "not_adopted".
type VoteResultData struct {
	Conference, Name string
	Statement        string
	Result           string
	Yes, No, Abstain int
}

// Validate reports whether the data can be rendered.
func (d *VoteResultData) Validate() error {
	return checkEnum("Result", d.Result, "adopted", "not_adopted")
}

// AnnouncementData is the data of "announcement": a message from the
// organisers. Body is plain text; the HTML part escapes it and keeps its
// line breaks. UnsubscribeURL, if set, links to the mail preferences.
type AnnouncementData struct {
	Conference, Name string
	Subject          string
	Body             string
	UnsubscribeURL   string
}

// Validate reports whether the data can be rendered.
func (d *AnnouncementData) Validate() error {
	if strings.TrimSpace(d.Subject) == "" || strings.TrimSpace(d.Body) == "" {
		return fmt.Errorf("mail: announcement: subject and body are required")
	}
	return checkLink("UnsubscribeURL", d.UnsubscribeURL, false)
}

// checkEnum reports an error unless value is one of allowed.
func checkEnum(field, value string, allowed ...string) error {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return fmt.Errorf("mail: %s %q is not one of %s", field, value, strings.Join(allowed, ", "))
}

// checkLink reports an error unless value is an absolute http(s) URL (or
// empty when not required).
func checkLink(field, value string, required bool) error {
	if value == "" && !required {
		return nil
	}
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("mail: %s must be an absolute http(s) url", field)
	}
	return nil
}
