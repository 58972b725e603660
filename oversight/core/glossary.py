"""The domain's words in plain English (issue 12 item 6: "a glossary page for the domain's
terms, linked where they are used"). Each term has an anchor, so a page can link to it:
``{% url 'glossary' %}#drift``. The meanings follow the seeds and ../shared/domain.md."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    anchor: str
    term: str
    meaning: str


TERMS: tuple[Term, ...] = (
    Term(
        "addendum",
        "Addendum",
        "A correction or later note added to a record after both people signed it. The "
        "signed record never changes; the addendum sits beside it with who added it, when "
        "and why.",
    ),
    Term(
        "child-in-need",
        "Child in need",
        "A child whose health or development is likely to suffer without services from the "
        "local authority (Children Act 1989, section 17). Every child in need is discussed "
        "with a safeguarding supervisor at least every three months, and before each review "
        "meeting.",
    ),
    Term(
        "child-protection-plan",
        "Child protection plan",
        "A plan agreed at a child protection conference for a child at risk of significant "
        "harm. Children on a plan are discussed in supervision like children in need.",
    ),
    Term(
        "contract",
        "Supervision contract",
        "The agreement between supervisor and supervisee at the start of their supervision: "
        "how often they meet, for how long, where, what is recorded and how disagreements "
        "are handled. It is signed by both and reviewed every year.",
    ),
    Term(
        "decision-on-file",
        "Decision on the child's file",
        "A decision about a child made in supervision is recorded on the child's file in the "
        "agency's case system as soon as possible and within two working days.",
    ),
    Term(
        "discussed",
        "Discussed within three months",
        "A child in need has been discussed with a safeguarding supervisor within the last "
        "three months (or the interval the agency set). When it is longer, the child is "
        "overdue for discussion.",
    ),
    Term(
        "drift",
        "Drift",
        "When a child's situation shows no evident change, or is slowly getting worse, while "
        "work goes on. Long-running concerns such as neglect count, not only high risk. "
        "Oversight flags a child whose rating has stayed amber or red, or who has not been "
        "discussed, so that drift is caught early.",
    ),
    Term(
        "escalation",
        "Escalation",
        "Raising a concern about how a child is being kept safe with someone more senior, "
        "when it cannot be resolved between the professionals involved. It moves up the "
        "levels of the partnership's escalation and resolution process until it is resolved.",
    ),
    Term(
        "fewer-than-5",
        "Fewer than 5 and Hidden",
        "Figures for a group of fewer than five people are not shown, so no one can be "
        "identified. Where the other figures and the total would give a small group away, a "
        "larger group beside it is held back too and shown as Hidden.",
    ),
    Term(
        "management-oversight",
        "Management oversight",
        "A manager's review of a practitioner's case or caseload: decisions, their "
        "rationale and any variation from procedure. It is recorded apart from reflective "
        "supervision.",
    ),
    Term(
        "rag",
        "RAG rating",
        "Red, amber or green: how a child's situation is moving, judged in each discussion. "
        "Green is improving, amber is staying the same and red is getting worse.",
    ),
    Term(
        "reflective-supervision",
        "Reflective supervision",
        "Regular, protected time with a trained safeguarding supervisor to think through "
        "work with children and families: what happened, how it felt, what it means and what "
        "to do next.",
    ),
    Term(
        "review-meeting",
        "Review meeting",
        "A meeting that reviews a child's plan: a child in need review, a core group meeting "
        "or a child protection conference. The child is discussed in supervision in the "
        "days before it, so the discussion can inform the plan.",
    ),
    Term(
        "supervision-interval",
        "Supervised within their interval",
        "A member of staff has had supervision within the interval their agency's policy "
        "sets: monthly is recommended, and never more than three months apart.",
    ),
    Term(
        "three-way-meeting",
        "Three-way meeting",
        "A meeting of the supervisee, their supervisor and a line manager, held when "
        "supervision is not happening as often or as well as agreed, with agreed outcomes.",
    ),
    Term(
        "urgent-discussion",
        "Urgent discussion",
        "A practitioner worried about the response to a risk to a child asks their "
        "supervisor for a discussion now, rather than waiting for the next session.",
    ),
    Term(
        "working-days",
        "Working days",
        "Monday to Friday, leaving out the bank holidays of the agency's part of the UK.",
    ),
)
