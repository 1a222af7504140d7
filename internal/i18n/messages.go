package i18n

// messages holds every interface text by key, in Swedish and English.
var messages = map[string]map[string]string{
	"service.name": {
		SV: "Självutvärdering för hållbara leveranskedjor",
		EN: "Self-assessment for sustainable supply chains",
	},
	"service.owner": {
		SV: "Sveriges regioner i samverkan för hållbar upphandling",
		EN: "Sweden's regions working together on sustainable procurement",
	},
	"start.lead": {
		SV: "Här besvarar leverantörer regionernas självutvärdering om uppförandekoden för leverantörer: mänskliga rättigheter, arbetstagares rättigheter, miljö och affärsetik, och hur de arbetar med tillbörlig aktsamhet i leverantörskedjan.",
		EN: "Here suppliers answer the regions' self-assessment on the code of conduct for suppliers: human rights, labour rights, environment and business ethics, and how they practise due diligence in their supply chain.",
	},
	"start.suppliers.title": {SV: "För leverantörer", EN: "For suppliers"},
	"start.suppliers.text": {
		SV: "Du har fått en personlig länk via e-post. Öppna den för att svara; du kan spara och fortsätta senare, bifoga dokument och skicka in när du är klar. Länken är personlig: dela den inte.",
		EN: "You have received a personal link by email. Open it to answer; you can save and continue later, attach documents and submit when you are done. The link is personal: do not share it.",
	},
	"start.staff.title": {SV: "För samordnare och revisorer", EN: "For coordinators and auditors"},
	"start.staff.text": {
		SV: "Samordnare skickar ut självutvärderingar, granskar svar och poäng mot de harmoniserade hållbarhetskraven, följer upp avvikelser och åtgärder och laddar ner revisionsrapporter.",
		EN: "Coordinators send out self-assessments, review answers and scores against the harmonised sustainability requirements, follow up deviations and corrective actions, and download audit reports.",
	},
	"start.questionnaires": {SV: "Frågeformulär i tjänsten", EN: "Questionnaires in the service"},
	"start.questions":      {SV: "frågor", EN: "questions"},
	"start.version":        {SV: "version", EN: "version"},
	"lang.switch":          {SV: "In English", EN: "På svenska"},
	"lang.other":           {SV: "en", EN: "sv"},
	"error.title":          {SV: "Något gick fel", EN: "Something went wrong"},
	"error.back":           {SV: "Till startsidan", EN: "Back to the start page"},
	"error.reference":      {SV: "Referens för support", EN: "Reference for support"},
	"error.400":            {SV: "Begäran kunde inte tolkas.", EN: "The request could not be understood."},
	"error.401":            {SV: "Du behöver logga in.", EN: "You need to sign in."},
	"error.403":            {SV: "Du har inte behörighet till detta.", EN: "You do not have access to this."},
	"error.404":            {SV: "Sidan finns inte.", EN: "The page does not exist."},
	"error.405":            {SV: "Metoden stöds inte här.", EN: "The method is not supported here."},
	"error.409":            {SV: "Någon annan har ändrat detta under tiden. Ladda om och försök igen.", EN: "Someone else has changed this in the meantime. Reload and try again."},
	"error.410":            {SV: "Länken gäller inte längre.", EN: "The link is no longer valid."},
	"error.413":            {SV: "Det du skickade är för stort.", EN: "What you sent is too large."},
	"error.415":            {SV: "Formatet stöds inte.", EN: "The format is not supported."},
	"error.422":            {SV: "Uppgifterna är inte giltiga.", EN: "The details are not valid."},
	"error.429":            {SV: "För många försök. Vänta en stund och försök igen.", EN: "Too many attempts. Wait a while and try again."},
	"error.500":            {SV: "Ett internt fel uppstod. Försök igen om en stund.", EN: "An internal error occurred. Try again in a while."},
	"error.503":            {SV: "Tjänsten är inte tillgänglig just nu. Försök igen om en stund.", EN: "The service is not available right now. Try again in a while."},
}
