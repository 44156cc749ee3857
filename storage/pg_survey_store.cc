#include "storage/pg_survey_store.h"

// Not written yet: each method fails until its PostgreSQL version lands.

namespace rectify {
Result<std::vector<SurveyHousehold>> PgSurveyStore::AddHouseholds(std::vector<SurveyHousehold>, std::vector<SurveyEvent>) { return Status::Internal("postgresql: PgSurveyStore::AddHouseholds is not written yet"); }
Result<SurveyHousehold> PgSurveyStore::GetHousehold(std::int64_t) { return Status::Internal("postgresql: PgSurveyStore::GetHousehold is not written yet"); }
Result<std::vector<SurveyHousehold>> PgSurveyStore::ListHouseholds(const SurveyQuery&) { return Status::Internal("postgresql: PgSurveyStore::ListHouseholds is not written yet"); }
Result<SurveyHousehold> PgSurveyStore::Update(const SurveyHousehold&, const std::optional<SurveyVisit>&, const SurveyEvent&) { return Status::Internal("postgresql: PgSurveyStore::Update is not written yet"); }
Result<std::vector<SurveyEvent>> PgSurveyStore::History(std::int64_t) { return Status::Internal("postgresql: PgSurveyStore::History is not written yet"); }
Result<std::optional<std::int64_t>> PgSurveyStore::HouseholdOfEnrollment(std::int64_t) { return Status::Internal("postgresql: PgSurveyStore::HouseholdOfEnrollment is not written yet"); }
Result<SurveyPhoto> PgSurveyStore::AddPhoto(SurveyPhoto, std::string_view) { return Status::Internal("postgresql: PgSurveyStore::AddPhoto is not written yet"); }
Result<std::vector<SurveyPhoto>> PgSurveyStore::ListPhotos(std::int64_t) { return Status::Internal("postgresql: PgSurveyStore::ListPhotos is not written yet"); }
Result<std::string> PgSurveyStore::ReadPhotoBytes(const std::string&) { return Status::Internal("postgresql: PgSurveyStore::ReadPhotoBytes is not written yet"); }
Status PgSurveyStore::AppendAudit(const AuditRecord&) { return Status::Internal("postgresql: PgSurveyStore::AppendAudit is not written yet"); }

}  // namespace rectify
