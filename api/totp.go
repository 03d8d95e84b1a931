package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// totpResponse is a second factor being set up: shown once.
type totpResponse struct {
	Secret        string   `json:"secret"`
	OTPAuthURL    string   `json:"otpauth_url"`
	RecoveryCodes []string `json:"recovery_codes"`
}

// startTOTP begins setting up the caller's second factor (domain.Service.StartTOTP).
func (s *Server) startTOTP(c *gin.Context) error {
	e, err := s.dom.StartTOTP(c.Request.Context(), s.actor(c))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, totpResponse{Secret: e.Secret, OTPAuthURL: e.URL, RecoveryCodes: e.RecoveryCodes})
	return nil
}

// totpConfirmRequest is the body of POST /auth/totp/confirm.
type totpConfirmRequest struct {
	Code string `json:"code" binding:"required,max=16"`
}

// confirmTOTP turns the second factor on with a current code (domain.Service.ConfirmTOTP).
func (s *Server) confirmTOTP(c *gin.Context) error {
	var req totpConfirmRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if err := s.dom.ConfirmTOTP(c.Request.Context(), s.actor(c), req.Code); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// settingsBody is the instance settings, as shown and as changed (PATCH: every field optional).
type settingsBody struct {
	RequireStaffTOTP *bool `json:"require_staff_totp"`
}

// getSettings shows the instance settings (admins).
func (s *Server) getSettings(c *gin.Context) error {
	st, err := s.dom.GetSettings(c.Request.Context(), s.actor(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, settingsBody{RequireStaffTOTP: &st.RequireStaffTOTP})
	return nil
}

// updateSettings changes the instance settings (admins; domain.Service.UpdateSettings).
func (s *Server) updateSettings(c *gin.Context) error {
	var req settingsBody
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	st, err := s.dom.UpdateSettings(c.Request.Context(), s.actor(c), req.RequireStaffTOTP)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, settingsBody{RequireStaffTOTP: &st.RequireStaffTOTP})
	return nil
}
