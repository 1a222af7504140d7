package core

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/url"
	"path/filepath"

	"github.com/gofiber/fiber/v2"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
)

// ReadUpload reads the "file" part of a multipart body, refusing one over the limit.
func ReadUpload(c *fiber.Ctx) (string, []byte, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return "", nil, apperr.New(apperr.Invalid, "Välj en fil att ladda upp.", "Choose a file to upload.")
	}
	return ReadFile(fh)
}

// ReadFile reads an uploaded file, refusing one over the limit.
func ReadFile(fh *multipart.FileHeader) (string, []byte, error) {
	if fh.Size > assessment.MaxFileSize {
		return "", nil, apperr.New(apperr.Invalid,
			fmt.Sprintf("Filen är större än %d MB.", assessment.MaxFileSize>>20),
			fmt.Sprintf("The file is larger than %d MB.", assessment.MaxFileSize>>20))
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, assessment.MaxFileSize+1))
	if err != nil {
		return "", nil, fmt.Errorf("read upload: %w", err)
	}
	return fh.Filename, data, nil
}

// SendEvidence sends a file always as an attachment, never to be shown or run
// in the browser.
func (s *Server) SendEvidence(c *fiber.Ctx, a *assessment.Assessment, fid string) error {
	ev, data, err := s.Assessments.File(c.UserContext(), a, fid)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, ev.ContentType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="evidence%s"; filename*=UTF-8''%s`, filepath.Ext(ev.Name), url.PathEscape(ev.Name)))
	c.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(data)
}
