"""Callback URLs whose host is, or resolves to, an address that is not
globally reachable are refused (400, field url) unless
`allow_private_targets = true` (docs/API.md §7.2): every IANA special-purpose
range, IPv4 and IPv6, IPv4-mapped and other embeddings, the legacy IPv4
forms (`2130706433`, `127.1`, octal, hex) and `localhost`. Public literals
pass under both settings. The setting is switched on the shared stack
with SIGHUP and restored afterwards."""
import ipaddress
import socket

import pytest

from api_helpers import (assert_error, create, get_task, new_user, one_time,
                         stored_tasks)

PRIVATE_HOSTS = [
    # IPv4 special-purpose registry, multicast, reserved
    "0.0.0.0", "0.1.2.3",                       # this network
    "10.0.0.1", "10.255.255.255",               # private
    "100.64.0.1", "100.127.255.254",            # shared address space (CGNAT)
    "127.0.0.1", "127.255.255.254",             # loopback
    "169.254.169.254", "169.254.0.1",           # link-local (cloud metadata)
    "172.16.0.1", "172.31.255.255",             # private
    "192.0.0.8", "192.0.0.170",                 # IETF protocol assignments
    "192.0.2.1",                                # TEST-NET-1
    "192.88.99.1",                              # 6to4 relay anycast
    "192.168.0.1", "192.168.255.255",           # private
    "198.18.0.1", "198.19.255.255",             # benchmarking
    "198.51.100.7",                             # TEST-NET-2
    "203.0.113.9",                              # TEST-NET-3
    "224.0.0.1", "239.255.255.250",             # multicast
    "240.0.0.1", "255.255.255.255",             # reserved, broadcast
    # legacy IPv4 spellings of loopback and private addresses
    "2130706433", "127.1", "127.0.1", "0x7f000001", "0x7f.1", "0177.0.0.1",
    "017700000001", "0x7F.0.0.1", "127.0.0.1.", "167772161", "10.1",
    # names
    "localhost", "LOCALHOST", "localhost.", "api.localhost",
    # IPv6
    "[::1]", "[::]", "[0:0:0:0:0:0:0:1]",       # loopback, unspecified
    "[fe80::1]", "[fe80::1%25eth0]",            # link-local (with a zone)
    "[fc00::1]", "[fd12:3456:789a::1]",         # unique local
    "[fec0::1]",                                # site-local
    "[ff02::1]", "[ff05::2]",                   # multicast
    "[2001:db8::1]", "[3fff::1]",               # documentation
    "[2001:2::1]",                              # benchmarking
    "[2001::1]",                                # TEREDO / IETF assignments
    "[100::1]",                                 # discard-only
    "[64:ff9b:1::1]",                           # local-use NAT64
    # IPv4 embedded in IPv6
    "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::ffff:10.0.0.1]",
    "[::ffff:192.168.1.1]", "[::ffff:169.254.169.254]",
    "[0:0:0:0:0:ffff:7f00:1]",
    "[64:ff9b::127.0.0.1]", "[64:ff9b::a00:1]",  # NAT64 of private
    "[2002:7f00:1::1]", "[2002:c0a8:101::1]",   # 6to4 of private
    "[::127.0.0.1]",                            # IPv4-compatible
]

PUBLIC_HOSTS = [
    "8.8.8.8", "1.1.1.1", "93.184.215.14", "11.0.0.1", "172.32.0.1",
    "100.128.0.1", "192.169.0.1", "198.20.0.1", "223.255.255.254",
    "134744072",                                # 8.8.8.8 in decimal
    "[2606:4700:4700::1111]", "[2001:4860:4860::8888]",
    "[::ffff:8.8.8.8]", "[64:ff9b::808:808]",
    "does-not-resolve.invalid",                 # accepted, checked at firing
]

# Other spellings of a URL whose host is private.
PRIVATE_URLS = [
    "http://127.0.0.1:8080/hook",
    "https://[::1]:443/",
    "http://user:pass@127.0.0.1/",
    "http://example.com@127.0.0.1/",
    "http://127.0.0.1#@example.com/",
    "HTTP://LOCALHOST/x",
    "http://localhost:80",
]


def url_of(host):
    return f"http://{host}/hook"


@pytest.fixture(scope="module", autouse=True)
def restore_allow_private(stack):
    yield
    if stack.config["allow_private_targets"] is not True:
        stack.set_config(allow_private_targets=True)
        stack.reload_api()


@pytest.fixture
def refusing(stack):
    """The shared stack with allow_private_targets = false."""
    if stack.config["allow_private_targets"] is not False:
        stack.set_config(allow_private_targets=False)
        stack.reload_api()
    return stack


@pytest.fixture
def allowing(stack):
    """The shared stack with allow_private_targets = true."""
    if stack.config["allow_private_targets"] is not True:
        stack.set_config(allow_private_targets=True)
        stack.reload_api()
    return stack


@pytest.fixture(scope="module")
def refused_user(stack):
    name, token = new_user(stack, "guard")
    yield name, token
    assert stored_tasks(stack, name) == 0


@pytest.mark.parametrize("url", [url_of(h) for h in PRIVATE_HOSTS] +
                         PRIVATE_URLS)
def test_private_target_refused(refusing, refused_user, url):
    name, token = refused_user
    resp = refusing.request("POST", "/tasks", body=one_time(url=url),
                            token=token)
    assert_error(resp, 400, field="url")
    assert stored_tasks(refusing, name) == 0


@pytest.mark.parametrize("url", [url_of(h) for h in PUBLIC_HOSTS])
def test_public_target_accepted_when_private_refused(refusing, url):
    _, token = new_user(refusing)
    task = create(refusing, token, one_time(url=url))
    assert get_task(refusing, token, task)["url"] == url


def test_refusal_holds_on_every_worker(refusing, refused_user):
    name, token = refused_user
    for _ in range(12):
        resp = refusing.request("POST", "/tasks", token=token,
                                body=one_time(url="http://127.0.0.1/"))
        assert_error(resp, 400, field="url")


@pytest.mark.parametrize("url", [url_of(h) for h in PRIVATE_HOSTS
                                 if "%25" not in h] + PRIVATE_URLS)
def test_private_target_accepted_when_allowed(allowing, url):
    _, token = new_user(allowing)
    task = create(allowing, token, one_time(url=url))
    assert get_task(allowing, token, task)["url"] == url


@pytest.mark.parametrize("url", [url_of(h) for h in PUBLIC_HOSTS])
def test_public_target_accepted_when_allowed(allowing, url):
    _, token = new_user(allowing)
    create(allowing, token, one_time(url=url))


def test_a_name_that_resolves_to_a_private_address(refusing, refused_user):
    # This machine's own name resolves (through /etc/hosts) to loopback on
    # test machines; it is not the special name localhost.
    name = socket.gethostname()
    try:
        addrs = {ai[4][0] for ai in socket.getaddrinfo(name, None)}
    except socket.gaierror:
        pytest.skip(f"{name} does not resolve here")
    if all(ipaddress.ip_address(a.split("%")[0]).is_global for a in addrs):
        pytest.skip(f"{name} resolves to global addresses {addrs}")
    _, token = refused_user
    resp = refusing.request("POST", "/tasks", token=token,
                            body=one_time(url=f"http://{name}/hook"))
    assert_error(resp, 400, field="url")
