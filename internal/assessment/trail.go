package assessment

// What a trail entry says was done. The message catalogue names each in
// both languages ("act.<name>"), and every entry this package makes uses
// one of them, by name: the tests hold both, from the code itself.
const (
	ActAssessmentIssued       = "assessment_issued"
	ActAnswersCarried         = "answers_carried"
	ActAssessmentReused       = "assessment_reused"
	ActAssessmentSubmitted    = "assessment_submitted"
	ActLinkReissued           = "link_reissued"
	ActDueDateChanged         = "due_date_changed"
	ActContactChanged         = "contact_changed"
	ActReviewStarted          = "review_started"
	ActReturnedToSupplier     = "returned_to_supplier"
	ActCommentAdded           = "comment_added"
	ActFindingRecorded        = "finding_recorded"
	ActFindingFileAttached    = "finding_file_attached"
	ActEvidenceJudged         = "evidence_judged"
	ActDeviationConfirmed     = "deviation_confirmed"
	ActDeviationDismissed     = "deviation_dismissed"
	ActDeviationClosed        = "deviation_closed"
	ActDeviationAccepted      = "deviation_accepted"
	ActDeviationMoved         = "deviation_moved"
	ActActionPlanned          = "action_planned"
	ActPlanRequested          = "plan_requested"
	ActActionProposed         = "action_proposed"
	ActPlanProposed           = "plan_proposed"
	ActPlanAgreed             = "plan_agreed"
	ActActionProgressReported = "action_progress_reported"
	ActReportMissed           = "report_missed"
	ActFollowUpClosed         = "follow_up_closed"
	ActFollowUpWithdrawn      = "follow_up_withdrawn"
	ActFollowUpExpired        = "follow_up_expired"
	ActContactErased          = "contact_erased"
	ActOrgNumberNormalised    = "org_number_normalised"
	ActInvitationSent         = "invitation_sent"
	ActInvitationFailed       = "invitation_failed"
)

// TrailActions lists every action a follow-up's trail can name.
var TrailActions = []string{
	ActAssessmentIssued, ActAnswersCarried, ActAssessmentReused, ActAssessmentSubmitted,
	ActLinkReissued, ActDueDateChanged, ActContactChanged, ActReviewStarted,
	ActReturnedToSupplier, ActCommentAdded, ActFindingRecorded, ActFindingFileAttached,
	ActEvidenceJudged, ActDeviationConfirmed, ActDeviationDismissed, ActDeviationClosed,
	ActDeviationAccepted, ActDeviationMoved, ActActionPlanned, ActPlanRequested, ActActionProposed,
	ActPlanProposed, ActPlanAgreed, ActActionProgressReported, ActReportMissed,
	ActFollowUpClosed, ActFollowUpWithdrawn, ActFollowUpExpired, ActContactErased, ActOrgNumberNormalised,
	ActInvitationSent, ActInvitationFailed,
}

// What a comment on a follow-up is.
const (
	CommentNote        = "comment"      // a reviewer's note
	CommentReturn      = "return"       // sent back to the supplier with what to complete
	CommentPlanRequest = "plan_request" // the request for a time and action plan
)

// CommentKinds lists every kind of comment.
var CommentKinds = []string{CommentNote, CommentReturn, CommentPlanRequest}
