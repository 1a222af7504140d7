package web

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/url"
	"path/filepath"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
)

func (s *Server) evidenceRoutes() {
	s.handleUpload("POST", "/s/:token/files/:qid", account.SupplierResponse, s.supplierUpload)
	s.handle("POST", "/s/:token/files/:fid/delete", account.SupplierResponse, s.supplierDeleteFile)
	s.handle("GET", "/s/:token/files/:fid", account.SupplierResponse, s.supplierDownload)
	s.handleUpload("POST", "/api/v1/s/:token/files/:qid", account.SupplierResponse, s.apiUpload)
	s.handle("GET", "/api/v1/assessments/:id/files/:fid", account.ReadAssessments, s.apiDownload)
	s.handle("GET", "/assessments/:id/files/:fid", account.ReadAssessments, s.apiDownload)
	// Files from an audit, kept with the finding they support.
	s.handleUpload("POST", "/assessments/:id/deviations/:dev/files", account.RecordFinding, s.findingUpload)
	s.handleUpload("POST", "/api/v1/assessments/:id/deviations/:dev/files", account.RecordFinding, s.apiFindingUpload)
}

func (s *Server) findingUpload(c *fiber.Ctx) error {
	// Who may attach is judged before the body is read.
	if err := s.assessments.Authorize(c.UserContext(), principal(c), c.Params("id"), account.RecordFinding); err != nil {
		return err
	}
	name, data, err := readUpload(c)
	if err == nil {
		_, err = s.assessments.AttachToFinding(c.UserContext(), principal(c), c.IP(), c.Params("id"), c.Params("dev"), name, data)
	}
	if err == nil {
		return c.Redirect("/assessments/"+c.Params("id")+"#d-"+url.PathEscape(c.Params("dev")), fiber.StatusSeeOther)
	}
	ae, ok := apperr.As(err)
	if !ok || ae.Code == apperr.NotFound || ae.Code == apperr.Forbidden {
		return err
	}
	return s.renderDetail(c, statusOf[ae.Code], c.Params("id"), fiber.Map{"Error": ae.Message[language(c)]})
}

func (s *Server) apiFindingUpload(c *fiber.Ctx) error {
	if err := s.assessments.Authorize(c.UserContext(), principal(c), c.Params("id"), account.RecordFinding); err != nil {
		return err
	}
	name, data, err := readUpload(c)
	if err != nil {
		return err
	}
	a, err := s.assessments.AttachToFinding(c.UserContext(), principal(c), c.IP(), c.Params("id"), c.Params("dev"), name, data)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.apiDetail(a))
}

// readUpload reads the "file" part of a multipart body, refusing one over the limit.
func readUpload(c *fiber.Ctx) (string, []byte, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return "", nil, apperr.New(apperr.Invalid, "Välj en fil att ladda upp.", "Choose a file to upload.")
	}
	return readFile(fh)
}

// readFile reads an uploaded file, refusing one over the limit.
func readFile(fh *multipart.FileHeader) (string, []byte, error) {
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

func (s *Server) supplierUpload(c *fiber.Ctx) error {
	name, data, err := readUpload(c)
	if err == nil {
		_, _, err = s.assessments.Attach(c.UserContext(), c.Params("token"), c.Params("qid"), name, data)
	}
	section := sectionOf(supplierAssessment(c), s, c.Params("qid"))
	if err == nil {
		return c.Redirect(fmt.Sprintf("/s/%s/section/%d?saved=1#q-%s", c.Params("token"), section, url.PathEscape(c.Params("qid"))), fiber.StatusSeeOther)
	}
	ae, ok := apperr.As(err)
	if !ok || section == 0 {
		return err
	}
	sp, berr := s.buildSection(c, section, supplierAssessment(c).Answers, nil, map[string]string{c.Params("qid"): ae.Message[language(c)]})
	if berr != nil {
		return berr
	}
	sp.Error = ae.Message[language(c)]
	return s.render(c, statusOf[ae.Code], "supplier_section", sp)
}

// sectionOf is the number of the section holding a question, 0 if none.
func sectionOf(a *assessment.Assessment, s *Server, qid string) int {
	q, err := s.assessments.Questionnaire(a)
	if err != nil {
		return 0
	}
	for i, sec := range q.Sections {
		for _, qu := range sec.Questions {
			if qu.ID == qid {
				return i + 1
			}
		}
	}
	return 0
}

func (s *Server) supplierDeleteFile(c *fiber.Ctx) error {
	a := supplierAssessment(c)
	var qid string
	for _, e := range a.Evidence {
		if e.ID == c.Params("fid") {
			qid = e.Question
		}
	}
	if _, err := s.assessments.Detach(c.UserContext(), c.Params("token"), c.Params("fid")); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/s/%s/section/%d?saved=1", c.Params("token"), max(sectionOf(a, s, qid), 1)), fiber.StatusSeeOther)
}

func (s *Server) supplierDownload(c *fiber.Ctx) error {
	return s.sendEvidence(c, supplierAssessment(c), c.Params("fid"))
}

func (s *Server) apiUpload(c *fiber.Ctx) error {
	name, data, err := readUpload(c)
	if err != nil {
		return err
	}
	a, ev, err := s.assessments.Attach(c.UserContext(), c.Params("token"), c.Params("qid"), name, data)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{
		"id": ev.ID, "question": ev.Question, "name": ev.Name, "type": ev.ContentType, "size": ev.Size, "version": a.Version,
	})
}

func (s *Server) apiDownload(c *fiber.Ctx) error {
	a, err := s.assessments.Get(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return s.sendEvidence(c, a, c.Params("fid"))
}

// sendEvidence sends a file always as an attachment, never to be shown or run
// in the browser.
func (s *Server) sendEvidence(c *fiber.Ctx, a *assessment.Assessment, fid string) error {
	ev, data, err := s.assessments.File(c.UserContext(), a, fid)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, ev.ContentType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="evidence%s"; filename*=UTF-8''%s`, filepath.Ext(ev.Name), url.PathEscape(ev.Name)))
	c.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(data)
}
