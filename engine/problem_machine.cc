// The problem workflow (问题整改): the only translation unit that compiles its Boost.MSM
// machine. Found by an inspection, assigned (交办) to a responsible unit, rectified and
// submitted, verified (验收) by the inspection group or sent back with a reason, closed
// (销号) by the office, and reopened (回头看) with a reason if it comes back.
#include "engine/msm_support.h"

namespace rectify {
namespace {

using namespace msm_support;  // NOLINT: the tables below read as a vocabulary

struct submit : Event { static constexpr const char* name = "submit"; };
using ProblemEvents = mpl::vector<assign, reassign, start, progress, submit, verify, send_back, close, reopen,
                                   supervise>;

// Inside `rectifying`: the unit works, then submits; the inspection group verifies (leaving
// through the `verified_exit` pseudo state) or sends it back to work.
struct rectifying_ : machine_def<rectifying_> {
  static constexpr const char* name = "rectifying";
  struct working   : msm::front::state<> { static constexpr const char* name = "working"; };
  struct submitted : msm::front::state<> { static constexpr const char* name = "submitted"; };
  struct verified_exit : msm::front::exit_pseudo_state<verify> {};
  using initial_state = working;

  // clang-format off
  struct transition_table : mpl::vector<
  //         Source     Event      Target         Action           Guard
      Row  < working  , progress , none         , none           , all_of<role_allows, has_note>   >,
      Row  < working  , submit   , submitted    , none           , role_allows       >,
      Row  < submitted, send_back, working      , count_send_back, all_of<role_allows, has_reason> >,
      Row  < submitted, verify   , verified_exit, none           , role_allows       >,
      LoadStep<working, submitted>
  > {};
  // clang-format on
};
using Rectifying = msm::back::state_machine<rectifying_>;

struct problem_ : machine_def<problem_> {
  using initial_state = unloaded;
  using VerifiedExit = Rectifying::exit_pt<rectifying_::verified_exit>;

  // clang-format off
  struct transition_table : mpl::vector<
  //         Source      Event      Target      Action         Guard
      Row  < found     , assign   , assigned  , set_unit     , all_of<role_allows, has_unit>   >,
      Row  < assigned  , reassign , none      , set_unit     , all_of<role_allows, has_unit>   >,
      Row  < assigned  , start    , Rectifying, none         , role_allows       >,
      Row  < Rectifying, reassign , none      , set_unit     , all_of<role_allows, has_unit>   >,
      Row  < VerifiedExit, verify , verified  , none         , none       >,
      Row  < verified  , close    , closed    , none         , role_allows       >,
      Row  < closed    , reopen   , Rectifying, mark_reopened, all_of<role_allows, has_reason> >,
      Row  < found     , supervise , none      , none         , all_of<role_allows, has_note> >,
      Row  < assigned  , supervise , none      , none         , all_of<role_allows, has_note> >,
      Row  < Rectifying, supervise , none      , none         , all_of<role_allows, has_note> >,
      Row  < verified  , supervise , none      , none         , all_of<role_allows, has_note> >,
      Load<found>, Load<assigned>, Load<Rectifying>, Load<verified>, Load<closed>
  > {};
  // clang-format on
};
using ProblemFsm = msm::back::state_machine<problem_>;

}  // namespace

const Workflow& ProblemWorkflow() {
  static const MachineWorkflow<ProblemFsm, Rectifying, ProblemEvents, ItemKind::kProblem> workflow;
  return workflow;
}

}  // namespace rectify
