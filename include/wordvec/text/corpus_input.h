// Corpus input as users hold it: one or more files, folders of shards,
// standard input, each plain or gzip/bzip2/xz/zstd-compressed (recognised by
// its magic bytes, not its name). The trainers read a corpus by byte ranges of
// one plain file, so PreparedCorpus hands them either the user's file itself
// (one plain, seekable file: no copy) or a decoded copy made by reading every
// input exactly once. Each input file is one stream: a line never crosses two.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wordvec/text/normalize.h"
#include "wordvec/text/phrases.h"

namespace wordvec {

enum class Compression { None, Gzip, Bzip2, Xz, Zstd };
const char* compression_name(Compression compression);  // "plain", "gzip", ...

// The compression that the first bytes of a file announce (None if none).
Compression detect_compression(std::string_view head);

// The files that `paths` name, in order: a file as given; a folder's files
// found recursively, in sorted order, hidden entries (".name") and anything
// but regular files skipped, and only names matching the shell pattern `glob`
// when it is not empty; "-" for standard input. Throws Error naming a path
// that does not exist or a folder with no (matching) files, and for a glob
// when no path is a folder.
std::vector<std::string> expand_corpus_paths(const std::vector<std::string>& paths, const std::string& glob = "");

// What reading one input gave.
struct InputReport {
  std::string path;  // "-" for standard input
  Compression compression = Compression::None;
  std::uint64_t compressed_bytes = 0;  // read from the file (= text bytes when plain)
  std::uint64_t text_bytes = 0;        // decoded, byte-order mark removed
};

// Streams the decoded text of one input to `sink` in chunks: decompressed
// (concatenated gzip members, bzip2 streams, xz streams and zstd frames all
// read), a UTF-8 byte-order mark removed, UTF-16/32 refused. Throws Error
// naming the file, and for compressed data the offset, when it is corrupt or
// truncated. `progress`, if given, is called now and then with the totals.
InputReport decode_input(const std::string& path, const std::function<void(std::string_view)>& sink,
                         const std::function<void(const InputReport&)>& progress = {});

struct CorpusInputOptions {
  std::string glob;      // filter for files found in folders ("" = every file)
  std::string temp_dir;  // where a decoded copy goes ("" = $TMPDIR or /tmp)
  // Applied to each line while the copy is written (a copy is then made even
  // of one plain file), then the phrase passes rewrite the copy.
  NormalizeOptions normalize;
  PhraseOptions phrases{0};
  unsigned threads = 1;  // for counting phrases
  bool always_copy = false;
  // Called before each phrase pass (1-based) and after it with what it found.
  std::function<void(unsigned pass)> on_phrase_pass_start;
  std::function<void(const PhrasePassReport&, const PhraseTable&)> on_phrase_pass;
};

// The corpus as one plain-text file. The copy, when one is needed, lives in a
// temporary folder removed with this object, and on a fatal signal. Its text
// is normalised and phrased when the options ask for it.
class PreparedCorpus {
 public:
  PreparedCorpus(const std::vector<std::string>& paths, const CorpusInputOptions& options,
                 const std::function<void(const InputReport&)>& progress = {});
  ~PreparedCorpus();
  PreparedCorpus(const PreparedCorpus&) = delete;
  PreparedCorpus& operator=(const PreparedCorpus&) = delete;

  const std::string& path() const { return path_; }  // what the trainers read
  bool is_copy() const { return copy_ != nullptr; }
  const std::vector<std::string>& files() const { return files_; }     // the inputs, expanded
  const std::vector<InputReport>& reports() const { return reports_; }  // one per file read (none without a copy)
  const std::vector<PhrasePassReport>& phrase_reports() const { return phrase_reports_; }

 private:
  struct Copy;
  std::vector<std::string> files_;
  std::vector<InputReport> reports_;
  std::vector<PhrasePassReport> phrase_reports_;
  std::unique_ptr<Copy> copy_;
  std::string path_;
};

}  // namespace wordvec
