package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"

	"github.com/wneessen/go-mail"
)

// SMTP sends mail through a server given as a URL:
// smtp://user:password@host:587?from=saq@region.se (smtps:// for implicit TLS;
// &ca=/path/ca.pem trusts a region's own certificate authority).
type SMTP struct {
	host     string
	port     int
	user     string
	password string
	from     string
	fromName string // shown in From, e.g. the region's name
	implicit bool
	tls      *tls.Config // with the server's CA when ?ca= names one; nil: the system's roots
}

// WithFromName sets the name shown beside the sender's address.
func (s *SMTP) WithFromName(name string) *SMTP {
	s.fromName = name
	return s
}

// ParseSMTP reads SAQ_SMTP_URL.
func ParseSMTP(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, fmt.Errorf("SAQ_SMTP_URL %q: want smtp://[user:password@]host[:port]?from=address", redact(raw))
	}
	s := &SMTP{host: u.Hostname(), port: 587, from: u.Query().Get("from"), implicit: u.Scheme == "smtps"}
	if s.implicit {
		s.port = 465
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("SAQ_SMTP_URL: port %q", p)
		}
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
	}
	if s.from == "" {
		return nil, fmt.Errorf("SAQ_SMTP_URL: say who mail is from with ?from=address")
	}
	if ca := u.Query().Get("ca"); ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			return nil, fmt.Errorf("SAQ_SMTP_URL: read ca %s: %w", ca, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("SAQ_SMTP_URL: ca %s holds no PEM certificate", ca)
		}
		s.tls = &tls.Config{RootCAs: pool, ServerName: s.host, MinVersion: tls.VersionTLS12}
	}
	return s, nil
}

func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		u.User = url.User(u.User.Username())
		return u.String()
	}
	return "…"
}

// Send delivers one message, as plain text with a simple HTML alternative,
// with STARTTLS where the server offers it.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg := mail.NewMsg()
	if err := msg.FromFormat(s.fromName, s.from); err != nil {
		return fmt.Errorf("from %s: %w", s.from, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("to %s: %w", m.To, err)
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return fmt.Errorf("reply-to %s: %w", m.ReplyTo, err)
		}
	}
	if m.Kind == Reminder || m.Kind == ActionDue {
		// RFC 3834: an automatic message, so that auto-replies stay away.
		msg.SetGenHeader("Auto-Submitted", "auto-generated")
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(mail.TypeTextPlain, m.Body)
	msg.AddAlternativeString(mail.TypeTextHTML, HTML(m))
	opts := []mail.Option{mail.WithPort(s.port), mail.WithTLSPolicy(mail.TLSOpportunistic)}
	if s.implicit {
		opts = append(opts, mail.WithSSL())
	}
	if s.tls != nil {
		opts = append(opts, mail.WithTLSConfig(s.tls))
	}
	if s.user != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(s.user), mail.WithPassword(s.password))
	}
	client, err := mail.NewClient(s.host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		err = fmt.Errorf("send to %s: %w", m.To, err)
		// A reply the server gave as final (5xx to the sender, a recipient or
		// the data) is not retried; a 4xx, a refused or broken connection is.
		var se *mail.SendError
		if errors.As(err, &se) && !se.IsTemp() && se.Reason >= mail.ErrSMTPMailFrom && se.Reason <= mail.ErrSMTPDataClose {
			return &PermanentError{err}
		}
		return err
	}
	return nil
}
