"""The import contracts of pyproject.toml ([tool.importlinter]) hold: core imports no app,
the calculation modules import no Django, and the modules of training and training.videos
import each other in one direction only. A broken contract fails the suite, not only lint."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The command installed with import-linter, in the environment running the tests.
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def test_the_import_contracts_hold():
    result = subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
