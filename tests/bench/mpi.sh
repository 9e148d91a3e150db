#!/usr/bin/env bash
# Distributed skip-gram and GloVe on this machine (docs/distributed.md): 2
# processes x 1 thread under mpirun, over shared memory and over TCP (--mca btl
# tcp,self), against 1 process x 2 threads, on the benchmark corpus, dim 100
# (skip-gram 5 epochs, GloVe its default 15), alternated (A B C A B C) since
# these VMs drift; skip-gram's changes also sent as floats over TCP (the
# default is halves) and as 8-bit rows over both transports; then skip-gram's
# TCP run with the sync interval varied, and the scaling model checked against
# it (tests/bench/mpi_report.py).
#   make bench-mpi [ROUNDS=2] [MODELS="skipgram glove"] [SG_MODES="single shm tcp tcpfloat shmint8 tcpint8"]
#                  [QUICK=1: the 2M-word cut]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT_PREFIX=mpi
. "$here/setup.sh"
WORDVEC_MPI=${WORDVEC_MPI:-$root/build/wordvec-mpi}
cp "$WORDVEC_MPI" "$OUT/wordvec-mpi"  # a rebuild during the run does not change what is measured
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
EVAL=$shared/data/eval
ROUNDS=${ROUNDS:-2}
MODELS=${MODELS:-skipgram glove}
train=("$OUT/wordvec-mpi" train --quiet --input "$CORPUS" --dim 100)

run() {  # NAME MODE [extra train flags]
  run_mode "$@"
  "$OUT/wordvec-mpi" eval --vectors "$OUT/$1.bin" --analogy "$EVAL/questions-words.txt" --similarity "$EVAL/ws353.tsv" \
    --json > "$OUT/$1.eval.json"
  rm -f "$OUT/$1.bin"
  echo "bench-mpi: $1 done" >&2
}

run_mode() {  # NAME MODE [extra train flags]: trains NAME.bin
  local name=$1 mode=$2; shift 2
  case $mode in
    single) /usr/bin/time -f "%e %M" -o "$OUT/$name.time" "${train[@]}" --threads 2 --output "$OUT/$name.bin" --report "$OUT/$name.json" "$@" ;;
    shm) /usr/bin/time -f "%e %M" -o "$OUT/$name.time" mpirun --bind-to none -np 2 "${train[@]}" --threads 1 \
           --output "$OUT/$name.bin" --report "$OUT/$name.json" "$@" ;;
    tcp) /usr/bin/time -f "%e %M" -o "$OUT/$name.time" mpirun --bind-to none --mca btl tcp,self -np 2 "${train[@]}" \
           --threads 1 --output "$OUT/$name.bin" --report "$OUT/$name.json" "$@" ;;
    tcpfloat) run_mode "$name" tcp --sync-precision float "$@"; return ;;
    shmint8) run_mode "$name" shm --sync-precision int8 "$@"; return ;;
    tcpint8) run_mode "$name" tcp --sync-precision int8 "$@"; return ;;
  esac
}

if [[ " $MODELS " == *" skipgram "* ]]; then
  for round in $(seq "$ROUNDS"); do
    for mode in ${SG_MODES:-single shm tcp tcpfloat shmint8 tcpint8}; do run "$mode-$round" $mode --epochs 5; done
  done
  for every in 250000 4000000; do run "tcp-every-$every" tcp --epochs 5 --sync-every $every; done
  run "shm-mean" shm --epochs 5 --sync-combine mean
fi
if [[ " $MODELS " == *" glove "* ]]; then
  for round in $(seq "$ROUNDS"); do
    for mode in single shm tcp; do run "glove-$mode-$round" $mode --model glove; done
  done
fi
/usr/bin/python3 "$here/mpi_report.py" "$OUT" | tee "$OUT/report.md"
