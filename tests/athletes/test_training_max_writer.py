"""Only the decision module writes a training max.

Loads are worked out from the training max whenever an athlete opens a session, so any code
that writes one moves every upcoming load. The product's contract is that those loads change
only by the coach's decision (or the auto-accept they switched on, or the athlete's first
baseline), which athletes/training_maxes.py records with who and when. A second writer
(the nightly recompute used to be one) would silently break that, so this check reads the
source tree: simple and explicit, no import-graph tooling needed.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DECISION_MODULE = ROOT / "athletes" / "training_maxes.py"
SKIPPED = {"tests", "migrations", "node_modules", ".venv", "static", "templates"}

# Writes through the manager, a new instance, or a save on a variable named for one.
WRITES = [
    re.compile(
        r"TrainingMax\.objects(\.\w+\([^)]*\))*\."
        r"(create|update|bulk_create|bulk_update|update_or_create|get_or_create|delete)\("
    ),
    re.compile(r"(?<!class )\bTrainingMax\("),
    re.compile(r"\b(training_max|tm|current)\.(save|delete)\("),
    re.compile(r"\b(training_max|tm|current)\.value_kg\s*=[^=]"),
]


def _sources():
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIPPED:
            continue
        yield path


def writers_outside_the_decision_module() -> list[str]:
    found = []
    for path in _sources():
        if path == DECISION_MODULE:
            continue
        text = path.read_text()
        for number, line in enumerate(text.splitlines(), start=1):
            if any(pattern.search(line) for pattern in WRITES):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_only_the_decision_module_writes_a_training_max():
    assert writers_outside_the_decision_module() == []


def test_the_check_sees_a_write_where_there_is_one():
    text = DECISION_MODULE.read_text()
    assert any(pattern.search(text) for pattern in WRITES[:2])
    assert WRITES[3].search("        current.value_kg = update.value_kg")
    assert WRITES[0].search('    TrainingMax.objects.bulk_update(changed, ["value_kg"])')
    assert WRITES[0].search("TrainingMax.objects.filter(pk=1).update(value_kg=2)")
