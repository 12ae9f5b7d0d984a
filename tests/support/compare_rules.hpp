#pragma once

#include <string_view>

#include "core/engine/engine.hpp"
#include "core/rules/rule_comparison.hpp"

namespace likematch::testing {

// Runs a whole stream through an Engine that computes every rule variant, and returns what
// each variant would have sent.
inline RuleComparison compare_rules(std::string_view text) {
  class ComparingSink : public EngineSink {
   public:
    void on_match(const Match&) override {}
    void on_diagnostic(const Diagnostic&) override {}
    void on_candidate(const Match& match, std::uint8_t variants) override {
      comparison.on_candidate(match, variants);
    }
    void on_decided(const Event& event) override { comparison.on_decided(event); }

    RuleComparison comparison;
  };
  ComparingSink sink;
  EngineOptions options;
  options.observe_events = true;
  options.all_variants = true;
  Engine engine(options, sink);
  engine.feed(text);
  engine.finish();
  return std::move(sink.comparison);
}

}  // namespace likematch::testing
