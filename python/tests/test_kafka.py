"""The Kafka loops' rules that hold before any broker answers (the loops against a broker and
the running job: PythonPipelineITCase)."""

import numpy as np
import pytest

import edgestream
from edgestream.__main__ import main


def test_the_reader_refuses_to_read_uncommitted_records():
    with pytest.raises(ValueError, match="read_committed"):
        edgestream.EdgeReader("127.0.0.1:9", config={"isolation.level": "read_uncommitted"})
    with pytest.raises(ValueError, match="no topic to read"):
        edgestream.EdgeReader("127.0.0.1:9", maps_topic=None, stats_topic=None, dlq_topic=None)


def test_a_frame_above_the_record_limit_is_refused_before_sending():
    frame = edgestream.frame_from_array(np.zeros((300, 400), np.uint8), source_id="cam")
    # Nothing listens on port 9: the producer is never asked to deliver anything.
    producer = edgestream.FrameProducer(
        "127.0.0.1:9", config={"message.max.bytes": 128 * 1024, "socket.timeout.ms": 1000}
    )
    with pytest.raises(ValueError) as e:
        producer.send(frame, origin="big.npy")
    assert "above the 65536 bytes a record may have here" in str(e.value)
    assert "big.npy" in str(e.value)
    assert producer.flush(timeout=5) == []


def test_bad_command_line_settings_are_usage_errors(capsys):
    assert main(["push", "--config", "no-equals-sign", "x.png"]) == 2
    assert "is not KEY=VALUE" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        main(["read", "--maps", "many"])
    assert e.value.code == 2


def test_decoding_a_missing_file_is_an_error_not_a_traceback(tmp_path, capsys):
    assert main(["decode", str(tmp_path / "missing.bin")]) == 1
    assert "error:" in capsys.readouterr().err
