"""The command line's offline parts: decode, names of output files, masked settings."""

import hashlib
import os
import pathlib
import subprocess
import sys

import edgestream
from edgestream.__main__ import dir_name, file_base, main, safe_name
from samples import edge_stats


def test_decode_prints_each_record_and_fails_on_a_bad_value(tmp_path, capsys):
    good = tmp_path / "stats.bin"
    good.write_bytes(edgestream.encode("EdgeStats", edge_stats()))
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"nope")
    assert main(["decode", str(good)]) == 0
    out = capsys.readouterr().out
    newest = edgestream.schemas.versions("EdgeStats")[-1][0]
    assert f"EdgeStats (single-object, EdgeStats v{newest})" in out and '"edgeCount": 1234' in out
    assert main(["decode", str(good), str(bad)]) == 1
    assert "NOT_WIRE_FORMAT" in capsys.readouterr().err


def test_safe_names_follow_the_java_consumers_rule():
    assert safe_name("cam-1-000042") == "cam-1-000042"
    h = hashlib.sha256("cam-1/3fa9c2".encode()).hexdigest()[:10]
    assert safe_name("cam-1/3fa9c2") == "cam-1_3fa9c2~" + h
    assert safe_name(".hidden").startswith("_hidden~")
    assert safe_name("x" * 101) == "x" * 100 + "~" + hashlib.sha256(b"x" * 101).hexdigest()[:10]


def test_map_folders_are_named_after_the_file_as_the_java_consumer_names_them():
    h = hashlib.sha256(b"files/0a1b").hexdigest()[:10]
    assert dir_name("files/0a1b", "board.jpg") == "board.jpg~" + h
    assert dir_name("files/0a1b", "Stra\u00dfe 1.png") == "Stra\u00dfe_1.png~" + h
    assert dir_name("files/0a1b", "Cafe\u0301.jpg") == "Caf\u00e9.jpg~" + h  # NFC
    assert dir_name("files/0a1b", "../../etc/passwd") == "_._.._etc_passwd~" + h
    assert dir_name("files/0a1b", "x\u00b2.png") == "x_.png~" + h  # not a digit for Java
    assert dir_name("files/0a1b", "aux.jpg") == "_aux.jpg~" + h
    assert dir_name("files/0a1b", "\u00e9" * 80) == "\u00e9" * 50 + "~" + h  # 100 bytes
    # The suffix is the id's: two files of one name get two folders.
    assert dir_name("files/0a1c", "board.jpg") != dir_name("files/0a1b", "board.jpg")
    # Without a name, the id; never a file of the output folder.
    assert dir_name("cam-1-000042") == "cam-1-000042"
    assert dir_name("cam-1-000042", " ") == "cam-1-000042"
    assert dir_name("maps.jsonl").startswith("maps.jsonl~")
    assert dir_name("Index.HTML", None).startswith("Index.HTML~")
    assert file_base("sobel") == "sobel"
    assert file_base("original").startswith("original~")


def test_the_module_runs_as_a_command():
    # The package this test imported, whether installed or from the checkout.
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(edgestream.__file__).parent.parent))
    r = subprocess.run(
        [sys.executable, "-m", "edgestream", "--help"], capture_output=True, text=True, env=env
    )
    assert r.returncode == 0, r.stderr
    for command in ("push", "read", "decode"):
        assert command in r.stdout
