package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
	"github.com/regionerna/saq/internal/listing"
	"github.com/regionerna/saq/internal/metrics"
	"github.com/regionerna/saq/internal/notify"
	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/review"
	"github.com/regionerna/saq/internal/secret"
	"github.com/regionerna/saq/internal/sso"
	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/internal/web"
)

// shutdownGrace is how long in-flight requests may take to finish on SIGTERM.
const shutdownGrace = 10 * time.Second

func serveCommand(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fset := flag.NewFlagSet("serve", flag.ContinueOnError)
	fset.SetOutput(stderr)
	cfg, err := parseConfig(fset, args, getenv)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	log, err := cfg.logger(stderr)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, log, nil)
}

// serve runs the service until ctx ends, then drains and stops. When ready is
// not nil it receives the address the service listens on.
func serve(ctx context.Context, cfg config, log *slog.Logger, ready chan<- string) error {
	start := time.Now()
	svc, err := build(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeStore(svc.store, log)
	if ok, err := svc.accounts.HasAdmin(ctx); err != nil {
		return err
	} else if !ok {
		log.Warn("no admin account yet; stop the service and create one with: " +
			"saq user add --email you@example.se --name \"Your Name\" --role admin --region national --password-stdin " +
			"(with the same SAQ_DATA_DIR or MONGODB_URI), then start it again")
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	where := "MongoDB"
	if svc.store.Embedded() {
		where = "embedded database in " + cfg.DataDir
	}
	log.Info("listening", "addr", ln.Addr().String(), "database", where, "startup", time.Since(start).Round(time.Millisecond).String())
	if ready != nil {
		ready <- ln.Addr().String()
	}

	errc := make(chan error, 1)
	go func() { errc <- svc.web.App().Listener(ln) }()
	go func() { // on the embedded engine, load the summaries before anyone asks
		if err := svc.store.Assessments().Warm(ctx); err != nil && ctx.Err() == nil {
			log.Error("summary index not loaded", "err", err)
		}
	}()
	go remindLoop(ctx, svc, log)
	go purgeLoop(ctx, svc, log, cfg.ContactRetentionYears)
	go mailLoop(ctx, svc, log)
	go trendLoop(ctx, svc, log)
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", shutdownGrace.String())
	if err := svc.web.App().ShutdownWithTimeout(shutdownGrace); err != nil {
		log.Warn("requests still running at shutdown", "err", err)
	}
	return nil
}

// service is the whole wired-up service, before it listens.
type service struct {
	store       *store.Store
	accounts    *account.Service
	assessments *followup.Service
	reviews     *review.Service
	lists       *listing.Service
	notifier    *notify.Notifier
	web         *web.Server
	metrics     *metrics.Metrics
}

// every runs f now and then every interval until ctx ends.
func every(ctx context.Context, interval time.Duration, f func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		f()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// purgeInterval is how often what is kept only for a while is deleted.
const purgeInterval = time.Hour

// purgeLoop deletes, once an hour and on one instance only (the one that
// claims the hour), expired sessions, old failure counters, old delivered
// mail and old claims, and pseudonymises the contacts of follow-ups whose
// last event is more than contactYears old.
func purgeLoop(ctx context.Context, svc *service, log *slog.Logger, contactYears int) {
	every(ctx, purgeInterval, func() {
		if err := purge(ctx, svc, log, time.Now().UTC(), contactYears); err != nil {
			log.Error("purge", "err", err)
		}
	})
}

// purge runs the purge for the hour of now, unless another instance has.
func purge(ctx context.Context, svc *service, log *slog.Logger, now time.Time, contactYears int) error {
	ok, err := svc.store.Claim(ctx, "purge", now.Truncate(purgeInterval))
	if err != nil || !ok {
		return err
	}
	purged, err := svc.store.Purge(ctx, now)
	if err != nil {
		return err
	}
	n, err := svc.assessments.EraseContactsBefore(ctx, now.AddDate(-contactYears, 0, 0))
	if err != nil {
		return err
	}
	// Numbers stored before they were normalised on input; none after the first run.
	normalised, err := svc.assessments.NormaliseOrgNumbers(ctx)
	if err != nil {
		return err
	}
	// Reporting dates in action plans that passed without a report, logged once each.
	expired, err := svc.assessments.ExpireLapsed(ctx)
	if err != nil {
		return err
	}
	if expired > 0 {
		log.Info("follow-ups past their link marked expired", "count", expired)
	}
	missed, err := svc.reviews.LogMissedReports(ctx)
	if err != nil {
		return err
	}
	log.Info("purged", "counts", purged, "contacts_pseudonymised", n, "org_numbers_normalised", normalised, "reports_missed", missed)
	return nil
}

// trendLoop records the day's counts for the dashboard's trend at start
// and every hour, on every instance: a day's counts are replaced, not
// added to, so whichever run comes last stands for the day, and a restart
// never leaves a day out.
func trendLoop(ctx context.Context, svc *service, log *slog.Logger) {
	every(ctx, purgeInterval, func() {
		if err := svc.lists.RecordDay(ctx); err != nil && ctx.Err() == nil {
			log.Error("record the day's counts", "err", err)
		}
	})
}

// mailInterval is how often the outbox is read for messages due another
// attempt; retries wait a minute or more (notify.Backoff), so a message is
// tried within half a minute of its time.
const mailInterval = 30 * time.Second

// mailLoop sends the messages due from the outbox, on every instance; each
// attempt is claimed by one.
func mailLoop(ctx context.Context, svc *service, log *slog.Logger) {
	every(ctx, mailInterval, func() {
		if n, err := svc.notifier.Retry(ctx); err != nil && ctx.Err() == nil {
			log.Error("mail retry", "err", err)
		} else if n > 0 {
			log.Info("mail delivered on retry", "count", n)
		}
	})
}

// remindInterval is how often reminders due today are looked for; each goes
// out once a day whichever instance finds it first.
const remindInterval = time.Hour

// remindLoop sends the day's reminders now and then every remindInterval,
// until ctx ends.
func remindLoop(ctx context.Context, svc *service, log *slog.Logger) {
	repo := svc.store.Assessments()
	every(ctx, remindInterval, func() {
		for _, r := range []struct {
			what string
			find func(context.Context) ([]*assessment.Assessment, error)
			send func(context.Context, []*assessment.Assessment) (int, error)
		}{
			{"reminders", func(ctx context.Context) ([]*assessment.Assessment, error) { return remindable(ctx, repo, time.Now()) }, svc.notifier.Remind},
			{"action reminders", func(ctx context.Context) ([]*assessment.Assessment, error) { return withActions(ctx, repo) }, svc.notifier.RemindActions},
			{"plan reminders", func(ctx context.Context) ([]*assessment.Assessment, error) { return planAsked(ctx, repo) },
				func(ctx context.Context, list []*assessment.Assessment) (int, error) {
					return svc.notifier.RemindPlans(ctx, list, svc.assessments.Deadlines().Remind)
				}},
		} {
			list, findErr := r.find(ctx)
			if findErr != nil {
				log.Error("find assessments for "+r.what, "err", findErr)
			}
			n, err := r.send(ctx, list)
			svc.metrics.ReminderRun(r.what, findErr != nil || err != nil)
			if err != nil {
				log.Error("send "+r.what, "err", err)
			} else if n > 0 {
				log.Info(r.what+" sent", "count", n)
			}
		}
	})
}

// withActions reads the follow-ups whose corrective actions are under way,
// whose actions may be due for a reminder.
func withActions(ctx context.Context, repo assessment.Repo) ([]*assessment.Assessment, error) {
	return readWhole(ctx, repo, []assessment.Status{assessment.CorrectiveActions}, nil)
}

// planAsked reads the follow-ups under review with a plan asked for.
func planAsked(ctx context.Context, repo assessment.Repo) ([]*assessment.Assessment, error) {
	list, err := readWhole(ctx, repo, []assessment.Status{assessment.InReview}, nil)
	var out []*assessment.Assessment
	for _, a := range list {
		if a.PlanDue() != "" {
			out = append(out, a)
		}
	}
	return out, err
}

// remindable reads the assessments that may get a reminder today: those
// still with the supplier whose due date is ReminderDays away or was
// yesterday.
func remindable(ctx context.Context, repo assessment.Repo, now time.Time) ([]*assessment.Assessment, error) {
	today := now.UTC().Truncate(24 * time.Hour)
	days := []string{today.AddDate(0, 0, notify.ReminderDays).Format(time.DateOnly), today.AddDate(0, 0, -1).Format(time.DateOnly)}
	return readWhole(ctx, repo, []assessment.Status{assessment.Issued, assessment.InProgress, assessment.Returned},
		func(sm assessment.Summary) bool { return slices.Contains(days, sm.DueDate) })
}

// readWhole reads the assessments in the given statuses that keep accepts
// (all, when keep is nil): the summaries narrow them down; only those are
// read whole.
func readWhole(ctx context.Context, repo assessment.Repo, statuses []assessment.Status, keep func(assessment.Summary) bool) ([]*assessment.Assessment, error) {
	var out []*assessment.Assessment
	for _, st := range statuses {
		list, err := repo.Summaries(ctx, assessment.Filter{Status: st})
		if err != nil {
			return nil, err
		}
		for _, sm := range list {
			if keep != nil && !keep(sm) {
				continue
			}
			a, err := repo.Get(ctx, sm.ID)
			if err != nil {
				return nil, fmt.Errorf("read %s for its reminder: %w", sm.ID, err)
			}
			out = append(out, a)
		}
	}
	return out, nil
}

// build loads the data files, opens the database, publishes the
// questionnaires and wires the parts together. The caller closes the store.
func build(ctx context.Context, cfg config, log *slog.Logger) (*service, error) {
	set, dir, err := cfg.loadData()
	if err != nil {
		return nil, err
	}
	var lists *listing.Service // counts for the metrics once made
	m := metrics.New(func(ctx context.Context) (map[string]int, error) { return lists.CountByStatus(ctx) })
	st, err := cfg.openStore(ctx, log, m)
	if err != nil {
		return nil, err
	}
	if err := publish(ctx, st, set); err != nil {
		closeStore(st, log)
		return nil, err
	}
	accounts := newAccounts(st, dir)
	ac := assessment.Config{
		Repo: st.Assessments(), Files: st.Files(), Questionnaires: set, Org: dir, Audit: accounts.Record,
		Erasers: []assessment.Eraser{st.Outbox().Erase, st.Accounts().EraseEvents},
	}
	assessments, reviews := followup.New(ac, st.Assessments()), review.New(ac)
	lists = listing.New(ac, st.Assessments(), st.History())
	var sender notify.Sender
	if cfg.SMTPURL != "" {
		smtp, err := notify.ParseSMTP(cfg.SMTPURL)
		if err != nil {
			closeStore(st, log)
			return nil, err
		}
		sender = smtp.WithFromName(cfg.MailFromName)
	}
	regionName := func(id, lang string) string {
		if r, ok := dir.Region(id); ok {
			return r.Name.In(lang)
		}
		return id
	}
	notifier := notify.New(st.Outbox(), sender, log, regionName, nil)
	notifier.ClaimWith(st.Claim)    // each attempt at a message is made by one instance
	notifier.TrackWith(assessments) // follow-ups show how their invitations fare
	notifier.TitleWith(assessments) // messages name requirements by their titles
	if cfg.SecretKey != "" {
		sealer, err := secret.NewSealer(cfg.SecretKey)
		if err != nil {
			closeStore(st, log)
			return nil, fmt.Errorf("SAQ_SECRET_KEY: %w", err)
		}
		notifier.SealWith(sealer)
	}
	notifier.Observe(m.Mail)
	var providers []*sso.Client
	for _, p := range cfg.Providers {
		providers = append(providers, sso.New(p, nil))
	}
	srv, err := web.New(web.Config{
		Logger: log, DB: st, Questionnaires: set, Org: dir, Accounts: accounts, Assessments: assessments, Reviews: reviews, Lists: lists,
		Notifier: notifier, BaseURL: cfg.BaseURL, TrustedProxies: cfg.TrustedProxies,
		Metrics: m, MetricsFrom: cfg.MetricsFrom, Providers: providers, PasswordsOff: !cfg.PasswordSignIn,
	})
	if err != nil {
		closeStore(st, log)
		return nil, err
	}
	return &service{st, accounts, assessments, reviews, lists, notifier, srv, m}, nil
}

// newAccounts is the account service on the store, knowing the regions.
func newAccounts(st *store.Store, dir *org.Directory) *account.Service {
	return account.NewService(st.Accounts(), func(id string) bool { _, ok := dir.Region(id); return ok }, nil)
}

// publish records each questionnaire version the first time it is loaded and
// refuses to start when a published version's content has changed since.
func publish(ctx context.Context, st *store.Store, set *questionnaire.Set) error {
	var errs []error
	for _, q := range set.Questionnaires {
		def, err := q.Canonical()
		if err != nil {
			return err
		}
		rec, err := st.Publish(ctx, store.Publication{
			QuestionnaireID: q.ID,
			Version:         q.Version,
			Hash:            q.Hash,
			Definition:      string(def),
			PublishedAt:     time.Now().UTC(),
		})
		if err != nil {
			return err
		}
		errs = append(errs, questionnaire.CheckPublished(q, rec.Hash))
	}
	return errors.Join(errs...)
}

func healthcheckCommand(ctx context.Context, getenv func(string) string) error {
	addr := getenv("SAQ_ADDR")
	if addr == "" {
		addr = ":8080"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("SAQ_ADDR %q: %w", addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health check: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health check: status %d", resp.StatusCode)
	}
	return nil
}
