package core

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/i18n"
)

// ReportLang is the language a document is asked for: ?lang=sv|en, else the
// reader's own; any other lang is refused rather than ignored. Asking for a
// document in the other language leaves the reader's pages as they were.
func ReportLang(c *fiber.Ctx) (string, error) {
	switch l := c.Query("lang"); {
	case i18n.Supported(l):
		return l, nil
	case l != "":
		e := apperr.New(apperr.Invalid, "Språket kan vara sv eller en.", "The language can be sv or en.")
		e.Fields = []apperr.Field{{Field: "lang", Message: e.Message}}
		return "", e
	}
	return Language(c), nil
}

// SendPDF answers with a PDF to download under a file name made from title.
// Reports are confidential: nothing on the way may keep a copy.
func SendPDF(c *fiber.Ctx, title string, pdf []byte) error {
	name := fileName(title) + ".pdf"
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`,
		asciiName(name), url.PathEscape(name)))
	return c.Send(pdf)
}

// fileName turns a title into a file name: letters, digits and dashes.
func fileName(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// fold spells the commonest letters of Swedish names in ASCII.
var fold = strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e", "ü", "u")

// asciiName is name for clients that read only the plain filename parameter.
func asciiName(name string) string {
	name = fold.Replace(name)
	return strings.Map(func(r rune) rune {
		if r > unicode.MaxASCII {
			return '_'
		}
		return r
	}, name)
}
