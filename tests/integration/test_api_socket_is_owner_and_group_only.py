"""scheduler-api's unix socket is mode 0660: only its owner and its group
may connect (before, it was 0666 and any local user could talk FastCGI
to the API, REMOTE_ADDR and all). The group is the process's own, or
`listen_group` (the web server's); nginx still reaches the API through it.
A group that does not exist stops the start with a message naming it.
"""
import grp
import os
import stat
import subprocess
import tempfile

import pytest

from stack import find_binary


def socket_mode_and_gid(path):
    st = os.lstat(path)
    assert stat.S_ISSOCK(st.st_mode), f"{path} is not a socket"
    return stat.S_IMODE(st.st_mode), st.st_gid


def test_socket_is_0660_with_the_process_group(stack):
    mode, gid = socket_mode_and_gid(stack.api_socket)
    assert mode == 0o660, \
        f"api.sock is mode {mode:o}, not 660 (fcgi/listener.c)"
    assert gid == os.getgid()
    assert stack.request("GET", "/health").status == 200


@pytest.mark.timeout(120)
def test_listen_group_gives_the_socket_that_group(make_stack):
    group = grp.getgrgid(65534).gr_name     # Debian's nogroup
    s = make_stack(config={"listen_group": group})
    mode, gid = socket_mode_and_gid(s.api_socket)
    assert (mode, gid) == (0o660, 65534), \
        f"api.sock is mode {mode:o} group {gid}, not 660 group {group}"
    assert s.request("GET", "/health").status == 200


@pytest.mark.timeout(30)
def test_unknown_listen_group_stops_the_start():
    with tempfile.TemporaryDirectory(prefix="sched-sock-") as tmp:
        sock = os.path.join(tmp, "api.sock")
        conf = os.path.join(tmp, "scheduler.conf")
        with open(conf, "w") as f:
            f.write(f"listen = {sock}\nlisten_group = no-such-group-x9\n"
                    f"database_socket = {tmp}/none.sock\n")
        done = subprocess.run([find_binary("scheduler-api"), "-c", conf],
                              capture_output=True, text=True, timeout=20)
        assert done.returncode != 0, done
        assert "no-such-group-x9" in done.stderr, done.stderr
        assert not os.path.exists(sock), "a socket was left behind"
