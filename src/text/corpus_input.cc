#include "wordvec/text/corpus_input.h"

#include <bzlib.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <lzma.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/temp_folder.h"
#include "wordvec/core/error.h"
#include "wordvec/text/corpus.h"

namespace wordvec {

namespace fs = std::filesystem;

const char* compression_name(Compression compression) {
  switch (compression) {
    case Compression::None: return "plain";
    case Compression::Gzip: return "gzip";
    case Compression::Bzip2: return "bzip2";
    case Compression::Xz: return "xz";
    case Compression::Zstd: return "zstd";
  }
  return "plain";
}

Compression detect_compression(std::string_view head) {
  auto starts_with = [&](std::initializer_list<unsigned char> magic) {
    return head.size() >= magic.size() &&
           std::equal(magic.begin(), magic.end(), reinterpret_cast<const unsigned char*>(head.data()));
  };
  if (starts_with({0x1F, 0x8B})) return Compression::Gzip;
  if (starts_with({'B', 'Z', 'h'})) return Compression::Bzip2;
  if (starts_with({0xFD, '7', 'z', 'X', 'Z', 0x00})) return Compression::Xz;
  if (starts_with({0x28, 0xB5, 0x2F, 0xFD})) return Compression::Zstd;
  return Compression::None;
}

namespace {

constexpr std::size_t kChunkBytes = 1 << 20;

bool hidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name[0] == '.';
}

// The files of one folder, recursively, sorted, hidden entries skipped.
std::vector<std::string> folder_files(const std::string& folder, const std::string& glob) {
  std::vector<std::string> found;
  try {
    fs::recursive_directory_iterator it(folder, fs::directory_options::follow_directory_symlink), end;
    for (; it != end; ++it) {
      if (hidden(it->path())) {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      // Only regular files: a FIFO or socket among shards would block or fail.
      if (!it->is_regular_file()) continue;
      if (!glob.empty() && ::fnmatch(glob.c_str(), it->path().filename().c_str(), 0) != 0) continue;
      found.push_back(it->path().string());
    }
  } catch (const fs::filesystem_error& e) {
    throw file_error(e.path1().empty() ? folder : e.path1().string(), e.code().message());
  }
  std::sort(found.begin(), found.end());
  if (found.empty())
    throw file_error(folder, glob.empty() ? "is a folder with no files (hidden ones are skipped)"
                                          : "is a folder with no files matching --glob '" + glob + "'");
  return found;
}

// An input file (or standard input) read in chunks, counting its bytes.
class InputBytes {
 public:
  explicit InputBytes(const std::string& path) : path_(path) {
    if (path == "-") {
      if (::isatty(0))
        throw Error("standard input (--input -) is a terminal: pipe a corpus into it, e.g. "
                    "zcat corpus.gz | wordvec train --input - ..., or name a file");
      fd_ = 0;
      return;
    }
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw file_error(path, std::strerror(errno));
    struct stat st {};
    if (::fstat(fd_, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(fd_);
      throw file_error(path, "is a folder, not a file");
    }
  }
  ~InputBytes() {
    if (fd_ > 0) ::close(fd_);
  }
  InputBytes(const InputBytes&) = delete;
  InputBytes& operator=(const InputBytes&) = delete;

  // Up to `capacity` bytes into `out`; 0 at the end.
  std::size_t read(char* out, std::size_t capacity) {
    for (;;) {
      const ssize_t n = ::read(fd_, out, capacity);
      if (n >= 0) {
        offset_ += static_cast<std::uint64_t>(n);
        return static_cast<std::size_t>(n);
      }
      if (errno != EINTR) throw file_error(display(), std::string("read failed: ") + std::strerror(errno));
    }
  }
  std::uint64_t offset() const { return offset_; }
  std::string display() const { return path_ == "-" ? "standard input" : path_; }

  [[noreturn]] void corrupt(Compression c, std::uint64_t at, const std::string& why) const {
    throw file_error(display(), std::string("corrupt ") + compression_name(c) + " data near byte " +
                                    std::to_string(at) + " (" + why + ")");
  }
  [[noreturn]] void truncated(Compression c) const {
    throw file_error(display(), std::string("truncated ") + compression_name(c) + " data: it ends at byte " +
                                    std::to_string(offset_) + " in the middle of a compressed stream");
  }

 private:
  std::string path_;
  int fd_ = -1;
  std::uint64_t offset_ = 0;
};

// The compressed bytes of one input: the head already read, then the rest.
struct Compressed {
  InputBytes& file;
  std::vector<char> buffer = std::vector<char>(kChunkBytes);
  std::size_t filled = 0;  // bytes in buffer (the first chunk: the head)
  bool eof = false;

  // Refills the buffer once it has been consumed; false at the end.
  bool refill() {
    filled = file.read(buffer.data(), buffer.size());
    eof = filled == 0;
    return !eof;
  }
};

using Emit = std::function<void(const char*, std::size_t)>;

// gzip, concatenated members too (as gzip -d reads them).
void inflate_gzip(Compressed& in, const Emit& emit) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) throw Error("zlib could not start");
  std::vector<char> out(kChunkBytes);
  z.next_in = reinterpret_cast<Bytef*>(in.buffer.data());
  z.avail_in = static_cast<uInt>(in.filled);
  bool member_done = false;
  try {
    for (;;) {
      if (z.avail_in == 0 && !in.eof && in.refill()) {
        z.next_in = reinterpret_cast<Bytef*>(in.buffer.data());
        z.avail_in = static_cast<uInt>(in.filled);
      }
      if (member_done) {
        if (z.avail_in == 0 && in.eof) break;
        inflateReset(&z);
        member_done = false;
      }
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = static_cast<uInt>(out.size());
      const int rc = inflate(&z, Z_NO_FLUSH);
      const std::size_t produced = out.size() - z.avail_out;
      if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_MEM_ERROR || rc == Z_STREAM_ERROR)
        in.file.corrupt(Compression::Gzip, in.file.offset() - z.avail_in, z.msg != nullptr ? z.msg : "zlib error");
      emit(out.data(), produced);
      if (rc == Z_STREAM_END) {
        member_done = true;
      } else if (produced == 0 && z.avail_in == 0 && in.eof) {
        in.file.truncated(Compression::Gzip);
      }
    }
  } catch (...) {
    inflateEnd(&z);
    throw;
  }
  inflateEnd(&z);
}

// bzip2, concatenated streams too (as bzip2 -d reads them).
void decompress_bzip2(Compressed& in, const Emit& emit) {
  bz_stream b{};
  if (BZ2_bzDecompressInit(&b, 0, 0) != BZ_OK) throw Error("libbz2 could not start");
  std::vector<char> out(kChunkBytes);
  b.next_in = in.buffer.data();
  b.avail_in = static_cast<unsigned>(in.filled);
  bool stream_done = false;
  try {
    for (;;) {
      if (b.avail_in == 0 && !in.eof && in.refill()) {
        b.next_in = in.buffer.data();
        b.avail_in = static_cast<unsigned>(in.filled);
      }
      if (stream_done) {
        if (b.avail_in == 0 && in.eof) break;
        char* next = b.next_in;
        const unsigned left = b.avail_in;
        BZ2_bzDecompressEnd(&b);
        b = bz_stream{};
        if (BZ2_bzDecompressInit(&b, 0, 0) != BZ_OK) throw Error("libbz2 could not start");
        b.next_in = next;
        b.avail_in = left;
        stream_done = false;
      }
      b.next_out = out.data();
      b.avail_out = static_cast<unsigned>(out.size());
      const int rc = BZ2_bzDecompress(&b);
      const std::size_t produced = out.size() - b.avail_out;
      if (rc != BZ_OK && rc != BZ_STREAM_END)
        in.file.corrupt(Compression::Bzip2, in.file.offset() - b.avail_in,
                        rc == BZ_DATA_ERROR_MAGIC ? "not bzip2 data"
                        : rc == BZ_DATA_ERROR ? "damaged data: a block or CRC check failed"
                                              : "bzip2 error " + std::to_string(rc));
      emit(out.data(), produced);
      if (rc == BZ_STREAM_END) {
        stream_done = true;
      } else if (produced == 0 && b.avail_in == 0 && in.eof) {
        in.file.truncated(Compression::Bzip2);
      }
    }
  } catch (...) {
    BZ2_bzDecompressEnd(&b);
    throw;
  }
  BZ2_bzDecompressEnd(&b);
}

const char* lzma_error(lzma_ret rc) {
  switch (rc) {
    case LZMA_FORMAT_ERROR: return "not xz data";
    case LZMA_OPTIONS_ERROR: return "unsupported xz options";
    case LZMA_DATA_ERROR: return "damaged data";
    case LZMA_MEM_ERROR: return "out of memory";
    default: return "xz error";
  }
}

// xz, concatenated streams too.
void decompress_xz(Compressed& in, const Emit& emit) {
  lzma_stream s = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) throw Error("liblzma could not start");
  std::vector<char> out(kChunkBytes);
  s.next_in = reinterpret_cast<const std::uint8_t*>(in.buffer.data());
  s.avail_in = in.filled;
  try {
    for (;;) {
      if (s.avail_in == 0 && !in.eof && in.refill()) {
        s.next_in = reinterpret_cast<const std::uint8_t*>(in.buffer.data());
        s.avail_in = in.filled;
      }
      s.next_out = reinterpret_cast<std::uint8_t*>(out.data());
      s.avail_out = out.size();
      const lzma_ret rc = lzma_code(&s, in.eof ? LZMA_FINISH : LZMA_RUN);
      emit(out.data(), out.size() - s.avail_out);
      if (rc == LZMA_STREAM_END) break;
      if (rc == LZMA_BUF_ERROR && in.eof) in.file.truncated(Compression::Xz);
      if (rc != LZMA_OK) in.file.corrupt(Compression::Xz, in.file.offset() - s.avail_in, lzma_error(rc));
    }
  } catch (...) {
    lzma_end(&s);
    throw;
  }
  lzma_end(&s);
}

// zstd, any number of frames.
void decompress_zstd(Compressed& in, const Emit& emit) {
  ZSTD_DCtx* d = ZSTD_createDCtx();
  if (d == nullptr) throw Error("libzstd could not start");
  std::vector<char> out(kChunkBytes);
  ZSTD_inBuffer input{in.buffer.data(), in.filled, 0};
  std::size_t pending = 0;  // 0 when the last frame is complete and flushed
  try {
    auto step = [&](ZSTD_inBuffer& from) {
      ZSTD_outBuffer to{out.data(), out.size(), 0};
      pending = ZSTD_decompressStream(d, &to, &from);
      if (ZSTD_isError(pending))
        in.file.corrupt(Compression::Zstd, in.file.offset() - (from.size - from.pos), ZSTD_getErrorName(pending));
      emit(out.data(), to.pos);
      return to.pos;
    };
    for (;;) {
      if (input.pos == input.size) {
        if (!in.refill()) break;
        input = {in.buffer.data(), in.filled, 0};
      }
      step(input);
    }
    // Output held back by a full buffer: flush it while the frame is unfinished.
    ZSTD_inBuffer none{nullptr, 0, 0};
    while (pending != 0 && step(none) > 0) {
    }
    if (pending != 0) in.file.truncated(Compression::Zstd);
  } catch (...) {
    ZSTD_freeDCtx(d);
    throw;
  }
  ZSTD_freeDCtx(d);
}

// Passes decoded text on, deciding the encoding from its first bytes.
class TextFilter {
 public:
  TextFilter(std::string path, const std::function<void(std::string_view)>& sink, InputReport& report)
      : path_(std::move(path)), sink_(sink), report_(report) {}

  void add(const char* data, std::size_t n) {
    if (n == 0) return;
    if (!decided_) {
      head_.append(data, n);
      if (head_.size() >= kEncodingHeadBytes) decide();
      return;
    }
    pass(std::string_view(data, n));
  }
  void finish() {
    if (!decided_) decide();
  }

 private:
  void decide() {
    decided_ = true;
    const std::size_t skip = utf8_text_start(head_, path_);
    pass(std::string_view(head_).substr(skip));
    head_.clear();
    head_.shrink_to_fit();
  }
  void pass(std::string_view text) {
    if (text.empty()) return;
    report_.text_bytes += text.size();
    sink_(text);
  }

  std::string path_;
  const std::function<void(std::string_view)>& sink_;
  InputReport& report_;
  std::string head_;
  bool decided_ = false;
};

}  // namespace

std::vector<std::string> expand_corpus_paths(const std::vector<std::string>& paths, const std::string& glob) {
  std::vector<std::string> files;
  bool folder_given = false;
  for (const std::string& path : paths) {
    if (path.empty()) throw Error("--input: an empty path");
    if (path == "-") {
      files.push_back(path);
      continue;
    }
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (error || !fs::exists(status))
      throw file_error(path, error ? error.message() : std::string("No such file or directory"));
    if (fs::is_directory(status)) {
      folder_given = true;
      for (std::string& file : folder_files(path, glob)) files.push_back(std::move(file));
    } else {
      files.push_back(path);
    }
  }
  if (std::count(files.begin(), files.end(), "-") > 1) throw Error("--input: standard input (-) given twice");
  if (!glob.empty() && !folder_given)
    throw Error("--glob '" + glob + "' filters the files of --input folders, and no --input is a folder");
  return files;
}

InputReport decode_input(const std::string& path, const std::function<void(std::string_view)>& sink,
                         const std::function<void(const InputReport&)>& progress) {
  InputBytes file(path);
  InputReport report;
  report.path = path;
  TextFilter text(file.display(), sink, report);
  std::uint64_t next_progress = 0;
  const Emit emit = [&](const char* data, std::size_t n) {
    text.add(data, n);
    if (progress && report.text_bytes >= next_progress) {
      report.compressed_bytes = file.offset();
      progress(report);
      next_progress = report.text_bytes + (64u << 20);
    }
  };
  Compressed in{file};
  // The magic bytes may arrive in pieces from a pipe: read until 6 or the end.
  while (in.filled < 6) {
    const std::size_t n = file.read(in.buffer.data() + in.filled, in.buffer.size() - in.filled);
    if (n == 0) break;
    in.filled += n;
  }
  report.compression = detect_compression({in.buffer.data(), in.filled});
  switch (report.compression) {
    case Compression::None:
      emit(in.buffer.data(), in.filled);
      while (in.refill()) emit(in.buffer.data(), in.filled);
      break;
    case Compression::Gzip: inflate_gzip(in, emit); break;
    case Compression::Bzip2: decompress_bzip2(in, emit); break;
    case Compression::Xz: decompress_xz(in, emit); break;
    case Compression::Zstd: decompress_zstd(in, emit); break;
  }
  text.finish();
  report.compressed_bytes = file.offset();
  if (progress) progress(report);
  return report;
}

struct PreparedCorpus::Copy {
  TempFolder folder;
  explicit Copy(const std::string& temp_dir) : folder(temp_dir, "corpus") {}
};

namespace {

// One plain, seekable file that the trainers can read in place.
bool readable_in_place(const std::vector<std::string>& files) {
  if (files.size() != 1 || files[0] == "-") return false;
  struct stat st {};
  if (::stat(files[0].c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  InputBytes file(files[0]);
  char head[8];
  std::size_t n = 0;
  while (n < sizeof head) {
    const std::size_t got = file.read(head + n, sizeof head - n);
    if (got == 0) break;
    n += got;
  }
  return detect_compression({head, n}) == Compression::None;
}

}  // namespace

namespace {

// Writes the decoded text of the inputs to the copy, normalising each line
// when asked; each input ends its last line.
class CopyWriter {
 public:
  CopyWriter(const std::string& path, const NormalizeOptions& normalize) : path_(path) {
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) fail();
    if (normalize.any()) normalizer_ = std::make_unique<TextNormalizer>(normalize);
  }
  ~CopyWriter() {
    if (file_ != nullptr) std::fclose(file_);
  }
  void text(std::string_view chunk) {
    if (chunk.empty()) return;
    if (normalizer_ == nullptr) {
      write(chunk);
      return;
    }
    pending_.append(chunk);
    std::size_t begin = 0;
    for (std::size_t end; (end = pending_.find('\n', begin)) != std::string::npos; begin = end + 1)
      normalize_line({pending_.data() + begin, end - begin}, "\n");
    pending_.erase(0, begin);
    if (pending_.size() > kLongLine) {  // a line of megabytes: go on at its last whitespace
      std::size_t cut = pending_.size();
      while (cut > 0 && !is_token_space(static_cast<unsigned char>(pending_[cut - 1]))) --cut;
      if (cut > 0) {
        normalize_line({pending_.data(), cut}, " ");
        pending_.erase(0, cut);
      }
    }
  }
  void end_file() {
    if (normalizer_ != nullptr) {
      if (!pending_.empty()) normalize_line(pending_, "\n");
      pending_.clear();
    } else if (last_ != '\n') {
      write("\n");
    }
  }
  void close() {
    std::FILE* f = file_;
    file_ = nullptr;
    if (std::fclose(f) != 0) fail();
  }

 private:
  static constexpr std::size_t kLongLine = 1 << 20;
  void normalize_line(std::string_view line, std::string_view end) {
    line_.clear();
    normalizer_->append(line, line_);
    line_ += end;
    write(line_);
  }
  void write(std::string_view text) {
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) fail();
    last_ = text.back();
  }
  [[noreturn]] void fail() const {
    throw file_error(path_, std::string("cannot write the decoded corpus: ") + std::strerror(errno));
  }

  std::string path_;
  std::FILE* file_ = nullptr;
  std::unique_ptr<TextNormalizer> normalizer_;
  std::string pending_, line_;
  char last_ = '\n';
};

}  // namespace

PreparedCorpus::PreparedCorpus(const std::vector<std::string>& paths, const CorpusInputOptions& options,
                               const std::function<void(const InputReport&)>& progress)
    : files_(expand_corpus_paths(paths, options.glob)) {
  if (files_.empty()) throw Error("--input: no corpus given");
  options.normalize.validate();
  options.phrases.validate();
  const bool transformed = options.normalize.any() || options.phrases.passes > 0;
  if (!options.always_copy && !transformed && readable_in_place(files_)) {
    path_ = files_[0];
    return;
  }
  copy_ = std::make_unique<Copy>(options.temp_dir);
  path_ = copy_->folder.path() + "/corpus.txt";
  CopyWriter copy(path_, options.normalize);
  std::uint64_t text_bytes = 0;
  for (const std::string& file : files_) {
    reports_.push_back(decode_input(file, [&](std::string_view text) { copy.text(text); }, progress));
    copy.end_file();
    text_bytes += reports_.back().text_bytes;
  }
  copy.close();
  if (text_bytes == 0)
    throw files_.size() == 1 ? file_error(files_[0] == "-" ? "standard input" : files_[0],
                                          "is empty (after decompression): no text to train on")
                             : Error("the " + std::to_string(files_.size()) +
                                     " input files are all empty (after decompression): no text to train on");
  for (unsigned pass = 1; pass <= options.phrases.passes; ++pass) {
    if (options.on_phrase_pass_start) options.on_phrase_pass_start(pass);
    PhrasePassReport report;
    report.pass = pass;
    const PhraseTable table = PhraseTable::learn(path_, options.phrases, options.threads, &report);
    const std::string next = copy_->folder.path() + "/corpus.phrases" + std::to_string(pass) + ".txt";
    CopyWriter phrased(next, NormalizeOptions{});
    table.apply(path_, [&](std::string_view text) { phrased.text(text); }, &report);
    phrased.close();
    std::remove(path_.c_str());
    path_ = next;
    phrase_reports_.push_back(report);
    if (options.on_phrase_pass) options.on_phrase_pass(report, table);
  }
}

PreparedCorpus::~PreparedCorpus() = default;

}  // namespace wordvec
