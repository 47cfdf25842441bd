"""The SQL of a C source file's DB_STMT definitions, as the program sends
it. For tests that EXPLAIN the statements the programs really run.

The text is the C preprocessor's: the source is run through the build's
own compiler with its own flags (`cc -E`, the include paths and defines
of $SCHED_BUILDDIR's Makefile), so every macro is expanded as it is in
the program, wherever it is defined (X-macro column lists, shared SQL
fragments in a header, stringified names). Only DB_STMT is redefined,
after lib/db.h, to mark where each statement's text begins and ends; its
adjacent string literals are then concatenated as the compiler does."""
import os
import re
import subprocess

import stack as stack_mod

BEGIN, END = "sched_c_sources_stmt_begin", "sched_c_sources_stmt_end"

# Included before the source (cc -include): lib/db.h first, so that its
# include guard keeps the source's own #include from defining DB_STMT
# again, then DB_STMT as two markers around the statement's text.
PRELUDE = f"""#include "db.h"
#undef DB_STMT
#define DB_STMT(text) {BEGIN} (text) {END}
"""

# Tokens of preprocessed C: string literals (with an optional encoding
# prefix, which SQL never has), identifiers, anything else one character.
TOKEN = re.compile(r'"((?:[^"\\\n]|\\.)*)"|([A-Za-z_][A-Za-z0-9_]*)|(\S)',
                   re.S)
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'",
           "0": "\0", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "?": "?"}


def _unescape(body):
    """The bytes of a C string literal's body, as text (the statements
    are ASCII; octal and hex escapes are decoded too)."""
    def one(m):
        e = m.group(1)
        if e[0] == "x":
            return chr(int(e[1:], 16))
        if e[0] in "01234567":
            return chr(int(e, 8))
        return ESCAPES[e]
    return re.sub(r"\\(x[0-9A-Fa-f]+|[0-7]{1,3}|.)", one, body)


def _make_vars(builddir, names):
    """The values of Makefile variables of builddir, as make expands them
    there (a makefile on stdin adds a target that prints them)."""
    rule = "sched-c-sources-print:\n" + "".join(
        f"\t@echo '{n}=$({n})'\n" for n in names)
    done = subprocess.run(
        ["make", "-s", "--no-print-directory", "-C", builddir, "-f",
         "Makefile", "-f", "-", "sched-c-sources-print"],
        input=rule, capture_output=True, text=True, check=True)
    out = dict(line.split("=", 1) for line in done.stdout.splitlines()
               if "=" in line)
    return {n: out.get(n, "") for n in names}


def preprocess(source):
    """The preprocessed text of source (a path relative to the source
    tree) with DB_STMT marked, compiled as $SCHED_BUILDDIR compiles it."""
    builddir = stack_mod.BUILDDIR
    v = _make_vars(builddir, ["CC", "DEFS", "DEFAULT_INCLUDES",
                              "AM_CPPFLAGS", "CPPFLAGS", "AM_CFLAGS",
                              "CFLAGS"])
    flags = " ".join(v[n] for n in ("DEFS", "DEFAULT_INCLUDES",
                                    "AM_CPPFLAGS", "CPPFLAGS", "AM_CFLAGS",
                                    "CFLAGS"))
    path = os.path.join(stack_mod.SRCDIR, source)
    # The shell splits the flags as make's recipe would (they hold quoted
    # defines such as -DSYSCONFDIR='"/etc"'); the source's own folder is
    # searched too, as for the headers it includes with quotes.
    cmd = (f"{v['CC']} {flags} -I{_q(os.path.dirname(path))} -E -P "
           f"-Wno-error -include /dev/stdin {_q(path)}")
    done = subprocess.run(["sh", "-c", cmd], cwd=builddir, input=PRELUDE,
                          capture_output=True, text=True)
    assert done.returncode == 0, \
        f"{source}: the preprocessor failed ({cmd}):\n{done.stderr}"
    return done.stdout


def _q(s):
    return "'" + s.replace("'", "'\\''") + "'"


def _statement(tokens, i):
    """(sql, index after END) of the statement whose text starts at
    tokens[i]: its string literals concatenated, which must be all it
    holds besides parentheses."""
    parts = []
    while tokens[i] != ("id", END):
        kind, value = tokens[i]
        if kind == "str":
            parts.append(_unescape(value))
        else:
            assert value in "()", f"not a string literal in a DB_STMT: {value}"
        i += 1
    return "".join(parts), i + 1


def c_statements(source, headers=()):
    """{name: sql} of every DB_STMT in source (a path relative to the
    source tree); arrays as name[i]. headers: no longer needed (every
    macro is expanded wherever it is defined), taken for old callers."""
    text = preprocess(source)
    tokens = []
    for m in TOKEN.finditer(text):
        lit, ident, punct = m.groups()
        if m.group(0).startswith('"'):
            tokens.append(("str", lit))
        elif ident:
            tokens.append(("id", ident))
        else:
            tokens.append(("punct", punct))
    out = {}
    i = 0
    while i < len(tokens):
        # static struct db_stmt NAME [ N ] = ... ;
        if tokens[i:i + 3] != [("id", "static"), ("id", "struct"),
                               ("id", "db_stmt")] or \
                tokens[i + 3][0] != "id":
            i += 1
            continue
        name = tokens[i + 3][1]
        is_array = tokens[i + 4] == ("punct", "[")
        i += 4
        found = []
        while tokens[i] != ("punct", ";"):
            if tokens[i] == ("id", BEGIN):
                sql, i = _statement(tokens, i + 1)
                found.append(sql)
            else:
                i += 1
        if not found:
            continue  # a declaration without DB_STMT
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
