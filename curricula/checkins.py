"""The recovery-areas check-in (CHIME: connectedness, hope, identity, meaning, empowerment) for any template.

A template with `check_in = "chime"` asks each of its check-in segments with these prompts instead of its own,
keeping the segment's title and minutes. The words are ours, in the pack's language where we have them.
"""

from __future__ import annotations

from curricula.format import CheckInStyle, Pack, Segment, SegmentKind

CHIME_PROMPTS: dict[str, str] = {
    "en": """\
- A round on the five areas of recovery. Each person picks one to answer, or passes:
  - **Connection**: who or what did you feel connected to this week?
  - **Hope**: what gave you a bit of hope, or what are you looking forward to?
  - **Identity**: when did you feel most like yourself?
  - **Meaning**: what did you do that mattered to you?
  - **Empowerment**: where did you make a choice or take charge of something, however small?
- In a big room, choose one area for everyone this week and take the next one next week.
- Listen and thank; no advice in the round. Come back to anything hard at the break or afterwards.
""",
    "es": """\
- Una ronda sobre las cinco áreas de la recuperación. Cada persona elige una para contestar, o pasa:
  - **Conexión**: ¿con quién o con qué te sentiste en conexión esta semana?
  - **Esperanza**: ¿qué te dio un poco de esperanza, o qué esperas con ganas?
  - **Identidad**: ¿cuándo te sentiste más tú?
  - **Sentido**: ¿qué hiciste que tuvo sentido para ti?
  - **Poder de decisión**: ¿dónde tomaste una decisión o llevaste las riendas de algo, aunque fuera pequeño?
- Si el grupo es grande, elijan un área para todos esta semana y la siguiente la próxima.
- Escuchar y agradecer; sin consejos en la ronda. Lo difícil se retoma en el descanso o al final.
""",
}


def chime_prompts(language: str) -> str:
    """The recovery-areas check-in in a language tag's language ("es-MX" uses "es"), English otherwise."""
    return CHIME_PROMPTS.get(language.split("-", 1)[0].lower(), CHIME_PROMPTS["en"])


def with_check_in(pack: Pack, agenda: list[Segment]) -> list[Segment]:
    """`agenda` with its check-in segments asked the way the pack's template says."""
    if pack.template is None or pack.template.check_in is CheckInStyle.OWN:
        return agenda
    prompts = chime_prompts(pack.language)
    return [
        Segment(
            title=segment.title,
            kind=segment.kind,
            minutes=segment.minutes,
            prompts=prompts,
            techniques=list(segment.techniques),
            stage_prompts=dict(segment.stage_prompts),
        )
        if segment.kind is SegmentKind.CHECK_IN
        else segment
        for segment in agenda
    ]
