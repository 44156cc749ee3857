// The enrollment workflow (识别纳入): a household at risk of returning to poverty, from the
// first clue to entry in the national monitoring system. The only translation unit that
// compiles its Boost.MSM machine. Inside `rectifying` the request walks the procedure of
// 中农组发〔2021〕7号: home visit, data comparison, village review, public notice, town review,
// county decision. Closing records the outcome: enrolled (with the date of entry in the
// national system) or not eligible (with the explanation the household was given).
#include <boost/mpl/vector/vector30.hpp>

#include "engine/msm_support.h"

namespace rectify {
namespace {

using namespace msm_support;  // NOLINT: the tables below read as a vocabulary

// clang-format off
struct complete_step    : Event { static constexpr const char* name = "complete_step"; };
struct close_ineligible : Event { static constexpr const char* name = "close_ineligible"; };
struct follow_up        : Event { static constexpr const char* name = kFollowUpEvent;  // 帮扶跟进
                                  static bool Possible(const Pending& p) { return p.enrolled; } };
using EnrollmentEvents = mpl::vector<assign, reassign, start, progress, complete_step, send_back, verify, close,
                                     close_ineligible, reopen, supervise, sign_for, request_extension,
                                     approve_extension, refuse_extension, follow_up>;
// clang-format on

struct procedure_ : machine_def<procedure_> {
  static constexpr const char* name = "rectifying";
  struct home_visit      : msm::front::state<> { static constexpr const char* name = "home_visit"; };       // 入户核实
  struct data_check      : msm::front::state<> { static constexpr const char* name = "data_check"; };       // 信息比对
  struct village_review  : msm::front::state<> { static constexpr const char* name = "village_review"; };   // 民主评议
  struct public_notice   : msm::front::state<> { static constexpr const char* name = "public_notice"; };    // 村级公示
  struct town_review     : msm::front::state<> { static constexpr const char* name = "town_review"; };      // 乡镇审核
  struct county_decision : msm::front::state<> { static constexpr const char* name = "county_decision"; };  // 县级审定
  struct decided_exit : msm::front::exit_pseudo_state<verify> {};
  using initial_state = home_visit;

  // clang-format off
  struct transition_table : mpl::vector<
  //         Source          Event          Target           Action           Guard
      Row  < home_visit     , complete_step, data_check     , record_signing , role_allows       >,
      Row  < data_check     , complete_step, village_review , record_signing , role_allows       >,
      Row  < village_review , complete_step, public_notice  , record_signing , role_allows       >,
      Row  < public_notice  , complete_step, town_review    , record_signing , role_allows       >,
      Row  < town_review    , complete_step, county_decision, none           , role_allows       >,
      Row  < town_review    , send_back    , home_visit     , each_of<count_send_back, ask_sign_for>, all_of<role_allows, has_reason> >,
      Row  < county_decision, send_back    , home_visit     , each_of<count_send_back, ask_sign_for>, all_of<role_allows, has_reason> >,
      Row  < county_decision, verify       , decided_exit   , none           , role_allows       >,
      LoadStep<home_visit, data_check>, LoadStep<home_visit, village_review>,
      LoadStep<home_visit, public_notice>, LoadStep<home_visit, town_review>,
      LoadStep<home_visit, county_decision>
  > {};
  // clang-format on
};
using Procedure = msm::back::state_machine<procedure_>;

struct enrollment_ : machine_def<enrollment_> {
  using initial_state = unloaded;
  using DecidedExit = Procedure::exit_pt<procedure_::decided_exit>;

  // clang-format off
  // As the problem's: assigning, reassigning and reopening ask the village to sign for the request
  // (签收), starting it signs; while it runs the village may ask for a later deadline (延期).
  using reassign_to = each_of<set_unit, ask_sign_for>;
  // An enrolled household's help is followed up after its request closed (帮扶跟进): a note, no move.
  struct transition_table : mpl::vector27<
  //         Source       Event              Target     Action                          Guard
      Row  < found      , assign           , assigned , reassign_to                   , all_of<role_allows, has_unit>        >,
      Row  < assigned   , reassign         , none     , reassign_to                   , all_of<role_allows, has_unit>        >,
      Row  < assigned   , sign_for         , none     , record_signing                , role_allows            >,
      Row  < assigned   , start            , Procedure, record_signing                , role_allows            >,
      Row  < Procedure  , reassign         , none     , reassign_to                   , all_of<role_allows, has_unit>        >,
      Row  < Procedure  , sign_for         , none     , record_signing                , role_allows            >,
      Row  < Procedure  , progress         , none     , none                          , all_of<role_allows, has_note>        >,
      Row  < DecidedExit, verify           , verified , none                          , none            >,
      Row  < Procedure  , close_ineligible , closed   , record_not_eligible           , all_of<role_allows, has_explanation> >,
      Row  < verified   , close            , closed   , record_enrolled               , all_of<role_allows, has_entry_date>  >,
      Row  < closed     , reopen           , Procedure, each_of<mark_reopened, ask_sign_for>, all_of<role_allows, has_reason>      >,
      Row  < closed     , follow_up        , none     , none                          , all_of<role_allows, has_note>        >,
      Row  < assigned   , request_extension, none     , record_extension_request      , all_of<role_allows, has_reason, has_deadline> >,
      Row  < Procedure  , request_extension, none     , record_extension_request      , all_of<role_allows, has_reason, has_deadline> >,
      Row  < assigned   , approve_extension, none     , grant_extension               , all_of<role_allows, has_reason> >,
      Row  < Procedure  , approve_extension, none     , grant_extension               , all_of<role_allows, has_reason> >,
      Row  < assigned   , refuse_extension , none     , deny_extension                , all_of<role_allows, has_reason> >,
      Row  < Procedure  , refuse_extension , none     , deny_extension                , all_of<role_allows, has_reason> >,
      Row  < found      , supervise        , none     , none                          , all_of<role_allows, has_note> >,
      Row  < assigned   , supervise        , none     , none                          , all_of<role_allows, has_note> >,
      Row  < Procedure  , supervise        , none     , none                          , all_of<role_allows, has_note> >,
      Row  < verified   , supervise        , none     , none                          , all_of<role_allows, has_note> >,
      Load<found>, Load<assigned>, Load<Procedure>, Load<verified>, Load<closed>
  > {};
  // clang-format on
};
using EnrollmentFsm = msm::back::state_machine<enrollment_>;

}  // namespace

const Workflow& EnrollmentWorkflow() {
  static const MachineWorkflow<EnrollmentFsm, Procedure, EnrollmentEvents, ItemKind::kEnrollment> workflow;
  return workflow;
}

const Workflow& WorkflowFor(ItemKind kind) {
  return kind == ItemKind::kProblem ? ProblemWorkflow() : EnrollmentWorkflow();
}

}  // namespace rectify
