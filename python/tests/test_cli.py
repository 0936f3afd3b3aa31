"""The command line's offline parts: decode, names of output files, masked settings."""

import hashlib
import os
import pathlib
import subprocess
import sys

import edgestream
from edgestream.__main__ import main, safe_name
from samples import edge_stats


def test_decode_prints_each_record_and_fails_on_a_bad_value(tmp_path, capsys):
    good = tmp_path / "stats.bin"
    good.write_bytes(edgestream.encode("EdgeStats", edge_stats()))
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"nope")
    assert main(["decode", str(good)]) == 0
    out = capsys.readouterr().out
    assert "EdgeStats (single-object, EdgeStats v2)" in out and '"edgeCount": 1234' in out
    assert main(["decode", str(good), str(bad)]) == 1
    assert "NOT_WIRE_FORMAT" in capsys.readouterr().err


def test_safe_names_follow_the_java_consumers_rule():
    assert safe_name("cam-1-000042") == "cam-1-000042"
    h = hashlib.sha256("cam-1/3fa9c2".encode()).hexdigest()[:10]
    assert safe_name("cam-1/3fa9c2") == "cam-1_3fa9c2~" + h
    assert safe_name(".hidden").startswith("_hidden~")
    assert safe_name("x" * 101) == "x" * 100 + "~" + hashlib.sha256(b"x" * 101).hexdigest()[:10]


def test_the_module_runs_as_a_command():
    # The package this test imported, whether installed or from the checkout.
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(edgestream.__file__).parent.parent))
    r = subprocess.run(
        [sys.executable, "-m", "edgestream", "--help"], capture_output=True, text=True, env=env
    )
    assert r.returncode == 0, r.stderr
    for command in ("push", "read", "decode"):
        assert command in r.stdout
