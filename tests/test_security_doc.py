"""SECURITY.md promises only what a test checks: every test it names exists.

The table "Promises and the tests that keep them" maps each promise to tests, written as
`tests/path.py` (the whole module) or `tests/path.py::test_name` (one test; a trailing `*`
stands for every test whose name starts so). A renamed or deleted test fails here, so the
page can't go on promising what nothing proves.
"""

import ast
import re
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECURITY = ROOT / "SECURITY.md"
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)(?:::([\w*]+))?`")
TABLE_HEADING = "## Promises and the tests that keep them"


def _test_names(module: Path) -> set[str]:
    tree = ast.parse(module.read_text())
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


def _table_rows() -> list[str]:
    text = SECURITY.read_text()
    assert TABLE_HEADING in text, f"SECURITY.md has no section {TABLE_HEADING!r}"
    section = text.split(TABLE_HEADING, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return rows[2:]  # after the header and its rule


def test_every_test_security_md_names_exists():
    missing = []
    references = REFERENCE.findall(SECURITY.read_text())
    assert len(references) >= 20, "SECURITY.md should name the tests behind its promises"
    for path, name in references:
        module = ROOT / path
        if not module.is_file():
            missing.append(path)
            continue
        if name and not any(fnmatch(test, name) for test in _test_names(module)):
            missing.append(f"{path}::{name}")
    assert missing == [], "SECURITY.md names tests that don't exist"


def test_every_promise_in_the_table_names_a_test():
    rows = _table_rows()
    assert len(rows) >= 15
    unproved = [row.split("|")[1].strip() for row in rows if not REFERENCE.search(row)]
    assert unproved == [], "promises with no test named"
