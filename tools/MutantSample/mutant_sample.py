#!/usr/bin/env python3
"""What share of broken rules does the scenario suite catch? A seeded mutant sampler, outside CI.

Stryker with the scenario suite as its only test compiles every mutant of the core into one
assembly and instruments every simulated step, which is too slow for a shared 2-core machine.
This script does the simple thing instead: it copies the repository's tracked files to a work
folder, enumerates simple mutations of the therapy and dosing code (relational boundary and
negation swaps, arithmetic operator swaps, integer constants off by one, boolean swaps, a
dropped `!`), draws a seeded random sample, and for each mutant writes the one changed line,
rebuilds pumpctl incrementally (only the core recompiles) and runs ONLY the scenario suite,
`pumpctl simulate <suite>`, once per suite folder given. Exit 1 from simulate = killed, a run
past --timeout = timeout (counted as killed, as Stryker counts it), exit 0 = survived, a
mutant the compiler refuses is drawn again and listed apart.

    python3 tools/MutantSample/mutant_sample.py --seed 14 --count 40 \
        --suite scenarios --suite /tmp/old-scenarios

--list prints the sample without building anything; with --export FILE it also writes it as a
pinned list, one mutant a line (path, the line before and after, the line above, its occurrence).
--mutants FILE runs such a list instead of drawing: each mutant is found by its line's text
(indentation aside; where several lines read the same, by the line above it, then by its
occurrence), so a list drawn on an older commit still runs after the code around it has moved;
a line no longer there is reported as gone, not run.

    python3 tools/MutantSample/mutant_sample.py --root /tmp/old --list --count 42 \
        --export tools/MutantSample/seed14-f0456c3.tsv
    python3 tools/MutantSample/mutant_sample.py --mutants tools/MutantSample/seed14-f0456c3.tsv

--unit plan runs, for each mutant, the unit test projects that stand on its file's rules (TEST_PLANS: the core's
tests, and for the storage code the virtual device's storage and crash tests) instead of the scenario suite; --unit
wide runs the core's, the protocol's and the whole virtual device's tests, to ask of a survivor whether any test of
the repository sees it. --scope widens the folders drawn from; --focus and --focus-count weight the draw to files
(that many of --count from them, the rest from the other files). In a run, --export rewrites the pinned list of the
mutants that compiled after each one, so the list is what was run.

    python3 tools/MutantSample/mutant_sample.py --seed 61 --count 44 --unit plan \
        --scope firmware/Core/Therapy --scope firmware/Core/Dosing --scope firmware/Core/Storage \
        --scope firmware/Core/Energy --focus firmware/Core/Storage/Journal.cs ... --focus-count 36 \
        --export tools/MutantSample/seed61-0d99100.tsv
    python3 tools/MutantSample/mutant_sample.py --mutants tools/MutantSample/seed61-0d99100.tsv --unit wide --only 3,7

The figures go in docs/TESTING-EVIDENCE.md, section 2b. Standard library only.
"""
import argparse
import filecmp
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

SCOPE = ("firmware/Core/Therapy", "firmware/Core/Dosing")

RELATIONAL = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}
ARITHMETIC = {"+": "-", "-": "+", "*": "/", "/": "*", "%": "*"}
COMPOUND = {"+=": "-=", "-=": "+="}
LOGICAL = {"&&": "||", "||": "&&"}
BOOLEAN = {"true": "false", "false": "true"}

RE_RELATIONAL = re.compile(r"(?<![<>=!])(<=|>=|==|!=|<|>)(?![<>=])")
RE_ARITHMETIC = re.compile(r"(?<![+\-*/%=<>!&|^])([+\-*/%])(?![+\-*/%=>])")
RE_COMPOUND = re.compile(r"(?<![+\-*/%=<>!])([+\-])=(?!=)")
RE_LOGICAL = re.compile(r"(&&|\|\|)")
RE_BOOLEAN = re.compile(r"\b(true|false)\b")
RE_NOT = re.compile(r"!(?!=)")
RE_INTEGER = re.compile(r"(?<![\w.])(\d[\d_]*)(L|UL|U)?(?![\w.])")


def mask_code(lines):
    """Each line with comments, strings and chars blanked out (same length), so operators found
    in the mask are code. Tracks /* */ across lines."""
    masked = []
    in_block = False
    for line in lines:
        out = []
        i = 0
        n = len(line)
        while i < n:
            c = line[i]
            if in_block:
                if line.startswith("*/", i):
                    in_block = False
                    out.append("  ")
                    i += 2
                else:
                    out.append(" ")
                    i += 1
            elif line.startswith("//", i):
                out.append(" " * (n - i))
                break
            elif line.startswith("/*", i):
                in_block = True
                out.append("  ")
                i += 2
            elif c == '"' or c == "'":
                j = i + 1
                while j < n and line[j] != c:
                    j += 2 if line[j] == "\\" else 1
                out.append(" " * (min(j, n - 1) - i + 1))
                i = j + 1
            else:
                out.append(c)
                i += 1
        masked.append("".join(out)[:n].ljust(n))
    return masked


def previous_code_char(mask, col):
    k = col - 1
    while k >= 0 and mask[k] == " ":
        k -= 1
    return mask[k] if k >= 0 else ""


def sites(root, scope=SCOPE):
    """Every mutation site in scope: (path, line index, column, original, replacement, kind)."""
    found = []
    for folder in scope:
        for name in sorted(os.listdir(os.path.join(root, folder))):
            if not name.endswith(".cs"):
                continue
            rel = folder + "/" + name
            with open(os.path.join(root, rel), encoding="utf-8") as f:
                lines = f.read().split("\n")
            for li, mask in enumerate(mask_code(lines)):
                head = mask.strip()
                if not head or head.startswith(("using ", "namespace ", "[", "#")):
                    continue
                for m in RE_RELATIONAL.finditer(mask):
                    found.append((rel, li, m.start(), m.group(1), RELATIONAL[m.group(1)], "relational"))
                for m in RE_ARITHMETIC.finditer(mask):
                    before = previous_code_char(mask, m.start())
                    if before and (before.isalnum() or before in ")]_"):  # binary, not unary
                        found.append((rel, li, m.start(), m.group(1), ARITHMETIC[m.group(1)], "arithmetic"))
                for m in RE_COMPOUND.finditer(mask):
                    op = m.group(1) + "="
                    found.append((rel, li, m.start(), op, COMPOUND[op], "arithmetic"))
                for m in RE_LOGICAL.finditer(mask):
                    found.append((rel, li, m.start(), m.group(1), LOGICAL[m.group(1)], "logical"))
                for m in RE_BOOLEAN.finditer(mask):
                    found.append((rel, li, m.start(), m.group(1), BOOLEAN[m.group(1)], "boolean"))
                for m in RE_NOT.finditer(mask):
                    found.append((rel, li, m.start(), "!", "", "negation"))
                for m in RE_INTEGER.finditer(mask):
                    text = m.group(1)
                    value = int(text.replace("_", ""))
                    suffix = m.group(2) or ""
                    # One site per literal; the direction (+1 or -1; 0 only goes up) is drawn later.
                    found.append((rel, li, m.start(), text + suffix, value, "constant"))
    return found


def realise(site, rng):
    """The site as a concrete mutant: (path, line, col, original, replacement, kind)."""
    rel, li, col, original, replacement, kind = site
    if kind == "constant":
        value = replacement
        suffix = original[len(original.rstrip("LU")):]
        delta = 1 if value == 0 or rng.random() < 0.5 else -1
        replacement = str(value + delta) + suffix
    return (rel, li, col, original, replacement, kind)


def apply(root, mutant, restore=False):
    """Makes the mutant's change in its line (the text at its column checked), or restores the file; returns the
    changed line, stripped."""
    rel, li, col, original, replacement, kind = mutant
    if restore:
        write_line(root, rel, li, None)
        return None
    line = original_lines(root, rel)[li]
    assert line[col:col + len(original)] == original, (rel, li, col, original, line)
    changed = line[:col] + replacement + line[col + len(original):]
    write_line(root, rel, li, changed)
    return changed.strip()


_originals = {}


def original_lines(root, rel):
    """The file's lines as they were before any mutant touched it (read once, then kept)."""
    path = os.path.join(root, rel)
    if path not in _originals:
        with open(path, encoding="utf-8") as f:
            _originals[path] = f.read()
    return _originals[path].split("\n")


def write_line(root, rel, li, line):
    """Writes the original file with line li replaced by line, or the original file itself when line is None."""
    lines = original_lines(root, rel)
    if line is not None:
        lines[li] = line
    with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def previous_line(lines, li):
    """The nearest non-blank line above li, stripped (a mutant's context when its own line is not unique)."""
    k = li - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    return lines[k].strip() if k >= 0 else ""


def export(path, root, mutants):
    """Writes mutants as a pinned list: path, the line before and after the change (stripped), the line above it,
    and which of the file's lines equal to it it was (from 0), tab-separated."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("# path\tline before\tline after\tline above\toccurrence (mutant_sample.py --mutants)\n")
        for rel, li, col, original, replacement, kind in mutants:
            with open(os.path.join(root, rel), encoding="utf-8") as f:
                lines = f.read().split("\n")
            line = lines[li]
            after = line[:col] + replacement + line[col + len(original):]
            occurrence = sum(1 for k in range(li) if lines[k].strip() == line.strip())
            out.write(f"{rel}\t{line.strip()}\t{after.strip()}\t{previous_line(lines, li)}\t{occurrence}\n")


def pinned(path, root):
    """The mutants of a pinned list, located in root's sources by their line's text, then (where that is not
    unique) by the line above it, then by occurrence: [(path, line index, before, after, why)], why None when
    found and "gone" when the line is no longer there."""
    found = []
    with open(path, encoding="utf-8") as f:
        for row in f:
            row = row.rstrip("\n")
            if not row or row.startswith("#"):
                continue
            rel, before, after, above, occurrence = row.split("\t")
            at = []
            for candidate in moved_to(root, rel):
                with open(os.path.join(root, candidate), encoding="utf-8") as src:
                    lines = src.read().split("\n")
                at = [i for i, line in enumerate(lines) if line.strip() == before]
                if len(at) > 1:
                    near = [i for i in at if previous_line(lines, i) == above]
                    at = near if len(near) == 1 else at[int(occurrence):int(occurrence) + 1]
                if at:
                    rel = candidate
                    break
            found.append((rel, at[0] if at else -1, before, after, None if at else "gone"))
    return found


def moved_to(root, rel):
    """Where a pinned line may be now: its own file first, then the parts of the same class split off beside it
    (X.cs -> X.*.cs: TherapyController.cs became TherapyController.Boluses.cs and others), in name order."""
    yield rel
    folder, name = os.path.split(rel)
    stem = name[:-3] if name.endswith(".cs") else name
    try:
        siblings = sorted(os.listdir(os.path.join(root, folder)))
    except OSError:
        return
    for sibling in siblings:
        if sibling.startswith(stem + ".") and sibling.endswith(".cs") and sibling != name:
            yield os.path.join(folder, sibling)


def apply_line(root, rel, li, after, restore=False):
    """Replaces line li of rel with after (its indentation kept), or restores the file."""
    if restore:
        write_line(root, rel, li, None)
        return
    line = original_lines(root, rel)[li]
    write_line(root, rel, li, line[:len(line) - len(line.lstrip())] + after)


def run(cmd, cwd, timeout):
    """(exit code, output), or (None, output so far) past timeout; on a timeout the command's whole process group
    is ended (dotnet test's test host is a grandchild and would otherwise keep running a hung mutant)."""
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        return p.returncode, out
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        return None, out or ""


# The test projects that stand on a file's rules, for --unit: (project, test filter), first matching folder wins.
# "plan" is what a mutant of that folder is run against; "wide" adds the projects that reach the core through the
# application, the protocol and the virtual device (to ask of a survivor whether any test of the repository sees it).
# The core's project runs without its 30-day property, its nano metadata checks and the nano size weigh-in, as
# Stryker's run does (section 2 of docs/TESTING-EVIDENCE.md); the storage code's own tests are the virtual device's
# Storage and Crash folders.
CORE_TESTS = ("tests/PumpFirmware.Core.Tests",
              "FullyQualifiedName!~DeliveryPropertyTests&FullyQualifiedName!~NanoGateTests"
              "&FullyQualifiedName!~NanoAssemblySizeTests")
DEVICE_STORAGE_TESTS = ("tests/PumpFirmware.VirtualDevice.Tests",
                        "FullyQualifiedName~VirtualDevice.Tests.Storage.|FullyQualifiedName~VirtualDevice.Tests.Crash.")
DEVICE_TESTS = ("tests/PumpFirmware.VirtualDevice.Tests", "")
PROTOCOL_TESTS = ("tests/PumpFirmware.Protocol.Tests", "")
TEST_PLANS = {
    "plan": [("firmware/Core/Storage/", [CORE_TESTS, DEVICE_STORAGE_TESTS]), ("firmware/Core/", [CORE_TESTS])],
    "wide": [("firmware/Core/", [CORE_TESTS, PROTOCOL_TESTS, DEVICE_TESTS])],
}
PUMPCTL = "tools/PumpCtl"


def is_unit(suite):
    """A suite is a scenario folder or 'unit:<plan>', the test projects TEST_PLANS names for the mutated file."""
    return suite.startswith("unit:")


def tests_for(suite, rel):
    """The (project, filter) pairs a unit suite runs for a mutant of rel (every pair of the plan when rel is None)."""
    pairs = []
    for folder, projects in TEST_PLANS[suite[len("unit:"):]]:
        if rel is None or rel.startswith(folder):
            pairs.extend(p for p in projects if p not in pairs)
            if rel is not None:
                break
    return pairs


def projects_to_build(suites, rel):
    """What the suites need built for a mutant of rel: pumpctl for a scenario folder, the test projects of a plan."""
    wanted = []
    for suite in suites:
        for project in ([p for p, _ in tests_for(suite, rel)] if is_unit(suite) else [PUMPCTL]):
            if project not in wanted:
                wanted.append(project)
    return wanted


def build(work, projects=(PUMPCTL,)):
    """Builds each project (Release, incremental: only the core recompiles); the first failure's (code, text)."""
    for project in projects:
        code, text = run(["dotnet", "build", project, "-c", "Release", "--no-restore", "-v", "q", "-nologo",
                          "-p:TreatWarningsAsErrors=false", "-p:GenerateDocumentationFile=false"], work, 900)
        if code != 0:
            return code, text
    return 0, ""


def check(work, suite, rel, out, timeout):
    """One suite's verdict on the firmware as it is in work: a scenario folder run by pumpctl, or a unit plan."""
    return unit_tests(work, suite, rel, timeout) if is_unit(suite) else simulate(work, suite, out, timeout)


def unit_tests(work, suite, rel, timeout):
    """'survived', 'timeout', or 'killed (<first failing tests>)': the plan's projects for rel, in order, stopping at
    the first that fails (dotnet test, Release, already built)."""
    for project, test_filter in tests_for(suite, rel):
        cmd = ["dotnet", "test", project, "-c", "Release", "--no-build", "-nologo"]
        if test_filter:
            cmd += ["--filter", test_filter]
        code, text = run(cmd, work, timeout)
        if code is None:
            return "timeout"
        if code != 0:
            failed = [l.split()[1].split(".")[-2:] for l in text.splitlines()
                      if l.startswith("  Failed ") and len(l.split()) > 1]
            names = [".".join(f) for f in failed]
            return "killed (" + (", ".join(names[:3]) if names else os.path.basename(project) + " exit " + str(code)) + ")"
    return "survived"


def simulate(work, suite, out, timeout):
    """'survived', 'timeout', or 'killed (<first failing scenario>)'."""
    dll = os.path.join(work, "artifacts", "bin", "PumpCtl", "release", "pumpctl.dll")
    code, text = run(["dotnet", dll, "simulate", suite, "--out", out], work, timeout)
    if code is None:
        return "timeout"
    if code == 0:
        return "survived"
    failed = [l.split()[1] for l in text.splitlines() if l.startswith(("FAIL", "fail", "error", "ERROR")) and len(l.split()) > 1]
    return "killed (" + (", ".join(failed[:3]) if failed else "exit " + str(code)) + ")"


def prepare(repo, work, suites):
    """The work copy of the repository (made once), every file that differs from this checkout's (tracked or not yet
    added: a new test counts) copied again, then the suites' projects built."""
    src = os.path.join(work, "repo")
    fresh = not os.path.isdir(src)
    files = subprocess.run(["git", "ls-files", "-z", "-c", "-o", "--exclude-standard"], cwd=repo,
                           stdout=subprocess.PIPE, check=True).stdout.split(b"\0")
    for f in files:
        if not f:
            continue
        f = f.decode()
        origin, dest = os.path.join(repo, f), os.path.join(src, f)
        if os.path.isfile(origin) and not (os.path.isfile(dest) and filecmp.cmp(origin, dest, shallow=False)):
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            # shutil.copy, not copy2: a fresh time stamp, so the incremental build sees the change.
            shutil.copy(origin, dest)
    projects = projects_to_build(suites, None)
    if fresh:
        for project in projects:
            code, text = run(["dotnet", "restore", project, "-v", "q"], src, 900)
            if code != 0:
                print(text)
                return None
    code, text = build(src, projects)
    if code != 0:
        print(text)
        return None
    return src


def baseline(src, suites, out, timeout):
    for suite in suites:
        verdict = check(src, suite, None, out, timeout)
        print(f"baseline {suite}: {verdict}", flush=True)
        if verdict != "survived":
            print("the suite must pass on the unmutated firmware first")
            return False
    return True


def suite_name(suite):
    """A suite's column head: the folder's name, or 'unit tests (<plan>)'."""
    return "unit tests (" + suite[len("unit:"):] + ")" if is_unit(suite) else os.path.basename(suite.rstrip("/")) or suite


def print_kills(suites, verdicts, columns):
    """Prints each suite's kills over the mutants run (verdicts: one list per mutant, one verdict per suite), then
    the head of the per-mutant table: '#', the given columns, a column per suite."""
    for k, suite in enumerate(suites):
        killed = sum(1 for v in verdicts if not v[k].startswith("survived"))
        timeouts = sum(1 for v in verdicts if v[k] == "timeout")
        share = 100.0 * killed / len(verdicts) if verdicts else 0.0
        print(f"{suite}: killed {killed} of {len(verdicts)} ({share:.1f} %), of which timeout {timeouts}")
    print()
    print("| # | " + " | ".join(columns) + " | " + " | ".join(suite_name(s) for s in suites) + " |")
    print("|---|" + "---|" * len(columns) + "---|" * len(suites))


def ready_work(args, repo, suites):
    """Prepares the work copy (--work) and runs the unmutated baseline there. Returns (source folder, output folder,
    start time), or None when either fails (what failed is printed)."""
    work = os.path.abspath(args.work)
    started = time.time()
    src = prepare(repo, work, suites)
    out = os.path.join(work, "sim-out")
    if src is None or not baseline(src, suites, out, args.timeout):
        return None
    return src, out, started


def run_pinned(args, repo, suites):
    """Runs every mutant of a pinned list (--mutants) against each suite and prints the table."""
    mutants = pinned(args.mutants, repo)
    numbers = list(range(1, len(mutants) + 1))
    if args.only:
        numbers = [int(n) for n in args.only.split(",")]
        mutants = [mutants[n - 1] for n in numbers]
    ready = ready_work(args, repo, suites)
    if ready is None:
        return 2
    src, out, started = ready
    rows = []
    for n, (rel, li, before, after, why) in zip(numbers, mutants):
        if why is not None:
            rows.append((rel, li, after, [why] * len(suites)))
            print(f"{n:3} {rel}: {why}: {before}", flush=True)
            continue
        t0 = time.time()
        apply_line(src, rel, li, after)
        code, text = build(src, projects_to_build(suites, rel))
        verdicts = ["compile error"] * len(suites) if code != 0 else [check(src, s, rel, out, args.timeout) for s in suites]
        apply_line(src, rel, li, after, restore=True)
        rows.append((rel, li, after, verdicts))
        print(f"{n:3} {rel}:{li + 1}  " + "  ".join(verdicts) + f"  [{time.time() - t0:.0f} s]   {after}", flush=True)
    build(src, projects_to_build(suites, None))  # leave the copy built unmutated

    print()
    ran = [r for r in rows if r[3][0] not in ("gone", "compile error")]
    print(f"{args.mutants}: {len(ran)} of {len(rows)} mutants run, {(time.time() - started) / 60:.1f} min")
    print_kills(suites, [r[3] for r in ran], ["mutant", "line after the change"])
    for n, (rel, li, after, verdicts) in zip(numbers, rows):
        short = rel.replace("firmware/Core/", "")
        print(f"| {n} | `{short}:{li + 1}` | `{after.replace('|', '¦')}` | " + " | ".join(verdicts) + " |")
    return 0


def in_focus(rel, focus):
    return bool(focus) and any(rel == f or rel.startswith(f.rstrip("/") + "/") for f in focus)


def quota(args, focus):
    """How many of the --count mutants come from the focus files (focus True) and from the others."""
    if not args.focus:
        return args.count if not focus else 0
    return args.focus_count if focus else args.count - args.focus_count


def drawing(all_sites, order, args):
    """The sites in the order they are drawn: [(index, in focus)], the focus files' sites first (in the seed's
    shuffled order), then the others'; without --focus, the shuffled order itself."""
    if not args.focus:
        return [(i, False) for i in order]
    first = [(i, True) for i in order if in_focus(all_sites[i][0], args.focus)]
    return first + [(i, False) for i in order if not in_focus(all_sites[i][0], args.focus)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--count", type=int, default=40, help="mutants that compile, to run")
    ap.add_argument("--suite", action="append", help="a scenario folder (repeatable; default: scenarios)")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per suite run before it counts as a timeout")
    ap.add_argument("--work", default="/tmp/pf-mutant-sample", help="work folder (a copy of the repository)")
    ap.add_argument("--list", action="store_true", help="print the sample and stop")
    ap.add_argument("--export", help="write the sample as a pinned list to this file (with --list: as drawn; "
                                     "in a run: the mutants that compiled, rewritten after each)")
    ap.add_argument("--mutants", help="run this pinned list (see --export) instead of drawing a sample")
    ap.add_argument("--only", help="with --mutants: run only these rows of the list, by number (e.g. 2,6,10)")
    ap.add_argument("--root", help="the repository whose sources are mutated (default: this checkout)")
    ap.add_argument("--scope", action="append",
                    help="a source folder to draw from (repeatable; default: " + ", ".join(SCOPE) + ")")
    ap.add_argument("--focus", action="append",
                    help="a file (or folder prefix) to weight the draw to (repeatable; see --focus-count)")
    ap.add_argument("--focus-count", type=int, default=0,
                    help="of --count, how many mutants come from the --focus files (the rest from the other files)")
    ap.add_argument("--unit", choices=sorted(TEST_PLANS),
                    help="also run the test projects of TEST_PLANS for each mutant's file (a column 'unit tests'); "
                         "without --suite, no scenario folder is run")
    args = ap.parse_args()
    repo = os.path.abspath(args.root) if args.root else subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], stdout=subprocess.PIPE, text=True, check=True).stdout.strip()
    suites = (["unit:" + args.unit] if args.unit else []) + [os.path.abspath(s) for s in (
        args.suite or ([] if args.unit else [os.path.join(repo, "scenarios")]))]
    scope = tuple(args.scope or SCOPE)

    all_sites = sites(repo, scope)
    rng = random.Random(args.seed)
    order = list(range(len(all_sites)))
    rng.shuffle(order)
    kinds = {}
    for s in all_sites:
        kinds[s[5]] = kinds.get(s[5], 0) + 1
    print(f"{len(all_sites)} mutation sites in {', '.join(scope)} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}); seed {args.seed}")
    focused = sum(1 for s in all_sites if in_focus(s[0], args.focus))
    if args.focus:
        print(f"{focused} of them in the focus files, {args.focus_count} of {args.count} mutants drawn from these")
    draws = drawing(all_sites, order, args)
    if args.list:
        listed = []
        taken = {True: 0, False: 0}
        for i, focus in draws:
            if taken[focus] >= quota(args, focus):
                continue
            taken[focus] += 1
            listed.append(realise(all_sites[i], rng))
            rel, li, col, original, replacement, kind = listed[-1]
            print(f"{rel}:{li + 1}:{col + 1}  {kind:10}  '{original}' -> '{replacement}'")
        if args.export:
            export(args.export, repo, listed)
        return 0
    if args.mutants:
        return run_pinned(args, repo, suites)

    ready = ready_work(args, repo, suites)
    if ready is None:
        return 2
    src, out, started = ready

    results = []
    rejected = []
    taken = {True: 0, False: 0}
    for i, focus in draws:
        if len(results) >= args.count:
            break
        if taken[focus] >= quota(args, focus):
            continue
        mutant = realise(all_sites[i], rng)
        rel, li, col, original, replacement, kind = mutant
        changed = apply(src, mutant)
        t0 = time.time()
        code, text = build(src, projects_to_build(suites, rel))
        if code != 0:
            apply(src, mutant, restore=True)
            rejected.append((mutant, changed))
            print(f"  compile error: {rel}:{li + 1} '{original}' -> '{replacement}'", flush=True)
            continue
        verdicts = [check(src, suite, rel, out, args.timeout) for suite in suites]
        apply(src, mutant, restore=True)
        taken[focus] += 1
        results.append((mutant, changed, verdicts))
        if args.export:  # after each mutant, so a stopped run leaves the pinned list of what it ran
            export(args.export, repo, [r[0] for r in results])
        print(f"{len(results):3} {rel}:{li + 1}:{col + 1} {kind:10} '{original}' -> '{replacement}'  "
              + "  ".join(verdicts) + f"  [{time.time() - t0:.0f} s]   {changed}", flush=True)
    build(src, projects_to_build(suites, None))  # leave the copy built unmutated

    print()
    print(f"seed {args.seed}: {len(results)} mutants run, {len(rejected)} refused by the compiler (drawn again), "
          f"{(time.time() - started) / 60:.1f} min")
    print_kills(suites, [r[2] for r in results], ["mutant", "change", "line after the change"])
    for n, (mutant, changed, verdicts) in enumerate(results, 1):
        rel, li, col, original, replacement, kind = mutant
        short = rel.replace("firmware/Core/", "")
        print(f"| {n} | `{short}:{li + 1}` | {kind} `{original}` → `{replacement}` | `{changed.replace('|', '¦')}` | " + " | ".join(verdicts) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
