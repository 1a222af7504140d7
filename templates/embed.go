// Package templates embeds the HTML templates and static files, so the binary
// serves its pages from any directory.
package templates

import "embed"

// Files holds base.html (the layout), one file per page, and static/.
//
//go:embed *.html static
var Files embed.FS
