"""The Python package against the command line, gensim and itself.

Run by `make python-test` (part of `make test`): WORDVEC_TEST_CORPUS is the
bundled corpus, WORDVEC the command-line binary built from the same tree.
"""
import logging
import os
import signal
import subprocess
import threading

import numpy as np
import pytest

import wordvec

CORPUS = os.environ.get("WORDVEC_TEST_CORPUS", "../build/data/corpus.txt")
WORDVEC = os.environ.get("WORDVEC", "../build/wordvec")
DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data")
ANALOGIES = os.path.join(DATA, "questions-words.txt")
WS353 = os.path.join(DATA, "ws353.tsv")
# One thread is reproducible: the same run from Python and from the CLI gives the same bits.
SETTINGS = dict(dim=40, epochs=2, threads=1, seed=3)


def cli(*args):
    return subprocess.run([WORDVEC, *args], check=True, capture_output=True, text=True).stdout


def cli_flags(settings):
    return [f for k, v in settings.items() for f in ("--" + k.replace("_", "-"), str(v))]


@pytest.fixture(scope="module")
def trained():
    return wordvec.train(CORPUS, progress=False, **SETTINGS)


@pytest.fixture(scope="module")
def cli_vectors(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "v.bin"
    cli("train", "--quiet", "--input", CORPUS, "--output", str(out), *cli_flags(SETTINGS))
    return out


def sentences():
    with open(CORPUS, encoding="utf-8") as f:
        for line in f:
            tokens = line.split()
            if tokens:
                yield tokens


# ---- training

def test_train_from_a_path_equals_the_command_line(trained, cli_vectors):
    other = wordvec.load(cli_vectors)
    assert trained.index_to_key == other.index_to_key
    assert np.array_equal(trained.vectors, other.vectors)


def test_train_from_an_iterable_equals_training_from_the_file(trained):
    v = wordvec.train(sentences(), progress=False, **SETTINGS)  # a generator: read once
    assert v.index_to_key == trained.index_to_key
    assert np.array_equal(v.vectors, trained.vectors)


def test_trained_vectors_place_related_words_closer():
    v = wordvec.train(CORPUS, dim=50, epochs=5, threads=2, progress=False)
    assert len(v) == 21201 and v.vector_size == 50
    for a, b, far in [("king", "queen", "water"), ("france", "germany", "music"), ("three", "four", "city")]:
        assert v.similarity(a, b) > v.similarity(a, far) + 0.1, (a, b, far)
    neighbours = [w for w, _ in v.most_similar("three", topn=10)]
    assert {"two", "four", "five", "six"} & set(neighbours)


def test_cbow_and_glove_train(tmp_path):
    for model in ("cbow", "glove"):
        v = wordvec.train(CORPUS, model=model, dim=30, epochs=2, progress=False, temp_dir=str(tmp_path))
        assert len(v) == 21201 and v.vector_size == 30
    assert os.listdir(tmp_path) == []  # nothing left behind


def test_training_releases_the_gil_and_runs_one_at_a_time():
    ticks, stop = [0], threading.Event()

    def count():
        while not stop.is_set():
            ticks[0] += 1

    counter = threading.Thread(target=count)
    counter.start()
    results = []
    second = threading.Thread(target=lambda: results.append(wordvec.train(CORPUS, dim=20, epochs=2, progress=False)))
    second.start()
    first = wordvec.train(CORPUS, dim=20, epochs=2, progress=False)
    second.join()
    stop.set()
    counter.join()
    assert ticks[0] > 100000  # Python kept running while C++ trained
    assert len(first) == len(results[0]) == 21201


def test_progress_callback_reports_rising_fractions():
    seen = []
    wordvec.train(CORPUS, dim=20, epochs=2, progress=False, callback=lambda f, wps, loss: seen.append((f, wps, loss)))
    fractions = [f for f, _, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert all(wps > 0 for _, wps, _ in seen[1:])


def test_log_lines_go_to_the_wordvec_logger(caplog):
    with caplog.at_level(logging.INFO, logger="wordvec"):
        wordvec.train(CORPUS, epochs=1, progress=False)
    assert any("dimension: 83 (auto)" in r.getMessage() for r in caplog.records)


def test_outputs_and_model_files(tmp_path):
    out, model = tmp_path / "v.vec", tmp_path / "m.wvm"
    v = wordvec.train(CORPUS, dim=20, epochs=1, progress=False, output=out, format="vec", save_model=model)
    assert np.allclose(wordvec.load(out).vectors, v.vectors, atol=1e-6)
    assert np.array_equal(wordvec.load(model).vectors, v.vectors)
    more = wordvec.train(CORPUS, continue_=model, epochs=1, progress=False, save_model=tmp_path / "m2.wvm")
    assert more.index_to_key[:100] == v.index_to_key[:100]


def test_subword_model_answers_unseen_words():
    v = wordvec.train(CORPUS, dim=30, epochs=1, subwords="3-6", buckets=50000, progress=False)
    assert v.has_subwords and "kingdomz" in v and "kingdomz" not in v.key_to_index
    assert v["kingdomz"].shape == (30,)
    assert len(v.most_similar("kingdomz", topn=3)) == 3
    assert v.evaluate_word_pairs(WS353, oov="subword")[2] == 0.0  # every pair scored
    with pytest.raises(KeyError):
        v[""]  # "<>" is shorter than the shortest n-gram


# ---- vectors: zero copy, lookups, queries

def test_vectors_share_memory_with_the_native_matrix(trained):
    assert trained.vectors.dtype == np.float32 and trained.vectors.shape == (21201, 40)
    assert np.shares_memory(trained.vectors, trained._native.matrix)
    assert trained.vectors.base is trained._native or trained.vectors.base.base is trained._native
    row = trained["king"]
    assert np.shares_memory(row, trained.vectors)


def test_writes_to_vectors_reach_queries_after_fill_norms(tmp_path):
    wordvec.train(CORPUS, dim=20, epochs=1, progress=False, output=tmp_path / "v.bin")
    v = wordvec.load(tmp_path / "v.bin")
    before = v.most_similar("king", topn=1)[0][0]
    v.vectors[v.get_index(before)] *= -1
    v.fill_norms(force=True)
    assert v.most_similar("king", topn=1)[0][0] != before


def test_lookups(trained):
    assert len(trained) == 21201
    assert "king" in trained and "nosuchwordzz" not in trained
    assert trained.index_to_key[trained.key_to_index["king"]] == "king"
    assert trained[["king", "queen"]].shape == (2, 40)
    with pytest.raises(KeyError):
        trained["nosuchwordzz"]
    with pytest.raises(KeyError):
        trained.most_similar("nosuchwordzz")


def test_most_similar_equals_wordvec_nn(trained, cli_vectors):
    for word in ("king", "paris", "three"):
        printed = cli("nn", "--vectors", str(cli_vectors), "-k", "10", word).strip().splitlines()
        assert printed[0] == word + ":"
        rows = [line.split() for line in printed[1:]]
        ours = trained.most_similar(word, topn=10)
        assert [w for w, _ in ours] == [w for w, _ in rows]
        assert [s for _, s in ours] == pytest.approx([float(s) for _, s in rows], abs=1e-4)


def test_most_similar_with_negatives_vectors_and_restriction(trained):
    plain = trained.most_similar(positive=["king", "woman"], negative=["man"], topn=5)
    assert all(w not in ("king", "woman", "man") for w, _ in plain)
    assert trained.most_similar(positive=["king", "woman"], negative=["man"], topn=5, restrict_vocab=100) != plain
    assert all(trained.key_to_index[w] < 100 for w, _ in
               trained.most_similar(positive=["king"], topn=5, restrict_vocab=100))
    by_vector = trained.most_similar([trained["king"]], topn=6)
    assert [w for w, _ in by_vector][1:] == [w for w, _ in trained.most_similar("king", topn=5)]
    sims = trained.most_similar("king", topn=None)
    assert sims.shape == (21201,) and sims[trained.key_to_index["king"]] == pytest.approx(1.0, abs=1e-5)
    with pytest.raises(ValueError):
        trained.most_similar("king", topn=-1)
    with pytest.raises(ValueError):
        trained.most_similar()


def test_batched_queries_equal_single_ones(trained):
    words = ["king", "paris", "three", "water"]
    batch = trained.most_similar_batch(words, topn=5)
    for word, result in zip(words, batch):
        single = trained.most_similar(word, topn=5)
        assert [w for w, _ in result] == [w for w, _ in single]
        assert [s for _, s in result] == pytest.approx([s for _, s in single], abs=1e-5)


def test_analogy_and_similarity(trained, cli_vectors):
    printed = cli("analogy", "--vectors", str(cli_vectors), "-k", "3", "man", "king", "woman")
    ours = trained.analogy("man", "king", "woman", topn=3)
    assert [w for w, _ in ours] == [line.split()[0] for line in printed.strip().splitlines()[-3:]]
    assert len(trained.analogy("man", "king", "woman", topn=3, method="mul")) == 3
    with pytest.raises(ValueError):
        trained.analogy("man", "king", "woman", method="sub")
    assert trained.similarity("king", "king") == pytest.approx(1.0, abs=1e-6)
    assert trained.similarity("king", "queen") == pytest.approx(trained.similarity("queen", "king"))


# ---- evaluation equals gensim's

def test_evaluation_equals_gensim(trained, cli_vectors):
    gensim = pytest.importorskip("gensim")
    kv = gensim.models.KeyedVectors.load_word2vec_format(str(cli_vectors), binary=True)
    ours_acc, ours_sections = trained.evaluate_word_analogies(ANALOGIES)
    their_acc, their_sections = kv.evaluate_word_analogies(ANALOGIES)
    assert ours_acc == pytest.approx(their_acc, abs=1e-12)
    assert [(s["section"], s["correct"], s["incorrect"]) for s in ours_sections] == \
           [(s["section"], len(s["correct"]), len(s["incorrect"])) for s in their_sections]
    (r, p), (rho, q), oov = trained.evaluate_word_pairs(WS353)
    (gr, gp), (grho, gq), goov = kv.evaluate_word_pairs(WS353)
    assert (r, rho, oov) == pytest.approx((gr, grho, goov), abs=1e-5)
    assert (p, q) == pytest.approx((gp, gq), rel=1e-3)


def test_to_gensim_round_trip(trained):
    pytest.importorskip("gensim")
    kv = trained.to_gensim()
    assert kv.index_to_key == trained.index_to_key
    assert np.array_equal(kv.vectors, trained.vectors)
    assert [w for w, _ in kv.most_similar("king", topn=5)] == [w for w, _ in trained.most_similar("king", topn=5)]


# ---- files

@pytest.mark.parametrize("name,fmt,exact", [("v.bin", None, True), ("v.txt", None, False), ("v.vec", None, False),
                                            ("v.glove", None, False), ("v.npy", None, True), ("v.any", "text", False)])
def test_save_load_round_trips(trained, tmp_path, name, fmt, exact):
    path = tmp_path / name
    trained.save(path, format=fmt)
    back = wordvec.load(path)
    assert back.index_to_key == trained.index_to_key
    if exact:
        assert np.array_equal(back.vectors, trained.vectors)
    else:
        assert np.allclose(back.vectors, trained.vectors, atol=1e-6)


def test_missing_and_malformed_files_raise_oserror(tmp_path):
    with pytest.raises(OSError, match="nosuch.bin"):
        wordvec.load(tmp_path / "nosuch.bin")
    bad = tmp_path / "bad.txt"
    bad.write_text("2 3\nking 1 2 3\nqueen 1 2\n")
    with pytest.raises(OSError, match="bad.txt:3"):
        wordvec.load(bad)
    with pytest.raises(OSError, match="nosuch.txt"):
        wordvec.train(tmp_path / "nosuch.txt", progress=False)
    with pytest.raises(OSError):
        wordvec.load(tmp_path).evaluate_word_pairs("x")


# ---- bad options: the command line's messages, and nothing lost

@pytest.mark.parametrize("options,message", [
    (dict(window=0), "--window must be between 1 and"),
    (dict(model="bogus"), "unknown model 'bogus'"),
    (dict(dim=0), "--dim must be 'auto' or a whole number between 1 and 10000"),
    (dict(epochs=2**40), "--epochs takes a whole number between 1 and 100000, got '1099511627776'"),
    (dict(window=2.5), "--window takes a whole number between 1 and 1000, got '2.5'"),
    (dict(sample=-1), "--sample"),
    (dict(epochs=0), "--epochs"),
    (dict(no_such_option=1), "unrecognised option '--no-such-option'"),
    (dict(subwords="7-3"), "--subwords must be"),
    (dict(model="glove", loss="hs"), "--loss"),
])
def test_bad_options_raise_value_error_with_the_cli_message(tmp_path, options, message):
    out = tmp_path / "v.bin"
    out.write_bytes(b"mine")
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        wordvec.train(CORPUS, progress=False, output=out, **options)
    assert out.read_bytes() == b"mine"  # the user's file is untouched


def test_bad_corpora():
    with pytest.raises(TypeError):
        wordvec.train(42, progress=False)
    with pytest.raises(TypeError, match="sentence 0 is a string"):
        wordvec.train(iter(["the cat sat", "on the mat"]), progress=False)
    with pytest.raises(ValueError, match="whitespace"):
        wordvec.train([["the", "two words"]], progress=False)
    with pytest.raises(TypeError, match="not a str"):
        wordvec.train([["the", 3]], progress=False)
    with pytest.raises(ValueError, match="no tokens"):
        wordvec.train([[], []], progress=False)


# ---- Ctrl-C

def test_keyboard_interrupt_stops_cleanly_and_writes_nothing(tmp_path):
    out, model = tmp_path / "v.bin", tmp_path / "m.wvm"
    timer = []

    def interrupt_soon(fraction, wps, loss):  # once training runs, SIGINT from a timer thread
        if not timer:
            timer.append(threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)))
            timer[0].start()

    # Python's own Ctrl-C handler, as in an interactive session: a process
    # started in the background by a non-interactive shell (a CI job) ignores SIGINT.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            wordvec.train(CORPUS, dim=20, epochs=200, progress=False, callback=interrupt_soon, output=out,
                          save_model=model)
    finally:
        timer[0].join()
        signal.signal(signal.SIGINT, previous)
    assert not out.exists() and not model.exists()
    assert sorted(os.listdir(tmp_path)) == []
    # The interpreter, and the module, go on.
    assert len(wordvec.train(CORPUS, dim=20, epochs=1, progress=False)) == 21201


def test_an_exception_in_the_callback_stops_training_and_is_raised():
    def fail(fraction, wps, loss):
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        wordvec.train(CORPUS, dim=20, epochs=50, progress=False, callback=fail)


# ---- dimension

def test_dimension_suggestions():
    assert wordvec.suggest_dim(100000) == 96
    n = wordvec.suggest_dim(21201)
    assert wordvec.min_entropy(n, 21201) < 0 <= wordvec.min_entropy(n - 1, 21201)
    assert wordvec.suggest_dim_for(CORPUS) == n == 83  # what train(dim="auto") logs
    assert wordvec.suggest_dim_for(sentences(), min_count=5) == 83
    with pytest.raises(ValueError):
        wordvec.suggest_dim(1)
    with pytest.raises(ValueError):
        wordvec.suggest_dim_for(CORPUS, min_count=0)


def test_version_is_the_librarys():
    assert wordvec.__version__ == cli("--version").split()[1]


def test_help_lists_every_option_with_its_default():
    doc = wordvec.train.__doc__
    for flag in ("--subwords", "--loss", "--x-max", "--checkpoint", "--lowercase", "--max-vocab", "(=5)"):
        assert flag in doc
