"""Trial rate of the plain NumPy reference on one core, and the time it would
take to reach a precision (issue 15: credsim must be 100x faster per core).

    /usr/bin/python3 analysis/numpy_rate.py --plain-trials 862208

runs `--trials` trials (default 20,000) of every option of the scenario
(default scenarios/ukraine.yaml) with credsim_analysis.numpy_reference on one
thread (the BLAS/OpenMP pools are held to one thread before NumPy is
imported), and prints the trial rate per user-CPU second, in trials and in
trial-options (trials x options), with the user CPU time, the wall time and
the load average.

With `--plain-trials N`, the number of trials credsim's plain estimator needs
to reach the target precision (`credsim bench ... --precision H` reports it,
e.g. 862,208 for Ukraine at 0.002), it also prints the implied NumPy time to
that precision, N / (NumPy trials per second). The same N applies because
the NumPy reference is also a plain estimator of the same law: each trial is
an independent draw of the same outcomes, so its per-trial variance, and the
trials it needs for a half-width, are those of credsim's plain estimator
(tests/python/test_numpy_reference.py checks that the two agree). Its stopping
rule is the same too: every headline probability's 95% half-width at most H.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before numpy is imported
    os.environ[_var] = "1"

import argparse  # noqa: E402
import pathlib  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from credsim_analysis.numpy_reference import load, simulate  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "ukraine.yaml"))
    parser.add_argument("--trials", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=20_000, help="trials per vectorised batch")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plain-trials", type=int, help="trials credsim's plain estimator needs to the precision")
    args = parser.parse_args()

    scenario = load(args.scenario)
    options = len(scenario.options)
    load_before = os.getloadavg()
    user_before, wall_before = resource.getrusage(resource.RUSAGE_SELF).ru_utime, time.perf_counter()
    simulate(scenario, args.trials, seed=args.seed, batch=args.batch)
    user = resource.getrusage(resource.RUSAGE_SELF).ru_utime - user_before
    wall = time.perf_counter() - wall_before
    load_after = os.getloadavg()

    rate = args.trials / user
    print(f"scenario {scenario.name}: {args.trials} trials x {options} options, batch {args.batch}, one thread")
    print(f"user CPU {user:.2f} s, wall {wall:.2f} s, load average (1 min) {load_before[0]:.2f} before, "
          f"{load_after[0]:.2f} after")
    print(f"NumPy reference: {rate:,.0f} trials/s = {rate * options:,.0f} trial-options/s per core (user CPU)")
    if args.plain_trials:
        print(f"implied NumPy time to the precision: {args.plain_trials:,} plain trials / {rate:,.0f} per s "
              f"= {args.plain_trials / rate:,.0f} s of one core")


if __name__ == "__main__":
    main()
