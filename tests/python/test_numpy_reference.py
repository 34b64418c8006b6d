"""The NumPy reference (credsim_analysis.numpy_reference, issue 15's yardstick)
and `credsim run --estimator plain` estimate the same law: every headline
metric of every option of the Ukraine case (repeated attacks) and of a
historical case in the single-war model agrees within z sqrt(SE_a² + SE_b²),
z the Bonferroni-corrected two-sided normal quantile for a family error of
0.001 over each case's comparisons.

Trial counts (Ukraine): about 35 s on one core in all (the NumPy reference runs about
4,000–5,000 trials a second on Ukraine, `credsim run` about 7,500 with its start and
output), split so that the combined standard error is near its smallest for
that time. The test is then weakest on the "given deal" metrics of options
rarely agreed: for NATO membership's P(no armed attack | deal) (P(deal) about
0.2) it detects a difference of about 0.02, for P(deal) about 0.01, for
P(armed defence) (a probability per trial, not a coin) 10⁻⁴ to 2·10⁻³."""
from __future__ import annotations

import math
import subprocess

from scipy.stats import norm

from credsim_analysis import io
from credsim_analysis.numpy_reference import HEADLINE, load, simulate

FAMILY_ERROR = 0.001
# A metric with no spread over the trials (e.g. a case's armed defence when
# nothing in it is uncertain) is one number computed in two orders: equal up
# to rounding.
ROUNDING = 1e-12


def _compare(cli, scenario, numpy_trials, credsim_trials, out):
    """Each headline metric of each option, NumPy reference against `credsim run --estimator plain`: the
    failures, z and a line saying how many comparisons were made and the largest |difference| / SE."""
    subprocess.run([str(cli), "run", str(scenario), "--trials", str(credsim_trials), "--seed", "11",
                    "--threads", "1", "--estimator", "plain", "--quiet", "--out", str(out)], check=True)
    summary = io.read_csv(out / "summary.csv").set_index(["option", "metric"])
    reference = simulate(load(scenario), numpy_trials, seed=12).summary()

    comparisons = len(reference) * len(HEADLINE)
    z = norm.ppf(1.0 - FAMILY_ERROR / (2.0 * comparisons))
    failures, worst = [], (0.0, "")
    for option, metrics in reference.items():
        for metric in HEADLINE:
            estimate, se, _ = metrics[metric]
            row = summary.loc[(option, metric)]
            if math.isnan(estimate) and math.isnan(row["estimate"]):  # no trial met the condition in either
                continue
            diff = abs(estimate - row["estimate"])
            scale = math.hypot(se, row["std_error"])
            if scale < ROUNDING:  # no spread: e.g. no_guarantee's deterrence added, 0 by definition
                if not diff <= ROUNDING * max(1.0, abs(estimate)):
                    failures.append(f"{option} {metric}: {estimate} vs {row['estimate']}, both without spread")
                continue
            worst = max(worst, (diff / scale, f"{option} {metric}"))
            if not diff <= z * scale:
                failures.append(f"{option} {metric}: NumPy {estimate:.5f} ± {se:.5f}, credsim "
                                f"{row['estimate']:.5f} ± {row['std_error']:.5f}: {diff / scale:.2f} SE > z = {z:.2f}")
    print(f"{scenario.name}: {comparisons} comparisons, z = {z:.3f}, largest |difference| / SE = {worst[0]:.2f} "
          f"({worst[1]})")
    return failures


def test_ukraine_with_repeated_attacks(cli, ukraine_path, tmp_path):
    failures = _compare(cli, ukraine_path, numpy_trials=80_000, credsim_trials=120_000, out=tmp_path)
    assert not failures, "\n".join(failures)


def test_a_historical_case_in_the_single_war_model(cli, source_dir, tmp_path):
    # Kuwait 1990: repeated attacks off (the first armed attack ends the trial), 2 s in all.
    failures = _compare(cli, source_dir / "scenarios" / "historical" / "kuwait_1990.yaml", numpy_trials=20_000,
                        credsim_trials=40_000, out=tmp_path)
    assert not failures, "\n".join(failures)
