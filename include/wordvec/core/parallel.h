// Threads: how many a job uses, and one way to fan work out over them.
#pragma once

#include <functional>

namespace wordvec {

// `requested` threads, or every core when it is 0.
unsigned resolve_threads(unsigned requested);

// Runs work(0) ... work(threads - 1), each on its own thread, while
// `meanwhile` (if given) runs on the calling thread; returns when all are
// done. The first exception (of work 0, 1, ..., then of meanwhile) is
// rethrown after every thread has joined, so no thread outlives the call.
void run_parallel(unsigned threads, const std::function<void(unsigned)>& work,
                  const std::function<void()>& meanwhile = {});

}  // namespace wordvec
