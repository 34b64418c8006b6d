"""Argument checks shared by the package's entry points: refuse what int() or
list() would silently change (issue 18, item 11)."""
from __future__ import annotations

import numbers

MAX_TRIALS = 10**12  # sim::kMaxTrials, as `credsim run --trials`
MAX_THREADS = 4096   # as the CLI's --threads
MAX_SEED = 2**64 - 1


def whole(name: str, value, low: int, high: int) -> int:
    """`value` as an int, refusing what int() would silently change (100.7, 1.5, True)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):  # numpy integers are Integral
        raise TypeError(f"{name} is {value!r}, but must be a whole number")
    if not low <= value <= high:
        raise ValueError(f"{name} is {value}, but must be a whole number from {low} to {high}")
    return int(value)


def names(name: str, value):
    """A list of names; a single string would be read letter by letter."""
    if isinstance(value, str):
        raise TypeError(f"{name} is the string {value!r}, but must be a list of names")
    return None if value is None else list(value)
