package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/regionerna/saq/internal/metrics"
	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/sso"
	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/questionnaires"
)

// config is the service's configuration: flags, defaulting to environment
// variables, defaulting to what runs on a fresh machine with no setup.
type config struct {
	Addr              string
	DataDir           string
	MongoURI          string
	DBName            string
	LogLevel          string
	QuestionnairesDir string
	TrustedProxies    []string
	MetricsFrom       []netip.Prefix // addresses that may read /metrics without an admin's token
	// ContactRetentionYears is how long after a follow-up's last event its
	// contact person's name and address are kept.
	ContactRetentionYears int
	BaseURL               string
	SMTPURL               string
	MailFromName          string
	SecretKey             string
	// Providers are the identity providers staff sign in with (SAQ_OIDC_*).
	Providers []sso.Provider
	// PasswordSignIn is whether staff may sign in with a passphrase.
	PasswordSignIn bool
}

// parseConfig reads the flags of fs after setting their defaults from the environment.
func parseConfig(fset *flag.FlagSet, args []string, getenv func(string) string) (config, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	var c config
	fset.StringVar(&c.Addr, "addr", env("SAQ_ADDR", ":8080"), "listen address (SAQ_ADDR)")
	fset.StringVar(&c.DataDir, "data-dir", env("SAQ_DATA_DIR", "./data"), "embedded database directory, used when no MongoDB URI is set (SAQ_DATA_DIR)")
	fset.StringVar(&c.MongoURI, "mongodb-uri", env("MONGODB_URI", ""), "MongoDB connection string; empty runs the embedded database (MONGODB_URI)")
	fset.StringVar(&c.DBName, "db-name", env("SAQ_DB_NAME", "saq"), "database name (SAQ_DB_NAME)")
	fset.StringVar(&c.LogLevel, "log-level", env("SAQ_LOG_LEVEL", "info"), "debug, info, warn or error (SAQ_LOG_LEVEL)")
	fset.StringVar(&c.QuestionnairesDir, "questionnaires-dir", env("SAQ_QUESTIONNAIRES_DIR", ""), "folder of questionnaire files to use instead of the built-in ones (SAQ_QUESTIONNAIRES_DIR)")
	fset.StringVar(&c.BaseURL, "base-url", env("SAQ_BASE_URL", ""), "scheme and host supplier links start with, e.g. https://saq.example.se; the request's when empty (SAQ_BASE_URL)")
	fset.StringVar(&c.SMTPURL, "smtp-url", env("SAQ_SMTP_URL", ""), "mail server, smtp://user:password@host:587?from=address; empty keeps mail in the outbox and the log (SAQ_SMTP_URL)")
	fset.StringVar(&c.SecretKey, "secret-key", env("SAQ_SECRET_KEY", ""), "at least 16 characters; encrypts the supplier links that wait in the outbox for a retry (SAQ_SECRET_KEY)")
	fset.StringVar(&c.MailFromName, "mail-from-name", env("SAQ_MAIL_FROM_NAME", ""), "the name shown beside the sender's address, e.g. the region's name (SAQ_MAIL_FROM_NAME)")
	proxies := fset.String("trusted-proxies", env("SAQ_TRUSTED_PROXIES", ""), "comma-separated proxy addresses whose X-Forwarded-For gives the client IP (SAQ_TRUSTED_PROXIES)")
	fset.IntVar(&c.ContactRetentionYears, "contact-retention-years", envInt("SAQ_CONTACT_RETENTION_YEARS", 5, getenv),
		"years after a follow-up's last event that its contact person's name and address are kept (SAQ_CONTACT_RETENTION_YEARS)")
	passwords := fset.String("password-sign-in", env("SAQ_PASSWORD_SIGN_IN", "on"), "on, or off to have staff sign in through an identity provider only (SAQ_PASSWORD_SIGN_IN)")
	metricsFrom := fset.String("metrics-from", env("SAQ_METRICS_FROM", ""), "comma-separated address ranges that may read /metrics without an admin's token, e.g. 10.0.0.0/8 (SAQ_METRICS_FROM)")
	if err := fset.Parse(args); err != nil {
		return c, err
	}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	if c.ContactRetentionYears < 1 || c.ContactRetentionYears > 100 {
		return c, fmt.Errorf("SAQ_CONTACT_RETENTION_YEARS %d: give a whole number of years from 1 to 100", c.ContactRetentionYears)
	}
	for _, p := range strings.Split(*metricsFrom, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			return c, fmt.Errorf("SAQ_METRICS_FROM %q: give address ranges such as 10.0.0.0/8 or 127.0.0.1/32", p)
		}
		c.MetricsFrom = append(c.MetricsFrom, prefix)
	}
	switch *passwords {
	case "on":
		c.PasswordSignIn = true
	case "off":
	default:
		return c, fmt.Errorf("SAQ_PASSWORD_SIGN_IN %q: give on or off", *passwords)
	}
	providers, err := sso.FromEnv(getenv, c.BaseURL)
	if err != nil {
		return c, err
	}
	c.Providers = providers
	if fset.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fset.Args(), " "))
	}
	return c, nil
}

// envInt is the environment variable name as a whole number, def when
// unset; a value that is not a number gives -1, which the checks refuse.
func envInt(name string, def int, getenv func(string) string) int {
	v := getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return -1
	}
	return n
}

// commandConfig reads the service's configuration from the environment for
// an administration command, and the command's own flags from args; help
// is true when the flags asked only for help, which fset has printed.
func commandConfig(fset *flag.FlagSet, args []string, getenv func(string) string) (cfg config, help bool, err error) {
	if cfg, err = parseConfig(flag.NewFlagSet("config", flag.ContinueOnError), nil, getenv); err != nil {
		return cfg, false, err
	}
	err = fset.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return cfg, true, nil
	}
	return cfg, false, err
}

// logger builds the process's slog logger at the configured level.
func (c config) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("log level %q: use debug, info, warn or error", c.LogLevel)
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})), nil
}

// questionnaireFS is the folder of questionnaire files: the configured one, or those built in.
func (c config) questionnaireFS() fs.FS {
	if c.QuestionnairesDir != "" {
		return os.DirFS(c.QuestionnairesDir)
	}
	return questionnaires.Files
}

func (c config) loadQuestionnaires() (*questionnaire.Set, error) {
	set, _, err := c.loadData()
	return set, err
}

// loadData reads the questionnaires and the organisation, which they
// refer to: modules name its risk areas, and a list of countries is
// filled in from its names.
func (c config) loadData() (*questionnaire.Set, *org.Directory, error) {
	set, err := questionnaire.LoadFS(c.questionnaireFS())
	if err != nil {
		return nil, nil, fmt.Errorf("load questionnaires: %w", err)
	}
	dir, err := org.Load(c.questionnaireFS())
	if err != nil {
		return nil, nil, err
	}
	if err := checkModules(set, dir); err != nil {
		return nil, nil, fmt.Errorf("load questionnaires: %w", err)
	}
	set.FillOptions(questionnaire.Countries, dir.CountryOptions())
	return set, dir, nil
}

// checkModules makes sure that every module is asked for risk areas the
// organisation has: a misspelt one would never be asked.
func checkModules(set *questionnaire.Set, dir *org.Directory) error {
	var errs []error
	for _, q := range set.Questionnaires {
		for _, sec := range q.Sections {
			for _, ra := range sec.RiskAreas {
				if _, ok := dir.RiskArea(ra); !ok {
					errs = append(errs, fmt.Errorf("%s: section %s: risk area %q is not in %s", q.File, sec.ID, ra, org.File))
				}
			}
		}
	}
	return errors.Join(errs...)
}

// openStore connects to MONGODB_URI, or opens the embedded database; with
// m, it times every database command.
func (c config) openStore(ctx context.Context, log *slog.Logger, m *metrics.Metrics) (*store.Store, error) {
	opts := store.Options{URI: c.MongoURI, DataDir: c.DataDir, DBName: c.DBName, Logger: log}
	if m != nil {
		opts.Observe = m.DBOperation
	}
	return store.Open(ctx, opts)
}

func closeStore(st *store.Store, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := st.Close(ctx); err != nil {
		log.Error("close database", "err", err)
	}
}
