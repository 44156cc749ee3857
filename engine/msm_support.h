// Boost.MSM plumbing shared by the machine translation units (problem_machine.cc,
// enrollment_machine.cc), and only by them: including this header costs ~3 s of compile time.
//
// Every machine here has the same shape: an outer machine whose top-level states are
// found / assigned / rectifying / verified / closed, where `rectifying` is a sub-machine of
// steps. Machines are restored from a stored StatePath through guarded `restore` rows
// (MSM 1.74 has no public "set current state"), fire one event, and are thrown away.
#pragma once

#include <boost/mpl/for_each.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include <algorithm>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/text.h"
#include "engine/workflow.h"

namespace rectify::msm_support {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

// What one Fire() call carries through guards and actions. Events hold a pointer to it, so
// guards and actions in any (sub-)machine reach the request without machine-level state.
struct FireScratch {
  const EventInput* input = nullptr;
  const Authority* who = nullptr;
  Pending pending;  // what the item awaits beside its state
  ItemKind kind = ItemKind::kProblem;
  TransitionEffects effects;
  bool denied = false;  // set by role_allows
  std::string field;    // set by the first guard that refuses
  std::string message;

  bool Refuse(const char* bad_field, const char* why) {
    if (field.empty()) {
      field = bad_field;
      message = why;
    }
    return false;
  }
};

// Base of every API event. `name` is the spelling in the API and the history.
struct Event {
  FireScratch* scratch = nullptr;
  const EventInput& in() const { return *scratch->input; }
};

// The vocabulary both workflows share: the design card's top-level states and the events that
// mean the same thing in each. Each machine adds its own steps and events.
// clang-format off
struct found    : msm::front::state<> { static constexpr const char* name = "found"; };
struct assigned : msm::front::state<> { static constexpr const char* name = "assigned"; };
struct verified : msm::front::state<> { static constexpr const char* name = "verified"; };
struct closed   : msm::front::state<> { static constexpr const char* name = "closed"; };

struct assign    : Event { static constexpr const char* name = "assign"; };
struct reassign  : Event { static constexpr const char* name = "reassign"; };
struct start     : Event { static constexpr const char* name = "start"; };
struct progress  : Event { static constexpr const char* name = "progress"; };
struct send_back : Event { static constexpr const char* name = "send_back"; };
struct verify    : Event { static constexpr const char* name = "verify"; };
struct close     : Event { static constexpr const char* name = "close"; };
struct reopen    : Event { static constexpr const char* name = "reopen"; };
struct supervise : Event { static constexpr const char* name = kSuperviseEvent; };  // 督办: a note, no move
// The events that answer what is pending (engine/workflow.h Pending): each says when it is possible.
struct sign_for          : Event { static constexpr const char* name = "sign_for";          // 签收
                                   static bool Possible(const Pending& p) { return p.sign_for; } };
struct request_extension : Event { static constexpr const char* name = "request_extension"; // 申请延期
                                   static bool Possible(const Pending& p) { return !p.extension; } };
struct approve_extension : Event { static constexpr const char* name = "approve_extension"; // 批准延期
                                   static bool Possible(const Pending& p) { return p.extension; } };
struct refuse_extension  : Event { static constexpr const char* name = "refuse_extension";  // 不予延期
                                   static bool Possible(const Pending& p) { return p.extension; } };
// clang-format on

// Whether event E is possible with what is pending: events without a Possible() always are.
template <class E, class = void>
struct has_possible : std::false_type {};
template <class E>
struct has_possible<E, std::void_t<decltype(E::Possible(std::declval<const Pending&>()))>> : std::true_type {};
template <class E>
bool PossibleNow(const Pending& pending) {
  if constexpr (has_possible<E>::value) return E::Possible(pending);
  else return true;
}

// Restoring: `restore` enters a top-level state from `unloaded`; `restore_step` then moves
// a sub-machine from its initial step to the stored one. Neither is reachable from the API.
struct restore {
  std::string state;
};
struct restore_step {
  std::string step;
};
struct unloaded : msm::front::state<> {};

template <class Target>
struct state_is {
  template <class E, class F, class S, class T>
  bool operator()(const E& e, F&, S&, T&) const { return e.state == Target::name; }
};
template <class Target>
struct step_is {
  template <class E, class F, class S, class T>
  bool operator()(const E& e, F&, S&, T&) const { return e.step == Target::name; }
};
template <class S>
using Load = Row<unloaded, restore, S, none, state_is<S>>;
template <class Initial, class S>
using LoadStep = Row<Initial, restore_step, S, none, step_is<S>>;

// States that have a `name` are the ones the API sees; `unloaded` and pseudo states have none.
template <class S, class = void>
struct is_named : std::false_type {};
template <class S>
struct is_named<S, std::void_t<decltype(S::name)>> : std::true_type {};

// The name of a row's source as the permission table spells it: a state, or a step.
template <class S>
constexpr const char* SourceName() {
  if constexpr (is_named<S>::value) return S::name;
  else return "";
}

// ---- guards ----
// Whether the actor's roles and unit may fire this event from this state or step
// (engine/permissions.h). Every API row starts with it, so a refusal changes nothing.
struct role_allows {
  template <class E, class F, class S, class T>
  bool operator()(const E& e, F&, S&, T&) const {
    const FireScratch& s = *e.scratch;
    if (s.who->permissions.MayFire(s.kind, E::name, SourceName<S>(), s.who->actor, s.who->relations)) return true;
    e.scratch->denied = true;
    return false;
  }
};

// What a guard demands of the request (`demands`) and an action reads of it (`reads`), as
// event_field bits (engine/workflow.h): a machine's rows say which fields each event takes.
template <class T, class = void>
struct demanded_by : std::integral_constant<unsigned, 0> {};
template <class T>
struct demanded_by<T, std::void_t<decltype(T::demands)>> : std::integral_constant<unsigned, T::demands> {};
template <class T, class = void>
struct read_by : std::integral_constant<unsigned, 0> {};
template <class T>
struct read_by<T, std::void_t<decltype(T::reads)>> : std::integral_constant<unsigned, T::reads> {};

// Guards in order, stopping at the first that refuses.
template <class... Guards>
struct all_of {
  static constexpr unsigned demands = (demanded_by<Guards>::value | ... | 0u);
  template <class E, class F, class S, class T>
  bool operator()(const E& e, F& fsm, S& source, T& target) const {
    return (Guards()(e, fsm, source, target) && ...);
  }
};

// Predicates on the request, which name the field they refuse. White space alone is no answer.
struct has_unit {
  static constexpr unsigned demands = event_field::kUnit;
  template <class E, class F, class S, class T>
  bool operator()(const E& e, F&, S&, T&) const {
    return !e.in().unit.empty() || e.scratch->Refuse("unit", "a responsible unit is required");
  }
};
struct has_reason {
  static constexpr unsigned demands = event_field::kReason;
  template <class E, class F, class S, class T>
  bool operator()(const E& e, F&, S&, T&) const {
    return !IsBlank(e.in().reason) || e.scratch->Refuse("reason", "a reason is required");
  }
};
struct has_note {
  static constexpr unsigned demands = event_field::kNote;
  template <class E, class F, class S, class T>
  bool operator()(const E& e, F&, S&, T&) const {
    return !IsBlank(e.in().note) || e.scratch->Refuse("note", "a note is required");
  }
};
struct has_entry_date {
  static constexpr unsigned demands = event_field::kEnteredOn;
  template <class E, class F, class S, class T>
  bool operator()(const E& e, F&, S&, T&) const {
    return e.in().entered_on.has_value() ||
           e.scratch->Refuse("entered_on", "the date the household was entered in the national system is required");
  }
};
struct has_deadline {
  static constexpr unsigned demands = event_field::kDeadline;
  template <class E, class F, class S, class T>
  bool operator()(const E& e, F&, S&, T&) const {
    return e.in().deadline.has_value() || e.scratch->Refuse("deadline", "the deadline asked for is required");
  }
};
struct has_explanation {
  static constexpr unsigned demands = event_field::kExplanation;
  template <class E, class F, class S, class T>
  bool operator()(const E& e, F&, S&, T&) const {
    return !IsBlank(e.in().explanation) ||
           e.scratch->Refuse("explanation", "the explanation given to the household is required");
  }
};

// ---- actions: verbs that record what the transition decided ----
struct set_unit {
  static constexpr unsigned reads = event_field::kUnit;
  template <class E, class F, class S, class T>
  void operator()(const E& e, F&, S&, T&) const { e.scratch->effects.unit = e.in().unit; }
};
struct count_send_back {
  template <class E, class F, class S, class T>
  void operator()(const E& e, F&, S&, T&) const { e.scratch->effects.sent_back = true; }
};
// A reopening may give the new deadline (else the campaign's reopen rule: engine/item_effects.cc).
struct mark_reopened {
  static constexpr unsigned reads = event_field::kDeadline;
  template <class E, class F, class S, class T>
  void operator()(const E& e, F&, S&, T&) const { e.scratch->effects.reopened = true; }
};
// The (new) responsible unit must acknowledge the item (签收): assigned, reassigned, sent back,
// reopened.
struct ask_sign_for {
  template <class E, class F, class S, class T>
  void operator()(const E& e, F&, S&, T&) const { e.scratch->effects.sign_for_requested = true; }
};
// The unit acknowledges an item it was waiting to sign for, by signing or by taking up the work.
struct record_signing {
  template <class E, class F, class S, class T>
  void operator()(const E& e, F&, S&, T&) const { e.scratch->effects.signed_for = e.scratch->pending.sign_for; }
};
struct record_extension_request {
  template <class E, class F, class S, class T>
  void operator()(const E& e, F&, S&, T&) const { e.scratch->effects.extension = ExtensionDecision::kRequested; }
};
// An approval may give another deadline than the one asked for (engine/item_effects.cc).
struct grant_extension {
  static constexpr unsigned reads = event_field::kDeadline;
  template <class E, class F, class S, class T>
  void operator()(const E& e, F&, S&, T&) const { e.scratch->effects.extension = ExtensionDecision::kApproved; }
};
struct deny_extension {
  template <class E, class F, class S, class T>
  void operator()(const E& e, F&, S&, T&) const { e.scratch->effects.extension = ExtensionDecision::kRefused; }
};
// Actions in order, as one row's action.
template <class... Actions>
struct each_of {
  static constexpr unsigned reads = (read_by<Actions>::value | ... | 0u);
  template <class E, class F, class S, class T>
  void operator()(const E& e, F& fsm, S& source, T& target) const {
    (Actions()(e, fsm, source, target), ...);
  }
};
struct record_enrolled {
  static constexpr unsigned reads = event_field::kEnteredOn;
  template <class E, class F, class S, class T>
  void operator()(const E& e, F&, S&, T&) const {
    e.scratch->effects.outcome = EnrollmentOutcome{"enrolled", e.in().entered_on, {}};
  }
};
struct record_not_eligible {
  static constexpr unsigned reads = event_field::kExplanation;
  template <class E, class F, class S, class T>
  void operator()(const E& e, F&, S&, T&) const {
    e.scratch->effects.outcome = EnrollmentOutcome{"not_eligible", std::nullopt, e.in().explanation};
  }
};

// Machine-wide settings every front-end here inherits: exceptions from actions propagate
// (MSM's release-mode default would swallow them and report success), and an event with no
// row is a reportable outcome, not MSM's asserting default.
template <class Derived>
struct machine_def : msm::front::state_machine_def<Derived> {
  using no_exception_thrown = int;
  template <class Fsm, class E>
  void no_transition(const E&, Fsm&, int) {}
};

// ---- introspection ----
template <class W>
struct unwrap;
template <class T>
struct unwrap<msm::wrap<T>> {
  using type = T;
};


template <class Fsm>
std::string ActiveStateName(const Fsm& fsm) {
  const int current = fsm.current_state()[0];
  std::string out;
  mpl::for_each<typename Fsm::transition_table, msm::wrap<mpl::placeholders::_1>>([&](auto w) {
    using R = typename unwrap<decltype(w)>::type;
    using Source = typename R::Source;
    using Target = typename R::Target;
    if constexpr (is_named<Source>::value)
      if (msm::back::get_state_id<typename Fsm::stt, Source>::value == current) out = Source::name;
    if constexpr (is_named<Target>::value)
      if (msm::back::get_state_id<typename Fsm::stt, Target>::value == current) out = Target::name;
  });
  return out;
}

// Named states in table order, without repeats.
template <class Fsm>
std::vector<std::string> NamedStates() {
  std::vector<std::string> out;
  auto add = [&](const char* name) {
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  };
  mpl::for_each<typename Fsm::transition_table, msm::wrap<mpl::placeholders::_1>>([&](auto w) {
    using R = typename unwrap<decltype(w)>::type;
    if constexpr (is_named<typename R::Source>::value) add(R::Source::name);
    if constexpr (is_named<typename R::Target>::value) add(R::Target::name);
  });
  return out;
}

// API events with a row from the machine's active state, in table order. Rows from unnamed
// sources (restore rows, exits of sub-machines) are not the API's.
template <class Fsm, class Permit>
void AppendAllowedEvents(const Fsm& fsm, std::vector<std::string>& out, const Permit& permit,
                         const Pending& pending = {}) {
  const int current = fsm.current_state()[0];
  mpl::for_each<typename Fsm::transition_table, msm::wrap<mpl::placeholders::_1>>([&](auto w) {
    using R = typename unwrap<decltype(w)>::type;
    using Source = typename R::Source;
    using E = typename R::Evt;
    if constexpr (is_named<Source>::value && std::is_base_of_v<Event, E>) {
      if (msm::back::get_state_id<typename Fsm::stt, Source>::value == current &&
          std::find(out.begin(), out.end(), E::name) == out.end() && PossibleNow<E>(pending) &&
          permit(E::name, SourceName<Source>()))
        out.push_back(E::name);
    }
  });
}

// Fires the event of `EventList` named `input.name` on `fsm`, its guards and actions reading
// `scratch`. `known` says whether the list has such an event at all.
// An event that is not possible with what is pending is not fired (`handled` stays false).
template <class EventList, class Fsm>
msm::back::HandledEnum ProcessNamedEvent(Fsm& fsm, const EventInput& input, FireScratch& scratch, bool& known) {
  known = false;
  msm::back::HandledEnum handled = msm::back::HANDLED_FALSE;
  mpl::for_each<EventList, msm::wrap<mpl::placeholders::_1>>([&](auto w) {
    using E = typename unwrap<decltype(w)>::type;
    if (known || input.name != E::name) return;
    known = true;
    if (!PossibleNow<E>(scratch.pending)) return;
    E event;
    event.scratch = &scratch;
    handled = fsm.process_event(event);
  });
  return handled;
}

// What the API rows of `Table` for the event named `event` take and demand, added to `fields`
// (`rows` counts them: the first sets what is required, the others keep what they all demand).
template <class Table>
void AddEventFields(const std::string& event, EventFields& fields, int& rows) {
  mpl::for_each<Table, msm::wrap<mpl::placeholders::_1>>([&](auto w) {
    using R = typename unwrap<decltype(w)>::type;
    using E = typename R::Evt;
    if constexpr (is_named<typename R::Source>::value && std::is_base_of_v<Event, E>) {
      if (event != E::name) return;
      const unsigned demanded = demanded_by<typename R::Guard>::value;
      fields.takes |= demanded | read_by<typename R::Action>::value;
      fields.required = rows++ == 0 ? demanded : (fields.required & demanded);
    }
  });
}

template <class Events>
std::vector<std::string> EventNames() {
  std::vector<std::string> out;
  mpl::for_each<Events, msm::wrap<mpl::placeholders::_1>>([&](auto w) {
    using E = typename unwrap<decltype(w)>::type;
    out.push_back(E::name);
  });
  return out;
}

// A Workflow over an outer machine `Fsm` whose state `Steps` (a sub-machine named
// Steps::name) holds steps. `EventList` lists the API events.
template <class Fsm, class Steps, class EventList, ItemKind kKind>
class MachineWorkflow final : public Workflow {
 public:
  ItemKind kind() const override { return kKind; }

  StatePath Initial() const override { return StatePath{found::name, {}}; }
  StatePath Closed() const override { return StatePath{closed::name, {}}; }

  // Walked out of the machine once: the figures ask for every open item.
  std::vector<std::string> States() const override {
    static const std::vector<std::string> states = [] {
      std::vector<std::string> out;
      for (const std::string& state : NamedStates<Fsm>()) {
        if (state != Steps::name) {
          out.push_back(state);
          continue;
        }
        for (const std::string& step : NamedStates<Steps>()) out.push_back(state + "." + step);
      }
      return out;
    }();
    return states;
  }

  std::vector<std::string> Events() const override { return EventNames<EventList>(); }

  EventFields FieldsOf(const std::string& event) const override {
    EventFields fields;
    int rows = 0;
    AddEventFields<typename Fsm::transition_table>(event, fields, rows);
    AddEventFields<typename Steps::transition_table>(event, fields, rows);
    return fields;
  }

  Result<std::vector<std::string>> AllowedEvents(const StatePath& from, const Pending& pending) const override {
    Fsm fsm;
    RECTIFY_RETURN_IF_ERROR(Restore(fsm, from));
    return Allowed(fsm, pending, [](const char*, const char*) { return true; });
  }

  Result<std::vector<std::string>> PermittedEvents(const StatePath& from, const Pending& pending,
                                                   const Authority& who) const override {
    Fsm fsm;
    RECTIFY_RETURN_IF_ERROR(Restore(fsm, from));
    return Allowed(fsm, pending, [&who](const char* event, const char* source) {
      return who.permissions.MayFire(kKind, event, source, who.actor, who.relations);
    });
  }

  Result<FireResult> Fire(const StatePath& from, const Pending& pending, const EventInput& input,
                          const Authority& who) const override {
    Fsm fsm;
    RECTIFY_RETURN_IF_ERROR(Restore(fsm, from));
    FireScratch scratch;
    scratch.input = &input;
    scratch.who = &who;
    scratch.pending = pending;
    scratch.kind = kKind;
    FireResult result;
    bool known = false;
    const msm::back::HandledEnum handled = ProcessNamedEvent<EventList>(fsm, input, scratch, known);
    const auto permitted = [&who](const char* event, const char* source) {
      return who.permissions.MayFire(kKind, event, source, who.actor, who.relations);
    };
    if (!known) {
      result.outcome = FireOutcome::kUnknownEvent;
      result.allowed = Allowed(fsm, pending, permitted);
      return result;
    }
    if (handled == msm::back::HANDLED_TRUE) {
      result.outcome = FireOutcome::kDone;
      result.to = Current(fsm);
      result.effects = std::move(scratch.effects);
      return result;
    }
    if (scratch.denied) {
      result.outcome = FireOutcome::kDenied;
      result.allowed = Allowed(fsm, pending, permitted);
      return result;
    }
    if (!scratch.field.empty()) {
      result.outcome = FireOutcome::kRejectedByGuard;
      result.field = scratch.field;
      result.message = scratch.message;
      return result;
    }
    result.outcome = FireOutcome::kNotAllowedNow;
    result.allowed = Allowed(fsm, pending, permitted);
    return result;
  }

 private:
  static Status Restore(Fsm& fsm, const StatePath& path) {
    fsm.start();
    const bool has_steps = path.state == Steps::name;
    if (fsm.process_event(restore{path.state}) != msm::back::HANDLED_TRUE || (!has_steps && !path.step.empty()))
      return Status::Internal("stored state \"" + path.ToString() + "\" is not a state of the " +
                              ItemKindName(kKind) + " workflow");
    if (has_steps && !path.step.empty() && Current(fsm).step != path.step &&
        fsm.process_event(restore_step{path.step}) != msm::back::HANDLED_TRUE)
      return Status::Internal("stored step \"" + path.ToString() + "\" is not a step of the " +
                              ItemKindName(kKind) + " workflow");
    return Status::Ok();
  }

  static StatePath Current(const Fsm& fsm) {
    StatePath path{ActiveStateName(fsm), {}};
    if (path.state == Steps::name)
      path.step = ActiveStateName(const_cast<Fsm&>(fsm).template get_state<Steps&>());
    return path;
  }

  template <class Permit>
  static std::vector<std::string> Allowed(const Fsm& fsm, const Pending& pending, const Permit& permit) {
    std::vector<std::string> out;
    if (ActiveStateName(fsm) == Steps::name)
      AppendAllowedEvents(const_cast<Fsm&>(fsm).template get_state<Steps&>(), out, permit, pending);
    AppendAllowedEvents(fsm, out, permit, pending);
    return out;
  }
};

}  // namespace rectify::msm_support
