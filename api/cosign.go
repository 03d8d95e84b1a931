package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// cosignRequest says whether the signing organisation may be named publicly or only counted.
type cosignRequest struct {
	Named bool `json:"named"`
}

// cosignResponse is the caller's organisation's signature.
type cosignResponse struct {
	StatementID    string    `json:"statement_id"`
	OrganisationID string    `json:"organisation_id"`
	Named          bool      `json:"named"`
	CreatedAt      time.Time `json:"created_at"`
}

// withheldName stands for a co-signing organisation that may not be named, in each mail language.
var withheldName = map[string]string{
	"en": "name withheld", "ru": "название не раскрывается", "uk": "назву не розголошено",
	"de": "Name nicht veröffentlicht", "fr": "nom non divulgué",
}

// cosigner loads the statement named by :id for a co-signature by the calling delegate's
// organisation: an active delegate of the conference, of another organisation than the author.
func (s *Server) cosigner(c *gin.Context) (*models.Statement, *models.Conference, reader, error) {
	st, conf, r, err := s.loadStatement(c)
	switch {
	case err != nil:
		return nil, nil, reader{}, err
	case st.Status == models.StatementDraft && !r.member(st):
		return nil, nil, reader{}, errNotFound
	case r.orgID() == "":
		return nil, nil, reader{}, problem(http.StatusForbidden, "only approved delegates of an organisation can co-sign")
	case r.member(st):
		return nil, nil, reader{}, problem(http.StatusForbidden, "an organisation cannot co-sign its own statement")
	}
	return st, conf, r, nil
}

// cosignStatement signs a submitted or accepted statement on behalf of the caller's organisation,
// named publicly or only counted, and tells the author. One signature per organisation.
func (s *Server) cosignStatement(c *gin.Context) error {
	st, conf, r, err := s.cosigner(c)
	if err != nil {
		return err
	}
	var req cosignRequest
	if err := bindOptionalJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request.Context()
	cs := &models.Cosignature{StatementID: st.ID, OrganisationID: r.orgID(), DelegateID: &r.delegate.ID, Named: req.Named}
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		st, err = tx.StatementForUpdate(ctx, st.ID)
		if err != nil {
			return err
		}
		if st.Status != models.StatementSubmitted && st.Status != models.StatementAccepted {
			return problem(http.StatusConflict, "only a submitted or accepted statement can be co-signed")
		}
		if err := noBallotYet(ctx, tx, st, "co-signing"); err != nil {
			return err
		}
		if err := tx.Cosign(ctx, cs); err != nil {
			if errors.Is(err, models.ErrConflict) {
				return problem(http.StatusConflict, "your organisation has already co-signed this statement")
			}
			return err
		}
		org, err := tx.Organisation(ctx, conf.ID, r.orgID())
		if err != nil {
			return err
		}
		ds, err := statementRecipients(ctx, tx, st)
		if err != nil {
			return err
		}
		for _, d := range ds {
			name := org.Name
			if !cs.Named || !publicOrganisation(org) {
				if name = withheldName[d.Lang()]; name == "" {
					name = withheldName["en"]
				}
			}
			data := mail.CosignedData{Conference: conf.Title, Name: d.DisplayName, Statement: st.Title, Organisation: name}
			m, err := domain.NewMail(domain.EnvelopeOf(&d), "cosigned:"+cs.ID+":"+cs.CreatedAt.Format(time.RFC3339Nano), &data)
			if err != nil {
				return err
			}
			if err := tx.Enqueue(ctx, m); err != nil {
				return err
			}
		}
		return s.audit(c, tx, conf.ID, "statement.cosign", "statement", st.ID)
	})
	if err != nil {
		return err
	}
	s.notify()
	c.JSON(http.StatusCreated, cosignResponse{StatementID: st.ID, OrganisationID: cs.OrganisationID, Named: cs.Named, CreatedAt: cs.CreatedAt})
	return nil
}

// withdrawCosignature withdraws the caller's organisation's signature, until the vote opens.
func (s *Server) withdrawCosignature(c *gin.Context) error {
	st, conf, r, err := s.cosigner(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		if _, err := tx.StatementForUpdate(ctx, st.ID); err != nil {
			return err
		}
		if err := noBallotYet(ctx, tx, st, "withdrawing a signature"); err != nil {
			return err
		}
		if err := tx.WithdrawCosignature(ctx, st.ID, r.orgID()); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "statement.cosign_withdraw", "statement", st.ID)
	})
	if err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// bindOptionalJSON is bindJSON for bodies whose every field is optional: no body at all means
// the defaults.
func bindOptionalJSON(c *gin.Context, dst any) error {
	if c.Request.Body == nil || c.Request.Body == http.NoBody || c.Request.ContentLength == 0 {
		return validateStruct(dst)
	}
	return bindJSON(c, dst)
}
