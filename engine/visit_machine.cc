// The household visit workflow (入户核查): the only translation unit that compiles its Boost.MSM
// machine (engine/visit_workflow.h has the graph in words). Its guards ask the campaign's action
// grants, not the item event tables: a visit is not an item.
#include "engine/msm_support.h"
#include "engine/visit_workflow.h"

namespace rectify {
namespace {

using namespace msm_support;  // NOLINT: the tables below read as a vocabulary

// Each event names the action of the permission table that allows it.
// clang-format off
struct record          : Event { static constexpr const char* name = "record";     static constexpr const char* action = "record_visit"; };
struct spot_check      : Event { static constexpr const char* name = "spot_check"; static constexpr const char* action = "spot_check_visit"; };
struct send_back_visit : Event { static constexpr const char* name = "send_back";  static constexpr const char* action = "spot_check_visit"; };
using VisitEvents = mpl::vector<record, spot_check, send_back_visit>;

// `stage`: what the state means for the figures (engine/visit_workflow.h).
struct to_visit     : msm::front::state<> { static constexpr const char* name = "to_visit";     static constexpr VisitStage stage = VisitStage::kToVisit; };
struct recorded     : msm::front::state<> { static constexpr const char* name = "recorded";     static constexpr VisitStage stage = VisitStage::kRecorded; };
struct spot_checked : msm::front::state<> { static constexpr const char* name = "spot_checked"; static constexpr VisitStage stage = VisitStage::kSpotChecked; };
struct sent_back    : msm::front::state<> { static constexpr const char* name = "sent_back";    static constexpr VisitStage stage = VisitStage::kSentBack; };
// clang-format on

// Whether the actor may do the event's action on this household (engine/permissions.h); the
// first guard of every row, so a refusal changes nothing.
struct action_granted {
  template <class E, class F, class S, class T>
  bool operator()(const E& e, F&, S&, T&) const {
    const FireScratch& s = *e.scratch;
    if (s.who->permissions.MayDo(E::action, s.who->actor, s.who->relations)) return true;
    e.scratch->denied = true;
    return false;
  }
};

struct visit_ : machine_def<visit_> {
  using initial_state = unloaded;

  // clang-format off
  struct transition_table : mpl::vector<
  //         Source        Event            Target        Action  Guard
      Row  < to_visit    , record         , recorded    , none  , action_granted                      >,
      Row  < recorded    , spot_check     , spot_checked, none  , action_granted                      >,
      Row  < recorded    , send_back_visit, sent_back   , none  , all_of<action_granted, has_reason>  >,
      Row  < sent_back   , record         , recorded    , none  , action_granted                      >,
      Load<to_visit>, Load<recorded>, Load<spot_checked>, Load<sent_back>
  > {};
  // clang-format on
};
using VisitFsm = msm::back::state_machine<visit_>;

class MachineVisitWorkflow final : public VisitWorkflow {
 public:
  std::string Initial() const override { return to_visit::name; }
  std::vector<std::string> States() const override { return NamedStates<VisitFsm>(); }
  std::vector<std::string> Events() const override { return EventNames<VisitEvents>(); }

  EventFields FieldsOf(const std::string& event) const override {
    EventFields fields;
    int rows = 0;
    AddEventFields<VisitFsm::transition_table>(event, fields, rows);
    return fields;
  }

  VisitStage StageOf(std::string_view state) const override {
    VisitStage stage = VisitStage::kToVisit;
    ForEachState([&](const char* name, VisitStage state_stage) {
      if (state == name) stage = state_stage;
    });
    return stage;
  }

  std::vector<std::string> StatesAllowing(std::string_view event) const override {
    std::vector<std::string> out;
    ForEachRow([&](const char* source, const char* row_event) {
      if (event == row_event && std::find(out.begin(), out.end(), source) == out.end()) out.push_back(source);
    });
    return out;
  }

  Result<std::vector<std::string>> PermittedEvents(const std::string& from, const Authority& who) const override {
    VisitFsm fsm;
    RECTIFY_RETURN_IF_ERROR(Restore(fsm, from));
    return Permitted(fsm, who);
  }

  Result<FireResult> Fire(const std::string& from, const EventInput& input, const Authority& who) const override {
    VisitFsm fsm;
    RECTIFY_RETURN_IF_ERROR(Restore(fsm, from));
    FireScratch scratch;
    scratch.input = &input;
    scratch.who = &who;
    bool known = false;
    const msm::back::HandledEnum handled = ProcessNamedEvent<VisitEvents>(fsm, input, scratch, known);
    FireResult result;
    if (known && handled == msm::back::HANDLED_TRUE) {
      result.to = StatePath{ActiveStateName(fsm), {}};
      return result;
    }
    if (known && !scratch.denied && !scratch.field.empty()) {
      result.outcome = FireOutcome::kRejectedByGuard;
      result.field = scratch.field;
      result.message = scratch.message;
      return result;
    }
    result.outcome = !known ? FireOutcome::kUnknownEvent
                            : scratch.denied ? FireOutcome::kDenied : FireOutcome::kNotAllowedNow;
    result.allowed = Permitted(fsm, who);
    return result;
  }

 private:
  // Calls visit(source name, event name) for every API row of the table.
  template <class Visit>
  static void ForEachRow(const Visit& visit) {
    mpl::for_each<VisitFsm::transition_table, msm::wrap<mpl::placeholders::_1>>([&](auto w) {
      using R = typename unwrap<decltype(w)>::type;
      using Source = typename R::Source;
      using E = typename R::Evt;
      if constexpr (is_named<Source>::value && std::is_base_of_v<Event, E>) visit(Source::name, E::name);
    });
  }

  // Calls visit(state name, stage) for every named state, sources and targets alike.
  template <class Visit>
  static void ForEachState(const Visit& visit) {
    mpl::for_each<VisitFsm::transition_table, msm::wrap<mpl::placeholders::_1>>([&](auto w) {
      using R = typename unwrap<decltype(w)>::type;
      if constexpr (is_named<typename R::Source>::value) visit(R::Source::name, R::Source::stage);
      if constexpr (is_named<typename R::Target>::value) visit(R::Target::name, R::Target::stage);
    });
  }

  static Status Restore(VisitFsm& fsm, const std::string& state) {
    fsm.start();
    if (fsm.process_event(restore{state}) != msm::back::HANDLED_TRUE)
      return Status::Internal("stored state \"" + state + "\" is not a state of the visit workflow");
    return Status::Ok();
  }

  static std::vector<std::string> Permitted(const VisitFsm& fsm, const Authority& who) {
    std::vector<std::string> out;
    AppendAllowedEvents(fsm, out, [&who](const char* event, const char*) {
      const char* action = "";
      mpl::for_each<VisitEvents, msm::wrap<mpl::placeholders::_1>>([&](auto w) {
        using E = typename unwrap<decltype(w)>::type;
        if (std::string_view(event) == E::name) action = E::action;
      });
      return who.permissions.MayDo(action, who.actor, who.relations);
    });
    return out;
  }
};

}  // namespace

const VisitWorkflow& SurveyVisitWorkflow() {
  static const MachineVisitWorkflow workflow;
  return workflow;
}

}  // namespace rectify
