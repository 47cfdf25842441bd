"""The admin API (docs/API.md §20) answers admins only: no or a bad token
is 401 like /tasks, a valid non-admin token is 403 "Forbidden: admin only"
on every /admin path (before its parameters are looked at), an admin gets
200 JSON; a disabled admin is 401."""
import uuid

import pytest

from api_helpers import assert_api_headers, assert_error, new_user

PATHS = ["/admin/tasks", "/admin/dispatchers", "/admin/stats",
         "/admin/tasks/", "/admin/stats/"]


@pytest.mark.parametrize("path", PATHS)
def test_no_or_bad_token_is_401(stack, path):
    for token in (None, "not-a-token", "0" * 43):
        resp = stack.request("GET", path, token=token)
        assert_error(resp, 401, "User not authorized")
        assert resp.headers.get("www-authenticate", "").startswith("Bearer")


@pytest.mark.parametrize("path", PATHS)
def test_non_admin_is_403(stack, path):
    _, token = new_user(stack)
    assert_error(stack.request("GET", path, token=token), 403,
                 "Forbidden: admin only")
    # 403 comes before parameter checks: a non-admin learns nothing.
    assert_error(stack.request("GET", path + "?page=0&status=x", token=token),
                 403, "Forbidden: admin only")


@pytest.mark.parametrize("path", PATHS)
def test_admin_gets_json(stack, path):
    token = stack.token(f"admin-{uuid.uuid4().hex[:12]}", admin=True)
    resp = stack.request("GET", path, token=token)
    assert resp.status == 200, resp
    assert_api_headers(resp)
    assert isinstance(resp.json(), dict)


def test_admin_bad_parameters_are_400(stack):
    token = stack.token(f"admin-{uuid.uuid4().hex[:12]}", admin=True)
    for qs, field in (("page=0", "page"), ("per_page=501", "per_page"),
                      ("status=Active", "status"), ("task_type=x", "task_type"),
                      ("user=", "user"), ("user=a&user=b", "user")):
        assert_error(stack.request("GET", "/admin/tasks?" + qs, token=token),
                     400, field=field)


def test_disabled_admin_is_401(stack):
    name = f"admin-{uuid.uuid4().hex[:12]}"
    token = stack.token(name, admin=True)
    assert stack.request("GET", "/admin/stats", token=token).status == 200
    stack.ctl("user", "disable", name)
    assert_error(stack.request("GET", "/admin/stats", token=token), 401,
                 "User not authorized")
