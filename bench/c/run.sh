#!/usr/bin/env bash
# Builds and runs the C sgemm baseline against the libopenblas that JavaCPP ships for this platform.
#
#   bench/c/run.sh [threads] [seconds-per-round] [rounds]      (defaults: all cores, 1 s, 5 rounds)
#
# The library, cblas.h and openblas_config.h come out of org.bytedeco:openblas:<version>:<platform> in the
# local Maven repository (fetched by building backend-blas, or by the dependency:get below), so C and Java
# call the very same binary. Build products go to bench/target/c-sgemm/ (removed by mvn clean).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="${OPENBLAS_VERSION:-0.3.28-1.5.11}"
platform="${JAVACPP_PLATFORM:-linux-x86_64}"
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
jar="$repo/org/bytedeco/openblas/$version/openblas-$version-$platform.jar"
if [ ! -f "$jar" ]; then
  mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get \
      -Dartifact="org.bytedeco:openblas:$version:jar:$platform"
fi
build="$(dirname "$here")/target/c-sgemm"
lib="org/bytedeco/openblas/$platform"
if [ ! -f "$build/$lib/libopenblas.so.0" ]; then
  mkdir -p "$build"
  (cd "$build" && unzip -q -o "$jar" "$lib/*")
fi
# libopenblas.so.0 needs the libgfortran/libquadmath/libgcc_s shipped next to it: rpath points there.
gcc -O2 -std=c11 -Wall -Wextra -D_POSIX_C_SOURCE=200809L -o "$build/sgemm_bench" "$here/sgemm_bench.c" \
    -I"$build/$lib/include" "$build/$lib/libopenblas.so.0" -Wl,-rpath,"$build/$lib"
threads="${1:-$(nproc)}"
"$build/sgemm_bench" "$threads" "${2:-1}" "${3:-5}"
