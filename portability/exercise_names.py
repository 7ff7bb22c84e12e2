"""Matching exercise names from other apps to the library. Pure: no Django imports.

Names are compared normalised (Unicode NFKC, case-folded, hyphens and underscores as spaces,
runs of spaces as one), so "Squat  (BARBELL)" is "squat (barbell)". The alias table maps
the names Strong, Hevy and people use for the method's ten seed exercises to their slugs.
A name that matches nothing becomes a club exercise, with a first guess at its family and
equipment that the coach corrects in the library.
"""

import unicodedata

# Names the apps (and people) give the method's ten seed exercises, normalised as
# `normalize_name` does. The seed names themselves match without an alias.
ALIASES: dict[str, str] = {
    "squat": "back-squat",
    "squat (barbell)": "back-squat",
    "back squat (barbell)": "back-squat",
    "barbell back squat": "back-squat",
    "barbell squat": "back-squat",
    "high bar squat": "back-squat",
    "low bar squat": "back-squat",
    "deadlift (barbell)": "deadlift",
    "conventional deadlift": "deadlift",
    "barbell deadlift": "deadlift",
    "hip thrust (barbell)": "hip-thrust",
    "barbell hip thrust": "hip-thrust",
    "hip thrust (machine)": "hip-thrust",
    "split squat (dumbbell)": "split-squat",
    "split squat (barbell)": "split-squat",
    "bulgarian split squat": "split-squat",
    "bulgarian split squat (dumbbell)": "split-squat",
    "step up": "step-up",
    "step up (dumbbell)": "step-up",
    "step up (barbell)": "step-up",
    "dumbbell step up": "step-up",
    "reverse lunge (dumbbell)": "reverse-lunge",
    "reverse lunge (barbell)": "reverse-lunge",
    "lunge (reverse)": "reverse-lunge",
    "dumbbell reverse lunge": "reverse-lunge",
    "bench press (barbell)": "bench-press",
    "barbell bench press": "bench-press",
    "flat bench press": "bench-press",
    "overhead press (barbell)": "overhead-press",
    "barbell overhead press": "overhead-press",
    "military press": "overhead-press",
    "strict military press": "overhead-press",
    "strict press": "overhead-press",
    "shoulder press (barbell)": "overhead-press",
    "ohp": "overhead-press",
    "pull up": "pull-up",
    "pull ups": "pull-up",
    "pullup": "pull-up",
    "pull up (bodyweight)": "pull-up",
    "pull up (weighted)": "pull-up",
    "weighted pull up": "pull-up",
    "inverted row (bodyweight)": "inverted-row",
    "bodyweight row": "inverted-row",
    "australian pull up": "inverted-row",
    "ring row": "inverted-row",
}

_EQUIPMENT_WORDS = (
    ("barbell", "barbell"),
    ("dumbbell", "dumbbell"),
    ("kettlebell", "kettlebell"),
    ("bodyweight", "bodyweight"),
    ("weighted", "bodyweight"),
    ("machine", "machine"),
    ("cable", "machine"),
    ("smith", "machine"),
    ("band", "bodyweight"),
)
_FAMILY_WORDS = (
    ("unilateral", ("lunge", "split", "step up", "single leg", "pistol", "bulgarian", "one leg")),
    ("upper_pull", ("row", "pull", "chin", "curl", "lat ", "pulldown", "face pull")),
    ("upper_push", ("press", "push", "dip", "bench", "fly", "raise", "extension")),
)


def normalize_name(name: str) -> str:
    """The form two names are compared in: "Squat  (Barbell)" and "squat (barbell)" are one."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("-", " ").replace("_", " ")
    return " ".join(text.split())


def alias_for(name: str) -> str | None:
    """The slug of the seed exercise an app's name stands for, if there is one."""
    return ALIASES.get(normalize_name(name))


def guess_equipment(name: str) -> str:
    lowered = normalize_name(name)
    for word, equipment in _EQUIPMENT_WORDS:
        if word in lowered:
            return equipment
    return "barbell"


def guess_family(name: str) -> str:
    """A first guess for a new club exercise; the coach corrects it in the library."""
    lowered = f" {normalize_name(name)} "
    for family, words in _FAMILY_WORDS:
        if any(word in lowered for word in words):
            return family
    return "bilateral"
