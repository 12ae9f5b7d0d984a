#pragma once

#include <string_view>

#include "core/engine/engine.hpp"
#include "core/rules/rule_comparison.hpp"
#include "tests/support/recording_sink.hpp"

namespace likematch::test {

// Runs a whole stream through an Engine that computes every rule variant, and returns what
// each variant would have sent.
inline RuleComparison compare_rules(std::string_view text) {
  class ComparingSink : public EngineSink {
   public:
    void on_match(const Match&) override {}
    Flow on_warning(const Warning&) override { return Flow::go_on; }
    void on_variant_match(const Match& match, VariantSet variants) override {
      comparison.on_variant_match(match, variants);
    }
    void on_decided(const Event& event) override { comparison.on_decided(event); }

    RuleComparison comparison;
  };
  ComparingSink sink;
  EngineOptions options;
  options.observe_events = true;
  options.all_variants = true;
  run_whole(text, options, sink);
  return std::move(sink.comparison);
}

}  // namespace likematch::test
