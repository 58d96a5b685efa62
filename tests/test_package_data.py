"""Every data file the engine reads ships in the package: the Docker image installs the wheel,
not the source tree, so a file no package-data pattern names would be missing there."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_every_file_under_faq_data_and_sources_is_package_data():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["faq"]
    package = ROOT / "faq"
    shipped = {path for pattern in patterns for path in package.glob(pattern)}
    needed = {
        path
        for folder in ("data", "sources")
        for path in (package / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert needed - shipped == set()
