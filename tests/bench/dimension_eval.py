#!/usr/bin/env python3
"""Cut evaluation sets to the questions every vocabulary size can answer.

usage: dimension_eval.py VOCAB OUTDIR FILE...

VOCAB is a --save-vocab file (word count per line). Similarity files
(word1<TAB>word2<TAB>score) keep the pairs whose two words are in VOCAB;
analogy files (questions-words.txt) keep the ': section' lines and the
questions whose four words are in VOCAB. Words compare case-insensitively,
as wordvec eval does. Each output keeps its input's file name.
"""
import os
import sys


def main():
    vocab_path, out_dir, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(vocab_path, encoding="utf-8") as f:
        vocab = {line.split()[0].lower() for line in f if line.strip()}
    os.makedirs(out_dir, exist_ok=True)
    for path in files:
        kept = total = 0
        out_path = os.path.join(out_dir, os.path.basename(path))
        with open(path, encoding="utf-8") as f, open(out_path, "w", encoding="utf-8") as out:
            for line in f:
                if line.startswith(":") or line.startswith("#") or not line.strip():
                    out.write(line)
                    continue
                fields = line.split("\t") if "\t" in line else line.split()
                words = fields[:2] if "\t" in line else fields[:4]
                total += 1
                if all(w.strip().lower() in vocab for w in words):
                    out.write(line)
                    kept += 1
        print(f"{os.path.basename(path)}: {kept} of {total} kept (all words among the {len(vocab)} most frequent)",
              file=sys.stderr)


if __name__ == "__main__":
    main()
