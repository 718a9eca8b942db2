#!/usr/bin/env bash
# Coverage-guided fuzzing of the protocol line handler with SharpFuzz + AFL++ (see fuzz/README.md).
# Usage: fuzz/run-afl.sh [seconds]      (default 1800; needs `apt-get install afl++`)
#   FUZZ_INPUT=dir   start from this corpus instead of the seeds (e.g. an earlier run's queue)
#   FUZZ_OUTPUT=dir  findings directory (default artifacts/fuzz/findings)
# Builds the fuzz target into artifacts/fuzz/bin, instruments PumpFirmware.Core.dll there with the
# repository's local `sharpfuzz` tool, writes the seed corpus from the golden transcript and runs
# afl-fuzz at the lowest priority. Findings: artifacts/fuzz/findings/default/{crashes,hangs}.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-1800}"
out=artifacts/fuzz
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 1; }
dotnet tool restore >/dev/null
# A fresh output folder: an incremental build over an instrumented core leaves a target AFL sees no coverage from.
rm -rf "$out/bin"
dotnet build -c Release fuzz/PumpFirmware.Fuzz -o "$out/bin" >/dev/null
dotnet sharpfuzz "$out/bin/PumpFirmware.Core.dll"
dotnet "$out/bin/PumpFirmware.Fuzz.dll" seed tests/PumpFirmware.Protocol.Tests/Golden/transcript.txt "$out/seeds"
# The dotnet host is not AFL-instrumented (SharpFuzz instruments the IL instead): skip that check.
# The machine is shared: no CPU binding, lowest priority.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_UI=1 AFL_FAST_CAL=1
exec nice -n 19 afl-fuzz -i "${FUZZ_INPUT:-$out/seeds}" -o "${FUZZ_OUTPUT:-$out/findings}" -t 10000 -m none -V "$seconds" \
  -- dotnet "$out/bin/PumpFirmware.Fuzz.dll" afl
