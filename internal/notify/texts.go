package notify

import (
	"fmt"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
)

// newMessage is a message of kind to the supplier's contact about a, in its
// language, with replies going to the coordinator who issued it.
func newMessage(a *assessment.Assessment, kind string) Message {
	lang := "sv"
	if a.Language == "en" {
		lang = "en"
	}
	return Message{Kind: kind, AssessmentID: a.ID, Region: a.Region, To: a.Supplier.ContactEmail, ReplyTo: a.IssuedBy, Lang: lang}
}

// invitation is the first message, with the personal link, in the language
// the questionnaire was issued in (the page offers the other one).
func invitation(a *assessment.Assessment, link, region string) Message {
	m := newMessage(a, invitationKind)
	m.Link = link
	if a.Language == "en" {
		m.Subject = fmt.Sprintf("Self-assessment on the code of conduct for %s, due %s", a.Supplier.Name, i18n.Day("en", a.DueDate))
		m.Body = fmt.Sprintf(`Dear %s,

%s asks %s to answer the regions' self-assessment on the code of conduct for suppliers, for contract %s. Please answer by %s.

Your personal link (do not share it):
%s

You can save and continue later, from any computer, with the same link, and attach your policy documents. Nothing is sent until you choose Submit. The questionnaire is in English and Swedish.

Questions: %s
`, a.Supplier.ContactName, region, a.Supplier.Name, a.ContractRef, i18n.Day("en", a.DueDate), link, a.IssuedBy)
		return m
	}
	m.Subject = fmt.Sprintf("Självutvärdering om uppförandekoden för %s, senast %s", a.Supplier.Name, i18n.Day("sv", a.DueDate))
	m.Body = fmt.Sprintf(`Hej %s,

%s ber %s att besvara regionernas självutvärdering om uppförandekoden för leverantörer, för avtalet %s. Svara senast %s.

Er personliga länk (dela den inte):
%s

Ni kan spara och fortsätta senare, från vilken dator som helst, med samma länk, och bifoga era policydokument. Inget skickas förrän ni väljer Skicka in. Formuläret finns på svenska och engelska.

Frågor: %s
`, a.Supplier.ContactName, region, a.Supplier.Name, a.ContractRef, i18n.Day("sv", a.DueDate), link, a.IssuedBy)
	return m
}

// reminder carries no link: only its hash is stored. It points to the
// invitation, and to the coordinator for a new link.
func reminder(a *assessment.Assessment, region string, overdue bool) Message {
	m := newMessage(a, Reminder)
	if a.Language == "en" {
		when := fmt.Sprintf("is due on %s", i18n.Day("en", a.DueDate))
		if overdue {
			when = fmt.Sprintf("was due on %s and has not been submitted", i18n.Day("en", a.DueDate))
		}
		m.Subject = fmt.Sprintf("Reminder: self-assessment for %s %s", a.Supplier.Name, when)
		m.Body = fmt.Sprintf(`Dear %s,

The self-assessment that %s sent %s for contract %s %s. You have answered %d of %d questions.

Please use the personal link in our first message. If you cannot find it, ask %s for a new one.
`, a.Supplier.ContactName, region, a.Supplier.Name, a.ContractRef, when, a.Progress.Answered, a.Progress.Total, a.IssuedBy)
		return m
	}
	when := fmt.Sprintf("ska vara besvarad senast %s", i18n.Day("sv", a.DueDate))
	if overdue {
		when = fmt.Sprintf("skulle ha varit besvarad %s och är inte inskickad", i18n.Day("sv", a.DueDate))
	}
	m.Subject = fmt.Sprintf("Påminnelse: självutvärderingen för %s %s", a.Supplier.Name, when)
	m.Body = fmt.Sprintf(`Hej %s,

Självutvärderingen som %s skickade till %s för avtalet %s %s. Ni har besvarat %d av %d frågor.

Använd den personliga länken i vårt första meddelande. Hittar ni den inte, be %s om en ny.
`, a.Supplier.ContactName, region, a.Supplier.Name, a.ContractRef, when, a.Progress.Answered, a.Progress.Total, a.IssuedBy)
	return m
}

// returned tells the supplier the questionnaire is back with them, with the
// reviewer's message. Like the reminder it points to the personal link.
func returned(a *assessment.Assessment, region, message string) Message {
	m := newMessage(a, Returned)
	if a.Language == "en" {
		m.Subject = fmt.Sprintf("Self-assessment for %s: please clarify", a.Supplier.Name)
		m.Body = fmt.Sprintf(`Dear %s,

%s has reviewed the self-assessment of %s for contract %s and sends it back with this message:

%s

Please open the personal link from our first message, change or add to your answers and submit again. Questions: %s
`, a.Supplier.ContactName, region, a.Supplier.Name, a.ContractRef, message, a.IssuedBy)
		return m
	}
	m.Subject = fmt.Sprintf("Självutvärderingen för %s: komplettering behövs", a.Supplier.Name)
	m.Body = fmt.Sprintf(`Hej %s,

%s har granskat självutvärderingen från %s för avtalet %s och skickar tillbaka den med detta meddelande:

%s

Öppna den personliga länken i vårt första meddelande, ändra eller komplettera svaren och skicka in igen. Frågor: %s
`, a.Supplier.ContactName, region, a.Supplier.Name, a.ContractRef, message, a.IssuedBy)
	return m
}

// Kinds of message that tell the supplier where its follow-up stands
// after submission.
const (
	PlanRequested = "plan_requested"
	PlanAgreed    = "plan_agreed"
	ActionDue     = "action_due"
	PlanDue       = "plan_due"
	PlanOverdue   = "plan_overdue"
	Withdrawn     = "withdrawn"
	Closed        = "closed"
	// Invitation, Reminder and Returned carry the link, remind of it, and
	// say what to complete.
	Invitation = invitationKind
	Reminder   = "reminder"
	Returned   = "returned"
)

// Kinds lists every kind of message the outbox holds.
var Kinds = []string{Invitation, Reminder, Returned, PlanRequested, PlanDue, PlanOverdue, PlanAgreed, ActionDue, Withdrawn, Closed}

// noticeTexts are each notice's subject and body, in Swedish and English:
// the subject takes the supplier's name; the body the contact's name, the
// region, the supplier, the contract and the notice's detail.
var noticeTexts = map[string]map[string][2]string{
	PlanRequested: {
		"sv": {"Föreslå en tid- och åtgärdsplan för %s", "Hej %s,\n\n%s har granskat svaren från %s för avtalet %s och ber er föreslå en tid- och åtgärdsplan:\n\n%s\n\nÖppna den personliga länken i vårt första meddelande. För varje avvikelse anger ni grundorsak, omedelbar åtgärd, gottgörelse till de drabbade, förebyggande åtgärd, ansvarig, slutdatum och datum för lägesrapporter. Skicka sedan planen till oss för godkännande.\n"},
		"en": {"Propose a time and action plan for %s", "Dear %s,\n\n%s has reviewed the answers from %s for contract %s and asks you to propose a time and action plan:\n\n%s\n\nOpen the personal link in our first message. For each deviation, give the root cause, the immediate action, the remedy for the people affected, the prevention, who is responsible, the due date and the dates of progress reports. Then send the plan to us for approval.\n"},
	},
	PlanDue: {
		"sv": {"Påminnelse: tid- och åtgärdsplanen för %s", "Hej %s,\n\n%s påminner om tid- och åtgärdsplanen som vi har bett %s om för avtalet %s.\n\n%s\n\nÖppna den personliga länken i vårt första meddelande, fyll i planen och skicka den till oss.\n"},
		"en": {"Reminder: the time and action plan for %s", "Dear %s,\n\n%s reminds you of the time and action plan we have asked %s for, contract %s.\n\n%s\n\nOpen the personal link in our first message, fill in the plan and send it to us.\n"},
	},
	PlanOverdue: {
		"sv": {"Tid- och åtgärdsplanen för %s har inte kommit in", "Hej %s,\n\n%s har ännu inte fått tid- och åtgärdsplanen från %s för avtalet %s.\n\n%s\n\nSkicka planen via den personliga länken i vårt första meddelande så snart ni kan, eller hör av er om ni behöver mer tid.\n"},
		"en": {"The time and action plan for %s has not come in", "Dear %s,\n\n%s has not yet received the time and action plan from %s for contract %s.\n\n%s\n\nPlease send the plan through the personal link in our first message as soon as you can, or get in touch if you need more time.\n"},
	},
	PlanAgreed: {
		"sv": {"Åtgärdsplanen för %s är godkänd", "Hej %s,\n\n%s har godkänt tid- och åtgärdsplanen för %s, avtalet %s.\n\n%s\n\nRapportera vad ni har gjort, med underlag, via den personliga länken i vårt första meddelande. Där ser ni också varje åtgärds sista dag.\n"},
		"en": {"The action plan for %s is agreed", "Dear %s,\n\n%s has agreed the time and action plan for %s, contract %s.\n\n%s\n\nReport what you have done, with evidence, through the personal link in our first message. It also shows each action's due date.\n"},
	},
	ActionDue: {
		"sv": {"Påminnelse: en åtgärd för %s ska vara klar", "Hej %s,\n\n%s påminner om en åtgärd i tid- och åtgärdsplanen för %s, avtalet %s:\n\n%s\n\nRapportera vad ni har gjort, med underlag, via den personliga länken i vårt första meddelande.\n"},
		"en": {"Reminder: an action for %s is due", "Dear %s,\n\n%s reminds you of an action in the time and action plan for %s, contract %s:\n\n%s\n\nReport what you have done, with evidence, through the personal link in our first message.\n"},
	},
	Withdrawn: {
		"sv": {"Självutvärderingen för %s är återkallad", "Hej %s,\n\n%s har återkallat självutvärderingen för %s, avtalet %s, med detta meddelande:\n\n%s\n\nLänken gäller inte längre och ni behöver inte göra något mer.\n"},
		"en": {"The self-assessment for %s is withdrawn", "Dear %s,\n\n%s has withdrawn the self-assessment for %s, contract %s, with this message:\n\n%s\n\nThe link no longer works and there is nothing more you need to do.\n"},
	},
	Closed: {
		"sv": {"Uppföljningen av %s är avslutad", "Hej %s,\n\n%s har avslutat uppföljningen av %s, avtalet %s.\n\n%s\n\nTack för ert arbete. Kvittot på era svar finns kvar via den personliga länken.\n"},
		"en": {"The follow-up of %s is closed", "Dear %s,\n\n%s has closed the follow-up of %s, contract %s.\n\n%s\n\nThank you for your work. The receipt of your answers stays available through the personal link.\n"},
	},
}

// notice is a message of one of the kinds above, in the follow-up's language.
func notice(a *assessment.Assessment, kind, region, detail string) Message {
	lang := a.Language
	if lang != "en" {
		lang = "sv"
	}
	t := noticeTexts[kind][lang]
	m := newMessage(a, kind)
	m.Subject = fmt.Sprintf(t[0], a.Supplier.Name)
	m.Body = fmt.Sprintf(t[1], a.Supplier.ContactName, region, a.Supplier.Name, a.ContractRef, detail)
	return m
}
