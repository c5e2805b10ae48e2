// Building a row's values: an absent optional becomes NULL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "triage/model/artefact.h"

namespace custos {

inline FieldValue TextOrNull(std::optional<std::string> s) {
  FieldValue v;
  if (s) v = std::move(*s);
  return v;
}
inline FieldValue IntOrNull(std::optional<int64_t> n) {
  FieldValue v;
  if (n) v = *n;
  return v;
}

}  // namespace custos
