// The household survey's own storage port (engine/household_survey.h is its only caller): the
// households on the villages' lists, their visits, history and photos. SQLite implements it in
// storage/sqlite_survey_store.h; tests/storage/contract/survey_store_test.cc holds the behaviour
// every implementation must show.
//
// Implementations must be safe to call from many threads at once. Each method that writes is
// one transaction, all or nothing, durable when it returns Ok, and appends its audit record
// (engine/audit.h) in that same transaction: actions "survey.add", "survey.<event>" and
// "survey.photo", subject "survey household <id>".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/audit.h"
#include "engine/status.h"
#include "engine/survey.h"

namespace rectify {

// Households in id order, paged by keyset: pass the last id of a page as `after_id`.
struct SurveyQuery {
  std::optional<std::string> campaign;  // unset: every campaign's
  std::optional<std::string> village;  // unset: every village
  std::vector<std::string> states;     // in any of these states; empty: any
  std::int64_t after_id = 0;
  int limit = 100;
};

class SurveyStore {
 public:
  virtual ~SurveyStore() = default;

  // Stores new households (without a visit) and their "add" history rows, one per household in
  // the same order (household_id filled in here): all or, on any failure, none. Ids, version 1
  // and seq are assigned; the returned households carry them, in input order.
  // kInvalidArgument when the two lists differ in length.
  virtual Result<std::vector<SurveyHousehold>> AddHouseholds(std::vector<SurveyHousehold> households,
                                                             std::vector<SurveyEvent> added) = 0;

  // With its latest visit. kNotFound when there is no such household.
  virtual Result<SurveyHousehold> GetHousehold(std::int64_t id) = 0;
  // Each with its latest visit. kInvalidArgument (field "limit") when limit < 1.
  virtual Result<std::vector<SurveyHousehold>> ListHouseholds(const SurveyQuery& query) = 0;

  // Writes the household's state and enrollment link, appends `visit` when given (its id and
  // household are assigned here; it becomes the latest) and appends `event`, only if the stored
  // version is still `household.version`; the stored version becomes version + 1. Returns the
  // household as now stored. kAborted if someone else wrote first, kNotFound if it is gone.
  // The listed fields (village, name, personal data, ...) never change here.
  virtual Result<SurveyHousehold> Update(const SurveyHousehold& household, const std::optional<SurveyVisit>& visit,
                                         const SurveyEvent& event) = 0;

  // Every event of the household, oldest first. kNotFound for an unknown household.
  virtual Result<std::vector<SurveyEvent>> History(std::int64_t household_id) = 0;

  // The household whose visit opened this enrollment request; nullopt when none did.
  virtual Result<std::optional<std::int64_t>> HouseholdOfEnrollment(std::int64_t enrollment_id) = 0;

  // Stores the bytes (under their SHA-256, durable before the record commits, as evidence files
  // are: engine/attachments.h) and records the photo; `file.sha256`, `.size` and `id` are set
  // here. kNotFound for an unknown household.
  virtual Result<SurveyPhoto> AddPhoto(SurveyPhoto photo, std::string_view bytes) = 0;
  // The household's photos, oldest first.
  virtual Result<std::vector<SurveyPhoto>> ListPhotos(std::int64_t household_id) = 0;
  // The bytes stored under `sha256`; kNotFound when there are none.
  virtual Result<std::string> ReadPhotoBytes(const std::string& sha256) = 0;

  // Records an action that changes nothing else (an export of 附件2); the store stamps it.
  virtual Status AppendAudit(const AuditRecord& record) = 0;
};

}  // namespace rectify
