"""The 4x4x4 supervisory cycle with the prompt questions of seed 004 Appendix II, Example 3
(Kolb's cycle with example questions). Shown as guidance beside each case discussion."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CycleStage:
    field: str
    title: str
    kolb: str
    questions: tuple[str, ...]


CYCLE: tuple[CycleStage, ...] = (
    CycleStage(
        "experience",
        "Experience",
        "ENGAGE",
        (
            "What did you expect to happen?",
            "What happened?",
            "What was your aim?",
            "What did you say and/or do?",
            "What interventions did you try?",
            "What did the client say or demonstrate?",
            "What reactions did you notice?",
            "What surprised or puzzled you?",
            "What struck you? What images struck you?",
            "What didn't you notice?",
            "What went according to plan? What didn't?",
            "What did you feel or do after the experience?",
        ),
    ),
    CycleStage(
        "reflection",
        "Reflection",
        "FOCUS",
        (
            "What did you feel at the visit? What feelings did you bring?",
            "What patterns did you see?",
            "Describe a time when you last experienced that – what happened?",
            "What/who does this client remind you of?",
            "What did you think the client was feeling?",
            "What factors may influence how you or the client felt or reacted?",
            "What thoughts went through your mind during the visit/session?",
            "What feelings were you left with?",
            "What was left unfinished?",
        ),
    ),
    CycleStage(
        "analysis",
        "Analysis",
        "EVOKE",
        (
            "What assumptions did you bring to the visit?",
            "How do you explain what happened?",
            "How did the visit fit in with the overall aims of your work?",
            "What aims were not achieved? What went well and why?",
            "What are the power relations?",
            "How far did this visit challenge your previous understanding?",
            "What new information emerged?",
            "What are the current needs/risks/strengths? What is unknown?",
            "How would other agencies define your role in this situation?",
        ),
    ),
    CycleStage(
        "action_planning",
        "Action planning",
        "PLAN",
        (
            "In light of the reflection and analysis we have done, what is your overall "
            "summary of where things are?",
            "What needs to be done next?",
            "What are you responsible for in this case?",
            "Has this raised training or support needs for you?",
            "What is urgent? What would be desirable? What is negotiable?",
            "What might your strategy be for the next visit?",
            "Who else needs to be involved?",
            "Where do you feel more or less confident?",
        ),
    ),
)

CYCLE_FIELDS = tuple(stage.field for stage in CYCLE)
