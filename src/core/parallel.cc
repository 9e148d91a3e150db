#include "wordvec/core/parallel.h"

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>

namespace wordvec {

unsigned resolve_threads(unsigned requested) {
  return requested > 0 ? requested : std::max(1u, std::thread::hardware_concurrency());
}

void run_parallel(unsigned threads, const std::function<void(unsigned)>& work,
                  const std::function<void()>& meanwhile) {
  std::vector<std::exception_ptr> errors(threads + 1);
  std::vector<std::thread> pool;
  pool.reserve(threads);
  try {
    for (unsigned t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        try {
          work(t);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    if (meanwhile) meanwhile();
  } catch (...) {  // meanwhile failed, or a thread could not start: the others still finish
    errors[threads] = std::current_exception();
  }
  for (auto& thread : pool) thread.join();
  for (auto& error : errors)
    if (error) std::rethrow_exception(error);
}

}  // namespace wordvec
