#include "signals.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>

#include "wordvec/core/atomic_file.h"

namespace wordvec::cli {
namespace {

// A signal handler can reach only static storage. Lock-free atomics, not
// volatile sig_atomic_t: the handler runs on any thread and the watcher
// thread reads what it wrote (ThreadSanitizer caught the race).
std::atomic<int> g_stop_signal{0};     // the first signal seen while a job can stop
std::atomic<int> g_stoppable_jobs{0};  // InterruptWatchers alive
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs lock-free atomics");

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};
constexpr int kEndingSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM, SIGUSR1, SIGUSR2, SIGPIPE, SIGVTALRM, SIGPROF};

bool is_stop_signal(int signal) {
  for (int s : kStopSignals)
    if (s == signal) return true;
  return false;
}

void write_stderr(const char* text) {
  const ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

// Async-signal-safe only: unlink, write, _exit.
extern "C" void on_ending_signal(int signal) {
  int none = 0;
  if (g_stoppable_jobs.load() > 0 && is_stop_signal(signal) && g_stop_signal.compare_exchange_strong(none, signal))
    return;  // the watcher thread stops the job
  remove_unfinished_files();
  if (signal != SIGPIPE) {  // a closed pipe (wordvec nn | head) is not news
    const char* name = sigabbrev_np(signal);
    write_stderr("wordvec: stopped by SIG");
    write_stderr(name != nullptr ? name : "NAL");
    write_stderr("; unfinished output files removed\n");
  }
  ::_exit(128 + signal);
}

}  // namespace

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_ending_signal;
  sigemptyset(&action.sa_mask);
  for (int s : kEndingSignals) {
    struct sigaction previous {};
    sigaction(s, nullptr, &previous);
    if (previous.sa_handler != SIG_IGN) sigaction(s, &action, nullptr);
  }
  std::signal(SIGXFSZ, SIG_IGN);  // writes past the limit then fail with EFBIG: reported, temp file removed
}

void request_stop(int signal) {
  int none = 0;
  g_stop_signal.compare_exchange_strong(none, signal);
}

void clear_stop_request() { g_stop_signal.store(0); }

InterruptWatcher::InterruptWatcher(std::function<void()> request_stop) {
  g_stoppable_jobs.fetch_add(1);
  watcher_ = std::thread([this, request_stop] {
    while (!done_.load()) {
      if (g_stop_signal.load() != 0 && !interrupted_.load()) {
        request_stop();
        interrupted_.store(true);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
}

InterruptWatcher::~InterruptWatcher() {
  done_.store(true);
  watcher_.join();
  g_stoppable_jobs.fetch_sub(1);
}

bool InterruptWatcher::interrupted() const { return interrupted_.load() || g_stop_signal.load() != 0; }

int InterruptWatcher::exit_code() const {
  const int signal = g_stop_signal.load();
  return 128 + (signal != 0 ? signal : SIGINT);
}

}  // namespace wordvec::cli
