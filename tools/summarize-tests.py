#!/usr/bin/python3
"""Adds up the JUnit XML files the tests wrote (cmocka, pytest,
tests/fuzz/run's fuzz.xml and the one-case reports of tools/test), prints
each failure, and ends with "N passed, N failed" alone on a line.

Usage: summarize-tests.py RESULTS_DIR MAKE_CHECK_STATUS [TIER=STATUS ...]
       summarize-tests.py --record FILE NAME STATUS [LOG]

RESULTS_DIR/*.xml are the main tier's reports; RESULTS_DIR/TIER/*.xml a
further tier's (tools/test: asan/), whose failures are printed as
"[TIER] FAILED ...". A non-zero status with no failure in that tier's XML
(a test binary that crashed before writing its report) counts as one
failure, so a broken run can never print "0 failed".

--record writes FILE: a JUnit report of one test case NAME that passed
(STATUS 0) or failed, with the last lines of LOG as the failure's text;
tools/test records `make lint`, a tier's build and sanitizer reports so.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET


def record(path, name, status, log=None):
    suites = ET.Element("testsuites")
    suite = ET.SubElement(suites, "testsuite", name=name, tests="1",
                          failures="0" if status == 0 else "1")
    case = ET.SubElement(suite, "testcase", classname="tools.test", name=name)
    if status != 0:
        text = ""
        if log and os.path.exists(log):
            with open(log, encoding="utf-8", errors="replace") as f:
                text = "".join(f.readlines()[-60:])
        lines = [l.strip() for l in text.splitlines() if l.strip(" =\n")]
        first = next((l for l in lines if "ERROR:" in l or "runtime error:" in l),
                     lines[0] if lines else "")
        bad = ET.SubElement(case, "failure",
                            message=f"{name} failed (status {status}): {first}"[:300])
        bad.text = text
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)


def count(paths, label):
    """(passed, failed, skipped) of these reports, printing each failure."""
    passed = failed = skipped = 0
    prefix = f"[{label}] " if label else ""
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as exc:
            print(f"{prefix}unreadable test report {path}: {exc}")
            failed += 1
            continue
        for case in root.iter("testcase"):
            if case.get("name") is None:
                continue  # pytest's placeholder when a run broke off
            name = f"{case.get('classname', '')}::{case.get('name')}"
            bad = case.find("failure") if case.find("failure") is not None else case.find("error")
            if bad is not None:
                failed += 1
                print(f"{prefix}FAILED {name}: {(bad.get('message') or bad.text or '').strip()[:300]}")
            elif case.find("skipped") is not None:
                skipped += 1
            else:
                passed += 1
    return passed, failed, skipped


def main(argv):
    if argv[:1] == ["--record"]:
        record(argv[1], argv[2], int(argv[3]), argv[4] if len(argv) > 4 else None)
        return 0
    results, check_rc = argv[0], int(argv[1])
    tiers = [("", results, check_rc)]
    for arg in argv[2:]:
        label, _, status = arg.partition("=")
        tiers.append((label, os.path.join(results, label), int(status)))
    passed = failed = skipped = 0
    for label, where, rc in tiers:
        p, f, s = count(sorted(glob.glob(os.path.join(where, "*.xml"))), label)
        if rc != 0 and f == 0:
            print(f"{'[' + label + '] ' if label else ''}make check exited {rc} "
                  f"with no failure recorded in {where}")
            f = 1
        passed, failed, skipped = passed + p, failed + f, skipped + s
    if passed == 0 and failed == 0:
        print("no test results were written")
        failed = 1
    if skipped:
        print(f"({skipped} skipped)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
