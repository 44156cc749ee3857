// The problem workflow (问题整改): the only translation unit that compiles its Boost.MSM
// machine. Found by an inspection, assigned (交办) to a responsible unit, rectified and
// submitted, verified (验收) by the inspection group or sent back with a reason, closed
// (销号) by the office, and reopened (回头看) with a reason if it comes back.
#include <boost/mpl/vector/vector30.hpp>

#include "engine/msm_support.h"

namespace rectify {
namespace {

using namespace msm_support;  // NOLINT: the tables below read as a vocabulary

struct submit : Event { static constexpr const char* name = "submit"; };
using ProblemEvents = mpl::vector<assign, reassign, start, progress, submit, verify, send_back, close, reopen,
                                   supervise, sign_for, request_extension, approve_extension, refuse_extension>;

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
      Row  < working  , submit   , submitted    , record_signing , role_allows       >,
      Row  < submitted, send_back, working      , each_of<count_send_back, ask_sign_for>, all_of<role_allows, has_reason> >,
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
  // Assigning, reassigning and reopening ask the unit to sign for the item (签收); starting the
  // work, or submitting it after a send-back, signs for it too. While the unit holds the item it
  // may ask for a later deadline (延期), which the office approves or refuses.
  using reassign_to = each_of<set_unit, ask_sign_for>;
  struct transition_table : mpl::vector24<
  //         Source      Event              Target      Action                          Guard
      Row  < found     , assign           , assigned  , reassign_to                   , all_of<role_allows, has_unit>   >,
      Row  < assigned  , reassign         , none      , reassign_to                   , all_of<role_allows, has_unit>   >,
      Row  < assigned  , sign_for         , none      , record_signing                , role_allows       >,
      Row  < assigned  , start            , Rectifying, record_signing                , role_allows       >,
      Row  < Rectifying, reassign         , none      , reassign_to                   , all_of<role_allows, has_unit>   >,
      Row  < Rectifying, sign_for         , none      , record_signing                , role_allows       >,
      Row  < VerifiedExit, verify         , verified  , none                          , none       >,
      Row  < verified  , close            , closed    , none                          , role_allows       >,
      Row  < closed    , reopen           , Rectifying, each_of<mark_reopened, ask_sign_for>, all_of<role_allows, has_reason> >,
      Row  < assigned  , request_extension, none      , record_extension_request      , all_of<role_allows, has_reason, has_deadline> >,
      Row  < Rectifying, request_extension, none      , record_extension_request      , all_of<role_allows, has_reason, has_deadline> >,
      Row  < assigned  , approve_extension, none      , grant_extension               , all_of<role_allows, has_reason> >,
      Row  < Rectifying, approve_extension, none      , grant_extension               , all_of<role_allows, has_reason> >,
      Row  < assigned  , refuse_extension , none      , deny_extension                , all_of<role_allows, has_reason> >,
      Row  < Rectifying, refuse_extension , none      , deny_extension                , all_of<role_allows, has_reason> >,
      Row  < found     , supervise        , none      , none                          , all_of<role_allows, has_note> >,
      Row  < assigned  , supervise        , none      , none                          , all_of<role_allows, has_note> >,
      Row  < Rectifying, supervise        , none      , none                          , all_of<role_allows, has_note> >,
      Row  < verified  , supervise        , none      , none                          , all_of<role_allows, has_note> >,
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
