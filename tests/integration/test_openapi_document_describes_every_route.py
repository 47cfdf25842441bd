"""docs/openapi.yaml is served at /openapi.yaml without a token, lists
every route of fcgi/routes.c, and the check every test answer passes
(openapi_check, called by Stack.request) refuses answers it does not
describe."""
import os
import re

import pytest
import yaml

import openapi_check
from stack import SRCDIR

DOC = os.path.join(SRCDIR, "docs", "openapi.yaml")


def test_served_without_a_token_as_yaml(stack):
    with open(DOC, "rb") as f:
        want = f.read()
    resp = stack.request("GET", "/openapi.yaml")
    assert resp.status == 200, resp
    assert resp.headers["content-type"] == "application/yaml"
    assert resp.body == want
    head = stack.request("HEAD", "/openapi.yaml")
    assert head.status == 200 and head.body == b""
    assert head.headers["content-length"] == str(len(want))
    post = stack.request("POST", "/openapi.yaml", body={})
    assert post.status == 405 and post.headers["allow"] == "GET, HEAD"


def test_every_route_is_documented():
    with open(os.path.join(SRCDIR, "fcgi", "routes.c")) as f:
        routes = re.findall(r'\{ "([A-Z]+)", "([^"]+)", handle_', f.read())
    assert len(routes) >= 19
    with open(DOC) as f:
        paths = yaml.safe_load(f)["paths"]
    missing = [f"{m} {p}" for m, p in routes
               if m.lower() not in paths.get(p, {}) or
               (m == "GET" and "head" not in paths.get(p, {}))]
    assert not missing, f"not in docs/openapi.yaml: {missing}"


TASK = ("9f1c2b7e5d8a4f3e9b0c1d2e3f4a5b6c")
JSON = {"content-type": "application/json; charset=utf-8"}


@pytest.mark.parametrize("method,target,status,headers,body", [
    # An undocumented status.
    ("GET", "/health", 418, JSON, b'{"error":{"message":"x"}}'),
    # A body that is not the schema's: a field missing, one too many.
    ("GET", "/health", 200, JSON, b'{"status":"ok"}'),
    ("POST", f"/tasks/{TASK}/pause", 200, JSON,
     b'{"message":"Task paused successfully","extra":1}'),
    # The error shape.
    ("GET", "/tasks", 401, dict(JSON, **{"www-authenticate": "Bearer"}),
     b'{"error":"User not authorized"}'),
    # A required header missing (WWW-Authenticate on 401, Location on 201).
    ("GET", "/tasks", 401, JSON, b'{"error":{"message":"User not authorized"}}'),
    ("POST", "/tasks", 201, JSON,
     b'{"id":"' + TASK.encode() + b'","message":"Task has been scheduled successfully"}'),
    # An unknown path must be 404; a known path's other method 405 with
    # the document's Allow.
    ("GET", "/nope", 200, JSON, b'{}'),
    ("PUT", "/health", 405, dict(JSON, allow="GET"),
     b'{"error":{"message":"Method not allowed"}}'),
    # A header that means something, where it is not documented.
    ("GET", "/health", 200, dict(JSON, location="/x"),
     b'{"status":"ok","database":"ok"}'),
    # HEAD with a body; a wrong Content-Type.
    ("HEAD", "/health", 200, JSON, b'{"status":"ok","database":"ok"}'),
    ("GET", "/health", 200, {"content-type": "text/plain"}, b'ok'),
])
def test_the_check_refuses_what_the_document_does_not_say(method, target,
                                                          status, headers,
                                                          body):
    with pytest.raises(openapi_check.OpenAPIMismatch):
        openapi_check.check(method, target, status, headers, body)


def test_the_check_passes_what_the_document_says():
    openapi_check.check("GET", "/health/?x=1", 200, JSON,
                        b'{"status":"ok","database":"ok"}')
    openapi_check.check("PUT", "/health", 405,
                        dict(JSON, allow="GET, HEAD, OPTIONS"),
                        b'{"error":{"message":"Method not allowed"}}')
    openapi_check.check("GET", "/tasks/id", 404, JSON,
                        b'{"error":{"message":"Not found"}}')
