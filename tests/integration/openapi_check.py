"""Checks HTTP answers against docs/openapi.yaml, so that the document
cannot drift from the service: Stack.request and api_helpers.raw_http
call check() on every answer a test receives, and a mismatch raises
OpenAPIMismatch in the test that received it.

For one answer: the path is matched against the document's path templates
(the query string dropped; with one trailing slash removed when the path
as sent matches nothing, as the API matches, docs/API.md §1); then

- a path no template matches must be 404 with the error schema (or one of
  nginx's own errors, which any request may meet);
- a method the path's item does not list must be 405 with the error
  schema and an Allow header naming exactly the methods listed there;
- otherwise the status must be one the operation documents; its required
  headers must be present and match their schemas, and the headers that
  carry meaning (Location, Allow, ETag, WWW-Authenticate,
  Idempotent-Replayed) must not appear where they are not documented; a
  body must have a documented media type, and a JSON body must validate
  against the response's schema (python3-jsonschema, draft 2020-12, as
  OpenAPI 3.1 schemas are). An answer to HEAD must have no body.
"""
import json
import os
import re
import threading

import jsonschema
import yaml

SRCDIR = os.path.abspath(os.environ.get("SCHED_SRCDIR") or
                         os.path.join(os.path.dirname(__file__), "..", ".."))
# SCHED_OPENAPI_DOC: check against another document (a draft).
DOC_PATH = os.environ.get("SCHED_OPENAPI_DOC") or \
    os.path.join(SRCDIR, "docs", "openapi.yaml")
METHODS = ("get", "head", "post", "put", "patch", "delete", "options",
           "trace")
# Headers whose presence says something: one that appears on an answer
# that does not document it is drift too.
MEANINGFUL = ("location", "allow", "etag", "www-authenticate",
              "idempotent-replayed")
# nginx answers these itself, on any path (nginx/json-errors.conf,
# docs/API.md §5); they are in the document's components.
EDGE = {400: "BadRequest", 408: "RequestTimeout", 413: "PayloadTooLarge",
        414: "UriTooLong", 429: "TooManyRequests", 500: "InternalError",
        502: "BadGateway", 503: "Unavailable", 504: "GatewayTimeout"}


# As in fcgi/router.c: {id} is one segment but never a reserved word; a
# name may be any segment.
_VARIABLE = {"{id}": r"(?!(?:pause|resume|id|name)(?:/|\Z))[^/]+"}


class OpenAPIMismatch(AssertionError):
    """An answer that docs/openapi.yaml does not describe."""


_lock = threading.Lock()
_doc = None


def document():
    """docs/openapi.yaml, parsed once per process."""
    global _doc
    with _lock:
        if _doc is None:
            with open(DOC_PATH, encoding="utf-8") as f:
                doc = yaml.safe_load(f)
            _doc = _Document(doc)
        return _doc


class _Document:
    def __init__(self, doc):
        self.doc = doc
        self.templates = []
        for template, item in doc["paths"].items():
            # A variable is one non-empty segment.
            rx = "".join(_VARIABLE.get(part, r"[^/]+") if part.startswith("{")
                         else re.escape(part)
                         for part in re.split(r"(\{[^}]+\})", template))
            self.templates.append((re.compile(rx + r"\Z"), template, item))
        # The document itself is the registry of every $ref a schema makes.
        self.resolver_store = {"": doc}

    def resolve(self, node):
        """node with a local $ref followed (repeatedly)."""
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise OpenAPIMismatch(f"openapi.yaml: non-local $ref {ref}")
            node = self.doc
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def find(self, path):
        """(template, path item) of path, or (None, None). A literal
        template wins over one with a variable, as in the router (where
        {id} never matches a reserved word)."""
        def match(p):
            hits = [(t, item) for rx, t, item in self.templates if rx.match(p)]
            hits.sort(key=lambda h: h[0].count("{"))
            return hits[0] if hits else None
        hit = match(path)
        if hit is None and len(path) > 1 and path.endswith("/"):
            hit = match(path[:-1])
        return hit if hit else (None, None)

    def validate(self, schema, value, where):
        resolver = jsonschema.RefResolver("", self.doc)
        try:
            jsonschema.Draft202012Validator(schema, resolver=resolver).validate(value)
        except jsonschema.ValidationError as exc:
            path = "/".join(str(p) for p in exc.absolute_path)
            raise OpenAPIMismatch(f"{where}: body at /{path}: {exc.message}") from None


def _component(doc, name):
    return doc.resolve({"$ref": f"#/components/responses/{name}"})


def check(method, target, status, headers, body):
    """Raises OpenAPIMismatch when the answer (status, lower-case header
    dict, body bytes) to method target is not what docs/openapi.yaml
    says."""
    doc = document()
    method = method.upper()
    path = target.split("?", 1)[0].split("#", 1)[0]
    where = f"{method} {target} -> {status}"
    template, item = doc.find(path)
    if template is None:
        expected = {404: "NotFound", **EDGE}
        if status not in expected:
            raise OpenAPIMismatch(f"{where}: a path the document does not "
                                  "have must be 404")
        return _check_response(doc, _component(doc, expected[status]), method,
                               headers, body, where, status)
    op = item.get(method.lower())
    listed = [m.upper() for m in METHODS if m in item]
    if op is None:
        where += f" (the document lists {', '.join(listed)} for {template})"
        expected = {405: "MethodNotAllowed", **EDGE}
        if template == "/openapi.yaml" or template.startswith("/dashboard"):
            expected[405] = "MethodNotAllowedStatic"
        if status not in expected:
            raise OpenAPIMismatch(f"{where}: an undocumented method must be 405")
        if status == 405 and expected[405] == "MethodNotAllowed":
            allow = [m.strip() for m in headers.get("allow", "").split(",")]
            if sorted(allow) != sorted(listed):
                raise OpenAPIMismatch(f"{where}: Allow {headers.get('allow')!r}"
                                      f" is not the document's {listed}")
        return _check_response(doc, _component(doc, expected[status]), method,
                               headers, body, where, status)
    responses = op["responses"]
    resp = responses.get(str(status)) or responses.get(f"{status // 100}XX") \
        or responses.get("default")
    if resp is None:
        raise OpenAPIMismatch(f"{where}: status {status} is not documented "
                              f"for {method} {template} (it has "
                              f"{', '.join(sorted(responses))})")
    _check_response(doc, doc.resolve(resp), method, headers, body, where, status)


def _check_response(doc, resp, method, headers, body, where, status):
    documented = {}
    for name, h in (resp.get("headers") or {}).items():
        documented[name.lower()] = doc.resolve(h)
    for name, h in documented.items():
        value = headers.get(name)
        if value is None:
            if h.get("required"):
                raise OpenAPIMismatch(f"{where}: header {name} is missing")
            continue
        if "schema" in h:
            try:
                doc.validate(h["schema"], value, where)
            except OpenAPIMismatch:
                raise OpenAPIMismatch(f"{where}: header {name}: {value!r} "
                                      "does not match its schema") from None
    for name in MEANINGFUL:
        if name in headers and name not in documented:
            raise OpenAPIMismatch(f"{where}: header {name} "
                                  f"({headers[name]!r}) is not documented")
    content = resp.get("content") or {}
    if method == "HEAD":
        if body:
            raise OpenAPIMismatch(f"{where}: an answer to HEAD has a body")
        return
    if not body and not content:
        return
    ctype = headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in content:
        raise OpenAPIMismatch(f"{where}: Content-Type {ctype!r} is not one "
                              f"of the documented {sorted(content)}")
    schema = content[ctype].get("schema")
    if ctype != "application/json" or schema is None:
        return
    try:
        value = json.loads(body)
    except ValueError:
        raise OpenAPIMismatch(f"{where}: the body is not JSON: "
                              f"{body[:200]!r}") from None
    doc.validate(schema, value, where)
