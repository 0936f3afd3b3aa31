"""Shared fixtures of the edgestream package's tests.

Run from the repository root with ``python3 -m pytest python/tests`` (the package from the
checkout, or the installed one if it is installed). The tests against records written by the
Java codec need the fixtures Java writes: ``mvn -B -ntp -o -pl python -am verify`` does that
(PythonPackageITCase) and runs this suite with ``EDGESTREAM_JAVA_FIXTURES`` set; without it they
are skipped, with that reason.
"""

import os
import pathlib
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]

# Run from a checkout: import the package next to the tests unless one is installed (the
# Maven run installs it into a venv and checks that the installed copy is the one tested).
if os.environ.get("EDGESTREAM_EXPECT_INSTALLED") != "1":
    sys.path.insert(0, str(REPO / "python"))


@pytest.fixture(scope="session")
def java_fixtures():
    """The folder of Java-written fixtures (EDGESTREAM_JAVA_FIXTURES)."""
    where = os.environ.get("EDGESTREAM_JAVA_FIXTURES")
    if not where:
        pytest.skip(
            "EDGESTREAM_JAVA_FIXTURES is not set: these tests compare with records the Java codec"
            " writes; run them with mvn -B -ntp -o -pl python -am verify"
            " -Dit.test=PythonPackageITCase"
        )
    path = pathlib.Path(where)
    if not path.is_dir():
        raise FileNotFoundError(f"EDGESTREAM_JAVA_FIXTURES={where} is not a directory")
    return path
