"""The table of tests/bench/mpi.sh and the scaling model (docs/distributed.md).

Per run: analogy, WS353, training seconds, words/s/thread (GloVe: records),
exchanges and the seconds spent in them; then each distributed mode against
the single process, skip-gram and GloVe apart. Then the model: an exchange all-reduces the model
(bytes B); a ring all-reduce moves 2 (P-1)/P B per node, so it takes
t_x = 2 (P-1)/P B / bandwidth (+ latency, small here); between exchanges a
node computes S words at r words/s/thread x c cores: t_c = S / (r c).
Parallel efficiency = t_c / (t_c + t_x). The model is checked against the
2-process TCP runs: the loopback bandwidth fitted from one interval predicts
the exchange time of the others.
"""
import glob
import json
import os
import sys

out = sys.argv[1]


def load(name):
    report = json.load(open(os.path.join(out, name + ".json")))
    scores = json.load(open(os.path.join(out, name + ".eval.json")))
    wall, rss_kb = open(os.path.join(out, name + ".time")).read().split()
    d = report.get("distributed", {})
    return {
        "name": name,
        "analogy": scores["analogy"]["accuracy"],
        "ws353": scores["similarity"][0]["spearman"],
        "seconds": report["training"]["seconds"],
        "rate": report["training"]["per_second_per_thread"],
        "exchanges": d.get("exchanges", 0),
        "exchange_seconds": d.get("exchange_seconds", 0.0),
        "bytes": d.get("bytes_per_exchange", 0),
        "sync_every": d.get("sync_every", 0),
        "words": report["training"]["done"],
        "epochs": len(report["training"]["epochs"]),
        "wall": float(wall),
    }


runs = {os.path.basename(p)[:-5]: load(os.path.basename(p)[:-5])
        for p in sorted(glob.glob(os.path.join(out, "*.json"))) if not p.endswith(".eval.json")}

print("| run | analogy | WS353 | training s | words/s/thread | exchanges | s in exchanges | MB per exchange |")
print("|---|---|---|---|---|---|---|---|")
for r in runs.values():
    print("| %s | %.3f | %.3f | %.1f | %.0fk | %d | %.1f | %.1f |" % (
        r["name"], r["analogy"], r["ws353"], r["seconds"], r["rate"] / 1e3, r["exchanges"], r["exchange_seconds"],
        r["bytes"] / 1e6))


def mean(kind, key):
    values = [r[key] for n, r in runs.items() if n.startswith(kind + "-") and n[len(kind) + 1:].isdigit()]
    return sum(values) / len(values) if values else float("nan")


def compare(prefix):
    single = {k: mean(prefix + "single", k) for k in ("analogy", "ws353", "seconds", "wall")}
    print()
    for kind in ("shm", "tcp", "tcpfloat", "shmint8", "tcpint8"):
        if prefix + kind + "-1" not in runs:
            continue
        print("%s%s vs single (means over rounds): analogy %+.1f points, WS353 %+.3f, throughput %.0f%% "
              "(training), %.0f%% (whole run, wall clock)" % (
                  prefix, kind, 100 * (mean(prefix + kind, "analogy") - single["analogy"]),
                  mean(prefix + kind, "ws353") - single["ws353"], 100 * single["seconds"] / mean(prefix + kind, "seconds"),
                  100 * single["wall"] / mean(prefix + kind, "wall")))


def glove():
    compare("glove-")
    ref = runs["glove-tcp-1"]
    print("glove volume: %.1f MB all-reduced per exchange (the context rows), %d exchanges in %d epochs: %.0f MB per "
          "epoch per process" % (ref["bytes"] / 1e6, ref["exchanges"], ref["epochs"],
                                 ref["bytes"] * ref["exchanges"] / ref["epochs"] / 1e6))
    # GloVe's scaling: P processes train P rounds an epoch, each on 1/P^2 of the records; after each round the
    # context rows (C bytes) are all-reduced: t_x = 2 (P-1)/P C / bandwidth. Passing each round's block of
    # context rows to the process that needs it next would move C/P instead (not built).
    single = runs["glove-single-1"]
    records = single["words"] / single["epochs"]
    rate = mean("glove-single", "rate")
    contexts = ref["bytes"]
    print()
    print("glove scaling model: %.1f MB of context rows, %.2fM records/s/core, 32 cores a node; R = records per epoch "
          "(this corpus: %.0fM; larger corpora have more):" % (contexts / 1e6, rate / 1e6, records / 1e6))
    print("| R | nodes | network | compute s per round | all-reduce s | efficiency | with block passing |")
    print("|---|---|---|---|---|---|---|")
    for r_total in (records, 100 * records):
        for nodes in (16, 64):
            for gbit in (10, 25, 100):
                bw = gbit * 1e9 / 8
                t_c = r_total / nodes ** 2 / (rate * 32)
                t_x = 2 * (nodes - 1) / nodes * contexts / bw
                t_pass = contexts / nodes / bw
                print("| %.0fM | %d | %d Gb/s | %.4f | %.4f | %.0f%% | %.0f%% |" % (
                    r_total / 1e6, nodes, gbit, t_c, t_x, 100 * t_c / (t_c + t_x), 100 * t_c / (t_c + t_pass)))


def skipgram():
    compare("")

    # Communication volume.
    tcp = [r for n, r in runs.items() if n.startswith("tcp-")]
    ref = tcp[0]
    per_epoch = ref["bytes"] * ref["exchanges"] / ref["epochs"]
    print()
    print("volume: %.1f MB all-reduced per exchange (the whole model), %d exchanges: %.0f MB per epoch per process "
          "(a ring all-reduce sends 2(P-1)/P of that per node)" % (ref["bytes"] / 1e6, ref["exchanges"], per_epoch / 1e6))

    # The model checked on the TCP runs: bandwidth fitted on the default interval.
    fit = next(r for n, r in runs.items() if n == "tcp-1")
    per_exchange = fit["exchange_seconds"] / max(1, fit["exchanges"])
    bandwidth = 2 * 0.5 * fit["bytes"] / per_exchange  # P = 2
    compute_rate = fit["rate"]  # words/s/thread while training (exchanges included)
    print()
    print("model check (2 processes over loopback TCP, bandwidth fitted on tcp-1: %.2f GB/s effective):" % (bandwidth / 1e9))
    print("| interval (words/process) | exchanges | predicted s in exchanges | measured |")
    print("|---|---|---|---|")
    for r in sorted(tcp, key=lambda r: r["sync_every"]):
        predicted = r["exchanges"] * 2 * 0.5 * r["bytes"] / bandwidth
        print("| %d | %d | %.1f | %.1f |" % (r["sync_every"], r["exchanges"], predicted, r["exchange_seconds"]))

    # Scaling: P nodes x 32 cores at this machine's single-process rate.
    alone_rate = mean("single", "rate") if "single-1" in runs else compute_rate
    model_bytes = ref["bytes"]
    print()
    print("scaling model: %.1f MB model (benchmark vocabulary, dim 100), %.2fM words/s/core, 32 cores a node, "
          "interval = --sync-every auto for a long run (2M words in all processes):" % (model_bytes / 1e6, alone_rate / 1e6))
    print("| nodes | network | words/process between exchanges | compute s | transfer s | efficiency | interval for 90 % |")
    print("|---|---|---|---|---|---|---|")
    for nodes in (16, 64):
        for gbit in (10, 25, 100):
            bw = gbit * 1e9 / 8
            every = max(1000, 2_000_000 // nodes)
            t_c = every / (alone_rate * 32)
            t_x = 2 * (nodes - 1) / nodes * model_bytes / bw
            # The interval at which compute is 9x transfer (90 %).
            need = int(9 * t_x * alone_rate * 32)
            print("| %d | %d Gb/s | %d | %.4f | %.4f | %.0f%% | %d |" % (
                nodes, gbit, every, t_c, t_x, 100 * t_c / (t_c + t_x), need))


if "single-1" in runs:
    skipgram()
if "glove-single-1" in runs:
    glove()
