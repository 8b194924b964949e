import os
import sys
from pathlib import Path

import pytest

from retrieval.build import beside


def test_a_job_beside_runs_in_another_process_and_is_waited_for(tmp_path: Path) -> None:
    out = tmp_path / "pid"
    wait = beside(lambda: out.write_text(str(os.getpid())), "a file")
    wait()
    assert out.is_file()
    if sys.platform == "linux":
        assert int(out.read_text()) != os.getpid()


def test_a_failing_job_beside_fails_the_wait_with_its_name() -> None:
    def fail() -> None:
        raise ValueError("boom")

    if sys.platform != "linux":
        with pytest.raises(ValueError):
            beside(fail, "the token sets")
        return
    wait = beside(fail, "the token sets")
    with pytest.raises(RuntimeError, match="building the token sets failed"):
        wait()
