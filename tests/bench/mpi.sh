#!/usr/bin/env bash
# Distributed skip-gram on this machine (docs/distributed.md): 2 processes x 1
# thread under mpirun, over shared memory and over TCP (--mca btl tcp,self),
# against 1 process x 2 threads, on the benchmark corpus, 5 epochs, dim 100,
# alternated (A B C A B C) since these VMs drift; then the TCP run with the
# sync interval varied, and the scaling model checked against it
# (tests/bench/mpi_report.py).
#   make bench-mpi [ROUNDS=2] [QUICK=1: the 2M-word cut]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT_PREFIX=mpi
. "$here/setup.sh"
WORDVEC_MPI=${WORDVEC_MPI:-$root/build/wordvec-mpi}
cp "$WORDVEC_MPI" "$OUT/wordvec-mpi"  # a rebuild during the run does not change what is measured
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
EVAL=$shared/data/eval
ROUNDS=${ROUNDS:-2}
train=("$OUT/wordvec-mpi" train --quiet --input "$CORPUS" --dim 100 --epochs 5)

run() {  # NAME MODE [extra train flags]
  local name=$1 mode=$2; shift 2
  case $mode in
    single) /usr/bin/time -f "%e %M" -o "$OUT/$name.time" "${train[@]}" --threads 2 --output "$OUT/$name.bin" --report "$OUT/$name.json" "$@" ;;
    shm) /usr/bin/time -f "%e %M" -o "$OUT/$name.time" mpirun --bind-to none -np 2 "${train[@]}" --threads 1 \
           --output "$OUT/$name.bin" --report "$OUT/$name.json" "$@" ;;
    tcp) /usr/bin/time -f "%e %M" -o "$OUT/$name.time" mpirun --bind-to none --mca btl tcp,self -np 2 "${train[@]}" \
           --threads 1 --output "$OUT/$name.bin" --report "$OUT/$name.json" "$@" ;;
  esac
  "$OUT/wordvec-mpi" eval --vectors "$OUT/$name.bin" --analogy "$EVAL/questions-words.txt" --similarity "$EVAL/ws353.tsv" \
    --json > "$OUT/$name.eval.json"
  rm -f "$OUT/$name.bin"
  echo "bench-mpi: $name done" >&2
}

for round in $(seq "$ROUNDS"); do
  run "single-$round" single
  run "shm-$round" shm
  run "tcp-$round" tcp
done
for every in 250000 4000000; do run "tcp-every-$every" tcp --sync-every $every; done
run "shm-mean" shm --sync-combine mean
/usr/bin/python3 "$here/mpi_report.py" "$OUT" | tee "$OUT/report.md"
