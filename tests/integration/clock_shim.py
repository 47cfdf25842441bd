"""The clock_shift LD_PRELOAD shim (clock_shift.c), compiled once per test
run: env_for(seconds) is the environment that makes a dispatcher's wall
clock (CLOCK_REALTIME, gettimeofday, time) run that many seconds off,
its monotonic clock untouched."""
import os
import subprocess
import tempfile

_HERE = os.path.dirname(os.path.abspath(__file__))
_built = {}


def shim_path():
    """Path of the compiled shim (built on first use)."""
    if "so" not in _built:
        out = os.path.join(tempfile.mkdtemp(prefix="clock-shift-"),
                           "clock_shift.so")
        subprocess.run(["cc", "-O2", "-Wall", "-shared", "-fPIC", "-o", out,
                        os.path.join(_HERE, "clock_shift.c"), "-ldl"],
                       check=True)
        _built["so"] = out
    return _built["so"]


def env_for(seconds):
    """Environment variables for a process whose clock is seconds off."""
    return {"LD_PRELOAD": shim_path(), "CLOCK_SHIFT_SECONDS": str(seconds)}
