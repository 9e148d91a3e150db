"""wordvec: train, query and evaluate word embeddings (skip-gram, CBOW, GloVe,
fastText-style subwords) from Python, at the speed of wordvec's C++ engine.

    >>> import wordvec
    >>> v = wordvec.train("corpus.txt")                 # dim="auto": the minimum-entropy suggestion
    >>> v.most_similar("king", topn=5)
    >>> v.evaluate_word_analogies("questions-words.txt")
    >>> kv = v.to_gensim()                              # a gensim KeyedVectors

See docs/python.md.
"""
from . import _wordvec
from ._train import suggest_dim_for, train
from ._vectors import Vectors, load

__version__ = _wordvec.version()

__all__ = ["train", "load", "Vectors", "suggest_dim", "min_entropy", "suggest_dim_for"]


def suggest_dim(vocab_size: int) -> int:
    """The minimum-entropy dimension for a vocabulary of ``vocab_size`` words: the
    smallest n >= 2 with H(n, N) < 0 (about 8.33 ln N for large N)."""
    return int(_wordvec.suggest_dimension(float(vocab_size))["dimension"])


def min_entropy(n: float, vocab_size: float) -> float:
    """H(n, N), the entropy (nats) of the skip-gram model with n-dimensional vectors
    over N words (negative: n is large enough for N)."""
    return float(_wordvec.dimension_entropy(float(n), float(vocab_size)))
