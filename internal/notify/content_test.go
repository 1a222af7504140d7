package notify_test

import (
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/notify"
	"github.com/regionerna/saq/internal/store/storetest"
)

// part is one part of a message as read back: its type and decoded text.
type part struct{ typ, text string }

// readMail parses a message as a mail client would.
func readMail(t *testing.T, raw string) (*mail.Message, []part) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("read mail: %v\n%s", err, raw)
	}
	typ, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || typ != "multipart/alternative" {
		t.Fatalf("content type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	var parts []part
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		parts = append(parts, part{pt, strings.ReplaceAll(string(b), "\r\n", "\n")}) // mail lines end in CRLF
	}
	return msg, parts
}

// What a supplier's mail client shows: the region's name as the sender,
// replies to the coordinator, the subject with its Swedish letters, a plain
// and an HTML part with the link as a button and as text; reminders marked
// as automatic.
func TestMailContent(t *testing.T) {
	st := storetest.New(t)
	server := startMailServer(t, "127.0.0.1:0")
	sender, err := notify.ParseSMTP("smtp://" + server.addr + "?from=saq@region.test")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2027, 1, 24, 6, 0, 0, 0, time.UTC) // a week before the due date
	n := notify.New(st.Outbox(), sender.WithFromName("Region Skåne"), slog.New(slog.DiscardHandler), regionName, func() time.Time { return day })
	a := sample("sv", "2027-01-31")
	if err := n.Invite(ctx, a, "https://saq.test/s/TOKEN"); err != nil {
		t.Fatal(err)
	}
	if sent, err := n.Remind(ctx, []*assessment.Assessment{a}); err != nil || sent != 1 {
		t.Fatalf("remind: %d, %v", sent, err)
	}
	got := server.messages()
	if len(got) != 2 {
		t.Fatalf("%d messages", len(got))
	}
	dec := new(mime.WordDecoder)
	for i, raw := range got {
		msg, parts := readMail(t, raw)
		from, err := mail.ParseAddress(msg.Header.Get("From"))
		if err != nil || from.Name != "Region Skåne" || from.Address != "saq@region.test" {
			t.Errorf("From %q: %+v %v", msg.Header.Get("From"), from, err)
		}
		if rt, err := mail.ParseAddress(msg.Header.Get("Reply-To")); err != nil || rt.Address != "kim@skane.se" {
			t.Errorf("Reply-To %q", msg.Header.Get("Reply-To"))
		}
		subject, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
		auto := msg.Header.Get("Auto-Submitted")
		if len(parts) != 2 || parts[0].typ != "text/plain" || parts[1].typ != "text/html" {
			t.Fatalf("parts %+v", parts)
		}
		switch i {
		case 0: // the invitation
			if !strings.Contains(subject, "Självutvärdering om uppförandekoden för Handskfabriken Åström AB") || auto != "" {
				t.Errorf("invitation: subject %q, Auto-Submitted %q", subject, auto)
			}
			if !strings.Contains(parts[0].text, "Er personliga länk (dela den inte):\nhttps://saq.test/s/TOKEN") {
				t.Errorf("plain part:\n%s", parts[0].text)
			}
			if strings.Count(parts[1].text, `href="https://saq.test/s/TOKEN"`) != 2 || !strings.Contains(parts[1].text, ">Öppna frågeformuläret</a>") ||
				!strings.Contains(parts[1].text, "Handskfabriken Åström AB") {
				t.Errorf("HTML part:\n%s", parts[1].text)
			}
		case 1: // the reminder
			if auto != "auto-generated" || !strings.Contains(subject, "Påminnelse") {
				t.Errorf("reminder: subject %q, Auto-Submitted %q", subject, auto)
			}
		}
	}
}
