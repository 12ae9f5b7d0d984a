#include "core/engine/warning.hpp"

namespace likematch {

std::string_view to_string(WarningKind kind) {
  switch (kind) {
    case WarningKind::malformed:
      return "malformed";
    case WarningKind::oversized:
      return "oversized";
    case WarningKind::duplicate_identical:
      return "duplicate";
    case WarningKind::duplicate_conflicting:
      return "conflicting duplicate";
    case WarningKind::late:
      return "late";
    case WarningKind::misplaced_control:
      return "misplaced control line";
    case WarningKind::after_end:
      return "after the end";
    case WarningKind::gaps:
      return "gaps";
    case WarningKind::buffer_limit:
      return "buffer limit";
  }
  return "?";
}

std::string_view consequence(WarningKind kind) {
  switch (kind) {
    case WarningKind::oversized:
      return "skipped";
    case WarningKind::duplicate_identical:
    case WarningKind::late:
    case WarningKind::misplaced_control:
    case WarningKind::after_end:
      return "ignored";
    case WarningKind::duplicate_conflicting:
      return "ignored (the first copy is kept)";
    case WarningKind::malformed:
    case WarningKind::gaps:
    case WarningKind::buffer_limit:
      return "";
  }
  return "";
}

}  // namespace likematch
