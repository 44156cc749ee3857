// The village household survey (入户核查, 附件2): every rule about the households a village must
// visit, their visits, the inspection group's spot checks, and the enrollment request a visit
// that found a risk opens. It checks permissions itself (the campaign's actions plan_survey,
// record_visit, spot_check_visit, create_enrollment, view, view_personal_data; the visit
// machine's guards for its events) and talks to its own port, engine/survey_store.h; enrollment
// requests go through ItemService, like any other. It reads no clock: every command takes `now`.
//
// Who sees what: a household is related to the actor's unit when it is that unit's village
// (Relations::village), so "unit_member:related" and "unit_member:village" grants reach a village's
// own households. What the actor may not see is kNotFound, as if it did not exist; an action the
// table does not grant is kPermissionDenied and changes nothing. A campaign without a `survey`
// section answers kFailedPrecondition to everything.
//
// Thread-safe if the store and the item service are.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/campaign.h"
#include "engine/csv_records.h"
#include "engine/item_service.h"
#include "engine/survey.h"
#include "engine/survey_coverage.h"
#include "engine/survey_store.h"

namespace rectify {

// A household as a list or a village gives it. Empty fields are checked by ValidateHousehold.
struct NewSurveyHousehold {
  std::string village;         // required: a village of the campaign
  std::string group;           // optional: 村民小组
  std::string head_name;       // required
  std::string household_type;  // required: a survey.household_types id or name
  std::string priority;        // required: a survey.priorities id or name
  std::string note;            // optional
  PersonalData personal;       // optional ID number and phone (validated, stored normalised)
};

// A household with what this actor may do with it now.
struct SurveyHouseholdView {
  SurveyHousehold household;
  std::vector<std::string> allowed_events;  // visit workflow events this actor may fire now
  bool personal_data_visible = false;       // the actor may see its personal data unmasked
  bool may_open_enrollment = false;         // a standing visit found a risk, none opened yet, and granted
};

// What an import would do: the rows to store, those already on the list (skipped, so a list
// fixed and imported again adds only what is new), and every bad row.
struct SurveyImportPlan {
  // kInvalidArgument (field "file") naming the limit when the file is over one
  // (engine/import_limits.h); then nothing else is filled in.
  Status refused;
  std::vector<NewSurveyHousehold> households;  // valid and new, in file order
  std::vector<int> lines;                      // the line of each
  std::vector<int> already_listed;             // lines of rows whose household is listed already
  std::vector<ImportError> errors;             // engine/problem_import.h's shape
};

// The enrollment request a visit opened, and the household now linked to it.
struct OpenedEnrollment {
  SurveyHouseholdView household;
  ItemView enrollment;
};

class HouseholdSurvey {
 public:
  // Everything must outlive the service.
  HouseholdSurvey(const Campaign& campaign, SurveyStore& store, ItemService& items)
      : campaign_(campaign), store_(store), items_(items) {}

  // Checks one household against the campaign (the village, the choices, the personal data,
  // which it normalises) and returns it with ids for names. `field_prefix` starts the field
  // paths of errors.
  Result<NewSurveyHousehold> ValidateHousehold(NewSurveyHousehold input, Instant now,
                                               const std::string& field_prefix = {}) const;

  // The plan for rows read from a list (engine/survey_import.h): a household already listed
  // (same village, group and head of household) is skipped; one listed twice in the file is an
  // error. kPermissionDenied naming the village when plan_survey is not granted for a row's village.
  Result<SurveyImportPlan> PlanImport(SurveyImportPlan parsed, const Actor& actor);
  // Stores every household of a plan without errors, all or none (kUnprocessable when it has errors).
  Result<std::vector<SurveyHousehold>> Import(const SurveyImportPlan& plan, const Actor& actor, Instant now);
  // One household the village found on the way (found_on_the_way).
  Result<SurveyHouseholdView> AddHousehold(const NewSurveyHousehold& input, const Actor& actor, Instant now);

  Result<SurveyHouseholdView> Get(std::int64_t id, const Actor& actor);
  // Narrowed to what the actor may see: someone who sees only related households gets their own
  // village's; asking for another village is kPermissionDenied.
  // A village or state the campaign does not know is kInvalidArgument naming it.
  Result<std::vector<SurveyHouseholdView>> List(SurveyQuery query, const Actor& actor);
  Result<std::vector<SurveyEvent>> History(std::int64_t id, const Actor& actor);

  // Records a visit (附件2) and fires `record`. The visit must have a date (not in the future), a
  // team of at least survey.minimum_team named people with known roles, no negative numbers, and,
  // when it found a risk, the risk type, the date it appeared (not after the visit) and the
  // household category for the enrollment. kInvalidArgument naming the field; the machine's
  // refusals as ItemService::Fire reports them (kFailedPrecondition, kPermissionDenied).
  Result<SurveyHouseholdView> RecordVisit(std::int64_t id, SurveyVisit visit, const Actor& actor,
                                          std::optional<std::int64_t> expected_version, Instant now);
  // Fires `spot_check` or `send_back` (with `reason`) on the household's visit.
  Result<SurveyHouseholdView> Review(std::int64_t id, const EventInput& input, const Actor& actor,
                                     std::optional<std::int64_t> expected_version, Instant now);

  // Opens the enrollment request (识别纳入) of a household whose standing visit found a risk, in
  // one step: the household, category, risk type and date from the visit, the campaign's
  // survey clue source (基层干部排查), the default deadline (two months from the risk date), and
  // links the two both ways. kFailedPrecondition when there is no standing visit with a risk, or
  // a request is open already; the create_enrollment grant as ItemService checks it.
  Result<OpenedEnrollment> OpenEnrollment(std::int64_t id, const Actor& actor, Instant now);
  // The household whose visit opened the enrollment request, if the actor may see it; nullopt
  // when none did.
  Result<std::optional<SurveyHouseholdView>> HouseholdOfEnrollment(std::int64_t enrollment_id, const Actor& actor);

  // The photo of the signed paper sheet, kept with the latest visit: needs record_visit on the
  // household and a recorded visit (kFailedPrecondition before one). Bytes as AttachmentStore
  // takes them: the caller has checked the size and the type.
  Result<SurveyPhoto> AddPhoto(std::int64_t id, const StoredFile& file, std::string_view bytes, const Actor& actor,
                               Instant now);
  Result<std::vector<SurveyPhoto>> Photos(std::int64_t id, const Actor& actor);
  // The bytes of one of the household's photos; kNotFound for a hash that is not among them.
  Result<std::pair<SurveyPhoto, std::string>> PhotoBytes(std::int64_t id, const std::string& sha256,
                                                         const Actor& actor);

  // Coverage (engine/survey_coverage.h) of what the actor may see: the town for those who see
  // every household, their own village for a village member; kPermissionDenied for a member of
  // another unit.
  Result<SurveyCoverage> Coverage(const Actor& actor, Instant as_of);

  // The households of a village (or all, for nullopt) as the actor may see them, each with the
  // disclosure its personal data gets, for the forms. kPermissionDenied for another village.
  struct Listed {
    std::optional<std::string> village;  // whose list: the one asked for, or a village's own; unset for the town's
    std::vector<SurveyHousehold> households;
    Disclosure disclosure = Disclosure::kMasked;  // kFull only when every one may be shown in full
  };
  Result<Listed> ForForms(const std::optional<std::string>& village, const Actor& actor);
  // Records an export of the forms in the audit log, before its bytes are sent.
  Status RecordExport(const Actor& actor, const std::string& subject, const std::string& detail);

  const Campaign& campaign() const { return campaign_; }

 private:
  Status Enabled() const;
  Relations RelationsTo(const SurveyHousehold& household, const Actor& actor) const;
  Result<SurveyHousehold> Visible(std::int64_t id, const Actor& actor);
  Result<SurveyHouseholdView> View(SurveyHousehold household, const Actor& actor) const;
  // For an actor who does not see everything: their own village (another is kPermissionDenied).
  Result<std::optional<std::string>> OwnVillageOnly(const std::optional<std::string>& asked, const Actor& actor) const;
  // Normalises the visit's choices to ids and checks it (see RecordVisit).
  Status CheckVisit(SurveyVisit& visit, Instant now) const;
  // Whether `event` may happen now, asked before its payload is looked at so that a refusal
  // names what this actor may do: the version, the event, the state, then the permission.
  Status Precheck(const SurveyHousehold& household, const std::string& event, const Actor& actor,
                  std::optional<std::int64_t> expected_version) const;
  // Fires `input` on the household and stores the change with `visit` appended when given.
  Result<SurveyHouseholdView> Fire(SurveyHousehold household, const EventInput& input,
                                   const std::optional<SurveyVisit>& visit, const std::string& note,
                                   const Actor& actor, Instant now);

  const Campaign& campaign_;
  SurveyStore& store_;
  ItemService& items_;
  // Opening an enrollment writes two stores (the item, then the link): one opening at a time in
  // this process, so a double tap cannot open two requests for one household.
  std::mutex open_enrollment_;
};

// Every household matching `query`, all pages (query.after_id and query.limit are ignored).
Result<std::vector<SurveyHousehold>> LoadSurveyHouseholds(SurveyStore& store, SurveyQuery query);

}  // namespace rectify
