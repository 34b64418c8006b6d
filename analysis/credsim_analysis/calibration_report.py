"""The calibration's result (docs/calibration.json) as Markdown: the tables of
docs/calibration.md, rendered from the file so that they cannot drift from the
run they quote (analysis/calibrate.py prints them after a fit;
analysis/update_doc_tables.py writes them into the document; a test
re-renders and compares).

    from credsim_analysis.calibration_report import calibration_markdown
    print(calibration_markdown(json.load(open("docs/calibration.json"))))
"""
from __future__ import annotations

# The points a result scores, in table order: (key in result["points"], label).
# "previous" (the values in force before the fit) is there only when the fit was given them.
POINTS = (("v1", "v1 (prior median)"), ("previous", "previously applied"), ("applied", "applied"),
          ("posterior_predictive", "posterior predictive"))


def fmt(x, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def sig(x: float, digits: int = 3) -> str:
    """x to `digits` significant digits, without an exponent (1,580 rather than 1.58e+03)."""
    v = float(f"{x:.{digits}g}")
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}"


def _points(r: dict, with_predictive: bool = True) -> list[tuple[str, str]]:
    return [(k, label) for k, label in POINTS if k in r["points"] and (with_predictive or k != "posterior_predictive")]


def _theta_row(r: dict, key: str) -> str:
    return ", ".join(f"`{n}` {r['points'][key]['theta'][n]:g}" for n in r["posterior"])


def calibration_markdown(r: dict) -> str:
    """Every table of a calibration result: posterior, correlations, published
    figures, scores in and out of sample, and each case's forecasts."""
    lines = [f"Calibration: credsim {r['credsim_version']}, seed {r['seed']}, {r['trials_per_case']} trials per case "
             f"and draw, {r['draws']} draws in {r['stages']} stages, effective sample size "
             f"{r['effective_sample_size']:.0f} (after each stage: "
             f"{', '.join(f'{e:.0f}' for e in r['ess_by_stage'])})", "",
             f"Training: {', '.join(r['training_cases'])}; holdout: {', '.join(r['holdout_cases'])}", ""]
    if "previous" in r["points"]:
        lines += [f"Previously applied (scored here on the same cases): {_theta_row(r, 'previous')}", ""]
    lines += ["| constant | v1 (prior median) | prior 90% | posterior median | posterior 90% | applied |",
              "|---|---|---|---|---|---|"]
    for name, p in r["posterior"].items():
        lines.append(f"| `{name}` | {p['v1']:g} | {sig(p['prior_q05'])} – {sig(p['prior_q95'])} | {sig(p['median'])} | "
                     f"{sig(p['q05'])} – {sig(p['q95'])} | **{r['applied'][name]:g}** |")
    lines += ["", "Posterior correlations of the log constants", "",
              "| | " + " | ".join(f"`{n}`" for n in r["posterior_correlation"]) + " |",
              "|---|" + "---|" * len(r["posterior_correlation"])]
    for a, row in r["posterior_correlation"].items():
        lines.append(f"| `{a}` | " + " | ".join(f"{v:+.2f}" for v in row.values()) + " |")

    points = _points(r, with_predictive=False)
    lines += ["", "Published figures: the model's value (its target) at each set of values; honour_formal's "
              "target is each era's figure weighted as the model's share is", "",
              "| figure | SE | " + " | ".join(label for _, label in points) + " |",
              "|---|---|" + "---|" * len(points)]

    def pair(x):
        return f"{fmt(x[0])} ({fmt(x[1])})"
    for t in r["literature"]:
        cells = " | ".join(pair(r["points"][k]["literature"][t["name"]]) for k, _ in points)
        lines.append(f"| {t['name']} (fitted) | {t['se']:.2f} | {cells} |")
    for c in r["checks"]:
        cells = " | ".join(pair(r["points"][k]["literature"][c["name"]]) for k, _ in points)
        lines.append(f"| {c['name']} (check, not fitted) | | {cells} |")
    lines += ["", "Training log-likelihood (cases + figures): " + ", ".join(
        f"{label} {r['points'][k]['training_log_likelihood']:.2f}" for k, label in points), "",
        "Scores (Brier / log loss; lower is better)", "",
        "| cases | values | attack | honour |", "|---|---|---|---|"]
    for group in ("training", "holdout"):
        for key, label in _points(r):
            s = r["points"][key][group]
            lines.append(f"| {group} ({s['attack']['n']}) | {label} | {fmt(s['attack']['brier'])} / "
                         f"{fmt(s['attack']['log_loss'])} | {fmt(s['honour']['brier'])} / {fmt(s['honour']['log_loss'])} |")

    arrow = " → ".join(label for _, label in points)
    lines += ["", f"Per case: P(attack within the horizon) and P(promise kept | attack covered), {arrow}", "",
              "| case | split | attacked | P(attack) | P(promise kept \\| attack) |", "|---|---|---|---|---|"]
    for name in r["points"]["v1"]["cases"]:
        preds = [r["points"][k]["cases"][name] for k, _ in points]
        p_attack = " → ".join(f"{p['p_attack']:.3f}" for p in preds)
        honour = ", ".join(f"{g} " + " → ".join(fmt(p["honour"][g][1], 2) for p in preds) for g in preds[0]["honour"])
        split = "holdout" if name in r["holdout_cases"] else "train"
        attacked = "yes" if r["observed"][name] else "no"
        lines.append(f"| {name} | {split} | {attacked} | {p_attack} | {honour or '(no commitment)'} |")
    return "\n".join(lines) + "\n"
