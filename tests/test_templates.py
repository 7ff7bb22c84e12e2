"""Template files themselves: mistakes Django renders as text instead of refusing."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
OPENING = re.compile(r"\{#")


def project_templates() -> list[Path]:
    """Every template under templates/ and each app's templates/ folder."""
    found = set(ROOT.glob("templates/**/*.html"))
    for folder in ROOT.glob("*/templates"):
        found.update(folder.glob("**/*.html"))
    return sorted(found)


def unclosed_comments(text: str) -> list[int]:
    """Line numbers of each `{#` whose `#}` is not on the same line.

    Django's `{# #}` comment is one line only: one that spans lines is shown to the
    person as raw text (multi-line comments need `{% comment %}`).
    """
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        position = 0
        while (match := OPENING.search(line, position)) is not None:
            end = line.find("#}", match.end())
            if end == -1:
                lines.append(number)
                break
            position = end + 2
    return lines


def test_the_scan_finds_templates_and_recognises_a_comment_that_spans_lines():
    assert len(project_templates()) > 50
    assert unclosed_comments("{# one line #} {# and #}\n{# two\nlines #}") == [2]


def test_no_template_has_a_comment_that_spans_lines():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in project_templates()
        for line in unclosed_comments(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "use {% comment %} for a comment over several lines"
