"""credsim.run refuses arguments it used to change silently, and runs too large
for memory up front, as `credsim run` does (issue 18, items 10 and 11)."""
from __future__ import annotations

import os

import numpy as np
import pytest

import credsim


@pytest.mark.parametrize(
    "arguments",
    [
        {"trials": 100.7},
        {"trials": 100, "seed": 1.5},
        {"trials": 100, "threads": 10**6},
        {"trials": 0},
        {"trials": 100, "options": "budapest"},
        {"trials": 100, "estimator": "rao-blackwell"},
        {"trials": 100, "worlds": 2, "estimator": "conditional"},
    ],
)
def test_bad_arguments_are_refused(ukraine, arguments):
    with pytest.raises((TypeError, ValueError)):
        credsim.run(ukraine, **arguments)


def test_numpy_integers_are_whole_numbers(ukraine):
    a = credsim.run(ukraine, trials=np.int64(200), seed=np.uint32(3), options=["budapest"]).texts()
    b = credsim.run(ukraine, trials=200, seed=3, options=["budapest"]).texts()
    assert a == b


def test_trial_rows_that_cannot_fit_in_memory_are_refused_up_front(ukraine):
    with pytest.raises(credsim.RunError, match="memory"):
        credsim.run(ukraine, trials=10**12, trial_rows=True)


# The other entry points had the same int() and list() (issue 18, item 11).
@pytest.mark.parametrize(
    "call",
    [
        lambda s: credsim.draw_parameters(s, 10, seed=1.5),
        lambda s: credsim.draw_parameters(s, 10.5),
        lambda s: credsim.sweep("never-read.yaml", threads=10**6),
        lambda s: credsim.sensitivity("never-read.yaml", threads=2.5),
        lambda s: credsim.experiment(s, {"guarantors.usa.resolve": [0.5, 1.0]}, trials=100.7),
        lambda s: credsim.experiment(s, {"guarantors.usa.resolve": [0.5, 1.0]}, trials=100, seed=1.5),
        lambda s: credsim.experiment(s, {"guarantors.usa.resolve": [0.5, 1.0]}, trials=100, options="budapest"),
        lambda s: credsim.experiment(s, {"guarantors.usa.resolve": [0.5, 1.0]}, trials=100, sampler="lhs",
                                     points=9.5),
    ],
)
def test_bad_arguments_of_the_other_entry_points_are_refused(ukraine, call):
    with pytest.raises((TypeError, ValueError), match="must be"):
        call(ukraine)


def test_numpy_integers_are_whole_numbers_for_draw_parameters(ukraine):
    assert credsim.draw_parameters(ukraine, np.int64(5), seed=np.uint8(2)).equals(
        credsim.draw_parameters(ukraine, 5, seed=2))


@pytest.mark.skipif(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") > 100 * 2**30,
                    reason="the sweep below needs about 53 GB: above half the RAM only below 106 GB")
def test_a_sweep_too_large_for_memory_is_refused_up_front(tmp_path, ukraine_path):
    # 8192 points at a time (4096 threads), each with a round of 256 block tallies (issue 18, item 10).
    sweep_file = tmp_path / "big.yaml"
    sweep_file.write_text(f"credsim_sweep: 1\nscenario: {ukraine_path}\ntrials: 1000000\n"
                          "factors:\n  - {path: guarantors.usa.resolve, range: [0.5, 1], steps: 10000}\n"
                          "design: {type: grid}\n")
    with pytest.raises(credsim.RunError, match="this sweep would need about"):
        credsim.sweep(sweep_file, out=tmp_path / "out", threads=4096, progress=False)
    assert not (tmp_path / "out" / "sweep.journal").exists()
