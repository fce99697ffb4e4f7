"""The build's one step beyond pyproject.toml: the documentation in docs/ goes into the package, as
sarkit/data/docs/, so that `sarkit docs` and the error hints that name a docs/ file also serve someone
who installed a wheel on a machine without the repository. Everything else is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DOCS = Path(__file__).resolve().parent / "docs"


class BuildPyWithDocs(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads docs/ in the checkout itself (sarkit.resources.docs_dir)
        target = Path(self.build_lib) / "sarkit" / "data" / "docs"
        target.mkdir(parents=True, exist_ok=True)
        for page in sorted(DOCS.glob("*.md")):
            shutil.copyfile(page, target / page.name)


setup(cmdclass={"build_py": BuildPyWithDocs})
