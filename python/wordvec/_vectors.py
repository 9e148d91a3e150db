"""Trained or loaded word vectors: numpy views of the library's matrix, queries, evaluation."""
from __future__ import annotations

import math
import os
import warnings
from typing import Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _wordvec

Key = Union[str, np.ndarray]

# File extension -> vector format for save(format=None).
_FORMAT_OF_SUFFIX = {".bin": "bin", ".txt": "text", ".vec": "vec", ".npy": "npy", ".glove": "glove"}


def _as_list(keys) -> list:
    if keys is None:
        return []
    if isinstance(keys, (str, np.ndarray)):
        return [keys]
    return list(keys)


class Vectors:
    """Word vectors, as gensim's ``KeyedVectors`` presents them.

    ``vectors`` is a float32 numpy array of shape ``(len(self), dim)`` that
    shares memory with the C++ matrix (rows are padded to 64 bytes in memory,
    so it is a strided view; ``np.ascontiguousarray`` copies it). Writing to
    it changes the vectors; call ``fill_norms(force=True)`` before the next
    query so that queries see the change.

    A model trained with ``subwords`` (or loaded from such a model file)
    gives a vector to any word with character n-grams, also words it never saw:
    ``v["unseenword"]``, ``most_similar("unseenword")``.
    """

    def __init__(self, native: "_wordvec.Vectors"):
        self._native = native
        self.index_to_key: List[str] = native.words
        self.key_to_index = {word: i for i, word in enumerate(self.index_to_key)}
        self.vectors: np.ndarray = native.matrix  # zero-copy: its base is the native object

    # ---- sizes and lookups
    @property
    def vector_size(self) -> int:
        return self.vectors.shape[1]

    @property
    def has_subwords(self) -> bool:
        """Whether words outside the vocabulary get vectors from their character n-grams."""
        return self._native.has_subwords

    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, word: str) -> bool:
        if word in self.key_to_index:
            return True
        return self.has_subwords and isinstance(word, str) and self._native.has_vector(word)

    def __getitem__(self, key):
        if isinstance(key, str):
            return self.get_vector(key)
        return np.stack([self.get_vector(k) for k in key])

    def get_index(self, word: str) -> int:
        """The row of ``word``; ``KeyError`` when it has none."""
        try:
            return self.key_to_index[word]
        except KeyError:
            raise KeyError(f"'{word}' is not in the vocabulary") from None

    def get_vector(self, word: str, norm: bool = False) -> np.ndarray:
        """The word's vector: a view of its row, or (subword models) one built
        from its n-grams for a word outside the vocabulary. ``norm``: unit length."""
        i = self.key_to_index.get(word)
        if i is not None:
            v = self.vectors[i]
        else:
            v = self._native.built_vector(word) if self.has_subwords else None
            if v is None:
                raise KeyError(f"'{word}' is not in the vocabulary" +
                               (" and has no character n-grams" if self.has_subwords else ""))
        if norm:
            length = float(np.linalg.norm(v))
            return v / length if length > 0 else v.copy()
        return v

    def fill_norms(self, force: bool = False) -> None:
        """Builds the unit-length copy queries use (done on the first query);
        ``force`` rebuilds it after ``vectors`` was changed in place."""
        if force:
            self._native.forget_unit_rows()
        self._native.unit_matrix

    def _unit(self, word: str) -> np.ndarray:
        if word not in self.key_to_index and not self.has_subwords:
            raise KeyError(f"'{word}' is not in the vocabulary")
        try:
            return self._native.unit_vector(word)
        except ValueError as e:
            raise KeyError(str(e)) from None

    # ---- queries
    def most_similar(self, positive: Union[Key, Sequence[Key], None] = None,
                     negative: Union[Key, Sequence[Key], None] = None, topn: Optional[int] = 10,
                     restrict_vocab: Optional[int] = None) -> Union[List[Tuple[str, float]], np.ndarray]:
        """The ``topn`` words closest by cosine to the mean of the unit vectors of
        ``positive`` minus those of ``negative`` (words or vectors), the words given
        excluded, among the first ``restrict_vocab`` rows (gensim's method).
        ``topn=None`` returns every row's similarity as an array."""
        positive, negative = _as_list(positive), _as_list(negative)
        if not positive and not negative:
            raise ValueError("most_similar needs at least one positive or negative word")
        parts, exclude = [], []
        for keys, weight in ((positive, 1.0), (negative, -1.0)):
            for key in keys:
                if isinstance(key, tuple):
                    key, weight = key
                if isinstance(key, str):
                    parts.append(weight * self._unit(key))
                    if key in self.key_to_index:
                        exclude.append(self.key_to_index[key])
                else:
                    parts.append(weight * np.asarray(key, dtype=np.float32))
        mean = np.mean(parts, axis=0).astype(np.float32)
        if restrict_vocab is not None and restrict_vocab < 1:
            raise ValueError(f"restrict_vocab must be at least 1, got {restrict_vocab}")
        limit = 0 if restrict_vocab is None else int(restrict_vocab)
        if topn is None:
            length = float(np.linalg.norm(mean))
            unit = self._native.unit_matrix
            rows = unit if limit == 0 else unit[:limit]
            return rows @ (mean / length if length > 0 else mean)
        if topn < 0:
            raise ValueError(f"topn must be at least 0, got {topn}")
        return self._native.nearest_to(mean, int(topn), exclude, limit)

    def most_similar_batch(self, words: Sequence[str], topn: int = 10) -> List[List[Tuple[str, float]]]:
        """``most_similar(word)`` for many words at once: one matrix product (sgemm)."""
        if topn < 0:
            raise ValueError(f"topn must be at least 0, got {topn}")
        words = list(words)
        if not words:
            return []
        queries = np.stack([self._unit(w) for w in words])
        exclude = [[self.key_to_index[w]] if w in self.key_to_index else [] for w in words]
        return self._native.nearest_to_many(queries, int(topn), exclude)

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two words."""
        return float(np.dot(self._unit(a), self._unit(b)))

    def analogy(self, a: str, b: str, c: str, topn: int = 1, method: str = "add") -> List[Tuple[str, float]]:
        """``a`` is to ``b`` as ``c`` is to ?: 3CosAdd (``method="add"``) or 3CosMul (``"mul"``)."""
        for w in (a, b, c):
            self._unit(w)  # KeyError for an unknown word
        if topn < 0:
            raise ValueError(f"topn must be at least 0, got {topn}")
        return self._native.analogy(a, b, c, int(topn), method)

    # ---- evaluation (the numbers of gensim's methods of the same names)
    def evaluate_word_analogies(self, analogies: Union[str, os.PathLike], restrict_vocab: int = 300000,
                                case_insensitive: bool = True):
        """Analogy accuracy over a questions-words.txt file, as gensim computes it.
        Returns ``(accuracy, sections)``; each section has the counts ``correct``,
        ``incorrect`` and ``skipped`` (gensim lists the questions instead), the
        last one being "Total accuracy"."""
        if not case_insensitive:
            raise ValueError("case_insensitive=False is not supported: words are matched case-insensitively, "
                             "as gensim does by default")
        if restrict_vocab < 1:
            raise ValueError(f"restrict_vocab must be at least 1, got {restrict_vocab}")
        r = self._native.evaluate_analogies(os.fspath(analogies), int(restrict_vocab))
        total = dict(r["overall"], section="Total accuracy")
        return r["accuracy"], r["sections"] + [total]

    def evaluate_word_pairs(self, pairs: Union[str, os.PathLike], oov: str = "skip"):
        """Pearson and Spearman correlation of a word-pair file (word1<TAB>word2<TAB>score)
        with the cosines, as gensim computes them: ``((r, p), (rho, p), oov_ratio)``,
        oov_ratio in percent of the pairs. ``oov="subword"`` builds the vectors of
        unknown words from their n-grams (subword models), scoring every pair.
        The p-values need scipy (NaN without it)."""
        if oov not in ("skip", "subword"):
            raise ValueError(f"oov must be 'skip' or 'subword', got '{oov}'")
        r = self._native.evaluate_pairs(os.fspath(pairs), oov == "subword")
        total = r["pairs"]  # every pair of the file; the skipped ones have an unknown word
        n = total - r["skipped"]
        oov_ratio = 100.0 * r["skipped"] / total if total else 0.0
        return ((r["pearson"], _p_value(r["pearson"], n)), (r["spearman"], _p_value(r["spearman"], n)), oov_ratio)

    # ---- files and other libraries
    def save(self, path: Union[str, os.PathLike], format: Optional[str] = None) -> None:
        """Writes the vectors (atomically): ``format`` bin, text, vec, glove or npy;
        by default told by the extension (.bin .txt .vec .glove .npy), else bin."""
        path = os.fspath(path)
        if format is None:
            format = _FORMAT_OF_SUFFIX.get(os.path.splitext(path)[1].lower(), "bin")
        self._native.save(path, format)

    def to_gensim(self):
        """A ``gensim.models.KeyedVectors`` with these words and vectors (a copy)."""
        from gensim.models import KeyedVectors
        kv = KeyedVectors(vector_size=self.vector_size, count=0, dtype=np.float32)
        kv.add_vectors(self.index_to_key, np.ascontiguousarray(self.vectors))
        return kv

    def __repr__(self) -> str:
        extra = ", subwords" if self.has_subwords else ""
        return f"<wordvec.Vectors: {len(self)} words x {self.vector_size} dims{extra}>"


def _p_value(r: float, n: int) -> float:
    """Two-sided p-value of a correlation over n pairs (Student's t, as scipy.stats)."""
    if not math.isfinite(r) or n < 3:
        return math.nan
    try:
        from scipy import stats
    except ImportError:
        return math.nan
    if abs(r) >= 1.0:
        return 0.0
    t = r * math.sqrt((n - 2) / (1.0 - r * r))
    return float(2 * stats.t.sf(abs(t), n - 2))


def load(path: Union[str, os.PathLike]) -> Vectors:
    """Reads vectors in any format wordvec writes or reads (bin, text, vec, glove,
    npy + word list, or a model file from ``train(save_model=...)``), told by content."""
    native = _wordvec.Vectors.read(os.fspath(path))
    if native.duplicates_dropped:
        warnings.warn(f"{native.duplicates_dropped} later rows of words listed twice were dropped "
                      f"(the first: {native.first_duplicate})", stacklevel=2)
    return Vectors(native)
