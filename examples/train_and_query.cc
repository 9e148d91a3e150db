// Minimal use of the wordvec library: train skip-gram vectors in-process on a
// corpus and print the nearest words of a few queries.
//   build/examples/train_and_query data/corpus.txt
#include <cstdio>

#include "wordvec/train/dimension.h"
#include "wordvec/query/neighbors.h"
#include "wordvec/train/sgns.h"
#include "wordvec/text/vocabulary.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS [WORD ...]\n", argv[0]);
    return 2;
  }
  try {
    const wordvec::Vocabulary vocab = wordvec::Vocabulary::build(argv[1], {/*min_count=*/5});
    wordvec::SgnsOptions options;
    options.dim = wordvec::suggest_dimension(static_cast<double>(vocab.size())).dimension;
    options.epochs = 1;
    std::printf("%zu words, dimension %d\n", vocab.size(), options.dim);

    wordvec::SgnsTrainer trainer(vocab, options, wordvec::select_kernels());
    trainer.train(argv[1]);

    const wordvec::NearestNeighbors nn({vocab.words(), trainer.model().input.clone()});
    const std::vector<std::string> queries =
        argc > 2 ? std::vector<std::string>(argv + 2, argv + argc) : std::vector<std::string>{"france", "king"};
    for (const auto& q : queries) {
      std::printf("%s:", q.c_str());
      for (const auto& n : nn.nearest(q, 5)) std::printf(" %s(%.2f)", n.word.c_str(), n.similarity);
      std::printf("\n");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
