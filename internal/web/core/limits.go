package core

import (
	"fmt"
	"io"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
)

// limitBody refuses a body longer than limit before any of it is read: the
// declared length decides. A body of undeclared length (chunked) is refused
// too, since only its end would tell.
func limitBody(c *fiber.Ctx, limit int, upload bool) error {
	n := c.Request().Header.ContentLength()
	switch {
	case n == -1:
		return apperr.New(apperr.Invalid, "Ange kroppens längd (Content-Length).", "Give the length of the body (Content-Length).")
	case n > limit && upload:
		return apperr.New(apperr.TooLarge,
			fmt.Sprintf("Filen är större än %d MB.", assessment.MaxFileSize>>20),
			fmt.Sprintf("The file is larger than %d MB.", assessment.MaxFileSize>>20))
	case n > limit:
		return apperr.New(apperr.TooLarge, "Det som skickades är för stort.", "What you sent is too large.")
	}
	return nil
}

// closeUnread ends the connection after a response whose request body was
// not read (refused before it was), so that what is left of it is never
// taken for the next request. Short bodies are read to the end instead, to
// keep the connection.
func closeUnread(c *fiber.Ctx) {
	req := c.Request()
	if !req.IsBodyStream() {
		return
	}
	if n := req.Header.ContentLength(); n >= 0 && n <= 64<<10 {
		if _, err := io.Copy(io.Discard, req.BodyStream()); err == nil {
			return
		}
	}
	c.Context().SetConnectionClose()
}

// perAddress counts what each client address has under way, up to max.
type perAddress struct {
	mu   sync.Mutex
	max  int
	busy map[string]int
}

func newPerAddress(max int) *perAddress { return &perAddress{max: max, busy: map[string]int{}} }

// acquire takes a place for addr, or refuses with 429 when it has max;
// release gives it back.
func (p *perAddress) acquire(c *fiber.Ctx, addr string) (release func(), err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.busy[addr] >= p.max {
		c.Set(fiber.HeaderRetryAfter, "5")
		return nil, apperr.New(apperr.TooMany,
			"För många uppladdningar pågår från er adress. Vänta tills de är klara och försök igen.",
			"Too many uploads are under way from your address. Wait for them to finish and try again.")
	}
	p.busy[addr]++
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.busy[addr]--; p.busy[addr] <= 0 {
			delete(p.busy, addr)
		}
	}, nil
}
