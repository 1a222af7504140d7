// Package pdfcheck reads PDFs back with poppler's tools (pdftotext, pdfinfo,
// pdftoppm) for tests: the text a reader would copy, the page count and
// metadata, and a page rendered as an image. Only tests import it.
package pdfcheck

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Require skips the test when poppler is missing, unless SAQ_REQUIRE_POPPLER
// is set (CI installs poppler-utils and sets it), so the PDF tests cannot
// quietly stop running there.
func Require(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("SAQ_REQUIRE_POPPLER") != "" {
				t.Fatalf("%s not found, and SAQ_REQUIRE_POPPLER is set", tool)
			}
			t.Skipf("%s not found; install Debian's poppler-utils to read the PDFs back", tool)
		}
	}
}

// file writes pdf where poppler can read it.
func file(t testing.TB, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		// poppler reports a damaged file on stderr even when it carries on
		t.Fatalf("%s %v: %v %s", name, args, err, stderr.String())
	}
	return out
}

// Text is the text of the PDF with every run of white space made one space,
// so a phrase is found whatever line it was wrapped onto.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	out := run(t, "pdftotext", "-enc", "UTF-8", file(t, pdf), "-")
	return strings.Join(strings.Fields(string(out)), " ")
}

// Info is pdfinfo's report: "Pages", "Title", "Author" and so on.
func Info(t testing.TB, pdf []byte) map[string]string {
	t.Helper()
	info := map[string]string{}
	for _, line := range strings.Split(string(run(t, "pdfinfo", "-enc", "UTF-8", file(t, pdf))), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[k] = strings.TrimSpace(v)
		}
	}
	return info
}

// Pages is the PDF's page count.
func Pages(t testing.TB, pdf []byte) int {
	t.Helper()
	n, err := strconv.Atoi(Info(t, pdf)["Pages"])
	if err != nil {
		t.Fatalf("page count: %v", err)
	}
	return n
}

// Render draws page n at dpi and decodes the PNG.
func Render(t testing.TB, pdf []byte, n, dpi int) (image.Image, []byte) {
	t.Helper()
	page := strconv.Itoa(n)
	out := run(t, "pdftoppm", "-png", "-r", strconv.Itoa(dpi), "-f", page, "-l", page, "-singlefile", file(t, pdf))
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("page %d does not render: %v", n, err)
	}
	return img, out
}

// Inked is the share of the image's pixels that are not white.
func Inked(img image.Image) float64 {
	b := img.Bounds()
	inked := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				inked++
			}
		}
	}
	return float64(inked) / float64(b.Dx()*b.Dy())
}
