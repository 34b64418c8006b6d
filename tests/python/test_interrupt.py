"""A kernel interrupt (Jupyter's stop button: SIGINT to the kernel) stops a
run or an experiment promptly (long before it would have finished), leaves no partial file, and a rerun of
the experiment resumes from its journal."""
from __future__ import annotations

import json
import os
import time

import pytest
from jupyter_client.manager import start_new_kernel

# Seconds from the interrupt to the cell's reply. The engine polls for the stop
# after every block of trials (well under a second of work); the bound is loose
# so a loaded 2-core CI machine cannot fail it, and still far below the minutes
# either cell would take to finish.
STOP_WITHIN = 15.0


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


def interrupt_after(manager, client, code: str, started) -> tuple[dict, float]:
    """Starts `code`, interrupts the kernel once started() is true; returns the reply and the seconds it took."""
    msg_id = client.execute(code, stop_on_error=False)  # the next cell still runs after the interrupt
    deadline = time.monotonic() + 60
    while not started() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started(), "the cell did not start working within a minute"
    time.sleep(0.3)
    begin = time.monotonic()
    manager.interrupt_kernel()
    reply = wait_for_reply(client, msg_id, timeout=30)
    return reply, time.monotonic() - begin


def test_kernel_interrupt_stops_an_experiment_and_leaves_no_partial_file(kernel, ukraine_path, tmp_path):
    manager, client = kernel
    out = tmp_path / "exp"
    assert execute(client, f"""
import credsim
scenario = credsim.Scenario.from_file({str(ukraine_path)!r})
def experiment():
    return credsim.experiment(scenario, {{"guarantors.usa.resolve": (0.2, 1.4)}}, sampler="sobol", points=160,
                              trials=2000, options=["budapest", "art5_style"], out={str(out)!r})
""")["status"] == "ok"
    journal = out / "sweep.journal"
    reply, seconds = interrupt_after(manager, client, "table = experiment()",
                                     lambda: journal.is_file() and journal.stat().st_size > 200)
    assert reply["ename"] == "KeyboardInterrupt", reply
    assert seconds < STOP_WITHIN, f"stopped {seconds:.2f} s after the interrupt"
    left = sorted(p.name for p in out.iterdir())
    assert left == ["experiment.yaml", "sweep.journal"], left  # no table, no temporary file

    resumed = execute(client, "table = experiment(); print(len(table))")
    assert resumed["status"] == "ok" and resumed["stdout"].strip() == "320", resumed
    assert json.loads((out / "sweep_run.json").read_text())["points_resumed"] > 0


def test_kernel_interrupt_stops_a_run(kernel, ukraine_path, tmp_path):
    manager, client = kernel
    running = tmp_path / "running"  # written by the cell just before the engine starts
    reply, seconds = interrupt_after(manager, client, f"""
import credsim, pathlib
scenario = credsim.Scenario.from_file({str(ukraine_path)!r})
pathlib.Path({str(running)!r}).touch()
credsim.run(scenario, trials=50_000_000)
""", running.is_file)
    assert reply["ename"] == "KeyboardInterrupt", reply
    assert seconds < STOP_WITHIN, f"stopped {seconds:.2f} s after the interrupt"
