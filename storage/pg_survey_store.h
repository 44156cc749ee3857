// The household survey's port (engine/survey_store.h) on a PgDatabase: tables survey_* of
// schema version 1 (pg_migrations.cc). It shares the database, its connections, its write turn
// and its audit chain with the other adapters; photo bytes go into the table `blobs`
// (storage/pg_blobs.h), so that every instance serves every photo.
//
// Errors: the codes the port names; anything PostgreSQL reports is kInternal with its message.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/survey_store.h"
#include "storage/pg_database.h"

namespace rectify {

class PgSurveyStore final : public SurveyStore {
 public:
  // `database` must outlive the store.
  explicit PgSurveyStore(PgDatabase& database) : database_(database) {}

  Result<std::vector<SurveyHousehold>> AddHouseholds(std::vector<SurveyHousehold> households,
                                                     std::vector<SurveyEvent> added) override;
  Result<SurveyHousehold> GetHousehold(std::int64_t id) override;
  Result<std::vector<SurveyHousehold>> ListHouseholds(const SurveyQuery& query) override;
  Result<SurveyHousehold> Update(const SurveyHousehold& household, const std::optional<SurveyVisit>& visit,
                                 const SurveyEvent& event) override;
  Result<std::vector<SurveyEvent>> History(std::int64_t household_id) override;
  Result<std::optional<std::int64_t>> HouseholdOfEnrollment(std::int64_t enrollment_id) override;
  Result<SurveyPhoto> AddPhoto(SurveyPhoto photo, std::string_view bytes) override;
  Result<std::vector<SurveyPhoto>> ListPhotos(std::int64_t household_id) override;
  Result<std::string> ReadPhotoBytes(const std::string& sha256) override;
  Status AppendAudit(const AuditRecord& record) override;

 private:
  PgDatabase& database_;
};

}  // namespace rectify
