#!/usr/bin/python3
"""Tabulate a bench run: speed (corpus words x epochs / wall s / threads), CPU, memory, quality, ratios."""
import json
import os
import re
import subprocess
import sys

from timefile import time_stats

out, corpus, epochs, threads, peers_from = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
words = int(subprocess.run(['wc', '-w', corpus], capture_output=True, text=True).stdout.split()[0])


rows = []
for base in [out, os.path.join(out, 'peers')]:
    if not os.path.isdir(base):
        continue
    for name in sorted(os.listdir(base)):
        d = os.path.join(base, name)
        if not os.path.isfile(os.path.join(d, 'time.txt')):
            continue
        wall, cpu, rss = time_stats(os.path.join(d, 'time.txt'))
        walls = [wall]
        again = os.path.join(d, 'again', 'time.txt')
        if os.path.isfile(again):  # timed before and after the peers: the mean of both
            wall2, cpu2, rss2 = time_stats(again)
            walls.append(wall2)
            wall, cpu, rss = (wall + wall2) / 2, (cpu + cpu2) / 2, max(rss, rss2)
        row = {'run': name, 'wall_s': wall, 'walls_s': walls, 'cpu_s': cpu, 'peak_rss_mb': rss,
               'kw_s_thread': words * epochs / wall / threads / 1000, 'kw_cpu_s': words * epochs / cpu / 1000,
               'analogy': None, 'ws353': None, 'reused': base != out and bool(peers_from)}
        ev = os.path.join(d, 'eval.json')
        if os.path.isfile(ev):
            e = json.load(open(ev))
            if e['analogy']:
                row['analogy'] = e['analogy'][0]['overall']['acc']
            if e['similarity']:
                row['ws353'] = e['similarity'][0]['spearman']
        rows.append(row)

by_name = {r['run']: r for r in rows}


def anchor_of(run):
    """The peer a wordvec run is measured against: word2vec.c for the word-level
    models (negative sampling or hierarchical softmax), fastText for subwords."""
    if not run.startswith('wv-'):
        return None
    rest = run[3:]
    return ('ft-' if rest.endswith('-sub') else 'w2v-') + rest


for r in rows:
    model = 'sg' if r['run'].endswith('sg') or '-sg-' in r['run'] else 'cbow'
    for peer in ('w2v', 'gs'):
        ref = by_name.get('%s-%s' % (peer, model))
        r['x_' + peer] = r['kw_s_thread'] / ref['kw_s_thread'] if ref else None
    ref = by_name.get(anchor_of(r['run']) or '')
    r['anchor'] = ref['run'] if ref else None
    r['x_anchor'] = r['kw_s_thread'] / ref['kw_s_thread'] if ref else None
    r['x_anchor_cpu'] = r['kw_cpu_s'] / ref['kw_cpu_s'] if ref else None
    r['rss_vs_anchor'] = r['peak_rss_mb'] / ref['peak_rss_mb'] if ref else None
    r['d_analogy_anchor'] = (r['analogy'] - ref['analogy']) * 100 if ref and r['analogy'] is not None and ref['analogy'] is not None else None
    r['d_ws353_anchor'] = r['ws353'] - ref['ws353'] if ref and r['ws353'] is not None and ref['ws353'] is not None else None


def fmt(v, f):
    return 'n/a' if v is None else f % v


header = ('run', 'wall_s', 'cpu_s', 'rss_MB', 'kw/s/thr', 'x w2v', 'x gensim', 'anchor', 'x anch', 'x cpu',
          'analogy', 'd_an', 'ws353', 'd_ws')
print('\ncorpus %s: %d words, %d epochs, %d threads%s' % (corpus, words, epochs, threads,
      ('; peers reused from ' + peers_from) if peers_from else ''))
print('%-12s %8s %8s %7s %9s %7s %8s %-12s %6s %6s %8s %6s %6s %6s' % header)
for r in rows:
    print('%-12s %8.1f %8.1f %7.0f %9.1f %7s %8s %-12s %6s %6s %8s %6s %6s %6s' % (
        r['run'], r['wall_s'], r['cpu_s'], r['peak_rss_mb'], r['kw_s_thread'], fmt(r['x_w2v'], '%.2f'),
        fmt(r['x_gs'], '%.2f'), r['anchor'] or '-', fmt(r['x_anchor'], '%.2f'), fmt(r['x_anchor_cpu'], '%.2f'),
        fmt(r['analogy'] and 100 * r['analogy'], '%.1f%%'),
        fmt(r['d_analogy_anchor'], '%+.1f'), fmt(r['ws353'], '%.3f'), fmt(r['d_ws353_anchor'], '%+.3f')))
print('kw/s/thr = corpus words x epochs / whole-process wall s / threads; x w2v, x gensim = speed ratio to the same '
      'model of word2vec.c and gensim; anchor = the peer a wordvec run answers to (word2vec.c, or fastText for '
      'subwords); x anch, x cpu = speed ratio to it per wall second and per CPU second; d_an, d_ws = quality minus '
      'the anchor\'s (analogy points, WS353 rho)')
for r in rows:
    if len(r['walls_s']) > 1:
        print('%s: wall s = mean of the run before the peers and the one after them (%s)' % (
            r['run'], ', '.join('%.1f' % w for w in r['walls_s'])))

with open(os.path.join(out, 'results.json'), 'w') as f:
    json.dump(rows, f, indent=1)
with open(os.path.join(out, 'results.tsv'), 'w') as f:
    keys = list(rows[0].keys()) if rows else []
    f.write('\t'.join(keys) + '\n')
    for r in rows:
        f.write('\t'.join(str(r[k]) for k in keys) + '\n')
