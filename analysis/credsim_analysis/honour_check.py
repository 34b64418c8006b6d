"""The model's share of post-1945 formal defence promises kept when invoked,
beside Berkemeier & Fuhrmann's (2018) 22% (issue 14, item 5; docs/backtest.md).

Weighted as the calibration's honour_formal term (calibration.honour_share):
each formal commitment (calibration.FORMAL) of a case from 1945 on counts
with its case's P(attack), the chance it is invoked, and contributes its
P(promise kept | a covered attack). The share is a forecast of the rate, not
of one case, so it is compared with the published rate, not scored."""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from scipy import stats

TARGET = 0.22  # Berkemeier & Fuhrmann 2018: defence pacts honoured when invoked, after 1945
SINCE = 1945  # calibration.era_honour's boundary


def rows_checked(rows: Sequence[tuple], years: Sequence[int | None], formal: Sequence[str]) -> list[int]:
    """Indices of the honour rows (case, guarantor, instrument) that are formal and from SINCE on."""
    return [r for r, (c, _, inst) in enumerate(rows) if inst in formal and years[c] is not None and years[c] >= SINCE]


def share(p_attack: np.ndarray, honour: np.ndarray, rows: Sequence[tuple], keep: Sequence[int]) -> np.ndarray:
    """sum P(attack) P(kept) / sum P(attack) over the kept rows with a forecast;
    p_attack (..., cases), honour (..., rows) with NaN where no covered attack
    came; NaN where no row has weight."""
    pa = np.stack([np.asarray(p_attack)[..., rows[r][0]] for r in keep], axis=-1)
    h = np.stack([np.asarray(honour, float)[..., r] for r in keep], axis=-1)
    a = np.where(np.isnan(h), 0.0, pa)
    den = a.sum(axis=-1)
    num = (a * np.nan_to_num(h)).sum(axis=-1)
    return np.divide(num, den, out=np.full(np.shape(den), math.nan), where=den > 1e-12)


def share_standard_error(p_attack: Sequence[float], honour: Sequence[float | None], honour_n: Sequence[int],
                         rows: Sequence[tuple], keep: Sequence[int]) -> float:
    """Monte Carlo standard error of the share of one run: each P(kept) a
    binomial share of its n covered attacks (the weights P(attack) held fixed)."""
    a = np.array([0.0 if honour[r] is None else p_attack[rows[r][0]] for r in keep])
    if a.sum() <= 0:
        return math.nan
    var = sum((ar / a.sum()) ** 2 * honour[r] * (1 - honour[r]) / honour_n[r]
              for ar, r in zip(a, keep) if ar > 0 and honour_n[r] > 0)
    return float(math.sqrt(var))


def jeffreys_interval(k: int, n: int, level: float = 0.9) -> list[float] | None:
    if n == 0:
        return None
    tail = (1 - level) / 2
    return [float(stats.beta.ppf(tail, k + 0.5, n - k + 0.5)), float(stats.beta.ppf(1 - tail, k + 0.5, n - k + 0.5))]
