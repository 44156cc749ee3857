// The Boost-free face of the state machines. Each item kind's graph is a Boost.MSM machine
// compiled in its own translation unit (problem_machine.cc, enrollment_machine.cc); this header
// lets everything else fire events and ask questions without paying MSM's compile time.
//
// Machines keep no state between calls: every call restores a fresh machine from the stored
// state path, fires at most one event, and reports where it went. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/item.h"
#include "engine/permissions.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

// The 督办 event's name, as its history rows record it: the notifier reads these notes.
inline constexpr const char* kSuperviseEvent = "supervise";
// The history rows of a carry-over (回头看, engine/deployment_service.h). The problem that begins
// in the later campaign has kCarryOverEvent as its first row, in the state the old one stood in;
// the later campaign's figures and limits count it from this row on. (A problem carried before
// 2026-12 moved whole, and this row stands in the middle of its history.) The old problem gets
// kCarriedOutEvent, which changes nothing it is judged by: its campaign keeps it as it stood.
inline constexpr const char* kCarryOverEvent = "carry_over";
inline constexpr const char* kCarriedOutEvent = "carried_out";
// 帮扶跟进: a note of the help measures given to a household enrolled in monitoring, after its
// request closed (方案: 对所有纳入的监测户，都要及时跟进，采取针对性帮扶措施). Counted as a progress note.
inline constexpr const char* kFollowUpEvent = "follow_up";

// An event as a request carries it. Which fields matter depends on the event; guards
// report the first missing or bad one.
struct EventInput {
  std::string name;    // "assign", "start", "progress", "submit", "verify", "send_back", ...
  std::string note;    // free text kept in the history
  std::string unit;    // assign / reassign: the new responsible unit id
  std::string reason;  // send_back / reopen: why
  std::optional<CivilDate> entered_on;  // enrollment close as enrolled
  std::string explanation;              // enrollment close as not eligible
  // request_extension: the deadline asked for; approve_extension: another than the one asked
  // for (optional); reopen: the new deadline (else the campaign's reopen rule).
  std::optional<Instant> deadline;
};

// The fields of an EventInput beside its name, as the API spells them (EventFieldNames), one bit
// each. Every event takes a note, which its history row keeps; the other fields an event takes
// are the ones its rows' guards demand and actions read (engine/msm_support.h), so the machine
// says which they are and a field the event would ignore is refused, not dropped.
namespace event_field {
inline constexpr unsigned kNote = 1u << 0;
inline constexpr unsigned kUnit = 1u << 1;
inline constexpr unsigned kReason = 1u << 2;
inline constexpr unsigned kEnteredOn = 1u << 3;
inline constexpr unsigned kExplanation = 1u << 4;
inline constexpr unsigned kDeadline = 1u << 5;
}  // namespace event_field

struct EventFields {
  unsigned takes = event_field::kNote;  // what the event reads
  unsigned required = 0;                // what every row of the event demands (a subset of takes)
};
// The names of `fields`, in EventInput's order ("note", "unit", "reason", ...).
std::vector<std::string> EventFieldNames(unsigned fields);
// The fields `input` carries: a text that is not empty, a date or a deadline given.
unsigned FieldsGiven(const EventInput& input);
// Refuses a field `input` carries that its event does not take (400, reason field_not_taken,
// params event and takes), so that a deadline sent with `start` is not silently dropped.
Status CheckFieldsTaken(const EventInput& input, const EventFields& fields);

// What the machines' guards know of an item beside its state: the obligations that run next to
// the workflow. An event that answers one (sign_for, a decision on an extension) is possible only
// while it is pending, and only then listed among the allowed events.
struct Pending {
  bool sign_for = false;   // the responsible unit has not yet signed for the item (签收)
  bool extension = false;  // a request for a later deadline awaits the office (延期申请)
  bool enrolled = false;   // closed as enrolled (纳入监测): its help is followed up (帮扶跟进)
};
Pending PendingOf(const Item& item);

enum class ExtensionDecision { kNone, kRequested, kApproved, kRefused };

// What the transition's actions decided, for the caller to apply and persist.
struct TransitionEffects {
  std::optional<std::string> unit;  // new responsible unit
  bool sent_back = false;
  bool reopened = false;
  bool sign_for_requested = false;  // the (new) responsible unit must sign for the item
  bool signed_for = false;          // the responsible unit acknowledged it
  ExtensionDecision extension = ExtensionDecision::kNone;
  std::optional<EnrollmentOutcome> outcome;
  std::string note;  // the text for the history row
};

enum class FireOutcome {
  kDone,             // the transition happened
  kUnknownEvent,     // no such event in this workflow
  kNotAllowedNow,    // the event exists but has no transition from this state
  kDenied,           // a transition exists but the actor's role or unit may not fire it
  kRejectedByGuard,  // a transition exists but its guard refused the input (see field)
};

struct FireResult {
  FireOutcome outcome = FireOutcome::kDone;
  StatePath to;                      // kDone: the new state (may equal the old one)
  TransitionEffects effects;         // kDone
  std::string field;                 // kRejectedByGuard: the input field at fault
  std::string message;               // kRejectedByGuard: what is wrong with it
  std::vector<std::string> allowed;  // kNotAllowedNow, kUnknownEvent, kDenied: what `who` may fire here
};

class Workflow {
 public:
  virtual ~Workflow() = default;

  virtual ItemKind kind() const = 0;
  // Where a new item starts.
  virtual StatePath Initial() const = 0;
  // Where an item ends once it is done (closed, 销号): no deadline runs in it and nothing is due,
  // though a machine may let it be reopened. Every "is it open?" asks IsClosed.
  virtual StatePath Closed() const = 0;
  bool IsClosed(const StatePath& state) const { return state.state == Closed().state; }
  // Every state path the machine can be in, in table order ("found", "rectifying.working", ...).
  virtual std::vector<std::string> States() const = 0;
  // Every event name the machine accepts from the API.
  virtual std::vector<std::string> Events() const = 0;
  // The fields `event` takes and requires, read off its rows; only a note for an unknown event.
  virtual EventFields FieldsOf(const std::string& event) const = 0;
  // Events with a transition from `from` that `pending` makes possible (payload guards are not
  // evaluated). kInternal if `from` is not a state of this machine (corrupt data).
  virtual Result<std::vector<std::string>> AllowedEvents(const StatePath& from, const Pending& pending) const = 0;
  // Those of AllowedEvents that `who` may fire (the permission table; payloads not evaluated).
  virtual Result<std::vector<std::string>> PermittedEvents(const StatePath& from, const Pending& pending,
                                                           const Authority& who) const = 0;
  // Restores `from` and fires `input` as `who`: the rows' guards check the role first, then
  // what is pending, then the payload. kInternal only for a state path this machine cannot
  // restore or an action that failed; every refusal of the input is a FireResult.
  virtual Result<FireResult> Fire(const StatePath& from, const Pending& pending, const EventInput& input,
                                  const Authority& who) const = 0;
};

const Workflow& ProblemWorkflow();
const Workflow& EnrollmentWorkflow();
const Workflow& WorkflowFor(ItemKind kind);

}  // namespace rectify
