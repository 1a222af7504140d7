package assessment

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"

	"github.com/regionerna/saq/internal/apperr"
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

// CheckFile describes an uploaded file if its size and type are accepted.
func (s *Setting) CheckFile(name string, data []byte) (Evidence, error) {
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
	return Evidence{ID: NewID(), Name: cleanName(name, ctype), ContentType: ctype, Size: int64(len(data)),
		UploadedAt: s.Now().UTC(), DocumentDate: documentDate(ctype, data)}, nil
}

// WithinQuota refuses a file that would take the assessment's files past MaxAssessmentFiles.
func WithinQuota(a *Assessment, size int64) error {
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
