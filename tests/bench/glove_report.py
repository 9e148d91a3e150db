#!/usr/bin/python3
"""Tabulate a GloVe bench run beside Stanford GloVe's reference figures (same corpus, same setting)."""
import json
import os
import re
import sys

from timefile import time_stats

out, budgets = sys.argv[1], sys.argv[2:]
# Stanford GloVe (vocab_count, cooccur, shuffle, glove; -window-size 10 -vector-size 100 -x-max 10
# -iter 15 -threads 2, min-count 5) measured on this machine, from issue #4.
REFERENCE = {'vocabulary': 3, 'counting': 36, 'shuffle': 25, 'training': 1201, 'total': 1265,
             'count_rss_mb': 2048, 'analogy': 40.7, 'ws353': 0.486}


def stage_seconds(log):
    """Seconds between the log lines that open each stage (timestamps [HH:MM:SS])."""
    marks = {}
    for line in open(log):
        m = re.match(r'\[(\d+):(\d+):(\d+) ', line)
        if not m:
            continue
        t = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
        for key, pattern in (('start', 'reading vocabulary'), ('count', 'counting co-occurrences: window'),
                             ('counted', 'nonzero co-occurrences'), ('train', 'training GloVe: dim'),
                             ('end', 'wrote ')):
            if pattern in line and key not in marks:
                marks[key] = t
    span = lambda a, b: (marks[b] - marks[a]) % 86400 if a in marks and b in marks else None
    return {'vocabulary': span('start', 'count'), 'counting': span('count', 'counted'),
            'shuffle': span('counted', 'train'), 'training': span('train', 'end')}


wall, cpu, rss = time_stats(os.path.join(out, 'time.txt'))
stages = stage_seconds(os.path.join(out, 'train.log'))
ev = json.load(open(os.path.join(out, 'eval.json')))
analogy = 100 * ev['analogy'][0]['overall']['acc']
ws353 = ev['similarity'][0]['spearman']
records = re.search(r'(\d+) nonzero co-occurrences', open(os.path.join(out, 'train.log')).read()).group(1)
rows = [('vocabulary (s)', stages['vocabulary'], REFERENCE['vocabulary']),
        ('co-occurrence counting (s)', stages['counting'], REFERENCE['counting']),
        ('shuffle (s)', stages['shuffle'], REFERENCE['shuffle']),
        ('training, 15 epochs (s)', stages['training'], REFERENCE['training']),
        ('whole pipeline, wall (s)', round(wall, 1), REFERENCE['total']),
        ('analogy accuracy (%)', round(analogy, 1), REFERENCE['analogy']),
        ('WS353 Spearman', '%.3f' % ws353, REFERENCE['ws353'])]
print('\nGloVe on %s records; window 10, dim 100, x-max 10, 15 epochs, min-count 5' % records)
print('%-30s %10s %16s' % ('', 'wordvec', 'Stanford GloVe'))
for name, ours, ref in rows:
    print('%-30s %10s %16s' % (name, 'n/a' if ours is None else ours, ref))
print('%-30s %10.2f' % ('speed-up, whole pipeline', REFERENCE['total'] / wall))
print('%-30s %10.0f %16s' % ('peak RSS, whole run (MB)', rss, 'n/a'))
for b in budgets:
    t = os.path.join(out, 'count-%s.time' % b)
    if os.path.isfile(t):
        w, c, r = time_stats(t)
        spill = re.search(r'(\d+) spilled, ([\d.]+) MB on disk', open(os.path.join(out, 'count-%s.log' % b)).read())
        print('counting only, --memory %-5s GiB: %6.1f s wall, peak RSS %5.0f MB, %s runs spilled (%s MB)' % (
            b, w, r, spill.group(1) if spill else '?', spill.group(2) if spill else '?'))
if os.path.isfile(os.path.join(out, 'cmp.txt')):
    print(open(os.path.join(out, 'cmp.txt')).read().strip())
