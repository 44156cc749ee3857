// The campaign's phase gates (行动步骤: by the end of a phase, its items must have reached a
// state) as of an instant, defined once for the API's gate list and the notifier's 督办 list.
#pragma once

#include <vector>

#include "engine/campaign.h"
#include "engine/item_store.h"
#include "engine/time.h"

namespace rectify {

struct GateCheck {
  const Phase* phase = nullptr;      // points into the campaign
  const PhaseGate* gate = nullptr;
  ItemKind kind = ItemKind::kProblem;
  Instant closes_at = 0;  // 24:00 of the phase's last day
  bool passed = false;    // closes_at <= as_of: what is behind it now missed it
  // The items behind the gate: open, and in a state before `gate->at_least` in the machine's
  // order; once passed, only those recorded before it closed (one recorded later could not have
  // reached the state by then, and is no phase's miss). `behind.state_paths` is empty when no
  // state comes before it (nothing can be behind).
  ItemQuery behind;
};

// Every gate of every phase, in the campaign's order.
std::vector<GateCheck> PhaseGates(const Campaign& campaign, Instant as_of);

}  // namespace rectify
