package mail

// sampleConference is the neutral conference title used in sample data.
const sampleConference = "International Conference 2026"

// samples returns example data for a template: one value per branch of its
// template (each decision, status or result), so that LoadTemplates can
// execute every branch at start-up and tests can compare golden files. The
// first sample is the one with the most content.
func samples(name Template) []Data {
	const link = "https://conference.example.org/auth/confirm?token=sample-token"
	switch name {
	case TemplateConfirm:
		return []Data{&ConfirmData{Conference: sampleConference, Name: "Clara", Link: link, ExpiresMinutes: 30},
			&ConfirmData{Conference: sampleConference, Link: link, ExpiresMinutes: 1}}
	case TemplateLogin:
		return []Data{&LoginData{Conference: sampleConference, Name: "Clara", Link: "https://conference.example.org/auth/login?token=sample-token", ExpiresMinutes: 21},
			&LoginData{Conference: sampleConference, Link: link, ExpiresMinutes: 3}}
	case TemplateAlreadyRegistered:
		return []Data{&AlreadyRegisteredData{Conference: sampleConference, Name: "Clara", Link: "https://conference.example.org/auth/login?token=sample-token", ExpiresMinutes: 15}}
	case TemplateDecision:
		return []Data{
			&DecisionData{Conference: sampleConference, Name: "Clara", Decision: "waitlisted", Reason: "The hall is full; places often free up in the last week."},
			&DecisionData{Conference: sampleConference, Name: "Clara", Decision: "approved"},
			&DecisionData{Conference: sampleConference, Name: "Clara", Decision: "rejected"},
		}
	case TemplateWaitlistPromoted:
		return []Data{&WaitlistPromotedData{Conference: sampleConference, Name: "Clara"}}
	case TemplateAgendaChanges:
		return []Data{&AgendaChangesData{Conference: sampleConference, Name: "Clara", Release: 3,
			AgendaURL: "https://conference.example.org/c/ic2026/agenda",
			Changes: []AgendaChange{
				{Kind: "added", Session: "Commission B: Reports", When: "Fri 6 Sep, 10:00–11:30", Room: "Room 2"},
				{Kind: "cancelled", Session: "Evening meeting", When: "Fri 6 Sep, 19:00–20:00", Room: "Hall"},
				{Kind: "moved", Session: "Plenary: Resolutions", When: "Sat 7 Sep, 09:00–12:00", Room: "Hall", PreviousWhen: "Fri 6 Sep, 14:00–17:00", PreviousRoom: "Room 1"},
				{Kind: "speakers_changed", Session: "Workshop: Translation", When: "Sat 7 Sep, 14:00–15:30", Room: "Online"},
				{Kind: "updated", Session: "Opening", When: "Thu 5 Sep, 18:00–19:00"},
			}}}
	case TemplateSessionSignup:
		return []Data{
			&SessionSignupData{Conference: sampleConference, Name: "Clara", Session: "Workshop: Translation", When: "Sat 7 Sep, 14:00–15:30", Room: "Room 2", Status: "confirmed"},
			&SessionSignupData{Conference: sampleConference, Name: "Clara", Session: "Workshop: Translation", When: "Sat 7 Sep, 14:00–15:30", Status: "waitlisted"},
		}
	case TemplateSessionPromoted:
		return []Data{&SessionPromotedData{Conference: sampleConference, Name: "Clara", Session: "Workshop: Translation", When: "Sat 7 Sep, 14:00–15:30", Room: "Room 2"}}
	case TemplateStatementDecision:
		return []Data{
			&StatementDecisionData{Conference: sampleConference, Name: "Clara", Statement: "On interpretation at the plenary", Decision: "changes_requested", Comment: "Please shorten the summary.\nThe second section repeats the first.\n\nThank you!"},
			&StatementDecisionData{Conference: sampleConference, Name: "Clara", Statement: "On interpretation at the plenary", Decision: "accepted"},
			&StatementDecisionData{Conference: sampleConference, Name: "Clara", Statement: "On interpretation at the plenary", Decision: "rejected"},
		}
	case TemplateCosigned:
		return []Data{&CosignedData{Conference: sampleConference, Name: "Clara", Statement: "On interpretation at the plenary", Organisation: "Workers' Education Union"}}
	case TemplateAmendmentDecision:
		return []Data{
			&AmendmentDecisionData{Conference: sampleConference, Name: "Clara", Statement: "On interpretation at the plenary", Decision: "accepted"},
			&AmendmentDecisionData{Conference: sampleConference, Name: "Clara", Statement: "On interpretation at the plenary", Decision: "rejected"},
		}
	case TemplateVoteResult:
		return []Data{
			&VoteResultData{Conference: sampleConference, Name: "Clara", Statement: "On interpretation at the plenary", Result: "adopted", Yes: 41, No: 7, Abstain: 3},
			&VoteResultData{Conference: sampleConference, Name: "Clara", Statement: "On interpretation at the plenary", Result: "not_adopted", Yes: 12, No: 30, Abstain: 9},
		}
	case TemplateBallotResult:
		return []Data{
			&BallotResultData{Conference: sampleConference, Name: "Clara", Kind: "motion", Question: "Shall the conference call for an immediate ceasefire?", Outcome: "adopted", Yes: 41, No: 7, Abstain: 3},
			&BallotResultData{Conference: sampleConference, Name: "Clara", Kind: "election", Outcome: "adopted", Elected: []string{"Rosa", "Angelica"}},
			&BallotResultData{Conference: sampleConference, Name: "Clara", Kind: "amendment", Question: "On interpretation at the plenary", Outcome: "no_quorum", Yes: 3, No: 1},
		}
	case TemplateCredentials:
		return []Data{
			&CredentialsData{Conference: sampleConference, Name: "Clara", Organisation: "Peace Union", Role: "head"},
			&CredentialsData{Conference: sampleConference, Name: "Clara", Organisation: "Peace Union", Role: "alternate"},
			&CredentialsData{Conference: sampleConference, Name: "Clara", Organisation: "Peace Union", Role: ""},
		}
	case TemplateOnlineReminder:
		return []Data{
			&OnlineReminderData{Conference: sampleConference, Name: "Clara", Session: "Plenary: Resolutions", When: "Sat 7 Sep, 09:00–12:00 CEST", Room: "Hall",
				Link: "https://meet.example.org/plenary-7f3a9c"},
			&OnlineReminderData{Conference: sampleConference, Session: "Workshop: Translation", When: "Sat 7 Sep, 14:00–15:30 CEST", Link: "https://meet.example.org/workshop"},
		}
	case TemplateAnnouncement:
		return []Data{
			&AnnouncementData{Conference: sampleConference, Name: "Clara", Subject: "Practical information",
				Body:           "The registration desk opens at 08:30.\nBring your confirmation number.\n\nInterpretation <en/ru/uk/de/fr> & sign language are available in the hall.",
				UnsubscribeURL: "https://conference.example.org/me/preferences"},
			&AnnouncementData{Conference: sampleConference, Subject: "Reminder", Body: "See you tomorrow."},
		}
	}
	return nil
}
