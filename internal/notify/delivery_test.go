package notify_test

import (
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/regionerna/saq/internal/notify"
	"github.com/regionerna/saq/internal/secret"
	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/internal/store/storetest"
)

// mailServer is a real SMTP server (go-smtp) on loopback whose answer to
// each recipient can be set: accept, 451 (try later) or 550 (refused).
type mailServer struct {
	addr  string
	srv   *smtp.Server
	reply atomic.Int32 // 0 accept, else the code to refuse with

	mu      sync.Mutex
	got     []string // the messages accepted, whole
	overTLS []bool   // for each, whether it came over TLS
}

// startMailServer serves on addr ("127.0.0.1:0" for any port).
func startMailServer(t *testing.T, addr string) *mailServer {
	return startMailServerTLS(t, addr, nil, false)
}

// startMailServerTLS serves with cfg: STARTTLS offered, or TLS from the
// first byte when implicit.
func startMailServerTLS(t *testing.T, addr string, cfg *tls.Config, implicit bool) *mailServer {
	t.Helper()
	m := &mailServer{}
	m.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{m: m, c: c}, nil }))
	m.srv.Domain, m.srv.AllowInsecureAuth, m.srv.TLSConfig = "mail.test", true, cfg
	m.srv.ReadTimeout, m.srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if implicit {
		ln = tls.NewListener(ln, cfg)
	}
	m.addr = ln.Addr().String()
	go func() { _ = m.srv.Serve(ln) }()
	t.Cleanup(func() { _ = m.srv.Close() })
	return m
}

func (m *mailServer) messages() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.got...)
}

type session struct {
	m *mailServer
	c *smtp.Conn
}

func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error {
	return nil
}

func (s *session) Rcpt(string, *smtp.RcptOptions) error {
	switch code := s.m.reply.Load(); code {
	case 0:
		return nil
	default:
		return &smtp.SMTPError{Code: int(code), EnhancedCode: smtp.EnhancedCode{int(code) / 100, 0, 0}, Message: fmt.Sprintf("test server says %d", code)}
	}
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, overTLS := s.c.TLSConnectionState()
	s.m.mu.Lock()
	s.m.got = append(s.m.got, string(b))
	s.m.overTLS = append(s.m.overTLS, overTLS)
	s.m.mu.Unlock()
	return nil
}

// freeAddr is a loopback address nothing listens on, for a server that is down.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// notifier sends through the SMTP server at addr, with attempts claimed in st.
func notifier(t *testing.T, st *store.Store, addr string, clock *testClock) *notify.Notifier {
	t.Helper()
	sender, err := notify.ParseSMTP("smtp://" + addr + "?from=saq@region.test")
	if err != nil {
		t.Fatal(err)
	}
	n := notify.New(st.Outbox(), sender, slog.New(slog.DiscardHandler), regionName, clock.now)
	n.ClaimWith(st.Claim)
	return n
}

func only(t *testing.T, n *notify.Notifier) notify.Message {
	t.Helper()
	msgs, err := n.Outbox(ctx, "")
	if err != nil || len(msgs) != 1 {
		t.Fatalf("outbox: %v, %v", msgs, err)
	}
	return msgs[0]
}

// The server is down when the invitation is made; it is delivered on the
// first retry after the server comes up.
func TestDeliveredWhenServerComesUp(t *testing.T) {
	st := storetest.New(t)
	clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	addr := freeAddr(t)
	n := notifier(t, st, addr, clock)
	if err := n.Invite(ctx, sample("sv", "2027-01-31"), "https://saq.test/s/TOKEN"); err != nil {
		t.Fatal(err)
	}
	m := only(t, n)
	if m.State != notify.Retrying || m.Attempts != 1 || !strings.Contains(m.Error, "connection refused") ||
		!m.NextAttempt.Equal(clock.now().Add(notify.Backoff[0])) {
		t.Fatalf("after the first attempt: %+v", m)
	}
	if sent, err := n.Retry(ctx); err != nil || sent != 0 {
		t.Errorf("retry before its time: %d, %v", sent, err)
	}
	server := startMailServer(t, addr)
	clock.add(notify.Backoff[0])
	if sent, err := n.Retry(ctx); err != nil || sent != 1 {
		t.Fatalf("retry after the server came up: %d, %v", sent, err)
	}
	got := server.messages()
	if len(got) != 1 || !strings.Contains(got[0], "https://saq.test/s/TOKEN") {
		t.Errorf("the server got %d messages: %q", len(got), got)
	}
	if m := only(t, n); m.State != notify.Sent || m.Attempts != 2 || m.SentAt.IsZero() {
		t.Errorf("after delivery: %+v", m)
	}
	if sent, _ := n.Retry(ctx); sent != 0 || len(server.messages()) != 1 {
		t.Error("a delivered message was sent again")
	}
}

// A 4xx is tried again, with the server's reply kept meanwhile; a 5xx is
// failed at once and never tried again.
func TestServerReplies(t *testing.T) {
	for _, tt := range []struct {
		name      string
		code      int32
		state     string
		delivered int
	}{
		{"451 try later", 451, notify.Retrying, 1},
		{"550 refused", 550, notify.Failed, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := storetest.New(t)
			clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
			server := startMailServer(t, "127.0.0.1:0")
			server.reply.Store(tt.code)
			n := notifier(t, st, server.addr, clock)
			if err := n.Invite(ctx, sample("en", "2027-01-31"), "https://saq.test/s/TOKEN"); err != nil {
				t.Fatal(err)
			}
			if m := only(t, n); m.State != tt.state || !strings.Contains(m.Error, fmt.Sprint(tt.code)) {
				t.Fatalf("after the first attempt: %+v", m)
			}
			server.reply.Store(0)
			clock.add(time.Hour)
			if _, err := n.Retry(ctx); err != nil {
				t.Fatal(err)
			}
			if got := len(server.messages()); got != tt.delivered {
				t.Errorf("%d delivered, want %d", got, tt.delivered)
			}
		})
	}
}

// Three instances share one outbox and retry at once: each message is
// delivered once.
func TestRetriesAcrossInstances(t *testing.T) {
	st := storetest.New(t)
	clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	addr := freeAddr(t)
	first := notifier(t, st, addr, clock)
	const messages = 12
	for i := range messages {
		a := sample("sv", "2027-01-31")
		a.ID = fmt.Sprintf("a%d", i)
		if err := first.Invite(ctx, a, fmt.Sprintf("https://saq.test/s/T%02d", i)); err != nil {
			t.Fatal(err)
		}
	}
	server := startMailServer(t, addr)
	clock.add(notify.Backoff[0])
	instances := []*notify.Notifier{first}
	for range 2 {
		instances = append(instances, notifier(t, storetest.Instance(t, st), addr, clock))
	}
	var wg sync.WaitGroup
	var sent atomic.Int32
	for _, n := range instances {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := n.Retry(ctx)
			if err != nil {
				t.Error(err)
			}
			sent.Add(int32(c))
		}()
	}
	wg.Wait()
	got := server.messages()
	seen := map[string]int{}
	for _, m := range got {
		i := strings.Index(m, "https://saq.test/s/T")
		seen[m[i:i+len("https://saq.test/s/T00")]]++
	}
	if len(got) != messages || len(seen) != messages || sent.Load() != messages {
		t.Errorf("%d delivered (%d distinct), %d counted as sent; want %d each", len(got), len(seen), sent.Load(), messages)
	}
}

// No live link at rest: while a message waits for a retry its link is
// sealed with the secret key (or kept plain without one), the body holds a
// marker, and once the message is delivered the link is gone from the
// outbox; the mail itself carries it.
func TestLinkAtRest(t *testing.T) {
	for _, key := range []string{"the region's secret key", ""} {
		t.Run(fmt.Sprintf("key %t", key != ""), func(t *testing.T) {
			st := storetest.New(t)
			clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
			addr := freeAddr(t)
			n := notifier(t, st, addr, clock)
			if key != "" {
				sealer, err := secret.NewSealer(key)
				if err != nil {
					t.Fatal(err)
				}
				n.SealWith(sealer)
			}
			if err := n.Invite(ctx, sample("en", "2027-01-31"), "https://saq.test/s/TOKEN"); err != nil {
				t.Fatal(err)
			}
			m := only(t, n)
			plain := strings.Contains(m.Sealed, "TOKEN")
			if m.State != notify.Retrying || strings.Contains(m.Body, "TOKEN") || !strings.Contains(m.Body, notify.LinkMarker("en")) ||
				m.Sealed == "" || plain != (key == "") {
				t.Fatalf("waiting: body has the link %t, sealed %q", strings.Contains(m.Body, "TOKEN"), m.Sealed)
			}
			server := startMailServer(t, addr)
			clock.add(notify.Backoff[0])
			if sent, err := n.Retry(ctx); err != nil || sent != 1 {
				t.Fatalf("retry: %d, %v", sent, err)
			}
			if got := server.messages(); len(got) != 1 || !strings.Contains(got[0], "https://saq.test/s/TOKEN") || strings.Contains(got[0], "[personal link") {
				t.Errorf("the mail lacks the link: %q", got)
			}
			if m := only(t, n); m.State != notify.Sent || m.Sealed != "" || strings.Contains(m.Body, "TOKEN") {
				t.Errorf("after delivery: sealed %q, body has the link %t", m.Sealed, strings.Contains(m.Body, "TOKEN"))
			}
		})
	}
}
