"""wordvec.train: the command line's `wordvec train`, in-process, returning Vectors."""
from __future__ import annotations

import itertools
import logging
import os
import shutil
import sys
import tempfile
import time
from typing import Callable, Iterable, List, Optional, Sequence, Union

from . import _wordvec
from ._vectors import Vectors

logger = logging.getLogger("wordvec")

Corpus = Union[str, os.PathLike, Sequence[Union[str, os.PathLike]], Iterable[Sequence[str]]]
ProgressFn = Callable[[float, float, float], None]

_SENTENCE_BATCH = 10000  # sentences handed to the native writer per call


def _corpus_paths(corpus) -> Optional[List[str]]:
    """The corpus's files when it names files (a path or a list of paths), else None."""
    if isinstance(corpus, (str, os.PathLike)):
        return [os.fspath(corpus)]
    if isinstance(corpus, (list, tuple)) and corpus and all(isinstance(c, (str, os.PathLike)) for c in corpus):
        return [os.fspath(c) for c in corpus]
    return None


def _write_sentences(sentences: Iterable[Sequence[str]], path: str) -> int:
    """Writes an iterable of token lists as corpus lines; returns the tokens written."""
    if isinstance(sentences, (bytes, dict)) or not hasattr(sentences, "__iter__"):
        raise TypeError("corpus must be a path, a list of paths, or an iterable of token lists, got "
                        f"{type(sentences).__name__}")
    out = _wordvec.SentenceFile(path)
    tokens = 0
    it = iter(sentences)
    while True:
        batch = list(itertools.islice(it, _SENTENCE_BATCH))
        if not batch:
            break
        tokens += out.write(batch)
    out.close()
    if tokens == 0:
        raise ValueError("the corpus iterable yielded no tokens")
    return tokens


def _flag_args(options: dict) -> List[str]:
    """Keyword options as `wordvec train` flags: min_count=5 -> --min-count 5; True -> a bare flag."""
    args = []
    for name, value in options.items():
        if value is None or value is False:
            continue
        flag = "--" + name.replace("_", "-")
        if value is True:
            args.append(flag)
        elif isinstance(value, (list, tuple)):
            for item in value:
                args += [flag, os.fspath(item) if isinstance(item, os.PathLike) else str(item)]
        else:
            args += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    return args


class _Progress:
    """Shows the native progress reports: a tqdm bar when tqdm is installed, else a
    line on stderr every 5 s; and calls the user's callback(fraction, words_per_sec, loss)."""

    def __init__(self, show: bool, callback: Optional[ProgressFn], threads: int):
        self.show, self.callback = show, callback
        self.bar, self.stage, self.last_line = None, None, 0.0
        self.threads = max(1, threads)
        try:
            import tqdm  # noqa: F401
            self.tqdm = tqdm.tqdm if show else None
        except ImportError:
            self.tqdm = None

    def __call__(self, p: dict) -> None:
        if self.callback is not None:
            self.callback(p["fraction"], p["words_per_sec_per_thread"] * self.threads, p["loss"])
        if not self.show:
            return
        if self.tqdm is not None:
            self._bar(p)
        elif p["finished"] or time.monotonic() - self.last_line >= 5:
            self.last_line = time.monotonic()
            sys.stderr.write(f"wordvec {p['stage']}: {100 * p['fraction']:5.1f}%  "
                             f"{p['words_per_sec_per_thread'] / 1000:.0f}k {p['unit']}/s/thread  "
                             f"loss {p['loss']:.4f}  ETA {p['eta']:.0f} s\n")

    def _bar(self, p: dict) -> None:
        if p["stage"] != self.stage:
            self.close()
            self.stage = p["stage"]
            self.bar = self.tqdm(total=100, desc=f"wordvec {p['stage']}", unit="%",
                                 bar_format="{desc}: {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}{postfix}]")
        self.bar.n = round(100 * p["fraction"], 1)
        postfix = {"kw/s/thread": f"{p['words_per_sec_per_thread'] / 1000:.0f}"}
        if p["learning_rate"] > 0:
            postfix.update(epoch=p["epoch"], loss=f"{p['loss']:.4f}")
        self.bar.set_postfix(postfix, refresh=False)
        self.bar.refresh()
        if p["finished"]:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def train(corpus: Corpus, model: str = "skipgram", dim: Union[int, str] = "auto", window: Optional[int] = None,
          negative: Optional[int] = None, sample: Optional[float] = None, min_count: int = 5,
          epochs: Optional[int] = None,
          alpha: Optional[float] = None, threads: Optional[int] = None, seed: int = 1, progress: bool = True,
          callback: Optional[ProgressFn] = None, output: Optional[Union[str, os.PathLike]] = None,
          save_model: Optional[Union[str, os.PathLike]] = None, **more) -> Vectors:
    """Trains word vectors and returns them; ``wordvec train`` in-process.

    corpus: a path (plain, gzip, bzip2, xz or zstd text; or a folder), a list of
      paths, or an iterable of token lists (gensim's sentences, e.g.
      ``[["the", "cat"], ...]``; read once, written to a temporary file).
    model: "skipgram", "cbow" or "glove".
    dim: an int, or "auto" for the minimum-entropy suggestion for the vocabulary.
    window, epochs, alpha: None takes the model's default (5, 5, 0.025 for
      skip-gram; 5, 5, 0.05 for CBOW; 10, 15, 0.05 for GloVe).
    negative, sample: skip-gram and CBOW only; None takes the default (5, 1e-4).
    threads: None uses every core.
    progress: a tqdm bar (python3-tqdm), else a line on stderr every 5 s.
    callback: called as callback(fraction, words_per_sec, loss) on every report.
    output, save_model: also write the vectors / the whole model there (as the
      command line's --output and --save-model; a model continues with
      ``train(new_text, continue_=path, save_model=...)``, where the options
      left at their defaults take the model's values).
    **more: every other option of ``wordvec train`` by its flag's name with
      underscores: ``subwords="3-6"``, ``loss="hs"``, ``max_vocab=30000``,
      ``lowercase=True``, ``x_max=10``, ``format="vec"``, ``continue_=path``,
      ``init=path``, ``checkpoint=path``... (the list follows).

    Errors: ValueError for a value an option does not accept (the command line's
    message), OSError for a file that cannot be read or written, TypeError for a
    corpus of the wrong kind. Ctrl-C stops training cleanly, writes nothing and
    raises KeyboardInterrupt. Log lines go to the "wordvec" logger.
    """
    if "input" in more:
        raise TypeError("train() takes the corpus as its first argument, not input=")
    if "continue_" in more:
        more["continue"] = more.pop("continue_")
    threads_used = threads or os.cpu_count() or 1
    # Values left at the signature's default are the command line's defaults too; not passing them
    # lets a continued model (continue_=) keep its own.
    options = dict(model=None if model == "skipgram" else model, dim=None if dim == "auto" else dim, window=window,
                   negative=negative, sample=sample, min_count=None if min_count == 5 else min_count, epochs=epochs,
                   alpha=alpha, threads=threads, seed=None if seed == 1 else seed, output=output)
    options.update(more)
    work = tempfile.mkdtemp(prefix="wordvec-", dir=more.get("temp_dir"))
    reporter = _Progress(progress, callback, threads_used)
    try:
        paths = _corpus_paths(corpus)
        if paths is None:
            paths = [os.path.join(work, "corpus.txt")]
            _write_sentences(corpus, paths[0])
        model_path = os.fspath(save_model) if save_model is not None else os.path.join(work, "model.wvm")
        args = ["--input", *paths] + _flag_args(options) + ["--save-model", model_path]
        status = _wordvec.train(args, reporter, logger)
        if status != 0:
            raise RuntimeError(f"training stopped (status {status}); nothing was written")
        return Vectors(_wordvec.Vectors.read(model_path))
    finally:
        reporter.close()
        shutil.rmtree(work, ignore_errors=True)


def _options_doc() -> str:
    return ("\n    Every option of `wordvec train` (flag --name-with-dashes is keyword name_with_underscores):\n\n    "
            + _wordvec.train_help().replace("\n", "\n    "))


train.__doc__ = (train.__doc__ or "") + _options_doc()


def suggest_dim_for(corpus: Corpus, min_count: int = 5) -> int:
    """The minimum-entropy dimension for the vocabulary of a corpus (the words seen
    at least ``min_count`` times), as ``train(dim="auto")`` picks it."""
    from . import suggest_dim
    paths = _corpus_paths(corpus)
    work = None
    try:
        if paths is None:
            work = tempfile.mkdtemp(prefix="wordvec-")
            paths = [os.path.join(work, "corpus.txt")]
            _write_sentences(corpus, paths[0])
        return suggest_dim(_wordvec.vocabulary_size(paths, int(min_count)))
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
