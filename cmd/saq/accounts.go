package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/internal/store"
)

// cli is who the audit trail names for changes made from the command line.
var cli = account.Actor{Name: "cli", IP: "local"}

// accountCommand runs "saq user …" and "saq token …" against MONGODB_URI or,
// with the service stopped, the embedded data directory.
func accountCommand(ctx context.Context, noun string, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s: say what to do; see saq help", noun)
	}
	verb, args := args[0], args[1:]
	fset := flag.NewFlagSet(noun+" "+verb, flag.ContinueOnError)
	fset.SetOutput(stderr)
	email := fset.String("email", "", "the account's email address")
	name := fset.String("name", "", "full name (user add)")
	role := fset.String("role", "", "admin, coordinator or auditor (user add)")
	region := fset.String("region", "", "region id, e.g. skane or national (user add)")
	pwStdin := fset.Bool("password-stdin", false, "read the password from the first line of standard input (user add)")
	token := fset.String("token", "", "the token, or the hint shown by user list (token revoke)")
	cfg, help, err := commandConfig(fset, args, getenv)
	if help || err != nil {
		return err
	}

	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := cfg.openStore(ctx, log, nil)
	if errors.Is(err, store.ErrDataDirLocked) && noun+" "+verb == "user list" {
		// Listing only reads: it may go through the running service's database.
		st, err = store.Attach(ctx, cfg.DataDir, cfg.DBName, log)
	}
	if err != nil {
		return err
	}
	defer closeStore(st, log)
	dir, err := org.Load(cfg.questionnaireFS())
	if err != nil {
		return err
	}
	svc := newAccounts(st, dir)

	switch noun + " " + verb {
	case "user add":
		if !*pwStdin {
			return errors.New("user add: give the password on standard input with --password-stdin, so it stays out of the shell history")
		}
		pw, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return fmt.Errorf("read password: %w", err)
		}
		u, err := svc.CreateUser(ctx, cli, account.NewUser{Email: *email, Name: *name, Role: account.Role(*role), Region: *region, Password: strings.TrimRight(pw, "\r\n")})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "created %s (%s, %s)\n", u.Email, u.Role, u.Region)
	case "user list":
		users, err := svc.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "EMAIL\tNAME\tROLE\tREGION\tSTATUS\tTOKENS")
		for _, u := range users {
			status := "active"
			if u.Disabled {
				status = "disabled"
			}
			tokens, err := svc.Tokens(ctx, u.ID)
			if err != nil {
				return err
			}
			var hints []string
			for _, t := range tokens {
				if t.RevokedAt.IsZero() {
					hints = append(hints, t.Hint+"…")
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Email, u.Name, u.Role, u.Region, status, strings.Join(hints, " "))
		}
		return tw.Flush()
	case "user disable":
		if err := svc.DisableUser(ctx, cli, *email); err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "disabled %s\n", *email)
	case "user enable":
		if err := svc.EnableUser(ctx, cli, *email); err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "enabled %s\n", *email)
	case "token create":
		plain, _, err := svc.CreateToken(ctx, cli, *email)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "API token for %s; it is shown only now:\n%s\n", account.NormalizeEmail(*email), plain)
	case "token revoke":
		if err := svc.RevokeToken(ctx, cli, *email, *token); err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "revoked\n")
	default:
		return fmt.Errorf("unknown command %q; see saq help", noun+" "+verb)
	}
	return nil
}

// explain turns an application error into its English message with the fields.
func explain(err error) error {
	e, ok := apperr.As(err)
	if !ok {
		return err
	}
	msg := e.Message["en"]
	for _, f := range e.Fields {
		msg += fmt.Sprintf("\n  %s: %s", f.Field, f.Message["en"])
	}
	return errors.New(msg)
}
