#!/usr/bin/python3
"""Adds up the JUnit XML files the tests wrote (cmocka and pytest), prints
each failure, and ends with "N passed, N failed" alone on a line.

Usage: summarize-tests.py RESULTS_DIR MAKE_CHECK_STATUS
A non-zero make check status with no failure in the XML (a test binary that
crashed before writing its report) counts as one failure, so a broken run
can never print "0 failed".
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET


def main():
    results, check_rc = sys.argv[1], int(sys.argv[2])
    passed = failed = skipped = 0
    for path in sorted(glob.glob(os.path.join(results, "*.xml"))):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as exc:
            print(f"unreadable test report {path}: {exc}")
            failed += 1
            continue
        for case in root.iter("testcase"):
            if case.get("name") is None:
                continue  # pytest's placeholder when a run broke off
            name = f"{case.get('classname', '')}::{case.get('name')}"
            bad = case.find("failure") if case.find("failure") is not None else case.find("error")
            if bad is not None:
                failed += 1
                print(f"FAILED {name}: {(bad.get('message') or bad.text or '').strip()[:300]}")
            elif case.find("skipped") is not None:
                skipped += 1
            else:
                passed += 1
    if check_rc != 0 and failed == 0:
        print(f"make check exited {check_rc} with no failure recorded in {results}")
        failed = 1
    if passed == 0 and failed == 0:
        print("no test results were written")
        failed = 1
    if skipped:
        print(f"({skipped} skipped)")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
