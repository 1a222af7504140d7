package i18n

import (
	"slices"
	"strings"
)

// wordMessages name in words what the service stores as ids: the actions of
// the trail and the audit log, the fields they change, and the roles.
var wordMessages = map[string]map[string]string{
	"act.assessment_issued":        {SV: "Självutvärdering utskickad", EN: "Self-assessment issued"},
	"act.assessment_reused":        {SV: "Tidigare svar återanvända", EN: "Earlier answers reused"},
	"act.assessment_submitted":     {SV: "Svaren inskickade", EN: "Answers submitted"},
	"act.link_reissued":            {SV: "Ny länk skickad", EN: "New link sent"},
	"act.due_date_changed":         {SV: "Sista svarsdag ändrad", EN: "Due date changed"},
	"act.contact_changed":          {SV: "Kontaktuppgifter rättade", EN: "Contact corrected"},
	"act.review_started":           {SV: "Granskning påbörjad", EN: "Review started"},
	"act.returned_to_supplier":     {SV: "Återsänd för komplettering", EN: "Returned for clarification"},
	"act.comment_added":            {SV: "Kommentar", EN: "Comment"},
	"act.finding_recorded":         {SV: "Granskningsfynd registrerat", EN: "Audit finding recorded"},
	"act.deviation_decided":        {SV: "Avvikelse bekräftad", EN: "Deviation confirmed"},
	"act.deviation_dismissed":      {SV: "Avvikelse avfärdad", EN: "Deviation dismissed"},
	"act.action_planned":           {SV: "Åtgärd bestämd", EN: "Action set"},
	"act.plan_agreed":              {SV: "Åtgärdsplan godkänd", EN: "Action plan agreed"},
	"act.action_progress_reported": {SV: "Leverantören rapporterade en åtgärd", EN: "Supplier reported on an action"},
	"act.deviation_settled":        {SV: "Avvikelse avslutad", EN: "Deviation settled"},
	"act.follow_up_closed":         {SV: "Uppföljningen avslutad", EN: "Follow-up closed"},
	"act.follow_up_withdrawn":      {SV: "Uppföljningen återkallad", EN: "Follow-up withdrawn"},
	"act.contact_erased":           {SV: "Kontaktuppgifter pseudonymiserade", EN: "Contact pseudonymised"},
	"act.invitation_sent":          {SV: "Inbjudan levererad till e-postservern", EN: "Invitation delivered to the mail server"},
	"act.invitation_failed":        {SV: "Inbjudan kunde inte levereras", EN: "Invitation could not be delivered"},
	"act.answers_carried":          {SV: "Svar från förra gången ifyllda", EN: "Answers from last time filled in"},
	"act.org_number_normalised":    {SV: "Organisationsnumret skrivet på standardform", EN: "Organisation number written in standard form"},
	"act.sign_in":                  {SV: "Inloggning", EN: "Sign-in"},
	"act.sign_in_failed":           {SV: "Misslyckad inloggning", EN: "Failed sign-in"},
	"act.sign_in_failures":         {SV: "Upprepade misslyckade inloggningar", EN: "Repeated failed sign-ins"},
	"act.sign_in_throttled":        {SV: "Inloggning spärrad en stund", EN: "Sign-in paused"},
	"act.sign_out":                 {SV: "Utloggning", EN: "Sign-out"},
	"act.password_changed":         {SV: "Lösenord bytt", EN: "Password changed"},
	"act.token_created":            {SV: "API-token skapad", EN: "API token created"},
	"act.token_revoked":            {SV: "API-token återkallad", EN: "API token revoked"},
	"act.user_created":             {SV: "Konto skapat", EN: "Account created"},
	"act.user_disabled":            {SV: "Konto avstängt", EN: "Account disabled"},
	"act.user_enabled":             {SV: "Konto aktiverat", EN: "Account enabled"},
	"fld.status":                   {SV: "Status", EN: "Status"},
	"fld.score":                    {SV: "Poäng", EN: "Score"},
	"fld.dueDate":                  {SV: "Sista svarsdag", EN: "Due date"},
	"fld.orgNumber":                {SV: "Organisationsnummer", EN: "Organisation number"},
	"fld.contactName":              {SV: "Kontaktperson", EN: "Contact person"},
	"fld.contactEmail":             {SV: "E-post", EN: "E-mail"},
	"fld.link":                     {SV: "Länk", EN: "Link"},
	"fld.message":                  {SV: "Meddelande", EN: "Message"},
	"fld.reason":                   {SV: "Skäl", EN: "Reason"},
	"fld.comment":                  {SV: "Kommentar", EN: "Comment"},
	"fld.reusedFrom":               {SV: "Återanvänder", EN: "Reuses"},
	"fld.deviation":                {SV: "Avvikelse", EN: "Deviation"},
	"fld.action":                   {SV: "Åtgärd", EN: "Action"},
	"fld.owner":                    {SV: "Ansvarig", EN: "Owner"},
	"fld.finding":                  {SV: "Fynd", EN: "Finding"},
	"fld.note":                     {SV: "Anteckning", EN: "Note"},
	"fld.text":                     {SV: "Text", EN: "Text"},
	"fld.report":                   {SV: "Rapport", EN: "Report"},
	"fld.to":                       {SV: "Till", EN: "To"},
	"fld.error":                    {SV: "Svar från e-postservern", EN: "The mail server's reply"},
	"fld.carriedFrom":              {SV: "Svar från uppföljningen", EN: "Answers from the follow-up"},
	"fld.answers":                  {SV: "Svar", EN: "Answers"},
	"fld.carriedConfirmed":         {SV: "Tidigare svar bekräftade", EN: "Earlier answers confirmed"},
	"fld.carriedChanged":           {SV: "Tidigare svar ändrade", EN: "Earlier answers changed"},
	"val.new":                      {SV: "ny", EN: "new"},
	"role.admin":                   {SV: "administratör", EN: "administrator"},
	"role.coordinator":             {SV: "samordnare", EN: "coordinator"},
	"role.auditor":                 {SV: "granskare", EN: "auditor"},
	"level.basic":                  {SV: "grundläggande nivå", EN: "basic level"},
	"level.advanced":               {SV: "fördjupad nivå", EN: "advanced level"},
	"x.answered":                   {SV: "%s besvarad ”%s” → %d av %d poäng", EN: "%s answered ‘%s’ → %d of %d points"},
	"x.raises":                     {SV: "; ger en %s avvikelse på %s", EN: "; raises a %s deviation on %s"},
	"c.risk.sentence":              {SV: "Riskområdets inneboende risk %s, landets %s, poäng %s", EN: "the risk area's inherent risk %s, the country's %s, score %s"},
	"c.risk.rule":                  {SV: "Utgå från den högre av riskområdets och landets inneboende risk; under 50 poäng eller ingen poäng höjer den ett steg, och det gör även två eller fler större avvikelser; 80 poäng eller mer sänker den ett steg, men först när svaren har granskats, aldrig på leverantörens ord; en kritisk avvikelse gör den hög.", EN: "Start from the higher of the risk area's and the country's inherent risk; a score under 50 or no score raises it one step, and so do two or more major deviations; a score of 80 or more lowers it one step only once the answers have been reviewed, never on the supplier's word alone; a critical deviation makes it high."},
	"n.followups.one":              {SV: "%d uppföljning", EN: "%d follow-up"},
	"n.followups.many":             {SV: "%d uppföljningar", EN: "%d follow-ups"},
	"n.majors.one":                 {SV: "%d större avvikelse", EN: "%d major deviation"},
	"n.majors.many":                {SV: "%d större avvikelser", EN: "%d major deviations"},
	"c.score.capped":               {SV: "En kritisk avvikelse begränsar poängen till under 50; utan den vore den %s.", EN: "A critical deviation caps the score under 50; without it the score would be %s."},
	"c.risk.countries":             {SV: "produktionsländer:", EN: "production countries:"},
	"c.risk.supplier":              {SV: "inga produktionsländer angivna, leverantörens land används", EN: "no production countries given; the supplier's country stands in"},
	"c.risk.unreviewed":            {SV: "svaren ännu inte granskade", EN: "the answers not yet reviewed"},
	"n.attempts.one":               {SV: "%d försök", EN: "%d attempt"},
	"n.attempts.many":              {SV: "%d försök", EN: "%d attempts"},
	"outbox.kind.invitation":       {SV: "Inbjudan", EN: "Invitation"},
	"outbox.kind.reminder":         {SV: "Påminnelse", EN: "Reminder"},
	"outbox.kind.returned":         {SV: "Återsänd för komplettering", EN: "Returned for clarification"},
	"outbox.kind.plan_agreed":      {SV: "Åtgärdsplan godkänd", EN: "Action plan agreed"},
	"outbox.kind.action_due":       {SV: "Påminnelse om åtgärd", EN: "Action reminder"},
	"outbox.kind.withdrawn":        {SV: "Återkallad", EN: "Withdrawn"},
	"outbox.kind.closed":           {SV: "Avslutad", EN: "Closed"},
	"n.reused.one":                 {SV: "%d återanvänd", EN: "%d reused"},
	"n.reused.many":                {SV: "%d återanvända", EN: "%d reused"},
	"n.skipped.one":                {SV: "%d redan utskickad", EN: "%d already issued"},
	"n.skipped.many":               {SV: "%d redan utskickade", EN: "%d already issued"},
	"n.errrows.one":                {SV: "%d rad med fel", EN: "%d row with errors"},
	"n.errrows.many":               {SV: "%d rader med fel", EN: "%d rows with errors"},
	"n.new.one":                    {SV: "%d ny", EN: "%d new"},
	"n.new.many":                   {SV: "%d nya", EN: "%d new"},
}

// Actions lists the ids of every action the trail and the audit log record,
// sorted, for a filter to offer.
func Actions() []string {
	var out []string
	for k := range wordMessages {
		if id, ok := strings.CutPrefix(k, "act."); ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}
