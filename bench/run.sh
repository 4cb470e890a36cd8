#!/bin/sh
# Runs every benchmark and prints the tables: Dragon.Homomorphic's (BenchmarkDotNet ShortRun: 3 warm-ups, 3 iterations)
# and the job wall time, encrypted against plain (its own job: 1 warm-up, 5 iterations of one job; about 6 minutes).
# Holds the shared build lock so that no build competes for the two cores while measuring.
# Extra arguments go to BenchmarkDotNet, e.g.: bash bench/run.sh --filter '*BfvBenchmarks*'
# or, for the job wall time alone: bash bench/run.sh --filter '*JobWallTime*'
set -eu
cd "$(dirname "$0")/.."
if [ "$#" -eq 0 ]; then set -- --filter '*'; fi
exec flock /tmp/dragon-build.lock dotnet run -c Release --project bench/Dragon.Benchmarks -- "$@"
