package mail

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Template is the name of a mail template: templates/<lang>/<name>.*.tmpl.
type Template string

// Data is the data struct of one template; its Template method names the
// template it fills, so a message's template and data cannot disagree.
type Data interface {
	Template() Template
}

// Template names. Each has a data struct (see NewData) and exists in every
// language of Languages.
const (
	TemplateConfirm           Template = "confirm"
	TemplateLogin             Template = "login"
	TemplateAlreadyRegistered Template = "already_registered"
	TemplateDecision          Template = "decision"
	TemplateWaitlistPromoted  Template = "waitlist_promoted"
	TemplateAgendaChanges     Template = "agenda_changes"
	TemplateSessionSignup     Template = "session_signup"
	TemplateSessionPromoted   Template = "session_promoted"
	TemplateStatementDecision Template = "statement_decision"
	TemplateCosigned          Template = "cosigned"
	TemplateAmendmentDecision Template = "amendment_decision"
	TemplateVoteResult        Template = "vote_result"
	TemplateAnnouncement      Template = "announcement"
	TemplateCredentials       Template = "credentials"
	TemplateBallotResult      Template = "ballot_result"
	TemplateOnlineReminder    Template = "online_reminder"
)

// registry maps each template name to a constructor of its data struct. It
// is read-only.
var registry = map[Template]func() Data{
	TemplateConfirm:           func() Data { return new(ConfirmData) },
	TemplateLogin:             func() Data { return new(LoginData) },
	TemplateAlreadyRegistered: func() Data { return new(AlreadyRegisteredData) },
	TemplateDecision:          func() Data { return new(DecisionData) },
	TemplateWaitlistPromoted:  func() Data { return new(WaitlistPromotedData) },
	TemplateAgendaChanges:     func() Data { return new(AgendaChangesData) },
	TemplateSessionSignup:     func() Data { return new(SessionSignupData) },
	TemplateSessionPromoted:   func() Data { return new(SessionPromotedData) },
	TemplateStatementDecision: func() Data { return new(StatementDecisionData) },
	TemplateCosigned:          func() Data { return new(CosignedData) },
	TemplateAmendmentDecision: func() Data { return new(AmendmentDecisionData) },
	TemplateVoteResult:        func() Data { return new(VoteResultData) },
	TemplateAnnouncement:      func() Data { return new(AnnouncementData) },
	TemplateCredentials:       func() Data { return new(CredentialsData) },
	TemplateBallotResult:      func() Data { return new(BallotResultData) },
	TemplateOnlineReminder:    func() Data { return new(OnlineReminderData) },
}

// NewData returns a new pointer to the data struct of the named template
// (for example *ConfirmData for "confirm"), ready for json.Unmarshal, and
// false if the name is unknown.
func NewData(name Template) (Data, bool) {
	f, ok := registry[name]
	if !ok {
		return nil, false
	}
	return f(), true
}

// TemplateNames returns every template name, sorted.
func TemplateNames() []Template {
	names := make([]Template, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Discretion is embedded in every data struct: NamesConference says whether the subject and the
// first lines may name the conference (the conference's mail_names_conference). The worker sets
// it from the job, whatever the stored data says.
type Discretion struct {
	NamesConference bool
}

// discretion returns the Discretion of a data struct, for the worker.
func (d *Discretion) discretion() *Discretion { return d }

// ConfirmData is the data of "confirm": the link that confirms a new
// registration.
type ConfirmData struct {
	Discretion
	Conference, Name string
	Link             string
	ExpiresMinutes   int
}

// Template names the template this data fills.
func (*ConfirmData) Template() Template { return TemplateConfirm }

// Validate reports whether the data can be rendered.
func (d *ConfirmData) Validate() error { return checkLink("Link", d.Link, true) }

// LoginData is the data of "login": a one-time sign-in link.
type LoginData struct {
	Discretion
	Conference, Name string
	Link             string
	ExpiresMinutes   int
}

// Template names the template this data fills.
func (*LoginData) Template() Template { return TemplateLogin }

// Validate reports whether the data can be rendered.
func (d *LoginData) Validate() error { return checkLink("Link", d.Link, true) }

// AlreadyRegisteredData is the data of "already_registered": someone tried
// to register an address that is already registered; Link is a sign-in link.
type AlreadyRegisteredData struct {
	Discretion
	Conference, Name string
	Link             string
	ExpiresMinutes   int
}

// Template names the template this data fills.
func (*AlreadyRegisteredData) Template() Template { return TemplateAlreadyRegistered }

// Validate reports whether the data can be rendered.
func (d *AlreadyRegisteredData) Validate() error { return checkLink("Link", d.Link, true) }

// DecisionData is the data of "decision": the organisers decided on a
// registration. Decision is "approved", "waitlisted" or "rejected".
type DecisionData struct {
	Discretion
	Conference, Name string
	Decision         string
	Reason           string // optional note from the organisers
}

// Template names the template this data fills.
func (*DecisionData) Template() Template { return TemplateDecision }

// Validate reports whether the data can be rendered.
func (d *DecisionData) Validate() error {
	return checkEnum("Decision", d.Decision, "approved", "waitlisted", "rejected")
}

// WaitlistPromotedData is the data of "waitlist_promoted": a registration
// moved from the waiting list to approved.
type WaitlistPromotedData struct {
	Discretion
	Conference, Name string
}

// Template names the template this data fills.
func (*WaitlistPromotedData) Template() Template { return TemplateWaitlistPromoted }

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
	// PreviousSession is the title before the release when the session was renamed.
	PreviousSession string
}

// AgendaChangesData is the data of "agenda_changes": the recipient's own
// changes in agenda release number Release.
type AgendaChangesData struct {
	Discretion
	Conference, Name string
	Release          int
	Changes          []AgendaChange
	AgendaURL        string // optional
}

// Template names the template this data fills.
func (*AgendaChangesData) Template() Template { return TemplateAgendaChanges }

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
	Discretion
	Conference, Name    string
	Session, When, Room string
	Status              string
}

// Template names the template this data fills.
func (*SessionSignupData) Template() Template { return TemplateSessionSignup }

// Validate reports whether the data can be rendered.
func (d *SessionSignupData) Validate() error {
	return checkEnum("Status", d.Status, "confirmed", "waitlisted")
}

// SessionPromotedData is the data of "session_promoted": the recipient moved
// from a session's waiting list to a confirmed place.
type SessionPromotedData struct {
	Discretion
	Conference, Name    string
	Session, When, Room string
}

// Template names the template this data fills.
func (*SessionPromotedData) Template() Template { return TemplateSessionPromoted }

// StatementDecisionData is the data of "statement_decision": the reviewers
// decided on the recipient's statement. Decision is "accepted", "rejected"
// or "changes_requested".
type StatementDecisionData struct {
	Discretion
	Conference, Name string
	Statement        string // title
	Decision         string
	Comment          string // optional, plain text
}

// Template names the template this data fills.
func (*StatementDecisionData) Template() Template { return TemplateStatementDecision }

// Validate reports whether the data can be rendered.
func (d *StatementDecisionData) Validate() error {
	return checkEnum("Decision", d.Decision, "accepted", "rejected", "changes_requested")
}

// CosignedData is the data of "cosigned": an organisation co-signed the
// recipient's statement. Organisation is its name only as it may be shown.
type CosignedData struct {
	Discretion
	Conference, Name string
	Statement        string
	Organisation     string
}

// Template names the template this data fills.
func (*CosignedData) Template() Template { return TemplateCosigned }

// AmendmentDecisionData is the data of "amendment_decision": a decision on
// the recipient's amendment. Decision is "accepted" or "rejected".
type AmendmentDecisionData struct {
	Discretion
	Conference, Name string
	Statement        string
	Decision         string
}

// Template names the template this data fills.
func (*AmendmentDecisionData) Template() Template { return TemplateAmendmentDecision }

// Validate reports whether the data can be rendered.
func (d *AmendmentDecisionData) Validate() error {
	return checkEnum("Decision", d.Decision, "accepted", "rejected")
}

// VoteResultData is the data of "vote_result": the result of the vote on a
// statement. Result is "adopted" or "not_adopted".
type VoteResultData struct {
	Discretion
	Conference, Name string
	Statement        string
	Result           string
	Yes, No, Abstain int
}

// Template names the template this data fills.
func (*VoteResultData) Template() Template { return TemplateVoteResult }

// Validate reports whether the data can be rendered.
func (d *VoteResultData) Validate() error {
	return checkEnum("Result", d.Result, "adopted", "not_adopted")
}

// AnnouncementData is the data of "announcement": a message from the
// organisers. Body is plain text; the HTML part escapes it and keeps its
// line breaks. UnsubscribeURL, if set, links to the mail preferences.
type AnnouncementData struct {
	Discretion
	Conference, Name string
	Subject          string
	Body             string
	UnsubscribeURL   string
}

// Template names the template this data fills.
func (*AnnouncementData) Template() Template { return TemplateAnnouncement }

// OwnSalutation reports whether the body opens with its own salutation ("Dear delegates,"): the
// mail then starts with it instead of a greeting by name.
func (d *AnnouncementData) OwnSalutation() bool { return opensWithSalutation(d.Body) }

// oneClick is mail data that offers a one-click unsubscribe link (RFC 8058).
type oneClick interface{ OneClickUnsubscribe() string }

// OneClickUnsubscribe is the announcement's one-click unsubscribe link: UnsubscribeURL when it
// is one (an https or http link to /u/{token} without line breaks), else "" (older rows linked
// the delegate's page, which needs a login).
func (d *AnnouncementData) OneClickUnsubscribe() string {
	u := d.UnsubscribeURL
	if !strings.Contains(u, "/u/") || strings.ContainsAny(u, "\r\n<> ") || !(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) {
		return ""
	}
	return u
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

// CredentialsData is the data of "credentials": the organisers set the
// delegation of the recipient's organisation. Role is the recipient's place
// in it: "head", "voting", "alternate", "member", or "" when they are no
// longer part of it.
type CredentialsData struct {
	Discretion
	Conference, Name string
	Organisation     string
	Role             string
}

// Template names the template this data fills.
func (*CredentialsData) Template() Template { return TemplateCredentials }

// Validate reports whether the data can be rendered.
func (d *CredentialsData) Validate() error {
	return checkEnum("Role", d.Role, "head", "voting", "alternate", "member", "")
}

// BallotResultData is the data of "ballot_result": a ballot of the plenary
// (a motion, an amendment or an election) was closed. Question is the
// motion's question, the amendment's statement title, or empty for an
// election; Outcome is "adopted", "rejected" or "no_quorum"; Elected names
// the winners of an election.
type BallotResultData struct {
	Discretion
	Conference, Name string
	Kind             string
	Question         string
	Outcome          string
	Yes, No, Abstain int
	Elected          []string
}

// Template names the template this data fills.
func (*BallotResultData) Template() Template { return TemplateBallotResult }

// Validate reports whether the data can be rendered.
func (d *BallotResultData) Validate() error {
	if err := checkEnum("Kind", d.Kind, "motion", "amendment", "election"); err != nil {
		return err
	}
	return checkEnum("Outcome", d.Outcome, "adopted", "rejected", "no_quorum")
}

// OnlineReminderData is the data of "online_reminder": a session the recipient may join online
// (they speak, chair, signed up, or attend a plenary remotely) starts soon. Link is the session's
// online link, which no public output carries; When is its time in the conference's time zone.
type OnlineReminderData struct {
	Discretion
	Conference, Name    string
	Session, When, Room string
	Link                string
}

// Template names the template this data fills.
func (*OnlineReminderData) Template() Template { return TemplateOnlineReminder }

// Validate reports whether the data can be rendered.
func (d *OnlineReminderData) Validate() error { return checkLink("Link", d.Link, true) }
