"""An eight-week simulated runner, for reading the progression engine the way a coach would.

Pure: no Django imports. Two strength sessions a week (Monday and Thursday), one warm-up set
and two working sets of the back squat at 5 reps, prescribed with fixed increments against a
100 kg training max. The runner's true 1RM grows by 1 kg a week; each working set's RPE is
read off the RTS chart from the load against that true 1RM (7–9 at working loads, lower on
light days, at most 9), except for the scripted events: one grind at RPE 9.5, one missed
session (or two in a row), one pain flag.

After every session the engine suggests the next load, and the training max the last three
sessions support. The coach decides each suggestion (accepts it) except once, when they are
away: then nothing changes, because the loads a runner sees change only by a coach's decision.
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from athletes.units import format_e1rm, format_load
from training import progression as engine

WEEKS = 8
REPS = 5
START_KG = Decimal("77.5")
TRAINING_MAX_KG = Decimal(100)
TRUE_1RM_KG = Decimal(100)
WEEKLY_GAIN_KG = Decimal(1)
HARDEST_RPE = Decimal(9)  # outside the scripted grind
TOO_EASY_RPE = Decimal("5.5")  # lighter than 5 reps at RPE 6: says nothing about the 1RM
PAIN_SEVERITY = 5
SAME_FAMILY = ("Deadlift", "Hip thrust")


@dataclass(frozen=True)
class Events:
    """What happens to the runner, by session number (0 = the first Monday)."""

    grind: int = 3  # both working sets at RPE 9.5
    missed: tuple[int, ...] = (5,)
    pain: int = 7  # pain flagged after this session, resolved after the next
    coach_away: int = 14  # the suggestions after this session are not decided


@dataclass(frozen=True)
class Step:
    """One planned session and what came of it."""

    number: int
    on: date
    load_kg: Decimal
    sets: int
    rpe: Decimal | None  # None when missed
    deload: bool
    pain: bool
    suggestion: engine.Suggestion | None
    decided: bool  # the coach decided the suggestion (accepted it)
    training_max_kg: Decimal  # the decided training max the session was planned against
    training_max: engine.TrainingMaxUpdate | None = None  # a change the evidence supports

    @property
    def missed(self) -> bool:
        return self.rpe is None

    @property
    def week(self) -> int:
        return self.number // 2 + 1


@dataclass
class Runner:
    steps: list[Step] = field(default_factory=list)


def _rpe(load_kg: Decimal, true_kg: Decimal) -> Decimal:
    """The RPE whose chart % for 5 reps is nearest the load's share of the true 1RM."""
    share = load_kg / true_kg * 100
    if share < engine.percent_of_1rm(REPS, Decimal(6)) - 1:
        return TOO_EASY_RPE
    steps = [Decimal(n) / 2 for n in range(12, 21)]  # 6 … 10
    nearest = min(steps, key=lambda rpe: abs(engine.percent_of_1rm(REPS, rpe) - share))
    return min(nearest, HARDEST_RPE)


def simulate(*, start: date, events: Events | None = None) -> Runner:
    """Eight weeks from `start` (a Monday), session by session."""
    events = events or Events()
    plan = engine.ExercisePlan(
        method=engine.Method.FIXED_INCREMENT,
        reps=REPS,
        working_sets=2,
        training_max_kg=TRAINING_MAX_KG,
    )
    bests: list[engine.SessionBest] = []
    runner = Runner()
    history: list[engine.LoggedSession] = []
    load, sets, deload_until = START_KG, plan.working_sets, None
    for number in range(WEEKS * 2):
        on = start + timedelta(weeks=number // 2, days=3 * (number % 2))
        in_deload = deload_until is not None and on <= deload_until
        rpe: Decimal | None = None
        if number in events.missed:
            history.append(engine.LoggedSession(on, deload=in_deload))
        else:
            true_kg = TRUE_1RM_KG + WEEKLY_GAIN_KG * Decimal(number // 2)
            rpe = Decimal("9.5") if number == events.grind else _rpe(load, true_kg)
            warmup = engine.LoggedSet(REPS, (load / 2).quantize(Decimal(1)), kind=engine.WARMUP)
            working = tuple(engine.LoggedSet(REPS, load, rpe) for _ in range(sets))
            history.append(engine.LoggedSession(on, (warmup, *working), deload=in_deload))
            best = history[-1].best_e1rm
            if best is not None and not in_deload:
                bests.append(engine.SessionBest(on, best, rated=True))
        pain = events.pain <= number <= events.pain + 1  # resolved after the next session
        suggestion = engine.suggest_next(
            engine.ExerciseHistory(
                tuple(history),
                pain_flagged=pain,
                pain_severity=PAIN_SEVERITY if pain else None,
                alternatives=SAME_FAMILY if pain else (),
                hard_training_since=start,
            ),
            plan,
            today=on + timedelta(days=1),
        )
        decided = suggestion is not None and number != events.coach_away
        tm = plan.training_max_kg or TRAINING_MAX_KG
        raise_tm = engine.training_max_update(tm, bests)
        runner.steps.append(
            Step(number, on, load, sets, rpe, in_deload, pain, suggestion, decided, tm, raise_tm)
        )
        if not decided:
            continue
        # The coach's decisions are the only things that move the next session's load.
        if raise_tm is not None:
            plan = replace(plan, training_max_kg=raise_tm.value_kg)
        if suggestion is not None:
            load, sets = suggestion.load_kg, suggestion.sets
            if suggestion.action == engine.Action.DELOAD:
                deload_until = suggestion.deload_until
    return runner


def report(runner: Runner) -> list[str]:
    """The eight weeks as lines a coach can read: each session, then the suggestion."""
    lines = []
    for step in runner.steps:
        day = f"week {step.week} {step.on:%a %d %b}"
        if step.rpe is None:
            done = "missed"
        else:
            lifted = format_load(step.load_kg, "kg")
            done = f"{step.sets} × {REPS} @ {lifted}, RPE {step.rpe.normalize():f}"
            if step.deload:
                done += " (deload)"
        if step.pain:
            done += f"; pain {PAIN_SEVERITY}/10 flagged"
        lines.append(f"{day}: {done}")
        s = step.suggestion
        if s is None:
            lines.append("    no suggestion: the coach's prescription stands")
            continue
        decision = "accepted by the coach" if step.decided else "not decided: nothing changes"
        sets = f"{s.sets} set{'s' if s.sets > 1 else ''}"
        lines.append(f"    {s.action.value} → {format_load(s.load_kg, 'kg')} × {sets} ({decision})")
        lines.append(f"    because {s.reason}")
        if step.training_max is not None:
            tm = step.training_max
            change = f"{format_e1rm(step.training_max_kg, 'kg')} → {format_e1rm(tm.value_kg, 'kg')}"
            lines.append(f"    training max {change} ({decision})")
            lines.append(f"    because {tm.reason}")
    return lines
