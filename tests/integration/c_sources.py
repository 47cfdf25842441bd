"""The SQL of a C source file's DB_STMT definitions, as the program sends
it: string literals concatenated, macros made of literals expanded. For
tests that EXPLAIN the statements the programs really run."""
import os
import re

import stack as stack_mod

TOKEN = re.compile(r'(/\*.*?\*/)|"((?:[^"\\]|\\.)*)"|([A-Za-z_][A-Za-z0-9_]*)'
                   r'|(\S)', re.S)


def _tokens(text):
    """(kind, value) of C tokens: "str" (decoded literal), "id", "punct";
    comments are skipped."""
    for m in TOKEN.finditer(text):
        comment, lit, ident, punct = m.groups()
        if comment:
            continue
        if m.group(0).startswith('"'):
            yield "str", lit.encode().decode("unicode_escape")
        elif ident:
            yield "id", ident
        else:
            yield "punct", punct


def _concat(tokens, macros):
    """The text of a run of string literals and macro names."""
    return "".join(macros[v] if k == "id" else v for k, v in tokens)


def _macros(text, macros):
    """Adds the #defines of text made of literals and known macros."""
    for m in re.finditer(r"^#define (\w+) ((?:.*\\\n)*.*)$", text, re.M):
        toks = list(_tokens(m.group(2).replace("\\\n", " ")))
        if toks and all(k == "str" or (k == "id" and v in macros)
                        for k, v in toks):
            macros[m.group(1)] = _concat(toks, macros)
    return macros


def c_statements(source, headers=()):
    """{name: sql} of every DB_STMT in source (a path relative to the
    source tree), with the macros of headers too; arrays as name[i]."""
    macros = {}
    for h in headers:
        with open(os.path.join(stack_mod.SRCDIR, h)) as f:
            _macros(f.read(), macros)
    with open(os.path.join(stack_mod.SRCDIR, source)) as f:
        text = f.read()
    _macros(text, macros)
    out = {}
    for m in re.finditer(r"static struct db_stmt (\w+)(\[\d+\])?\s*=\s*", text):
        name, is_array = m.group(1), m.group(2)
        depth, current, found = 0, None, []
        for kind, v in _tokens(text[m.end():]):
            if kind == "id" and v == "DB_STMT":
                current = []
            elif current is not None and kind == "punct" and v == "(":
                depth += 1
            elif current is not None and kind == "punct" and v == ")":
                depth -= 1
                if depth == 0:
                    found.append(_concat(current, macros))
                    current = None
            elif current is not None and depth == 1:
                current.append((kind, v))
            elif kind == "punct" and v == ";":
                break
        if is_array:
            for k, sql in enumerate(found):
                out[f"{name}[{k}]"] = sql
        else:
            out[name] = found[0]
    return out


def bind(sql, params):
    """sql with each ? replaced by a quoted literal, for EXPLAIN."""
    parts = sql.split("?")
    assert len(parts) == len(params) + 1, (sql, params)
    out = parts[0]
    for value, rest in zip(params, parts[1:]):
        out += (str(value) if isinstance(value, int) else f"'{value}'") + rest
    return out


def explain(s, sql):
    """EXPLAIN of sql on stack s, as a list of dicts by column name."""
    cols = ["id", "select_type", "table", "type", "possible_keys", "key",
            "key_len", "ref", "rows", "Extra"]
    return [dict(zip(cols, r)) for r in s.sql("EXPLAIN " + sql)]
