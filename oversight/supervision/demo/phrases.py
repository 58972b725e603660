"""Words for the demo history: short, believable phrases drawn at random."""

NEEDS = [
    "Consistent routines and school attendance; dental care overdue.",
    "Speech and language assessment; nursery place not taken up.",
    "Emotional support after witnessing domestic abuse.",
    "Safe sleep arrangements for the baby; mother's low mood.",
    "Supervision when out in the evenings; links to older peers.",
    "Adequate food and warm clothing; home conditions poor.",
]
RISKS = [
    "Neglect: repeated concerns over two years, not improving.",
    "Domestic abuse by mother's partner; he still visits.",
    "Criminal exploitation: seen with older youths, missing episodes.",
    "Parental substance misuse affecting supervision of the children.",
    "Disguised compliance: appointments kept, change not seen at home.",
    "Father's mental health; threats made in a crisis.",
]
ENGAGEMENT = [
    "Mother engages well and has made small changes.",
    "Parents attend meetings but little change at home.",
    "Father refuses home visits; mother engages when he is away.",
    "Family engaging with early help worker; capacity for change good.",
]
PLANS = [
    "Child in need plan: school, health visitor and family support worker.",
    "Core group every six weeks; police share domestic abuse notifications.",
    "Early help plan with school nurse and housing.",
    "Child protection plan; CAMHS referral; youth worker twice weekly.",
]
AMENDMENTS = [
    "Escalate to a strategy discussion if no change by the review; tell the core group by email.",
    "Ask for an early review meeting; share the chronology with school and health.",
    "",
    "",
]
REFUSAL = [
    "",
    "If parents decline, discuss with the safeguarding lead and record the threshold reasoning.",
    "",
]
EXPERIENCE = [
    "Visit went as planned; the children were quiet and watchful.",
    "Mother was defensive; the home was cleaner than usual.",
    "I was surprised how little the child spoke when father was present.",
]
REFLECTION = [
    "I felt uneasy and rushed; I noticed I avoided asking about the partner.",
    "I felt hopeful, then wondered if I was being shown what I wanted to see.",
]
ANALYSIS = [
    "The pattern of improvement before reviews suggests disguised compliance.",
    "Needs are long-standing; the risk is cumulative neglect, not one incident.",
]
PLANNING = [
    "Unannounced visit; speak to the child alone; check with school attendance officer.",
    "Share concerns at the core group; ask health for growth records.",
]
DECISIONS = [
    (
        "Request a strategy discussion",
        "Escalating concerns: repeated neglect with no sustained change over three months.",
    ),
    ("Step down to early help", "Sustained improvement over six months; family asking for it."),
    ("Hold an early review meeting", "Drift: plan not progressing and amber for three months."),
    ("Refer to CAMHS", "Low mood and self-harm disclosed to the school nurse."),
]
ACTIONS = [
    "Speak to the child alone at the next visit",
    "Share the chronology with the school and health visitor",
    "Book the safeguarding supervision training refresher",
    "Chase the police domestic abuse notification",
    "Update the child's plan and send it to the core group",
    "Read the CSPR briefing on disguised compliance",
]
AGENDA = [
    "Family T: no change since the review – am I missing something?",
    "My caseload and how I am managing",
    "Training: I would like to do the neglect toolkit course",
]
LEARNING = [
    "Use the neglect toolkit before the next review.",
    "Reflect on professional curiosity: what we are not being told.",
    "Shadow a colleague at a strategy discussion.",
]
CANCEL_REASONS = [
    "Court hearing for another family",
    "Sickness",
    "Urgent child protection visit",
    "Training day clash",
]
DROP_REASONS = ["Case closed", "No longer needed after the core group", "Overtaken by events"]
WELLBEING = [
    "A difficult visit has stayed with them; sleeping badly this week.",
    "Feeling more confident; workload heavy but manageable.",
    "",
]
TRAJECTORIES = {
    "improving": ["red", "amber", "amber", "green"],
    "stuck": ["amber"],
    "worsening": ["green", "green", "amber", "amber", "red"],
    "steady": ["green"],
}
