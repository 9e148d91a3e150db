"""make bench-python: the Python module against the CLI, gensim and a latency budget.

  1. wordvec.train(path) against `wordvec train` (same settings), alternated A/B.
  2. wordvec.train(iterable of token lists) against gensim's Word2Vec fed the
     same iterable (skip-gram, same settings), words/sec over the whole call.
  3. most_similar latency on a 100k x 100 matrix: one query (sgemv + top-k),
     and most_similar_batch (sgemm) per query.

  CORPUS=bench-data/corpus-small.txt ROUNDS=2 PARTS=path,iterable,query /usr/bin/python3 tests/bench/python.py
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(root, "python"))
import wordvec  # noqa: E402

CORPUS = os.environ.get("CORPUS", os.path.join(root, "bench-data", "corpus-small.txt"))
WORDVEC = os.environ.get("WORDVEC", os.path.join(root, "build", "wordvec"))
ROUNDS = int(os.environ.get("ROUNDS", "2"))
THREADS = int(os.environ.get("THREADS", "2"))
PARTS = os.environ.get("PARTS", "path,iterable,query").split(",")
SETTINGS = dict(dim=100, window=5, negative=5, sample=1e-4, min_count=5, epochs=5, threads=THREADS)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def cli_train(out):
    flags = [x for k, v in SETTINGS.items() for x in ("--" + k.replace("_", "-"), str(v))]
    subprocess.run([WORDVEC, "train", "--quiet", "--input", CORPUS, "--output", out, *flags], check=True)


def sentences():
    with open(CORPUS, encoding="utf-8") as f:
        for line in f:
            tokens = line.split()
            if tokens:
                yield tokens


class Sentences:  # re-iterable, as gensim needs
    def __iter__(self):
        return sentences()


def main():
    words = sum(len(s) for s in sentences())
    print(f"corpus {CORPUS}: {words} tokens; {THREADS} threads; settings {SETTINGS}")
    if "path" in PARTS:
        path_vs_cli()
    if "iterable" in PARTS:
        iterable_vs_gensim(words)
    if "query" in PARTS:
        query_latency()


def path_vs_cli():
    with tempfile.TemporaryDirectory() as tmp:
        # 1. path: Python against the CLI, alternated
        py_times, cli_times = [], []
        for _ in range(ROUNDS):
            cli_times.append(timed(lambda: cli_train(os.path.join(tmp, "v.bin")))[0])
            py_times.append(timed(lambda: wordvec.train(CORPUS, progress=False, **SETTINGS))[0])
        print(f"path      CLI {' '.join(f'{t:.2f}' for t in cli_times)} s   Python {' '.join(f'{t:.2f}' for t in py_times)} s"
              f"   Python/CLI (medians) {statistics.median(py_times) / statistics.median(cli_times):.3f}")



def iterable_vs_gensim(words):
    wv_time, _ = timed(lambda: wordvec.train(Sentences(), progress=False, **SETTINGS))
    try:
        from gensim.models import Word2Vec
        g_time, _ = timed(lambda: Word2Vec(sentences=Sentences(), sg=1, vector_size=100, window=5, negative=5,
                                           sample=1e-4, min_count=5, epochs=5, workers=THREADS, seed=1))
        ratio = f"   wordvec/gensim speed {g_time / wv_time:.1f}x"
    except ImportError:
        g_time, ratio = float("nan"), "   (gensim not installed)"
    print(f"iterable  wordvec {wv_time:.2f} s ({words * 5 / wv_time / 1e3:.0f}k words/s)   "
          f"gensim Word2Vec {g_time:.2f} s ({words * 5 / g_time / 1e3:.0f}k words/s){ratio}")



def query_latency():
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "v.npy")
        np.save(path, rng.standard_normal((100000, 100), dtype=np.float32))
        with open(os.path.join(tmp, "v.words.txt"), "w") as f:
            f.write("".join(f"w{i}\n" for i in range(100000)))
        v = wordvec.load(path)
    queries = [f"w{i}" for i in rng.integers(0, 100000, 300)]
    v.most_similar(queries[0])  # builds the unit rows once
    single = []
    for q in queries:
        t, _ = timed(lambda: v.most_similar(q, topn=10))
        single.append(t * 1e3)
    batch_t, _ = timed(lambda: v.most_similar_batch(queries, topn=10))
    print(f"query     100k x 100: most_similar median {statistics.median(single):.2f} ms, p90 "
          f"{np.percentile(single, 90):.2f} ms; most_similar_batch of {len(queries)}: "
          f"{batch_t * 1e3 / len(queries):.2f} ms per query")


if __name__ == "__main__":
    main()
