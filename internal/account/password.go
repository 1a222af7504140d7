package account

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/match"
	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	// MinPasswordLength is the shortest password accepted.
	MinPasswordLength = 12
)

//go:embed common-passwords.txt
var commonPasswordList string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(commonPasswordList, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[strings.ToLower(l)] = true
		}
	}
	return m
}()

// hashPassword returns an encoded argon2id hash with a random salt.
func hashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// checkPassword tells whether password matches an encoded hash, using the
// parameters recorded in the hash.
func checkPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// MinPasswordScore is the least zxcvbn strength accepted (0 to 4): 3 is
// "safely unguessable" (about 10^8 guesses or more) by its estimate.
const MinPasswordScore = 3

// swedishWords are words a Swedish passphrase often leans on, which
// zxcvbn's English dictionaries do not know; they count as guessable.
var swedishWords = []string{"lösenord", "losenord", "hemligt", "hemlig", "sommar", "vinter", "hösten", "våren", "välkommen",
	"valkommen", "sverige", "svenska", "region", "regionen", "landsting", "kommun", "stockholm", "göteborg", "malmö",
	"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december",
	"måndag", "fredag", "jul", "påsk", "midsommar", "hejsan", "kalle", "anka", "saq", "leverantör", "hållbarhet"}

// passwordProblem returns why a new password is refused, in both languages, or nil.
func passwordProblem(password, email string) map[string]string {
	local := strings.Split(email, "@")[0]
	switch {
	case len([]rune(strings.TrimSpace(password))) < MinPasswordLength:
		return map[string]string{
			"sv": fmt.Sprintf("Lösenordet måste ha minst %d tecken (utöver blanksteg i början och slutet).", MinPasswordLength),
			"en": fmt.Sprintf("The password must have at least %d characters (besides spaces at the start and end).", MinPasswordLength),
		}
	case len(password) > 256:
		return map[string]string{"sv": "Lösenordet får ha högst 256 tecken.", "en": "The password may have at most 256 characters."}
	case commonPasswords[strings.ToLower(password)]:
		return map[string]string{"sv": "Lösenordet är för vanligt. Välj ett annat.", "en": "The password is too common. Choose another."}
	case email != "" && len(local) >= 4 && strings.Contains(strings.ToLower(password), strings.ToLower(local)):
		return map[string]string{"sv": "Lösenordet får inte innehålla din e-postadress.", "en": "The password must not contain your email address."}
	}
	inputs := append([]string{email, local}, swedishWords...)
	r := zxcvbn.PasswordStrength(password, inputs)
	if r.Score >= MinPasswordScore {
		return nil
	}
	why := weakness(r.Sequence)
	return map[string]string{
		"sv": "Lösenordet är lätt att gissa: " + why["sv"] + " Välj en fras av flera ord som inte hör ihop, t.ex. fyra ovanliga ord med mellanslag.",
		"en": "The password is easy to guess: " + why["en"] + " Choose a phrase of several unrelated words, such as four uncommon words with spaces.",
	}
}

// weakness names, in both languages, what made a password easy to guess:
// the pattern of its longest guessable part.
func weakness(seq []*match.Match) map[string]string {
	longest := ""
	size := 0
	for _, m := range seq {
		if n := m.J - m.I; m.Pattern != "bruteforce" && n >= size {
			longest, size = m.Pattern, n
		}
	}
	switch longest {
	case "repeat":
		return map[string]string{"sv": "det upprepar samma tecken eller ord.", "en": "it repeats the same characters or words."}
	case "sequence":
		return map[string]string{"sv": "det innehåller en följd som abc eller 123.", "en": "it contains a sequence such as abc or 123."}
	case "spatial":
		return map[string]string{"sv": "det följer tangentbordet, som qwerty.", "en": "it follows the keyboard, like qwerty."}
	case "date":
		return map[string]string{"sv": "det bygger på ett datum eller årtal.", "en": "it is built on a date or a year."}
	case "dictionary":
		return map[string]string{"sv": "det består av vanliga ord, namn eller din e-postadress.", "en": "it is made of common words, names or your email address."}
	}
	return map[string]string{"sv": "det är för kort eller för enkelt.", "en": "it is too short or too simple."}
}
