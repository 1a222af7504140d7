package notify

import (
	"html/template"
	"strings"
)

// HTML is the message's text as a simple HTML page: paragraphs as written,
// and the supplier's link, alone on its line, as a button and as text.
func HTML(m Message) string {
	var b strings.Builder
	label := "Öppna frågeformuläret"
	if m.Lang == "en" {
		label = "Open the questionnaire"
	}
	b.WriteString(`<!doctype html><html lang="` + template.HTMLEscapeString(langOr(m.Lang)) + `"><head><meta charset="utf-8"><title>` +
		template.HTMLEscapeString(m.Subject) + `</title></head><body style="font-family:sans-serif;line-height:1.5;max-width:40em">`)
	for _, para := range strings.Split(strings.TrimSpace(m.Body), "\n\n") {
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			if link := strings.TrimSpace(line); strings.HasPrefix(link, "https://") && !strings.ContainsAny(link, " \t") {
				u := template.HTMLEscapeString(link)
				b.WriteString(`<a href="` + u + `" style="display:inline-block;padding:.6em 1.2em;margin:.4em 0;background:#005a87;color:#fff;text-decoration:none;border-radius:4px">` +
					template.HTMLEscapeString(label) + `</a><br><a href="` + u + `">` + u + `</a>`)
				continue
			}
			b.WriteString(template.HTMLEscapeString(line))
		}
		b.WriteString("</p>")
	}
	b.WriteString("</body></html>")
	return b.String()
}

func langOr(l string) string {
	if l == "en" {
		return "en"
	}
	return "sv"
}
