#include "engine/phase_gates.h"

#include "engine/workflow.h"

namespace rectify {

std::vector<GateCheck> PhaseGates(const Campaign& campaign, Instant as_of) {
  std::vector<GateCheck> checks;
  for (const Phase& phase : campaign.phases) {
    for (const PhaseGate& gate : phase.gates) {
      GateCheck check;
      check.phase = &phase;
      check.gate = &gate;
      check.kind = gate.subject == DeadlineSubject::kEnrollment ? ItemKind::kEnrollment : ItemKind::kProblem;
      check.closes_at = ShanghaiInstant(phase.end, kSecondsPerDay);
      check.passed = check.closes_at <= as_of;
      check.behind.kind = check.kind;
      if (check.passed) check.behind.recorded_before = check.closes_at;
      const Workflow& workflow = WorkflowFor(check.kind);
      for (const std::string& state : workflow.States()) {
        if (state == gate.at_least) break;
        if (!workflow.IsClosed(StatePath::Parse(state))) check.behind.state_paths.push_back(state);
      }
      checks.push_back(std::move(check));
    }
  }
  return checks;
}

}  // namespace rectify
