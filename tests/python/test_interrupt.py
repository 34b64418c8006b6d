"""A kernel interrupt (Jupyter's stop button: SIGINT to the kernel) stops a
run or an experiment promptly (long before it would have finished), leaves no partial file, and a rerun of
the experiment resumes from its journal."""
from __future__ import annotations

import json
import os
import time

import pytest
from jupyter_client.manager import start_new_kernel

# Seconds from the interrupt to the engine having stopped, as the kernel's own
# clock records it when KeyboardInterrupt reaches the cell (CLOCK_MONOTONIC is
# one clock for every process). The binding checks for the signal every 20 ms
# and the engine stops within one block of trials.
STOP_WITHIN = 1.0
# Seconds from the interrupt to the cell's reply: adds the kernel's messaging,
# which a loaded 2-core CI machine can slow; far below the minutes either cell
# would take to finish.
REPLY_WITHIN = 15.0

# Defines stamped(f, path): runs f() and, if interrupted, writes the moment the
# KeyboardInterrupt arrived to `path` before raising it again.
STAMPED = """
import pathlib, time
def stamped(f, path):
    try:
        return f()
    except KeyboardInterrupt:
        pathlib.Path(path).write_text(repr(time.monotonic()))
        raise
"""


@pytest.fixture
def kernel():
    manager, client = start_new_kernel(kernel_name="python3", env=dict(os.environ))
    yield manager, client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def execute(client, code: str, timeout: float = 120.0) -> dict:
    """Runs `code` and waits for its reply; returns the reply and its stdout."""
    msg_id = client.execute(code)
    return wait_for_reply(client, msg_id, timeout)


def wait_for_reply(client, msg_id: str, timeout: float) -> dict:
    stdout, deadline = [], time.monotonic() + timeout
    while True:
        msg = client.get_iopub_msg(timeout=max(0.01, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            stdout.append(msg["content"]["text"])
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            reply = client.get_shell_msg(timeout=timeout)
            while reply["parent_header"].get("msg_id") != msg_id:  # e.g. kernel_info replies from the start
                reply = client.get_shell_msg(timeout=timeout)
            return {"status": reply["content"]["status"], "ename": reply["content"].get("ename"),
                    "stdout": "".join(stdout)}


def interrupt_after(manager, client, code: str, started, stamp) -> tuple[dict, float, float]:
    """Starts `code`, interrupts the kernel once started() is true; returns the reply, the seconds until the
    engine had stopped (from the cell's `stamp` file) and the seconds until the reply."""
    msg_id = client.execute(code, stop_on_error=False)  # the next cell still runs after the interrupt
    deadline = time.monotonic() + 60
    while not started() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started(), "the cell did not start working within a minute"
    time.sleep(0.3)
    begin = time.monotonic()
    manager.interrupt_kernel()
    reply = wait_for_reply(client, msg_id, timeout=30)
    replied = time.monotonic() - begin
    assert stamp.is_file(), f"the cell did not record its interrupt: {reply}"
    return reply, float(stamp.read_text()) - begin, replied


def assert_prompt(reply: dict, stopped: float, replied: float) -> None:
    assert reply["ename"] == "KeyboardInterrupt", reply
    assert stopped < STOP_WITHIN, f"the engine stopped {stopped:.2f} s after the interrupt"
    assert replied < REPLY_WITHIN, f"the cell replied {replied:.2f} s after the interrupt"


def test_kernel_interrupt_stops_an_experiment_and_leaves_no_partial_file(kernel, ukraine_path, tmp_path):
    manager, client = kernel
    out = tmp_path / "exp"
    stamp = tmp_path / "interrupted"
    assert execute(client, STAMPED + f"""
import credsim
scenario = credsim.Scenario.from_file({str(ukraine_path)!r})
def experiment():
    return credsim.experiment(scenario, {{"guarantors.usa.resolve": (0.2, 1.4)}}, sampler="sobol", points=160,
                              trials=2000, options=["budapest", "art5_style"], out={str(out)!r})
""")["status"] == "ok"
    journal = out / "sweep.journal"
    # Interrupt once a point is journaled: the header line alone is not enough to resume from.
    reply, stopped, replied = interrupt_after(manager, client, f"table = stamped(experiment, {str(stamp)!r})",
                                              lambda: journal.is_file() and journal.read_bytes().count(b"\n") >= 2,
                                              stamp)
    assert_prompt(reply, stopped, replied)
    left = sorted(p.name for p in out.iterdir())
    assert left == ["experiment.yaml", "sweep.journal"], left  # no table, no temporary file

    resumed = execute(client, "table = experiment(); print(len(table))")
    assert resumed["status"] == "ok" and resumed["stdout"].strip() == "320", resumed
    assert json.loads((out / "sweep_run.json").read_text())["points_resumed"] > 0


def test_kernel_interrupt_stops_a_run(kernel, ukraine_path, tmp_path):
    manager, client = kernel
    running = tmp_path / "running"  # written by the cell just before the engine starts
    stamp = tmp_path / "interrupted"
    reply, stopped, replied = interrupt_after(manager, client, STAMPED + f"""
import credsim
scenario = credsim.Scenario.from_file({str(ukraine_path)!r})
pathlib.Path({str(running)!r}).touch()
stamped(lambda: credsim.run(scenario, trials=50_000_000), {str(stamp)!r})
""", running.is_file, stamp)
    assert_prompt(reply, stopped, replied)
