package assessment

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/questionnaire"
)

// Limits on evidence files.
const (
	MaxFileSize        = 10 << 20
	MaxAssessmentFiles = 50 << 20
)

// allowedTypes are the evidence types accepted, by the type read from the
// content (never from the file name), with the extension a download gets.
var allowedTypes = map[string]string{
	"application/pdf": ".pdf",
	"image/png":       ".png",
	"image/jpeg":      ".jpg",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       ".xlsx",
}

// Evidence is a file the supplier attached to a question.
type Evidence struct {
	ID          string
	Question    string // the question it answers, or
	Deviation   string // the deviation whose corrective action it reports on
	Name        string // as uploaded, cleaned
	ContentType string // read from the content
	Size        int64
	UploadedAt  time.Time
	// DocumentDate is the date the document itself carries (its PDF or
	// Office metadata), YYYY-MM-DD; empty when it has none.
	DocumentDate string
}

// Files stores evidence content. Put must be durable when it returns.
type Files interface {
	Put(ctx context.Context, id string, data []byte) error
	Get(ctx context.Context, id string) ([]byte, error)
	Delete(ctx context.Context, id string) error
}

var errTooLarge = apperr.New(apperr.Invalid,
	fmt.Sprintf("Filen är större än %d MB.", MaxFileSize>>20),
	fmt.Sprintf("The file is larger than %d MB.", MaxFileSize>>20))

// sniff returns the content type of data if it is one that is accepted.
func sniff(data []byte) (string, bool) {
	mt := mimetype.Detect(data)
	for m := mt; m != nil; m = m.Parent() {
		if _, ok := allowedTypes[m.String()]; ok {
			return m.String(), true
		}
	}
	return mt.String(), false
}

// cleanName keeps a file name printable and short, and gives it the
// extension of its real type.
func cleanName(name, contentType string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' || r == '/' {
			return -1
		}
		return r
	}, name)
	ext := allowedTypes[contentType]
	name = strings.TrimSuffix(name, filepath.Ext(name))
	for utf8.RuneCountInString(name) > 100 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." {
		name = "evidence"
	}
	return name + ext
}

// Attach stores a file as evidence for a file question of the supplier's
// assessment. The type is read from the content; the limits are 10 MB a file
// and 50 MB an assessment.
func (s *Service) Attach(ctx context.Context, token, questionID, name string, data []byte) (*Assessment, Evidence, error) {
	a, q, err := s.supplierQuestionnaire(ctx, token)
	if err != nil {
		return nil, Evidence{}, err
	}
	qu, ok := q.Question(questionID)
	if !ok || qu.Type != questionnaire.File || !Visible(q, a.Level, a.Answers)[questionID] {
		return nil, Evidence{}, apperr.New(apperr.Invalid, "Frågan tar inte emot filer.", "The question does not take files.")
	}
	ev, err := s.checkFile(name, data)
	if err != nil {
		return nil, Evidence{}, err
	}
	ev.Question = questionID
	if err := s.Files.Put(ctx, ev.ID, data); err != nil {
		return nil, Evidence{}, fmt.Errorf("store evidence: %w", err)
	}
	updated, err := s.Repo.Update(ctx, a.ID, func(a *Assessment) error {
		if !a.Status.SupplierMayAnswer() {
			return errSubmitted
		}
		if err := withinQuota(a, ev.Size); err != nil {
			return err
		}
		a.Evidence = append(a.Evidence, ev)
		before := a.Answers[questionID]
		ans := before
		ans.Files = append(slices.Clone(ans.Files), ev.ID)
		a.Answers[questionID] = ans.Touched(before)
		if a.Status == Issued || a.Status == Returned {
			a.Status = InProgress
		}
		a.Progress = ProgressOf(q, a.Level, a.Answers)
		a.UpdatedAt = s.Now().UTC()
		return nil
	})
	if err != nil {
		_ = s.Files.Delete(ctx, ev.ID) // not attached: do not keep it
		return nil, Evidence{}, err
	}
	return updated, ev, nil
}

// Detach removes an evidence file the supplier attached.
func (s *Service) Detach(ctx context.Context, token, evidenceID string) (*Assessment, error) {
	a, q, err := s.supplierQuestionnaire(ctx, token)
	if err != nil {
		return nil, err
	}
	updated, err := s.Repo.Update(ctx, a.ID, func(a *Assessment) error {
		if !a.Status.SupplierMayAnswer() {
			return errSubmitted
		}
		i := slices.IndexFunc(a.Evidence, func(e Evidence) bool { return e.ID == evidenceID })
		if i < 0 {
			return errFileNotFound
		}
		ev := a.Evidence[i]
		a.Evidence = slices.Delete(a.Evidence, i, i+1)
		before := a.Answers[ev.Question]
		ans := before
		ans.Files = slices.DeleteFunc(slices.Clone(ans.Files), func(id string) bool { return id == evidenceID })
		a.Answers[ev.Question] = ans.Touched(before)
		a.Progress = ProgressOf(q, a.Level, a.Answers)
		a.UpdatedAt = s.Now().UTC()
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.Files.Delete(ctx, evidenceID); err != nil {
		return nil, fmt.Errorf("delete evidence %s: %w", evidenceID, err)
	}
	return updated, nil
}

// checkFile describes an uploaded file if its size and type are accepted.
func (s *Setting) checkFile(name string, data []byte) (Evidence, error) {
	if len(data) > MaxFileSize {
		return Evidence{}, errTooLarge
	}
	if len(data) == 0 {
		return Evidence{}, apperr.New(apperr.Invalid, "Filen är tom.", "The file is empty.")
	}
	ctype, ok := sniff(data)
	if !ok {
		return Evidence{}, apperr.New(apperr.Invalid,
			"Filtypen tas inte emot. Bifoga PDF, PNG, JPEG, DOCX eller XLSX.",
			"The file type is not accepted. Attach PDF, PNG, JPEG, DOCX or XLSX.")
	}
	return Evidence{ID: newID(), Name: cleanName(name, ctype), ContentType: ctype, Size: int64(len(data)),
		UploadedAt: s.Now().UTC(), DocumentDate: documentDate(ctype, data)}, nil
}

// withinQuota refuses a file that would take the assessment's files past MaxAssessmentFiles.
func withinQuota(a *Assessment, size int64) error {
	var total int64
	for _, e := range a.Evidence {
		total += e.Size
	}
	if total+size > MaxAssessmentFiles {
		return apperr.New(apperr.Invalid,
			fmt.Sprintf("Bifogade filer får vara högst %d MB sammanlagt.", MaxAssessmentFiles>>20),
			fmt.Sprintf("Attached files may be at most %d MB in all.", MaxAssessmentFiles>>20))
	}
	return nil
}

var errFileNotFound = apperr.New(apperr.NotFound, "Filen finns inte.", "The file does not exist.")

// File returns an evidence file of an assessment the caller has already been
// allowed to read, with its description.
func (s *Service) File(ctx context.Context, a *Assessment, evidenceID string) (Evidence, []byte, error) {
	i := slices.IndexFunc(a.Evidence, func(e Evidence) bool { return e.ID == evidenceID })
	if i < 0 {
		return Evidence{}, nil, errFileNotFound
	}
	data, err := s.Files.Get(ctx, evidenceID)
	if errors.Is(err, apperr.ErrNotFound) {
		return Evidence{}, nil, errFileNotFound
	}
	if err != nil {
		return Evidence{}, nil, fmt.Errorf("read evidence %s: %w", evidenceID, err)
	}
	return a.Evidence[i], data, nil
}
