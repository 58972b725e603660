"""Starting wording for a new contract, from seed 001 "Contract (or agreement) between a
supervisee and supervisor" and the matters seed 004 Appendix IV asks agencies to consider.
The supervisor edits it with the supervisee before both sign."""

SUPERVISOR_RESPONSIBILITIES = "\n".join(
    [
        "- Share the responsibility for making the supervisory relationship work, and seek "
        "other arrangements if needed.",
        "- Ensure confidentiality, subject to the safety of service users and staff.",
        "- Create an effective, sensitive and supportive environment that maintains trust.",
        "- Listen attentively, using the agency's tools where available.",
        "- Provide suitable time and a private location, free from interruptions.",
        "- Keep accurate, clear records of comments about and actions for the supervisee, and "
        "of changes or actions for particular children and families.",
        "- Make sure this contract is agreed and reviewed every year.",
        "- Make sure the organisation's professional standards are met.",
        "- Arrange a handover between all parties when line management or supervision changes.",
        "- Address issues of diversity constructively and give the supervisee opportunity to "
        "raise their experience.",
        "- Share responsibility for oversight, including safeguarding, accountability and "
        "workload.",
    ]
)

SUPERVISEE_RESPONSIBILITIES = "\n".join(
    [
        "- Share the responsibility for making the supervisory relationship work.",
        "- Attend regularly and on time, participate actively and bring an agenda.",
        "- Understand and engage with the purpose of supervision and be accountable for "
        "agreed actions.",
        "- Prepare for each session, including the children and families to discuss.",
        "- Make sure the record reflects the session, and that changes or actions about "
        "individual cases are recorded on the child's file.",
        "- Make sure this contract is agreed and reviewed every year.",
        "- Aim to meet the organisation's professional standards.",
    ]
)

NOTICE_OF_CHANGES = (
    "Changes of time, date or venue are agreed at least five working days ahead. A session is "
    "cancelled only in exceptional circumstances, with at least 24 hours' notice and a new date "
    "agreed within five working days."
)

RECORDING_ARRANGEMENTS = (
    "The supervisor records each session on the agency's supervision record (Appendix III) and "
    "both sign it within the agency's deadline. Decisions about a child are also recorded on "
    "the child's file within two working days. The supervisee receives a signed copy."
)

AGENDA_SETTING = (
    "The supervisee adds agenda items and chooses the children and families to discuss before "
    "each session; the supervisor adds items, and open actions from earlier sessions are "
    "followed up first."
)

WORKLOAD_PERFORMANCE_ESCALATION = (
    "Workload or performance concerns are raised first in supervision and recorded. If they "
    "are not resolved they go to the line manager, and a three-way meeting is arranged with "
    "agreed outcomes."
)

DIFFERENCE_OF_OPINION_ESCALATION = (
    "A difference of opinion is discussed openly in supervision and both views are recorded. "
    "If it is not resolved it is escalated to the line manager and, about a child, under the "
    "partnership's professional disagreement and escalation procedure."
)

DEFAULT_TERMS = {
    "supervisor_responsibilities": SUPERVISOR_RESPONSIBILITIES,
    "supervisee_responsibilities": SUPERVISEE_RESPONSIBILITIES,
    "notice_of_changes": NOTICE_OF_CHANGES,
    "recording_arrangements": RECORDING_ARRANGEMENTS,
    "agenda_setting": AGENDA_SETTING,
    "workload_performance_escalation": WORKLOAD_PERFORMANCE_ESCALATION,
    "difference_of_opinion_escalation": DIFFERENCE_OF_OPINION_ESCALATION,
}

TERM_FIELDS = (
    "supervisor_responsibilities",
    "supervisee_responsibilities",
    "notice_of_changes",
    "recording_arrangements",
    "agenda_setting",
    "workload_performance_escalation",
    "difference_of_opinion_escalation",
    "agenda_items_future",
    "learning_development",
    "role_opportunities_concerns",
)

EDITABLE_FIELDS = (
    "contact_level",
    "frequency_days",
    "session_duration_minutes",
    "starts_on",
    "review_due_on",
    *TERM_FIELDS,
)
