package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Small real files of each kind the tests need.
var (
	pdfFile = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
	pngFile = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"), make([]byte, 64)...)
	exeFile = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), make([]byte, 200)...)
)

// upload posts a multipart form with one file to path.
func (b *browser) upload(path, name string, data []byte, fields url.Values) page {
	b.t.Helper()
	req := uploadRequest(b.t, path, name, data, fields)
	req.Header.Set("X-Forwarded-For", b.ip)
	for k, v := range b.cookies {
		req.Header.Add("Cookie", k+"="+v)
	}
	resp, err := roundTrip(b.t, b.s.srv.App(), req)
	if err != nil {
		b.t.Fatalf("upload %s: %v", path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, resp.Header, string(out)}
}

func TestEvidenceUploads(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	api := "/api/v1/s/" + s.sampleToken
	// Show the file question Q2.2 by answering Q2.1 yes.
	if p := b.apiBody("PUT", api+"/answers", "", `{"version": 1, "answers": {"Q2.1": "yes"}}`); p.status != 200 {
		t.Fatalf("answer: %d", p.status)
	}

	ok := b.upload(api+"/files/Q2.2", "Uppförandekod 2025.pdf", pdfFile, nil)
	if ok.status != 201 || !strings.Contains(ok.body, `"type":"application/pdf"`) || !strings.Contains(ok.body, `"name":"Uppförandekod 2025.pdf"`) {
		t.Fatalf("upload pdf: %d %s", ok.status, ok.body)
	}
	fid := regexp.MustCompile(`"id":"([0-9a-f]+)"`).FindStringSubmatch(ok.body)[1]
	// A PNG named .pdf is stored as what it is.
	if p := b.upload(api+"/files/Q2.2", "scan.pdf", pngFile, nil); p.status != 201 || !strings.Contains(p.body, `"name":"scan.png"`) {
		t.Errorf("png named pdf: %d %s", p.status, p.body)
	}

	bad := []struct {
		name, qid, file string
		data            []byte
		status          int
		want            string
	}{
		{"executable renamed", "Q2.2", "policy.pdf", exeFile, 422, "file type is not accepted"},
		{"11 MB", "Q2.2", "big.pdf", append(append([]byte{}, pdfFile...), make([]byte, 11<<20)...), 413, "larger than 10 MB"},
		{"not a file question", "Q2.1", "policy.pdf", pdfFile, 422, "does not take files"},
		{"hidden file question", "Q3.4", "risk.pdf", pdfFile, 422, "does not take files"},
		{"unknown question", "Q77", "x.pdf", pdfFile, 422, "does not take files"},
		{"empty", "Q2.2", "empty.pdf", nil, 422, "empty"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			p := b.upload(api+"/files/"+tt.qid, tt.file, tt.data, nil)
			if p.status != tt.status || !strings.Contains(p.body, tt.want) {
				t.Errorf("%d %s, want %d %q", p.status, trim(p.body), tt.status, tt.want)
			}
		})
	}

	a, _ := s.assessments.ForSupplier(t.Context(), s.sampleToken)
	if len(a.Evidence) != 2 || len(a.Answers["Q2.2"].Files) != 2 {
		t.Fatalf("evidence %+v", a.Evidence)
	}

	// Downloads are attachments, by supplier and coordinator alike.
	for _, get := range []func() page{
		func() page { return b.do("GET", "/s/"+s.sampleToken+"/files/"+fid, nil) },
		func() page {
			return b.api("GET", "/api/v1/assessments/"+s.sampleID+"/files/"+fid, apiToken(t, s, "audit@saq.se"))
		},
	} {
		p := get()
		if p.status != 200 || p.body != string(pdfFile) || !strings.HasPrefix(p.header.Get("Content-Disposition"), "attachment;") ||
			p.header.Get("Content-Type") != "application/pdf" || p.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("download: %d %v", p.status, p.header)
		}
	}
	// Another supplier's link does not reach this file.
	_, other := s.issueSample(t)
	if p := b.do("GET", "/s/"+other+"/files/"+fid, nil); p.status != 404 {
		t.Errorf("other link: %d", p.status)
	}

	// The section page lists the files and removes one without JavaScript.
	sec := b.do("GET", "/s/"+s.sampleToken+"/section/2", nil)
	if !strings.Contains(sec.body, "Uppförandekod 2025.pdf") || !strings.Contains(sec.body, `name="file.Q2.2"`) {
		t.Fatalf("section 2 lacks the files:\n%s", trim(sec.body))
	}
	if p := b.do("POST", "/s/"+s.sampleToken+"/files/"+fid+"/delete", url.Values{"_csrf": {sec.csrf()}}); p.status != 303 {
		t.Errorf("remove: %d", p.status)
	}
	if p := b.do("GET", "/s/"+s.sampleToken+"/files/"+fid, nil); p.status != 404 {
		t.Errorf("removed file still served: %d", p.status)
	}
	// The HTML upload form works too.
	up := b.upload("/s/"+s.sampleToken+"/files/Q2.2", "policy.pdf", pdfFile, url.Values{"_csrf": {sec.csrf()}})
	if up.status != 303 {
		t.Errorf("html upload: %d %s", up.status, trim(up.body))
	}
	badUp := b.upload("/s/"+s.sampleToken+"/files/Q2.2", "virus.pdf", exeFile, url.Values{"_csrf": {sec.csrf()}})
	if badUp.status != 422 || !strings.Contains(badUp.body, "Filtypen tas inte emot") {
		t.Errorf("html bad upload: %d %s", badUp.status, trim(badUp.body))
	}
}

func TestEvidenceTotalLimit(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	api := "/api/v1/s/" + s.sampleToken
	b.apiBody("PUT", api+"/answers", "", `{"version": 1, "answers": {"Q2.1": "yes"}}`)
	nine := append(append([]byte{}, pdfFile...), make([]byte, 9<<20)...)
	for i := range 5 {
		if p := b.upload(api+"/files/Q2.2", fmt.Sprintf("part%d.pdf", i), nine, nil); p.status != 201 {
			t.Fatalf("file %d: %d %s", i, p.status, p.body)
		}
	}
	if p := b.upload(api+"/files/Q2.2", "part6.pdf", nine, nil); p.status != 422 || !strings.Contains(p.body, "at most 50 MB in all") {
		t.Errorf("sixth 9 MB file: %d %s", p.status, p.body)
	}
}

// uploadRequest is a multipart POST with form fields and one file.
func uploadRequest(t *testing.T, path, name string, data []byte, fields url.Values) *http.Request {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Accept-Language", "en")
	return req
}

func readAll(r io.Reader) string {
	data, _ := io.ReadAll(r)
	return string(data)
}
