package models

import "context"

// demoStatements adds the demo conference's position statements: one accepted with named and
// counted co-signatures, translations and a proposed amendment; one submitted; one draft; and one
// adopted by a closed secret ballot.
func (s *Store) demoStatements(ctx context.Context, conf *Conference, orgs []*Organisation, delegates []*Delegate) error {
	if len(orgs) < 5 || len(delegates) < 6 {
		return nil
	}
	now := s.now()
	type demo struct {
		org, author          int
		lang                 string
		status               StatementStatus
		title, summary, body string
	}
	demos := []demo{
		{0, 0, "en", StatementAccepted, "For an immediate ceasefire and negotiations",
			"The conference calls for an immediate ceasefire and for negotiations without preconditions.",
			"The war has cost hundreds of thousands of lives, most of them workers in uniform.\n\n" +
				"We call for an **immediate ceasefire** on all fronts and for negotiations without preconditions.\n\n" +
				"We call on the unions of every country to refuse the production and transport of arms for this war."},
		{2, 2, "uk", StatementSubmitted, "Проти примусової мобілізації",
			"Право на відмову від військової служби за переконаннями.",
			"Ми виступаємо проти примусової мобілізації.\n\nКожна людина має право відмовитися від військової служби за переконаннями."},
		{4, 5, "fr", StatementDraft, "Solidarité ouvrière par-delà les frontières",
			"Une proposition de résolution sur la solidarité syndicale.", "Les travailleurs n'ont pas de patrie.\n\n*Brouillon en cours.*"},
		{1, 1, "ru", StatementAccepted, "Свободу политзаключённым войны",
			"Требование освободить всех, кто заключён за антивоенную позицию.",
			"Мы требуем освободить всех, кто находится в заключении за выступления против войны.\n\nМы призываем организации собирать средства на их защиту."},
	}
	var sts []*Statement
	for _, d := range demos {
		st := &Statement{ConferenceID: conf.ID, OrganisationID: orgs[d.org].ID, AuthorID: &delegates[d.author].ID, Title: d.title,
			Summary: d.summary, Body: d.body, Language: d.lang, Status: d.status}
		if d.status != StatementDraft {
			st.SubmittedAt = &now
		}
		if d.status == StatementAccepted {
			st.DecidedAt = &now
		}
		if err := s.CreateStatement(ctx, st); err != nil {
			return err
		}
		sts = append(sts, st)
	}
	cosigns := []struct {
		st, org, by int
		named       bool
	}{{0, 2, 2, true}, {0, 1, 1, false}, {0, 4, 5, true}, {1, 0, 0, true}, {3, 0, 0, true}, {3, 2, 2, false}}
	for _, c := range cosigns {
		cs := &Cosignature{StatementID: sts[c.st].ID, OrganisationID: orgs[c.org].ID, DelegateID: &delegates[c.by].ID, Named: c.named}
		if err := s.Cosign(ctx, cs); err != nil {
			return err
		}
	}
	for _, tr := range []StatementTranslation{
		{StatementID: sts[0].ID, Language: "uk", Title: "За негайне припинення вогню та переговори",
			Summary: "Конференція закликає до негайного припинення вогню та переговорів без попередніх умов.",
			Body:    "Війна коштувала сотень тисяч життів.\n\nМи закликаємо до **негайного припинення вогню** на всіх фронтах."},
		{StatementID: sts[0].ID, Language: "de", Title: "Für einen sofortigen Waffenstillstand und Verhandlungen",
			Summary: "Die Konferenz fordert einen sofortigen Waffenstillstand.", Body: "Wir fordern einen **sofortigen Waffenstillstand** an allen Fronten."},
	} {
		if _, err := s.SaveTranslation(ctx, &tr); err != nil {
			return err
		}
	}
	para := 3
	am := &Amendment{StatementID: sts[0].ID, DelegateID: &delegates[5].ID, OrganisationID: &orgs[4].ID, BaseVersion: 1, Paragraph: &para,
		Text:      "We call on the unions of every country to refuse the production, transport and financing of arms for this war.",
		Rationale: "Banks and insurers are part of the supply chain."}
	if err := s.CreateAmendment(ctx, am); err != nil {
		return err
	}
	return s.demoVote(ctx, sts[3], orgs)
}

// demoVote puts a statement to a secret vote of the organisations and adopts it.
func (s *Store) demoVote(ctx context.Context, st *Statement, orgs []*Organisation) error {
	b := &Ballot{ConferenceID: st.ConferenceID, Kind: BallotStatement, StatementID: &st.ID, Secret: true, Majority: MajoritySimple,
		Weighting: VotePerOrganisation, Options: StringList(Strings(Choices)), Eligible: len(orgs)}
	if err := s.OpenBallot(ctx, b); err != nil {
		return err
	}
	for i, choice := range []VoteChoice{VoteYes, VoteYes, VoteYes, VoteAbstain} {
		o := orgs[[]int{0, 2, 4, 3}[i]]
		if err := s.CastVote(ctx, b, &BallotVote{VoterKey: "org:" + o.ID, OrganisationID: &o.ID}, string(choice)); err != nil {
			return err
		}
	}
	closed, err := s.LockBallot(ctx, b.ID)
	if err != nil {
		return err
	}
	closed.Tally()
	if err := s.CloseBallot(ctx, closed); err != nil {
		return err
	}
	if err := st.Move(closed.Result(), s.now()); err != nil {
		return err
	}
	return s.UpdateStatement(ctx, st)
}
