#include "core/engine/warning.hpp"

namespace likematch {

std::string_view to_string(DiagnosticKind kind) {
  switch (kind) {
    case DiagnosticKind::malformed:
      return "malformed";
    case DiagnosticKind::oversized:
      return "oversized";
    case DiagnosticKind::duplicate_identical:
      return "duplicate";
    case DiagnosticKind::duplicate_conflicting:
      return "conflicting duplicate";
    case DiagnosticKind::late:
      return "late";
    case DiagnosticKind::misplaced_control:
      return "misplaced control line";
    case DiagnosticKind::gaps:
      return "gaps";
    case DiagnosticKind::buffer_limit:
      return "buffer limit";
  }
  return "?";
}

}  // namespace likematch
