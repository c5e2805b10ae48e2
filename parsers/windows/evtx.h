// Windows event log (evtx) decoding shared with the tests: which events matter to an investigator and
// why. The parser itself (windows.evtx) lives in evtx.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace custos {

// An event's data items in document order: (name, value); the name is empty for unnamed <Data>.
using EventDataItems = std::vector<std::pair<std::string, std::string>>;

// "logon (type 10, remote interactive)", "service installed"...; "" for events that are not among the
// ones an officer looks at first. Event IDs are only unique per provider, so the provider counts.
std::string EventSignificance(std::string_view provider, uint32_t event_id, const EventDataItems& data);

}  // namespace custos
