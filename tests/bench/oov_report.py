#!/usr/bin/python3
"""Score word pairs with two tools' vectors, split by whether a word is outside the tool's vocabulary.

usage: oov_report.py [--tools a,b,...] OUT PAIRS.tsv...  (OUT holds TOOL.vectors and TOOL.vec per tool;
default tools wordvec,fasttext). A word is unseen when wordvec's .vec (its vocabulary) lacks it; the
tools share the vocabulary rule (min-count), so the split is the same for all up to fastText's "</s>".
Prints one line per file and tool: Spearman's rho over all pairs, those with an unseen word, both seen.
"""
import math
import os
import sys


def load(path):
    out = {}
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            parts = line.rstrip('\n').split(' ')
            if len(parts) > 2:
                out[parts[0]] = [float(x) for x in parts[1:] if x]
    return out


def vocabulary(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        next(f)
        return {line.split(' ', 1)[0] for line in f}


def cosine(a, b):
    na, nb = math.sqrt(sum(x * x for x in a)), math.sqrt(sum(x * x for x in b))
    return sum(x * y for x, y in zip(a, b)) / (na * nb) if na > 0 and nb > 0 else 0.0


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    r = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(x, y):
    if len(x) < 2:
        return float('nan')
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx, vy = sum((a - mx) ** 2 for a in rx), sum((b - my) ** 2 for b in ry)
    return cov / math.sqrt(vx * vy) if vx > 0 and vy > 0 else float('nan')


args = sys.argv[1:]
tools = ['wordvec', 'fasttext']
if args[0] == '--tools':
    tools, args = args[1].split(','), args[2:]
out, files = args[0], args[1:]
vectors = {t: load(os.path.join(out, t + '.vectors')) for t in tools}
vocab = {t: vocabulary(os.path.join(out, t + '.vec')) for t in tools}  # fastText writes its .vec beside the .bin
print('%-16s %-10s %8s %8s %8s   (pairs: all / with an unseen word / both seen)' % ('pairs', 'tool', 'all', 'unseen', 'seen'))
for path in files:
    rows = []
    with open(path) as f:
        for line in f:
            p = line.rstrip('\n').split('\t')
            if len(p) >= 3 and not line.startswith('#'):
                rows.append((p[0].lower(), p[1].lower(), float(p[2])))
    # The split by the wordvec vocabulary (the same min-count rule as fastText's).
    unseen = [(a, b, s) for a, b, s in rows if a not in vocab['wordvec'] or b not in vocab['wordvec']]
    seen = [(a, b, s) for a, b, s in rows if a in vocab['wordvec'] and b in vocab['wordvec']]
    for t in tools:
        def rho(subset):
            gold = [s for _, _, s in subset]
            got = [cosine(vectors[t].get(a, [0.0]), vectors[t].get(b, [0.0])) for a, b, _ in subset]
            return spearman(gold, got)
        print('%-16s %-10s %8.3f %8.3f %8.3f   (%d / %d / %d)' % (
            os.path.basename(path), t, rho(rows), rho(unseen), rho(seen), len(rows), len(unseen), len(seen)))
print('vocabulary: ' + ', '.join('%s %d words' % (t, len(vocab[t])) for t in tools))
