// The case file's schema as numbered, forward-only migrations: migration N (1-based) takes
// PRAGMA user_version from N-1 to N. Never edit a migration that has shipped; add the next one.
#pragma once

#include <string_view>
#include <vector>

namespace custos {

const std::vector<std::string_view>& SchemaMigrations();

}  // namespace custos
