"""credsim.run(..., out=DIR) checkpoints as `credsim run --out DIR` does, through
the same library call: a stopped run leaves DIR/.credsim-run.checkpoint, the
same call resumes it to the bytes of an uninterrupted run, and the CLI and
Python resume each other's checkpoints."""
from __future__ import annotations

import signal
import subprocess
import time

import pytest

import credsim
from credsim.progress import ProgressBar

CHECKPOINT = ".credsim-run.checkpoint"
FILES = ["summary.json", "summary.csv", "paired.csv", "survival.csv"]
OPTIONS = ["budapest", "nato_membership"]
SEED = 23
# 50 blocks of 1024 trials. With one thread a round is 16 blocks and the first
# checkpoint comes after it: a run stopped there has 34 blocks still to do.
TRIALS = 50 * 1024
ROUND_TRIALS = 16 * 1024


def run(scenario, out, threads):
    return credsim.run(scenario, trials=TRIALS, seed=SEED, options=OPTIONS, threads=threads, progress=False,
                       out=out)


def cli_args(cli, ukraine_path, out, threads):
    return [str(cli), "run", str(ukraine_path), "--trials", str(TRIALS), "--seed", str(SEED), "--options",
            ",".join(OPTIONS), "--threads", str(threads), "--out", str(out)]


@pytest.fixture(scope="module")
def reference(ukraine, tmp_path_factory):
    """An uninterrupted run's files (two threads: the stopped runs use one)."""
    out = tmp_path_factory.mktemp("reference")
    results = run(ukraine, out, threads=2)
    assert not (out / CHECKPOINT).exists(), "checkpoint left after a complete run"
    return out, results


def stop_after_first_round(scenario, out, monkeypatch):
    """Runs until the first checkpoint and stops there: the progress bar raises,
    which stops the engine as Ctrl-C does (KeyboardInterrupt)."""
    def stop(bar, done, total):
        raise RuntimeError("stopped by the test")

    with monkeypatch.context() as patch:
        patch.setattr(ProgressBar, "__call__", stop)
        with pytest.raises(KeyboardInterrupt):
            run(scenario, out, threads=1)
    assert (out / CHECKPOINT).is_file()
    assert [name for name in FILES if (out / name).exists()] == []


def assert_same_files(out, reference_out):
    for name in FILES:
        assert (out / name).read_bytes() == (reference_out / name).read_bytes(), name
    assert not (out / CHECKPOINT).exists(), "checkpoint left after the resumed run"


def test_a_stopped_run_resumes_to_the_bytes_of_an_uninterrupted_run(ukraine, reference, tmp_path, monkeypatch,
                                                                     capfd):
    reference_out, reference_results = reference
    out = tmp_path / "stopped"
    stop_after_first_round(ukraine, out, monkeypatch)
    assert f"progress saved in {out / CHECKPOINT}" in capfd.readouterr().err

    resumed = run(ukraine, out, threads=2)
    assert f"note: resuming from {out / CHECKPOINT} ({ROUND_TRIALS} trials done)" in capfd.readouterr().err
    assert_same_files(out, reference_out)
    assert resumed.texts() == reference_results.texts()


def test_the_cli_resumes_a_run_stopped_in_python(cli, ukraine, ukraine_path, reference, tmp_path, monkeypatch):
    out = tmp_path / "stopped"
    stop_after_first_round(ukraine, out, monkeypatch)
    done = subprocess.run(cli_args(cli, ukraine_path, out, 2), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"note: resuming from {out / CHECKPOINT} ({ROUND_TRIALS} trials done)" in done.stderr
    assert_same_files(out, reference[0])


def test_python_resumes_a_run_killed_in_the_cli(cli, ukraine, ukraine_path, reference, tmp_path, capfd):
    out = tmp_path / "killed"
    process = subprocess.Popen(cli_args(cli, ukraine_path, out, 1) + ["--quiet"])
    deadline = time.monotonic() + 300
    while not (out / CHECKPOINT).exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=60) == -signal.SIGKILL, "the run ended before it could be killed: raise TRIALS"
    assert (out / CHECKPOINT).is_file()

    run(ukraine, out, threads=2)
    assert f"note: resuming from {out / CHECKPOINT}" in capfd.readouterr().err
    assert_same_files(out, reference[0])


def test_out_writes_the_files_of_credsim_run_out(cli, ukraine_path, reference, tmp_path):
    done = subprocess.run(cli_args(cli, ukraine_path, tmp_path, 2), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert_same_files(tmp_path, reference[0])


def test_a_worlds_run_with_out_saves_its_files(ukraine, tmp_path):
    results = credsim.run(ukraine, trials=300, worlds=2, seed=SEED, options=OPTIONS, progress=False, out=tmp_path)
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == results.texts()
