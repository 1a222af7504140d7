package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/regionerna/saq/internal/questionnaire"
)

func questionnairesCommand(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("questionnaires: say check or list")
	}
	sub, args := args[0], args[1:]
	fset := flag.NewFlagSet("questionnaires "+sub, flag.ContinueOnError)
	fset.SetOutput(stderr)
	asJSON := fset.Bool("json", false, "print JSON (list)")
	dir := fset.String("dir", getenv("SAQ_QUESTIONNAIRES_DIR"), "questionnaire folder instead of the built-in one (SAQ_QUESTIONNAIRES_DIR)")
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	cfg := config{QuestionnairesDir: *dir}
	switch sub {
	case "check":
		return checkFiles(cfg, fset.Args(), stdout, stderr)
	case "list":
		set, err := cfg.loadQuestionnaires()
		if err != nil {
			return err
		}
		return list(set, *asJSON, stdout)
	}
	return fmt.Errorf("questionnaires: unknown command %q; say check or list", sub)
}

// checkFiles checks the named files, or the whole folder when none are named.
// A file named requirements.yaml is taken as the requirement catalogue for
// the others; without one, the built-in (or configured) catalogue is used.
func checkFiles(cfg config, files []string, stdout, stderr io.Writer) error {
	if len(files) == 0 {
		set, err := cfg.loadQuestionnaires()
		if err != nil {
			fmt.Fprintln(stderr, err)
			return errReported
		}
		for _, q := range set.Questionnaires {
			fmt.Fprintf(stdout, "ok  %s: %s version %d, %d questions\n", q.File, q.ID, q.Version, len(q.Questions()))
		}
		return nil
	}

	var cat *questionnaire.Catalogue
	var others []string
	failed := false
	for _, f := range files {
		if filepath.Base(f) != questionnaire.CatalogueFile {
			others = append(others, f)
			continue
		}
		data, err := os.ReadFile(f)
		if err == nil {
			cat, err = questionnaire.ParseCatalogue(f, data)
		}
		if err != nil {
			fmt.Fprintln(stderr, err)
			return errReported // the questionnaires cannot be checked without it
		}
		fmt.Fprintf(stdout, "ok  %s: %d requirements\n", f, len(cat.Requirements))
	}
	if cat == nil {
		set, err := cfg.loadQuestionnaires()
		if err != nil {
			return err
		}
		cat = set.Catalogue
	}
	for _, f := range others {
		data, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", f, err)
			failed = true
			continue
		}
		q, err := questionnaire.Parse(f, data, cat)
		if err != nil {
			fmt.Fprintln(stderr, err)
			failed = true
			continue
		}
		fmt.Fprintf(stdout, "ok  %s: %s version %d, %d questions, %s\n", f, q.ID, q.Version, len(q.Questions()), q.Hash)
	}
	if failed {
		return errReported
	}
	return nil
}

// listed is one questionnaire version as "questionnaires list --json" prints it.
type listed struct {
	ID           string            `json:"id"`
	Version      int               `json:"version"`
	Title        map[string]string `json:"title"`
	Questions    int               `json:"questions"`
	Requirements int               `json:"requirements"`
	Areas        []string          `json:"areas"`
	Languages    []string          `json:"languages"`
	Hash         string            `json:"hash"`
}

func list(set *questionnaire.Set, asJSON bool, stdout io.Writer) error {
	out := []listed{}
	for _, q := range set.Questionnaires {
		out = append(out, listed{
			ID:           q.ID,
			Version:      q.Version,
			Title:        q.Title,
			Questions:    len(q.Questions()),
			Requirements: len(q.Requirements),
			Areas:        q.Areas(set.Catalogue),
			Languages:    questionnaire.Languages,
			Hash:         q.Hash,
		})
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tVERSION\tQUESTIONS\tREQUIREMENTS\tTITLE")
	for _, l := range out {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", l.ID, l.Version, l.Questions, l.Requirements, l.Title["en"])
	}
	return tw.Flush()
}
