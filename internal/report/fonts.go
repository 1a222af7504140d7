package report

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// The Go fonts are embedded in the binary as Go byte slices: WGL4 coverage,
// which takes in Swedish, the rest of Latin Europe, Greek and Cyrillic.
var (
	fontRegular = goregular.TTF
	fontBold    = gobold.TTF
)

// replacement stands in for a character the fonts lack, so missing text
// shows as a mark instead of vanishing (or breaking the PDF).
const replacement = '\uFFFD'

// coverage is the set of runes of the Basic Multilingual Plane both fonts
// have a glyph for, one bit each; it is read once.
var coverage = sync.OnceValue(func() *[1 << 16 / 64]uint64 {
	var set [1 << 16 / 64]uint64
	regular, err1 := sfnt.Parse(fontRegular)
	bold, err2 := sfnt.Parse(fontBold)
	if err1 != nil || err2 != nil {
		panic("report: embedded fonts do not parse") // the bytes are compiled in
	}
	var buf sfnt.Buffer
	for r := rune(0x20); r < 1<<16; r++ {
		g1, _ := regular.GlyphIndex(&buf, r)
		g2, _ := bold.GlyphIndex(&buf, r)
		if g1 != 0 && g2 != 0 {
			set[r/64] |= 1 << (r % 64)
		}
	}
	return &set
})

func covered(r rune) bool {
	return r < 1<<16 && coverage()[r/64]&(1<<(r%64)) != 0
}

// clean makes user text safe to set: line ends become \n, tabs and other
// spaces a plain space, control characters go, and characters the fonts
// lack, like bytes that are not UTF-8, become the replacement mark.
func clean(s string) string {
	ok := utf8.ValidString(s) // fpdf indexes past the end of a broken sequence
	for _, r := range s {
		if !ok || r != '\n' && !covered(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	// Decomposed letters (e + combining acute) compose to the glyphs the fonts have.
	s = norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n"))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\r' || r == '\t' || unicode.IsSpace(r):
			b.WriteByte(' ')
		case unicode.IsControl(r):
			// carries nothing readable
		case covered(r):
			b.WriteRune(r)
		default:
			b.WriteRune(replacement)
		}
	}
	return b.String()
}
