// Package questionnaires embeds the requirement catalogue and questionnaire
// definitions, so the binary carries them wherever it runs.
package questionnaires

import "embed"

// Files holds requirements.yaml and every questionnaire version.
//
//go:embed *.yaml
var Files embed.FS
