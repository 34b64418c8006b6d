"""Scenario variants for sweeps and sensitivity runs: drop the correlations
that would forbid fixing a field (set fields with `Scenario.with_values`)."""
from __future__ import annotations

from typing import Sequence


def drop_correlations(scenario, key_paths: Sequence[str]):
    """The scenario without the `correlations:` entries that involve `key_paths`.
    A correlated field cannot be set to a constant, so varying it means giving
    up its correlation; calling this explicitly keeps that choice visible."""
    from credsim import Scenario

    data = scenario.to_dict()
    kept = [c for c in data.get("correlations", []) if not set(c["between"]) & set(key_paths)]
    if kept:
        data["correlations"] = kept
    else:
        data.pop("correlations", None)
    return Scenario.from_dict(data, scenario.base_dir, f"{scenario.file_name} (without correlations of {', '.join(key_paths)})")
