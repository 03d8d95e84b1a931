package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"reflect"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"
	"github.com/go-playground/validator/v10"

	"github.com/zimmerwald/zimmerwald/models"
)

var setupValidator sync.Once

// jsonName makes validator errors use the JSON field names clients send.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	if name == "" {
		return f.Name
	}
	return name
}

func validatorEngine() *validator.Validate {
	v, _ := binding.Validator.Engine().(*validator.Validate)
	setupValidator.Do(func() {
		v.RegisterTagNameFunc(jsonName)
		v.RegisterValidation("email_addr", func(fl validator.FieldLevel) bool {
			_, err := parseEmail(fl.Field().String())
			return err == nil
		})
		v.RegisterValidation("nocrlf", func(fl validator.FieldLevel) bool { return singleLine(fl.Field().String()) })
	})
	return v
}

// parseEmail accepts exactly one bare address (no display name, no CR/LF) and returns it.
func parseEmail(s string) (string, error) {
	if strings.ContainsAny(s, "\r\n<>,;") || len(s) > 254 {
		return "", errors.New("not a single email address")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != strings.TrimSpace(s) || !strings.Contains(a.Address[strings.LastIndex(a.Address, "@")+1:], ".") {
		return "", errors.New("not a single email address")
	}
	return a.Address, nil
}

// bindJSON decodes the body into dst (a request struct, never a model), then validates its
// binding tags. Malformed JSON is a 400; rule violations are a 422 with a field map; a body over
// the size limit is a 413. Unknown fields are ignored: they can change nothing.
func bindJSON(c *gin.Context, dst any) error {
	raw, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return problem(http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", maxBody))
	}
	if err != nil {
		return malformed("the body could not be read", nil)
	}
	if !utf8.Valid(raw) {
		return malformed("the body is not valid UTF-8", nil)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return malformed("a JSON body is required", nil)
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return malformed("a field has the wrong type", models.FieldProblem(te.Field, models.FieldInvalidType, "must be "+jsonKind(te.Type)))
		}
		return malformed("the body is not valid JSON", nil)
	}
	return validateStruct(dst)
}

// validateStruct runs the binding tags of a request struct.
func validateStruct(dst any) error {
	err := validatorEngine().Struct(dst)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return malformed("the body does not have the expected shape", nil)
	}
	fields := models.FieldErrors{}
	for _, fe := range ves {
		name := strings.SplitN(fe.Namespace(), ".", 2)
		key := fe.Field()
		if len(name) == 2 {
			key = name[1]
		}
		fields.Set(key, fieldCode(fe), fieldMessage(fe))
	}
	return invalid(fields)
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64, reflect.Uint:
		return "a number"
	case reflect.Slice:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "of another type"
}

func fieldMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "is required"
	case "max":
		if fe.Kind() == reflect.String {
			return "must be at most " + fe.Param() + " characters"
		}
		if fe.Kind() == reflect.Slice {
			return "must have at most " + fe.Param() + " items"
		}
		return "must be at most " + fe.Param()
	case "min":
		if fe.Kind() == reflect.String {
			return "must be at least " + fe.Param() + " characters"
		}
		return "must be at least " + fe.Param()
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(fe.Param(), " ", ", ")
	case "email_addr":
		return "must be one email address"
	case "nocrlf":
		return "must be one line without control characters"
	case "uuid", "uuid4":
		return "must be an ID"
	case "eq":
		return "must be " + fe.Param()
	case "len":
		return "must have length " + fe.Param()
	case "slug":
		return "may contain only lower-case letters, digits and dashes"
	case "timezone":
		return "must be an IANA time zone such as Europe/Zurich"
	case "datetime":
		return "must be a date YYYY-MM-DD"
	case "bcp47_language_tag", "lang":
		return "must be a language code such as en or uk"
	case "iso3166_1_alpha2":
		return "must be a two-letter country code"
	}
	return "is not valid (" + fe.Tag() + ")"
}

// singleLine reports whether s is one line of text: no control characters (CR, LF, tab, NEL...)
// and no Unicode line or paragraph separators. Such values may reach mail subjects and headers.
func singleLine(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// fieldCode is the stable code of a binding error, beside fieldMessage's English.
func fieldCode(fe validator.FieldError) models.Code {
	switch fe.Tag() {
	case "required":
		return models.FieldRequired
	case "max", "len":
		return models.FieldTooLong
	case "min":
		return models.FieldTooShort
	case "oneof", "eq":
		return models.FieldOneOf
	case "email_addr":
		return models.FieldInvalidEmail
	case "nocrlf":
		return models.FieldControlCharacters
	case "uuid", "uuid4":
		return models.FieldInvalidID
	case "slug":
		return models.FieldInvalidSlug
	case "timezone":
		return models.FieldInvalidTimezone
	case "datetime":
		return models.FieldInvalidDate
	case "bcp47_language_tag", "lang":
		return models.FieldInvalidLanguage
	case "iso3166_1_alpha2":
		return models.FieldInvalidCountry
	}
	return models.FieldInvalid
}
