"""The code is offered under the GNU Affero GPL v3.0 or later, and every manifest says so."""

import hashlib
import json
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPDX = "AGPL-3.0-or-later"
# sha256 of the Free Software Foundation's agpl-3.0.txt, unchanged: the licence is
# the official text, whole, or it is not the licence.
AGPL_3_SHA256 = "57c8ff33c9c0cfc3ef00e650a1cc910d7ee479a8bc509f6c9209a7c2a11399d6"


def test_the_licence_file_is_the_full_official_agpl_version_3_text():
    text = (ROOT / "LICENSE").read_text(encoding="ascii")
    assert text.lstrip().startswith("GNU AFFERO GENERAL PUBLIC LICENSE")
    assert "Version 3, 19 November 2007" in text
    # The clause that makes it the Affero licence: hosted users get the source.
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert hashlib.sha256(text.encode("ascii")).hexdigest() == AGPL_3_SHA256


def test_pyproject_and_package_json_name_the_same_spdx_licence():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert pyproject["project"]["license"] == SPDX
    assert package["license"] == SPDX
    assert lock["packages"][""]["license"] == SPDX


def test_the_readme_says_how_to_self_host_and_what_the_licence_asks():
    readme = (ROOT / "README.md").read_text()
    assert "## Self-hosting" in readme
    assert SPDX in readme
