// The core layer: option ranges, settings, the thread fan-out and the progress meter.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "wordvec/core/error.h"
#include "wordvec/core/parallel.h"
#include "wordvec/core/progress.h"
#include "wordvec/core/settings.h"

namespace wordvec {
namespace {

std::string range_message(const char* field, double value, const ValidRange& range) {
  try {
    check_range(field, value, range);
  } catch (const OptionError& e) {
    EXPECT_EQ(e.field(), field);
    EXPECT_EQ(std::string(e.what()), std::string(field) + " " + e.requirement());
    return e.what();
  }
  return "";
}

TEST(CheckRange, OneWordingForEveryRange) {
  EXPECT_EQ(range_message("window", 0, {1, 1000}), "window must be between 1 and 1000, got 0");
  EXPECT_EQ(range_message("window", 1001, {1, 1000}), "window must be between 1 and 1000, got 1001");
  EXPECT_EQ(range_message("sample", 1, {0, 1, false, true}), "sample must be in [0, 1), got 1");
  EXPECT_EQ(range_message("rate", 0, {0, 10, true}), "rate must be in (0, 10], got 0");
  EXPECT_EQ(range_message("threads", 2000, {0, 1024, false, false, "0 = all cores"}),
            "threads must be between 0 and 1024 (0 = all cores), got 2000");
  EXPECT_EQ(range_message("x", std::nan(""), {0, 1}), "x must be between 0 and 1, got nan");
  EXPECT_EQ(range_message("x", 0.5, {0, 1}), "");  // inside: no error
  EXPECT_EQ(range_message("x", 1, {0, 1}), "");    // closed ends are inside
}

TEST(SettingsTest, NumbersRoundTripExactlyAndBadOnesNameTheSource) {
  Settings s("run.ckpt");
  s.set("a", 0.1);
  s.set("b", 1e-4);
  s.set("c", std::uint64_t{18446744073709551615ull});
  s.set("d", true);
  s.set("e", 5);
  EXPECT_EQ(s.number("a"), 0.1);
  EXPECT_EQ(s.number("b"), 1e-4);
  EXPECT_EQ(s.integer("c"), 18446744073709551615ull);
  EXPECT_TRUE(s.flag("d"));
  EXPECT_EQ(s.text("e"), "5");
  EXPECT_EQ(s.small_integer("e"), 5);
  s.set("bad", "1.5x");
  try {
    s.number("bad");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "run.ckpt: the setting bad = '1.5x' is not a number");
  }
  EXPECT_THROW(s.text("missing"), Error);
  EXPECT_THROW(s.integer("a"), Error);
  EXPECT_THROW(s.small_integer("c"), Error);
  EXPECT_THROW(s.require_version("sgns", 1), Error);
  s.set("sgns.version", 1);
  EXPECT_NO_THROW(s.require_version("sgns", 1));
}

TEST(RunParallel, EveryThreadRunsAndTheFirstErrorComesBackAfterAllJoined) {
  std::vector<int> ran(4, 0);
  run_parallel(4, [&](unsigned t) { ran[t] = 1; });
  EXPECT_EQ(ran, (std::vector<int>{1, 1, 1, 1}));

  std::atomic<int> finished{0};
  bool meanwhile_ran = false;
  try {
    run_parallel(
        3,
        [&](unsigned t) {
          if (t == 1) throw std::runtime_error("worker 1");
          ++finished;
        },
        [&] { meanwhile_ran = true; });
    ADD_FAILURE() << "the error was lost";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "worker 1");
  }
  EXPECT_EQ(finished.load(), 2);  // the others still ran to the end
  EXPECT_TRUE(meanwhile_ran);
  EXPECT_THROW(run_parallel(2, [](unsigned) {}, [] { throw std::runtime_error("meanwhile"); }), std::runtime_error);
  EXPECT_GE(resolve_threads(0), 1u);
  EXPECT_EQ(resolve_threads(3), 3u);
}

TEST(ProgressMeterTest, FractionRateAndEtaCountOnlyThisRunsWork) {
  ProgressMeter meter("training", "words", 1000, 2, 3600, 400);
  const TrainingProgress p = meter.at(700);
  EXPECT_STREQ(p.stage, "training");
  EXPECT_EQ(p.words_total, 1000u);
  EXPECT_DOUBLE_EQ(p.fraction, 0.7);
  ASSERT_GT(p.elapsed_seconds, 0);
  // 300 words this run: the rate and the ETA ignore the 400 of the run resumed.
  EXPECT_NEAR(p.words_per_second_per_thread, 300 / p.elapsed_seconds / 2, 1e-6 * p.words_per_second_per_thread);
  EXPECT_NEAR(p.eta_seconds, p.elapsed_seconds * 300 / 300, 1e-9 + 1e-6 * p.eta_seconds);
  EXPECT_DOUBLE_EQ(meter.at(5000).fraction, 1.0);
  EXPECT_FALSE(meter.due());  // an hour has not passed
  ProgressMeter eager("x", "y", 0, 1, 0);
  EXPECT_TRUE(eager.due());
  EXPECT_EQ(eager.at(0).words_total, 1u);  // never a division by zero
}

}  // namespace
}  // namespace wordvec
