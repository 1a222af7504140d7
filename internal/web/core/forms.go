package core

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
)

var (
	validate     *validator.Validate
	validateOnce sync.Once
)

func validatorInstance() *validator.Validate {
	validateOnce.Do(func() {
		validate = validator.New(validator.WithRequiredStructEnabled())
		// Report fields by their form (or JSON) name, as the user knows them.
		validate.RegisterTagNameFunc(tagName)
	})
	return validate
}

// DecodeForm parses a form or JSON body into v and validates it. Problems
// come back as one Invalid error with a message per field in both languages.
func DecodeForm(c *fiber.Ctx, v any) error {
	if err := c.BodyParser(v); err != nil {
		return apperr.New(apperr.Invalid, "Uppgifterna kunde inte läsas.", "The details could not be read.")
	}
	if err := CheckText(v); err != nil {
		return err
	}
	return ValidateStruct(v)
}

// CheckText refuses text fields that hold control characters (but line
// breaks and tabs) or U+FFFD, which decoding puts where bytes were not
// UTF-8: no one types them, and they break mail headers, exports and PDFs.
func CheckText(v any) error {
	var fields []apperr.Field
	var walk func(name string, rv reflect.Value)
	walk = func(name string, rv reflect.Value) {
		switch rv.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !rv.IsNil() {
				walk(name, rv.Elem())
			}
		case reflect.Struct:
			for i := range rv.NumField() {
				if f := rv.Type().Field(i); f.IsExported() {
					walk(tagName(f), rv.Field(i))
				}
			}
		case reflect.Slice:
			if rv.Type().Elem().Kind() != reflect.Uint8 { // raw JSON is checked where it is read
				for i := range rv.Len() {
					walk(name, rv.Index(i))
				}
			}
		case reflect.String:
			if !assessment.Printable(rv.String()) {
				fields = append(fields, apperr.Field{Field: name, Message: map[string]string{
					"sv": "Texten innehåller tecken som inte är text (styrtecken eller trasig teckenkodning).",
					"en": "The text holds characters that are not text (control characters or broken encoding).",
				}})
			}
		}
	}
	walk("", reflect.ValueOf(v))
	if len(fields) == 0 {
		return nil
	}
	e := apperr.New(apperr.Invalid, "Kontrollera de markerade uppgifterna.", "Check the marked details.")
	e.Fields = fields
	return e
}

// tagName is a field's name as the user knows it: its form or JSON name.
func tagName(f reflect.StructField) string {
	for _, tag := range []string{"form", "json"} {
		if name, _, _ := strings.Cut(f.Tag.Get(tag), ","); name != "" && name != "-" {
			return name
		}
	}
	return f.Name
}

// ValidateStruct checks v by its validate tags and refuses it field by
// field, in both languages.
func ValidateStruct(v any) error {
	err := validatorInstance().Struct(v)
	var verrs validator.ValidationErrors
	if err == nil {
		return nil
	}
	if !errors.As(err, &verrs) {
		return fmt.Errorf("validate: %w", err)
	}
	e := apperr.New(apperr.Invalid, "Kontrollera de markerade uppgifterna.", "Check the marked details.")
	for _, fe := range verrs {
		sv, en := fieldMessage(fe)
		// The path below the body, as the client wrote it: supplier.name.
		_, path, _ := strings.Cut(fe.Namespace(), ".")
		e.Fields = append(e.Fields, apperr.Field{Field: path, Message: map[string]string{"sv": sv, "en": en}})
	}
	return e
}

// fieldMessage words a validation failure for people, in Swedish and English.
func fieldMessage(fe validator.FieldError) (sv, en string) {
	switch fe.Tag() {
	case "required":
		return "Fältet måste fyllas i.", "This field is required."
	case "email":
		return "Ange en giltig e-postadress.", "Give a valid email address."
	case "max":
		return "Högst " + fe.Param() + " tecken.", "At most " + fe.Param() + " characters."
	case "min":
		return "Minst " + fe.Param() + " tecken.", "At least " + fe.Param() + " characters."
	case "oneof":
		return "Välj ett av: " + fe.Param() + ".", "Choose one of: " + fe.Param() + "."
	case "eqfield":
		return "Fälten stämmer inte överens.", "The fields do not match."
	}
	return "Ogiltigt värde.", "Invalid value."
}

// FieldErrors maps field name to message in lang, for re-rendering a form.
func FieldErrors(err error, lang string) (summary string, fields map[string]string) {
	e, ok := apperr.As(err)
	if !ok {
		return "", nil
	}
	fields = map[string]string{}
	for _, f := range e.Fields {
		fields[f.Field] = f.Message[lang]
	}
	return e.Message[lang], fields
}
