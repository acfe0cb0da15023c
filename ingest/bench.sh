#!/usr/bin/env bash
# Ingest benchmark: HTTP ingest vs. a plain Kafka producer on the same in-JVM broker.
# Options: BENCH_READINGS (default 400000), BENCH_CLIENTS (8), BENCH_ROUNDS (3), BENCH_LATENCY_SECONDS (20).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -pl ingest test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx2g -XX:+UseParallelGC \
  -cp "ingest/target/test-classes:ingest/target/classes:$(cat ingest/target/bench.classpath)" \
  -Dbench.readings="${BENCH_READINGS:-400000}" -Dbench.clients="${BENCH_CLIENTS:-8}" \
  -Dbench.latencySeconds="${BENCH_LATENCY_SECONDS:-20}" -Dbench.rounds="${BENCH_ROUNDS:-3}" \
  io.vigil.ingest.bench.IngestBenchmark
