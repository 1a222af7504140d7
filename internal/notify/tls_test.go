package notify_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/notify"
	"github.com/regionerna/saq/internal/store/storetest"
)

// testCA makes a certificate authority and a server certificate for
// 127.0.0.1 signed by it; it returns the server's TLS configuration and the
// CA's PEM file.
func testCA(t *testing.T) (*tls.Config, string) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test region CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}, file
}

// Mail goes out encrypted: with STARTTLS on the submission port, and with
// TLS from the first byte on smtps://, trusting the region's own CA.
func TestMailOverTLS(t *testing.T) {
	cfg, caFile := testCA(t)
	for _, tt := range []struct {
		name, scheme string
		implicit     bool
	}{
		{"STARTTLS", "smtp", false},
		{"implicit TLS", "smtps", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			server := startMailServerTLS(t, "127.0.0.1:0", cfg, tt.implicit)
			sender, err := notify.ParseSMTP(tt.scheme + "://" + server.addr + "?from=saq@region.test&ca=" + caFile)
			if err != nil {
				t.Fatal(err)
			}
			n := notify.New(storetest.New(t).Outbox(), sender, slog.New(slog.DiscardHandler), regionName, nil)
			if err := n.Invite(ctx, sample("en", "2027-01-31"), "https://saq.test/s/TOKEN"); err != nil {
				t.Fatal(err)
			}
			got := server.messages()
			server.mu.Lock()
			overTLS := append([]bool(nil), server.overTLS...)
			server.mu.Unlock()
			if len(got) != 1 || !overTLS[0] || !strings.Contains(got[0], "https://saq.test/s/TOKEN") {
				t.Errorf("%d messages, over TLS %v", len(got), overTLS)
			}
		})
	}
	// A server whose certificate the CA did not sign is not sent to: the
	// message waits for a retry, with the reason kept.
	other, _ := testCA(t)
	server := startMailServerTLS(t, "127.0.0.1:0", other, true)
	sender, err := notify.ParseSMTP("smtps://" + server.addr + "?from=saq@region.test&ca=" + caFile)
	if err != nil {
		t.Fatal(err)
	}
	n := notify.New(storetest.New(t).Outbox(), sender, slog.New(slog.DiscardHandler), regionName, nil)
	if err := n.Invite(ctx, sample("en", "2027-01-31"), "https://saq.test/s/TOKEN"); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := n.Outbox(ctx, ""); len(server.messages()) != 0 || len(msgs) != 1 || msgs[0].State != notify.Retrying ||
		!strings.Contains(msgs[0].Error, "certificate") {
		t.Errorf("an untrusted server: %d delivered, outbox %+v", len(server.messages()), msgs)
	}
	for _, bad := range []string{"?from=a@b.se&ca=/nonexistent.pem", "?from=a@b.se&ca=" + os.Args[0]} {
		if _, err := notify.ParseSMTP("smtp://127.0.0.1:25" + bad); err == nil {
			t.Errorf("ParseSMTP accepted %s", bad)
		}
	}
}
