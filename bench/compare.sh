#!/usr/bin/env bash
# Side by side, in one run: `rnn bench` (openblas and java backends) against the same training step in
# PyTorch (bench/compare_pytorch.py, /usr/bin/python3), same threads, F32, alternating one measurement of
# each per round and taking the median of the rounds' medians. Prints a table with ratios ours/PyTorch:
# the ratio of those medians, then the median and range of the rounds' own ratios (a round's two
# measurements run back to back, so its ratio is the one least moved by the machine's slow phases).
#
#   bench/compare.sh [threads] [rounds] [workloads...]     defaults: 2 threads, 3 rounds, every workload
#   workloads: w1-lstm w1-gru w1-elman w2-lstm w3-lstm
#   env: PYTORCH=/usr/bin/python3   JAVA_BACKENDS="openblas java"   REPEAT=9 WARMUP=20 WARMUP_SECONDS=6
#        (ours warms up for WARMUP steps and at least WARMUP_SECONDS: the JIT needs seconds, not steps)
#        TORCH_OPENBLAS=1  also run PyTorch with the libopenblas that JavaCPP ships LD_PRELOADed (Debian's
#                          python3-torch otherwise runs on libblas.so.3, the reference BLAS, on this machine)
#        TORCH_STOCK=0     skip stock PyTorch (the reference BLAS: W2 takes about 14 s a step)
#        TORCH_BLAS_THREADS=N  OpenBLAS threads of pytorch+openblas (default: threads)
#        TORCH_OMP_WAIT_POLICY=P  its OpenMP threads' wait policy (default PASSIVE; see torch_openblas)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
threads="${1:-2}"; rounds="${2:-3}"; shift $(( $# > 2 ? 2 : $# )) || true
workloads=("$@"); [ ${#workloads[@]} -gt 0 ] || workloads=(w1-lstm w1-gru w1-elman w2-lstm w3-lstm)
py="${PYTORCH:-/usr/bin/python3}"
backends=(${JAVA_BACKENDS:-openblas java})
repeat="${REPEAT:-9}"; warmup="${WARMUP:-20}"; warmup_seconds="${WARMUP_SECONDS:-6}"
jar="$root/models/target/rnn.jar"
"$root/rnn" --version >/dev/null     # builds the jar on first use and whenever a source is newer than it
blaslib="$root/bench/target/c-sgemm/org/bytedeco/openblas/linux-x86_64"

shape() {   # cell batch steps input hidden
  case "$1" in
    w1-lstm) echo "lstm 32 50 128 256";;  w1-gru) echo "gru 32 50 128 256";;  w1-elman) echo "elman 32 50 128 256";;
    w2-lstm) echo "lstm 64 50 512 512";;  w3-lstm) echo "lstm 1 100 64 128";;
    *) echo "unknown workload $1" >&2; exit 2;;
  esac
}
ours() {    # backend cell b t i h -> median ms (last line)
  java -cp "$jar" dev.recurrent.models.cli.BenchCommand --backend "$1" --cell "$2" --batch "$3" --steps "$4" \
       --input "$5" --hidden "$6" --threads "$threads" --warmup "$warmup" --warmup-seconds "$warmup_seconds" --repeat "$repeat" | tail -1
}
torch() {   # cell b t i h -> median ms
  "$py" "$root/bench/compare_pytorch.py" --cell "$1" --batch "$2" --steps "$3" --input "$4" --hidden "$5" \
        --threads "$threads" --warmup "$warmup" --repeat "$repeat" | tail -1
}
torch_openblas() {
  # PyTorch's products go to OpenBLAS, which runs them on its own threads (PyTorch does not split a product
  # over its OpenMP threads), so OpenBLAS gets the same threads. PyTorch's OpenMP threads then wait
  # passively: spinning, they hold the cores OpenBLAS's threads need (W1 LSTM about 1,000 ms a step).
  # Measured alternating on this machine (2026-11-22 15:10 UTC, ms a step), against the one OpenBLAS thread
  # this script used before: W1 GRU 60-63 vs 72-92, W1 LSTM 72-99 vs 87-114, W1 Elman 22-24 vs 28-29,
  # W2 480-526 vs 673-804, W3 18-26 vs 19-28 (bench/README.md). TORCH_BLAS_THREADS=1 gives that back.
  LD_LIBRARY_PATH="$blaslib" LD_PRELOAD="$blaslib/libopenblas.so.0" OPENBLAS_NUM_THREADS="${TORCH_BLAS_THREADS:-$threads}" \
    OMP_WAIT_POLICY="${TORCH_OMP_WAIT_POLICY:-PASSIVE}" torch "$@"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

if [ -n "${TORCH_OPENBLAS:-}" ] && [ ! -f "$blaslib/libopenblas.so.0" ]; then "$root/bench/c/run.sh" 1 0.1 1 >/dev/null; fi
torches=(); [ "${TORCH_STOCK:-1}" != 0 ] && torches+=(pytorch); [ -n "${TORCH_OPENBLAS:-}" ] && torches+=(pytorch+openblas)
[ ${#torches[@]} -gt 0 ] || { echo "compare.sh: TORCH_STOCK=0 needs TORCH_OPENBLAS=1 (nothing to compare with)" >&2; exit 2; }
cols=("${backends[@]}" "${torches[@]}")
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), threads $threads, F32, $rounds rounds x $repeat steps (median of medians)"
if [ -n "${TORCH_OPENBLAS:-}" ]; then
  echo "# pytorch+openblas: OPENBLAS_NUM_THREADS=${TORCH_BLAS_THREADS:-$threads} OMP_WAIT_POLICY=${TORCH_OMP_WAIT_POLICY:-PASSIVE}, torch threads $threads"
fi
declare -A res round
for w in "${workloads[@]}"; do
  read -r cell b t i h <<<"$(shape "$w")"
  declare -A runs=()
  for ((r = 0; r < rounds; r++)); do
    for c in "${cols[@]}"; do
      case "$c" in
        pytorch) v="$(torch "$cell" "$b" "$t" "$i" "$h")";;
        pytorch+openblas) v="$(torch_openblas "$cell" "$b" "$t" "$i" "$h")";;
        *) v="$(ours "$c" "$cell" "$b" "$t" "$i" "$h")";;
      esac
      runs[$c]="${runs[$c]:-} $v"
      round[$w,$c,$r]="$v"
      echo "  $w round $r $c: $v ms" >&2
    done
  done
  for c in "${cols[@]}"; do res[$w,$c]="$(median ${runs[$c]})"; done
  unset runs
done
header="| workload (B, T, I, H) |"; rule="|---|"
for c in "${cols[@]}"; do header+=" $c ms |"; rule+="---:|"; done
for p in "${torches[@]}"; do for c in "${backends[@]}"; do header+=" $c / $p | per round: median (min-max) |"; rule+="---:|---:|"; done; done
echo "$header"; echo "$rule"
for w in "${workloads[@]}"; do
  read -r cell b t i h <<<"$(shape "$w")"
  line="| ${w%%-*} $cell ($b, $t, $i, $h) |"
  for c in "${cols[@]}"; do line+=" ${res[$w,$c]} |"; done
  for p in "${torches[@]}"; do
    for c in "${backends[@]}"; do
      line+=" $(awk -v a="${res[$w,$c]}" -v b="${res[$w,$p]}" 'BEGIN{printf "%.2f", a/b}') |"
      ratios=()
      for ((r = 0; r < rounds; r++)); do
        ratios+=("$(awk -v a="${round[$w,$c,$r]}" -v b="${round[$w,$p,$r]}" 'BEGIN{printf "%.4f", a/b}')")
      done
      mapfile -t sorted < <(printf '%s\n' "${ratios[@]}" | sort -g)
      line+=" $(awk -v m="$(median "${ratios[@]}")" -v lo="${sorted[0]}" -v hi="${sorted[-1]}" 'BEGIN{printf "%.2f (%.2f-%.2f)", m, lo, hi}') |"
    done
  done
  echo "$line"
done
