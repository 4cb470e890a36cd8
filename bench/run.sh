#!/bin/sh
# Runs the Dragon.Homomorphic benchmarks (BenchmarkDotNet ShortRun: 3 warm-ups, 3 iterations) and prints the tables.
# Holds the shared build lock so that no build competes for the two cores while measuring.
# Extra arguments go to BenchmarkDotNet, e.g.: bash bench/run.sh --filter '*BfvBenchmarks*'
set -eu
cd "$(dirname "$0")/.."
if [ "$#" -eq 0 ]; then set -- --filter '*'; fi
exec flock /tmp/dragon-build.lock dotnet run -c Release --project bench/Dragon.Benchmarks -- "$@"
