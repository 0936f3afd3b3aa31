"""Build step of the edgestream package: embeds the Avro contract.

The schemas have one source of truth, ../schemas/ of this repository. Building the package (pip
install ./python, or building a wheel) copies them into edgestream/avsc/ of the build:

    edgestream/avsc/current/<Record>.avsc      from schemas/src/main/avro/
    edgestream/avsc/history/<Record>.v<N>.avsc from schemas/src/main/resources/
                                               io/edgestream/schemas/history/

Nothing is copied into the source tree: run from a checkout (PYTHONPATH=python), the package
reads ../schemas directly (edgestream.schemas.schema_source() says which copy is in use), and
tests/test_schemas.py fails if an installed copy differs from schemas/.
"""

import atexit
import pathlib
import shutil
import tempfile

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = pathlib.Path(__file__).resolve().parent
SCHEMAS = HERE.parent / "schemas" / "src" / "main"
SOURCES = {
    "current": SCHEMAS / "avro",
    "history": SCHEMAS / "resources" / "io" / "edgestream" / "schemas" / "history",
}


class BuildWithSchemas(build_py):
    """build_py that also copies the contract's .avsc files into the built package."""

    def run(self):
        super().run()
        for kind, source in SOURCES.items():
            files = sorted(source.glob("*.avsc"))
            if not files:
                raise SystemExit(
                    f"no .avsc files in {source}: build the edgestream package from a checkout of"
                    " the repository (python/ next to schemas/)"
                )
            target = pathlib.Path(self.build_lib) / "edgestream" / "avsc" / kind
            if target.exists():
                shutil.rmtree(target)
            target.mkdir(parents=True)
            for f in files:
                shutil.copyfile(f, target / f.name)


# Build in a fresh temporary folder, removed at exit: nothing is left in the source tree, and
# no file of an earlier build (a module since deleted) can slip into the wheel.
WORK = tempfile.mkdtemp(prefix="edgestream-build-")
atexit.register(shutil.rmtree, WORK, ignore_errors=True)

setup(
    cmdclass={"build_py": BuildWithSchemas},
    options={"build": {"build_base": WORK}, "egg_info": {"egg_base": WORK}},
)
