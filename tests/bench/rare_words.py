#!/usr/bin/python3
"""How vectors do on rare words: word-pair similarity and neighbour agreement by frequency band.

    /usr/bin/python3 tests/bench/rare_words.py --vocab VOCAB.txt --eval DIR \
        --reference stanford.txt  A.bin [B.bin ...]

VOCAB.txt is `wordvec train --save-vocab` output ("word count" per line) for the
corpus the vectors were trained on. Two measures, each per band of corpus count:

1. Similarity: the pairs of ws353, mturk771 and yp130 (from --eval DIR), each
   set's scores turned into percentile ranks so that the sets pool; a pair's
   band is the count of its rarer word. Spearman's rho between the pooled
   scores and the cosines, per band and over the rare bands together.
2. Neighbours (with --reference): for up to 300 words of each band, the mean
   overlap of the 10 nearest neighbours (among the 30,000 most frequent words)
   with the reference vectors' (e.g. Stanford GloVe's).

Vectors in word2vec binary, word2vec text or GloVe text (no header) format.
"""
import argparse
import os
import sys

import numpy as np
from gensim.models import KeyedVectors
from scipy.stats import rankdata, spearmanr

BANDS = [(5, 100), (100, 1000), (1000, 10000), (10000, None)]
RARE = 1000  # pairs whose rarer word is seen fewer times than this are "rare"


def band_name(band):
    low, high = band
    return f"{low}-{high - 1}" if high else f">={low}"


def band_of(count):
    for band in BANDS:
        if count >= band[0] and (band[1] is None or count < band[1]):
            return band
    return None


def load_vectors(path):
    with open(path, "rb") as f:
        head = f.readline().split()
    has_header = len(head) == 2 and all(x.isdigit() for x in head)
    if not has_header:
        return KeyedVectors.load_word2vec_format(path, binary=False, no_header=True)
    try:
        return KeyedVectors.load_word2vec_format(path, binary=True)
    except Exception:  # noqa: BLE001 - the text format has the same header
        return KeyedVectors.load_word2vec_format(path, binary=False)


def load_pairs(folder):
    pairs = []
    for name in ("ws353.tsv", "mturk771.tsv", "yp130.tsv"):
        rows = [line.rstrip("\n").split("\t") for line in open(os.path.join(folder, name), encoding="utf-8")]
        scores = rankdata([float(r[2]) for r in rows]) / len(rows)  # percentile ranks: the sets pool
        pairs += [(r[0].lower(), r[1].lower(), s, name) for r, s in zip(rows, scores)]
    return pairs


def similarity_by_band(kv, pairs, counts):
    by_band = {band: ([], []) for band in BANDS}
    rare = ([], [])
    for a, b, score, _ in pairs:
        if a not in kv.key_to_index or b not in kv.key_to_index or a not in counts or b not in counts:
            continue
        band = band_of(min(counts[a], counts[b]))
        if band is None:
            continue
        cosine = float(kv.similarity(a, b))
        by_band[band][0].append(score)
        by_band[band][1].append(cosine)
        if min(counts[a], counts[b]) < RARE:
            rare[0].append(score)
            rare[1].append(cosine)
    result = {band_name(b): (spearmanr(*v).correlation if len(v[0]) > 2 else float("nan"), len(v[0]))
              for b, v in by_band.items()}
    result[f"rare (<{RARE})"] = (spearmanr(*rare).correlation, len(rare[0]))
    return result


def neighbour_words(counts, kv, reference, per_band=300, seed=1):
    rng = np.random.default_rng(seed)
    chosen = {}
    for band in BANDS:
        words = [w for w, c in counts.items() if band_of(c) == band and w in kv.key_to_index
                 and w in reference.key_to_index]
        words.sort()
        if len(words) > per_band:
            words = list(rng.choice(words, per_band, replace=False))
        chosen[band] = words
    return chosen


def top_neighbours(kv, words, candidates, k=10):
    matrix = kv.get_normed_vectors()
    cand_index = [kv.key_to_index[w] for w in candidates if w in kv.key_to_index]
    cand_words = [kv.index_to_key[i] for i in cand_index]
    cand = matrix[cand_index]
    result = {}
    for w in words:
        scores = cand @ matrix[kv.key_to_index[w]]
        order = np.argsort(-scores)
        result[w] = [cand_words[i] for i in order[: k + 1] if cand_words[i] != w][:k]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vocab", required=True)
    parser.add_argument("--eval", required=True)
    parser.add_argument("--reference")
    parser.add_argument("vectors", nargs="+")
    args = parser.parse_args()
    counts = {}
    for line in open(args.vocab, encoding="utf-8", errors="replace"):
        parts = line.split()
        if len(parts) == 2:
            counts[parts[0]] = int(parts[1])
    frequent = sorted(counts, key=lambda w: -counts[w])[:30000]
    pairs = load_pairs(args.eval)
    reference = load_vectors(args.reference) if args.reference else None
    ref_neighbours = None
    header = ["vectors"] + [f"rho {band_name(b)}" for b in BANDS] + [f"rho rare (<{RARE})"]
    if reference is not None:
        header += [f"nn@10 {band_name(b)}" for b in BANDS]
    print("\t".join(header))
    paths = args.vectors + ([args.reference] if args.reference else [])
    for path in paths:
        kv = reference if path == args.reference else load_vectors(path)
        sims = similarity_by_band(kv, pairs, counts)
        row = [os.path.basename(path)] + [f"{sims[band_name(b)][0]:.3f} ({sims[band_name(b)][1]})" for b in BANDS]
        row.append(f"{sims[f'rare (<{RARE})'][0]:.3f} ({sims[f'rare (<{RARE})'][1]})")
        if reference is not None:
            if ref_neighbours is None:
                chosen = neighbour_words(counts, kv, reference)
                ref_neighbours = {b: top_neighbours(reference, chosen[b], frequent) for b in BANDS}
            for b in BANDS:
                mine = top_neighbours(kv, list(ref_neighbours[b]), frequent)
                overlap = [len(set(mine[w]) & set(ref_neighbours[b][w])) / 10 for w in ref_neighbours[b]]
                row.append(f"{np.mean(overlap):.3f}")
        print("\t".join(row))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
