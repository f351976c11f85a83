#!/usr/bin/python3
"""Whose defect ended a libFuzzer run: prints "libhdf5", "motifscope" or "none" (no report) for a log.

libhdf5 1.10 (Debian 12) reads and frees out of bounds on some damaged files; users never run it
in-process (readEmd decodes in a forked child), but fuzz_emd does, for coverage. A report is
libhdf5's own only when its stack, read from the top past the sanitizer runtime, libc and the C++
library, reaches libhdf5 before any MotifScope frame, and so do the stacks of the memory involved
("allocated by", "freed by"): libhdf5 overflowing a buffer MotifScope allocated is MotifScope's
finding. Everything else (sanitizer reports in MotifScope's code, out-of-memory without a
libhdf5 allocation, leaks, UBSan) is "motifscope".

    tests/fuzz/triage_crash.py LOG
"""
import re
import sys

FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+ ")
OWN = re.compile(r"/(core|app)/[^ ]+\.(cpp|h):\d+|fuzz_reader\.cpp:\d+")


def owner(frame):
    """'L' for libhdf5, 'M' for MotifScope's code, None for runtime, libc and the C++ library."""
    if "libhdf5" in frame or "hdf5_allocation_limit.cpp" in frame:
        return "L"  # the allocation limit's H5MM_* stand in for libhdf5's own
    if OWN.search(frame):
        return "M"
    return None


def stacks(lines):
    """The report's stacks, each a list of frame lines, in order (the crash stack first)."""
    out, current = [], []
    for line in lines:
        if FRAME.match(line):
            current.append(line)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def first_owner(stack):
    for frame in stack:
        who = owner(frame)
        if who:
            return who
    return None


def main():
    text = open(sys.argv[1], errors="replace").read().splitlines()
    start = next((i for i, l in enumerate(text) if re.search(r"ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error:", l)), None)
    if start is None:
        print("none")
        return
    report = text[start:]
    kind = report[0]
    if "runtime error:" in kind or "LeakSanitizer" in kind or "out-of-memory (used" in kind:
        print("motifscope")
        return
    found = stacks(report)
    owners = [first_owner(s) for s in found]
    print("libhdf5" if owners and owners[0] == "L" and "M" not in owners[1:] else "motifscope")


if __name__ == "__main__":
    main()
