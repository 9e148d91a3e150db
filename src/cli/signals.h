// How `wordvec` ends on a signal. Every signal that would end the process is
// caught for the whole run: while a stoppable job (training, counting) is
// running, the first SIGINT/SIGTERM/SIGHUP asks it to stop cleanly (it then
// writes nothing, or its checkpoint); any other time, or on a second signal,
// the handler removes the unfinished output files, prints one line and exits
// with 128 + the signal's number (SIGINT 130, SIGTERM 143). SIGXFSZ (file size
// limit) is ignored so that the write fails with EFBIG and the ordinary error
// path reports it. A signal that was ignored when the process started (nohup)
// stays ignored.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace wordvec::cli {

void install_signal_handlers();

// While alive, the first stop signal calls request_stop (from a watcher
// thread, not the handler) instead of ending the process.
// For a front end that handles signals itself (the Python module): asks the
// running stoppable job, or the next one to start, to stop as the first
// SIGINT would. clear_stop_request readies the process for another job.
void request_stop(int signal);
void clear_stop_request();

class InterruptWatcher {
 public:
  explicit InterruptWatcher(std::function<void()> request_stop);
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;
  bool interrupted() const;
  // 128 + the signal that stopped the job (130 for SIGINT, 143 for SIGTERM).
  int exit_code() const;

 private:
  std::atomic<bool> done_{false}, interrupted_{false};
  std::thread watcher_;
};

}  // namespace wordvec::cli
