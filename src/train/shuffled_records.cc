#include "wordvec/train/shuffled_records.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "core/temp_folder.h"
#include "train/sampling.h"
#include "wordvec/core/error.h"

namespace wordvec {

void shuffle_records(std::span<CooccurrenceRecord> records, std::uint64_t seed) {
  Rng rng(seed, 0xC00C);
  for (std::size_t i = records.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>((static_cast<unsigned __int128>(rng.next()) * i) >> 64);
    std::swap(records[i - 1], records[j]);
  }
}

struct ShuffledRecords::Impl {
  static constexpr unsigned kBuckets = 64;
  std::uint64_t memory_bytes;
  std::string temp_dir;
  std::uint64_t seed;
  // In memory: the batches as they came (no doubling of one growing vector),
  // joined into one vector, block by block, by finish().
  std::vector<std::vector<CooccurrenceRecord>> blocks;
  std::vector<CooccurrenceRecord> in_memory;
  std::unique_ptr<TempFolder> folder;  // set once out of core
  std::vector<std::FILE*> buckets;
  Rng scatter{0};
  std::string shuffled_path;
  void* map = nullptr;
  std::size_t map_bytes = 0, count = 0;

  std::string bucket_path(unsigned b) const { return folder->path() + "/bucket-" + std::to_string(b); }

  void go_out_of_core() {
    folder = std::make_unique<TempFolder>(temp_dir);
    scatter = Rng(seed, 0x5CA77E);
    for (unsigned b = 0; b < kBuckets; ++b) {
      buckets.push_back(std::fopen(bucket_path(b).c_str(), "wb"));
      if (buckets.back() == nullptr) throw file_error(bucket_path(b), std::strerror(errno));
    }
    count = 0;  // scatter_batch counts them again
    for (auto& block : blocks) {
      scatter_batch(block);
      std::vector<CooccurrenceRecord>().swap(block);
    }
    blocks.clear();
  }

  void scatter_batch(std::span<const CooccurrenceRecord> batch) {
    for (const CooccurrenceRecord& r : batch)
      if (std::fwrite(&r, sizeof r, 1, buckets[scatter.below(kBuckets)]) != 1)
        throw file_error(folder->path(), std::string("cannot write a shuffle bucket: ") + std::strerror(errno));
    count += batch.size();
  }

  void close_buckets() {
    for (std::FILE*& f : buckets)
      if (f != nullptr) {
        std::fclose(f);
        f = nullptr;
      }
  }

  ~Impl() {
    close_buckets();
    if (map != nullptr) ::munmap(map, map_bytes);
  }
};

ShuffledRecords::ShuffledRecords(std::uint64_t memory_bytes, const std::string& temp_dir, std::uint64_t seed)
    : impl_(std::make_unique<Impl>()) {
  impl_->memory_bytes = memory_bytes;
  impl_->temp_dir = temp_dir;
  impl_->seed = seed;
}

ShuffledRecords::~ShuffledRecords() = default;

bool ShuffledRecords::out_of_core() const { return impl_->folder != nullptr; }

void ShuffledRecords::add(std::span<const CooccurrenceRecord> batch) {
  Impl& m = *impl_;
  if (!m.folder && (m.count + batch.size()) * sizeof(CooccurrenceRecord) > m.memory_bytes) m.go_out_of_core();
  if (m.folder) {
    m.scatter_batch(batch);
  } else {
    m.blocks.emplace_back(batch.begin(), batch.end());
    m.count += batch.size();
  }
}

void ShuffledRecords::finish() {
  Impl& m = *impl_;
  if (!m.folder) {
    m.in_memory.reserve(m.count);
    for (auto& block : m.blocks) {
      m.in_memory.insert(m.in_memory.end(), block.begin(), block.end());
      std::vector<CooccurrenceRecord>().swap(block);
    }
    m.blocks.clear();
    shuffle_records(m.in_memory, m.seed);
    return;
  }
  m.close_buckets();
  m.shuffled_path = m.folder->path() + "/shuffled";
  std::FILE* out = std::fopen(m.shuffled_path.c_str(), "w+b");  // readable: it is mapped afterwards
  if (out == nullptr) throw file_error(m.shuffled_path, std::strerror(errno));
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(out, std::fclose);
  for (unsigned b = 0; b < Impl::kBuckets; ++b) {
    const std::uint64_t bytes = corpus_file_size(m.bucket_path(b));
    std::vector<CooccurrenceRecord> bucket(bytes / sizeof(CooccurrenceRecord));
    std::FILE* in = std::fopen(m.bucket_path(b).c_str(), "rb");
    const bool read = in != nullptr && std::fread(bucket.data(), sizeof(CooccurrenceRecord), bucket.size(), in) == bucket.size();
    if (in != nullptr) std::fclose(in);
    if (!read) throw file_error(m.bucket_path(b), "cannot read a shuffle bucket");
    std::remove(m.bucket_path(b).c_str());
    shuffle_records(bucket, m.seed + b);
    if (std::fwrite(bucket.data(), sizeof(CooccurrenceRecord), bucket.size(), out) != bucket.size())
      throw file_error(m.shuffled_path, std::string("cannot write the shuffled records: ") + std::strerror(errno));
  }
  if (std::fflush(out) != 0) throw file_error(m.shuffled_path, std::strerror(errno));
  m.map_bytes = m.count * sizeof(CooccurrenceRecord);
  if (m.map_bytes == 0) return;
  m.map = ::mmap(nullptr, m.map_bytes, PROT_READ, MAP_SHARED, ::fileno(out), 0);
  if (m.map == MAP_FAILED) {
    m.map = nullptr;
    throw file_error(m.shuffled_path, std::string("cannot map the shuffled records: ") + std::strerror(errno));
  }
}

std::span<const CooccurrenceRecord> ShuffledRecords::records() const {
  const Impl& m = *impl_;
  if (!m.folder) return m.in_memory;
  return {static_cast<const CooccurrenceRecord*>(m.map), m.count};
}

}  // namespace wordvec
