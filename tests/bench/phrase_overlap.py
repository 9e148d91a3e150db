"""How far two phrased texts agree: distinct phrases formed, occurrences joined, overlap of the
most frequent phrases, and how many of wordvec's best-scoring phrases each text joined.
usage: phrase_overlap.py ORIGINAL WORDVEC_OUTPUT WORD2PHRASE_OUTPUT WORDVEC_PHRASES_LOG (--top lines)"""
import collections
import sys


def tokens(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            yield from line.split()


def joined(path, present_before):
    counts = collections.Counter()
    for t in tokens(path):
        if "_" in t and t not in present_before:
            counts[t] += 1
    return counts


original, ours_path, theirs_path, log = sys.argv[1:5]
before = {t for t in tokens(original) if "_" in t}
ours, theirs = joined(ours_path, before), joined(theirs_path, before)
shared = set(ours) & set(theirs)
print(f"distinct phrases: wordvec {len(ours)}, word2phrase {len(theirs)}, shared {len(shared)}")
print(f"occurrences joined: wordvec {sum(ours.values())}, word2phrase {sum(theirs.values())}")
for k in (30, 100, 1000):
    top_ours = {p for p, _ in ours.most_common(k)}
    top_theirs = {p for p, _ in theirs.most_common(k)}
    print(f"top {k} by frequency: {len(top_ours & top_theirs)} shared")
best = [line.split()[0] for line in open(log, encoding="utf-8", errors="surrogateescape")
        if len(line.split()) == 3 and not line.startswith("[")][:1000]
print(f"wordvec's {len(best)} best-scoring pairs: joined in wordvec's text {sum(p in ours for p in best)}, "
      f"in word2phrase's {sum(p in theirs for p in best)}")
print("top 30 by score: " + ", ".join(best[:30]))
only_theirs = sorted(set(theirs) - set(ours), key=lambda p: -theirs[p])[:10]
print("most frequent of word2phrase's only: " + ", ".join(f"{p} ({theirs[p]})" for p in only_theirs))
