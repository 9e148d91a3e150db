"""The report of tests/bench/ingest.sh, in markdown.
usage: ingest_report.py OUT CORPUS THREADS EPOCHS ROUNDS SCALE"""
import filecmp
import os
import re
import statistics
import sys

out, corpus, threads, epochs, rounds, scale = sys.argv[1:7]
rounds = int(rounds)


def timed(name):
    """(wall seconds, peak MB) of a run, or None when it failed."""
    try:
        wall, peak = open(os.path.join(out, name + ".time")).read().split()[-2:]
        return float(wall), float(peak) / 1024
    except (OSError, ValueError):
        return None


def log(name):
    return open(os.path.join(out, name + ".log"), encoding="utf-8", errors="replace").read()


def same(a, b):
    pa, pb = os.path.join(out, a), os.path.join(out, b)
    return os.path.exists(pa) and os.path.exists(pb) and filecmp.cmp(pa, pb, shallow=False)


print(f"# Ingestion benchmark\n\ncorpus {corpus}; {threads} threads; skip-gram defaults, dim 100\n")
sizes = [line.split() for line in open(os.path.join(out, "sizes.txt"))]
print("| input | size, MB |\n|---|---|")
for size, path in sizes:
    print(f"| {os.path.basename(path)} | {int(size) / 1e6:.1f} |")

def speed_section():
    print(f"\n## Compressed input, {epochs} epoch(s), {rounds} alternated round(s)\n")
    print("| input | wall, s (each round) | median | ratio to plain (paired rounds) | peak RSS, MB |\n"
          "|---|---|---|---|---|")
    plain = [timed(f"speed-plain-{r}") for r in range(1, rounds + 1)]
    for form in ("plain", "gz", "zst"):
        runs = [timed(f"speed-{form}-{r}") for r in range(1, rounds + 1)]
        if None in runs or None in plain:
            print(f"| {form} | failed | | | |")
            continue
        ratios = [r[0] / p[0] for r, p in zip(runs, plain)]
        print(f"| {form} | {', '.join(f'{r[0]:.1f}' for r in runs)} | {statistics.median(r[0] for r in runs):.1f} | "
              f"{statistics.median(ratios):.3f} ({', '.join(f'{x:.3f}' for x in ratios)}) | "
              f"{max(r[1] for r in runs):.0f} |")


def same_section():
    print("\n## Same tokens, same order (--threads 1, 1 epoch)\n")
    for a, b, what in (("same-gz.bin", "same-plain.bin", "gzip copy: vectors"),
                       ("same-zst.bin", "same-plain.bin", "zstd copy: vectors"),
                       ("shards.bin", "same-plain.bin", "20 shards in a folder: vectors"),
                       ("shards.vocab", "same-plain.vocab", "20 shards in a folder: vocabulary")):
        print(f"- {what} {'identical to' if same(a, b) else 'DIFFER from'} the plain file's")


def big_section():
    print(f"\n## A corpus {scale} times the benchmark's ({scale} gzip members), 2 epochs\n")
    print("| run | epoch 1, s | epoch 2, s | whole run, s | peak RSS, MB | decoded copy on disk, MB |\n"
          "|---|---|---|---|---|---|")
    for name, what in (("big-cached", "id copy in memory (--cache-memory 8)"),
                       ("big-spilled", "id copy over the budget (--cache-memory 0.05): spilled to a file"),
                       ("big-reread", "no id copy (--cache-memory 0): the text re-read")):
        if not os.path.exists(os.path.join(out, name + ".log")):
            continue
        text = log(name)
        epochs_took = [float(x) for x in re.findall(r"epoch \d+ took ([\d.]+) s", text)][:2]
        copy = re.search(r"plain copy for training[^:]*: ([\d.]+) MB", text)
        t = timed(name)
        cells = [f"{e:.1f}" for e in epochs_took] + [""] * (2 - len(epochs_took))
        print(f"| {what} | {' | '.join(cells)} | {t[0]:.1f} | {t[1]:.0f} | {copy.group(1) if copy else '?'} |"
              if t else f"| {what} | failed | | | | |")


def phrases_section():
    print("\n## Phrases against word2phrase (threshold 100, min-count 5)\n")
    print("| tool | wall, s | peak RSS, MB |\n|---|---|---|")
    for name, what in (("w2p", "word2phrase (word2vec@1.1.5, 1 thread)"),
                       ("wv-phrases", f"wordvec phrases ({threads} threads)")):
        t = timed(name)
        print(f"| {what} | {t[0]:.1f} | {t[1]:.0f} |" if t else f"| {what} | failed | |")
    print()
    for line in open(os.path.join(out, "phrases.txt")):
        print("- " + line.strip())


for marker, section in (("speed-plain-1.time", speed_section), ("same-plain.bin", same_section),
                        ("big-cached.log", big_section), ("phrases.txt", phrases_section)):
    if os.path.exists(os.path.join(out, marker)):
        section()
