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


@dataclass(frozen=True)
class PromptGroup:
    """Optional prompts shown as an expander on the case discussion form (issue 15 item 13).
    They add no fields: the discussion is written in the existing boxes."""

    key: str
    title: str
    source: str
    questions: tuple[str, ...]


DISCUSSION_PROMPTS: tuple[PromptGroup, ...] = (
    PromptGroup(
        "child_at_the_heart",
        "The child at the heart of the discussion",
        # Seed 001 "Effective Supervision": family lives, identity, trauma, equality and
        # diversity.
        "001",
        (
            "What is the child's family life like, day to day?",
            "What do we know of the child's identity, and how is it respected?",
            "What trauma has the child experienced, and how does it show?",
            "What are the child's own experiences, in their words?",
            "How are equality and diversity considered for this child and family?",
        ),
    ),
    PromptGroup(
        "reflective_considerations",
        "Reflective considerations",
        # Seed 002 "Reflective supervision": the six things practitioners should consider.
        "002",
        (
            "How might individual vulnerabilities affect the family's dynamics?",
            "How have language, interpretation and information sharing shaped the work?",
            "Could we have become numb to frequent episodes, such as self-harm or going missing?",
            "Is there continuity of care: someone who knows the family and has a relationship "
            "with them?",
            "Were late-night or weekend calls involved, where everyone may have been tired?",
            "How might your own identity and beliefs influence your practice with this family?",
        ),
    ),
    PromptGroup(
        "own_emotional_response",
        "Your own emotional response",
        # Seed 000: emotional responses used as a tool to understand the child's experience.
        "000",
        (
            "What did you feel with this family: anxiety, fear, anything else?",
            "What might that feeling say about the child's experience in this family?",
        ),
    ),
)


# Issue 15 item 11: the three tools of seed 004 Appendix II. The seed gives Examples 1 and 2
# as diagrams (stage names only) and Example 3 with the questions above. Each tool names the
# case discussion fields it writes in; the stages it shares with the 4x4x4 cycle write in
# the same boxes, so changing tool loses nothing already written.


class ReflectiveTool:
    """Keys of the three tools, stored on each case discussion and as the agency default."""

    ADAPTED = "adapted"
    GIBBS = "gibbs"
    KOLB = "kolb"


@dataclass(frozen=True)
class Tool:
    key: str
    title: str
    source: str
    stages: tuple[CycleStage, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(stage.field for stage in self.stages)


GIBBS = Tool(
    ReflectiveTool.GIBBS,
    "Gibbs' reflective cycle",
    "The supervision policy, Appendix II, example 1",
    (
        CycleStage("experience", "Description", "DESCRIBE", ("What happened?",)),
        CycleStage(
            "feelings",
            "Feelings",
            "FEEL",
            ("What were you thinking and feeling?", "What do you think others felt?"),
        ),
        CycleStage(
            "evaluation",
            "Evaluation",
            "EVALUATE",
            ("What was good and bad about the experience?", "What went well, and what not?"),
        ),
        CycleStage(
            "analysis",
            "Analysis",
            "ANALYSE",
            ("What sense can you make of the situation?", "What helped, and what got in the way?"),
        ),
        CycleStage(
            "conclusion",
            "Conclusion",
            "CONCLUDE",
            ("What else could you have done?", "What have you learned?"),
        ),
        CycleStage(
            "action_planning",
            "Action plan",
            "ACT",
            ("If it arose again, what would you do?", "What needs to happen next, and by whom?"),
        ),
    ),
)

KOLB = Tool(
    ReflectiveTool.KOLB,
    "Kolb's experiential learning model",
    "The supervision policy, Appendix II, example 2",
    (
        CycleStage("experience", "Concrete experience", "DO", ("What happened?",)),
        CycleStage(
            "reflection", "Reflective observation", "OBSERVE", ("What did you notice, and feel?",)
        ),
        CycleStage(
            "analysis",
            "Abstract conceptualisation",
            "THINK",
            ("What does it mean? What explains it?",),
        ),
        CycleStage(
            "action_planning",
            "Active experimentation",
            "PLAN",
            ("What will you try next, and how will you know it worked?",),
        ),
    ),
)

ADAPTED = Tool(
    ReflectiveTool.ADAPTED,
    "Kolb's cycle with example questions",
    "The supervision policy, Appendix II, example 3",
    CYCLE,
)

TOOLS: dict[str, Tool] = {tool.key: tool for tool in (ADAPTED, GIBBS, KOLB)}
TOOL_CHOICES = [(tool.key, tool.title) for tool in TOOLS.values()]
# Every case discussion field any tool writes in, in the order first met.
ALL_STAGE_FIELDS: tuple[str, ...] = tuple(
    dict.fromkeys(f for tool in TOOLS.values() for f in tool.fields)
)


def tool_for(key: str | None) -> Tool:
    return TOOLS.get(key or "", ADAPTED)
