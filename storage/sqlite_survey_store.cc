#include "storage/sqlite_survey_store.h"

#include <utility>

#include "engine/attachments.h"
#include "storage/file_blobs.h"
#include "storage/survey_sql.h"

namespace rectify {
namespace {

using sqlite::Db;
using sqlite::Query;
using survey_sql::Flag;
using survey_sql::Subject;

Status ReadTeam(Db& db, SurveyVisit& visit) {
  Query query = db.Prepare("SELECT name, role FROM survey_visit_team WHERE visit_id = ? ORDER BY position");
  query.BindAll(visit.id);
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    visit.team.push_back({query.Text(0), query.Text(1)});
  }
}

// The current row of a kHouseholdColumns query, its visit's team read with `db`.
Result<SurveyHousehold> ReadHousehold(Db& db, const Query& row) {
  SurveyHousehold h = survey_sql::ReadHousehold(row);
  if (h.visit) RECTIFY_RETURN_IF_ERROR(ReadTeam(db, *h.visit));
  return h;
}

Result<std::optional<SurveyHousehold>> FindHousehold(Db& db, std::int64_t id) {
  Query query = db.Prepare(std::string(survey_sql::kHouseholdColumns) + "WHERE h.id = ?");
  query.BindAll(id);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<SurveyHousehold>();
  auto household = ReadHousehold(db, query);
  if (!household.ok()) return household.status();
  return std::optional<SurveyHousehold>(std::move(household.value()));
}

Status InsertEvent(Db& db, std::int64_t household_id, const SurveyEvent& e) {
  return db.Prepare(survey_sql::kInsertEvent)
      .BindAll(household_id, e.from, e.to, e.event, e.actor, e.at, e.note)
      .Run();
}

Result<std::int64_t> InsertVisit(Db& db, std::int64_t household_id, const SurveyVisit& v) {
  Query insert = db.Prepare(survey_sql::kInsertVisit);
  RECTIFY_RETURN_IF_ERROR(survey_sql::BindVisit(insert, household_id, v).Run());
  const std::int64_t visit_id = db.LastInsertId();
  for (std::size_t i = 0; i < v.team.size(); ++i)
    RECTIFY_RETURN_IF_ERROR(db.Prepare(survey_sql::kInsertTeamMember)
                                .BindAll(visit_id, static_cast<std::int64_t>(i), v.team[i].name, v.team[i].role)
                                .Run());
  return visit_id;
}

// The stored version of household `id`, nullopt when there is no such household.
Result<std::optional<std::int64_t>> StoredVersion(Db& db, std::int64_t id) {
  Query query = db.Prepare(survey_sql::kVersionOf);
  query.BindAll(id);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(query.Int(0));
}

}  // namespace

Result<std::vector<SurveyHousehold>> SqliteSurveyStore::AddHouseholds(std::vector<SurveyHousehold> households,
                                                                      std::vector<SurveyEvent> added) {
  if (households.size() != added.size())
    return Status::InvalidArgument("added", "needs one add event per household: " + std::to_string(households.size()) +
                                                " households, " + std::to_string(added.size()) + " events");
  if (households.empty()) return households;
  Status written = database_.Write([&](Db& db) {
    for (std::size_t i = 0; i < households.size(); ++i) {
      SurveyHousehold& h = households[i];
      RECTIFY_RETURN_IF_ERROR(db.Prepare(survey_sql::kInsertHousehold)
                                  .BindAll(h.village, h.group, h.head_name, h.household_type, h.priority, h.note,
                                           h.personal.id_number, h.personal.phone, Flag(h.found_on_the_way), h.state,
                                           h.added_at, h.added_by, h.updated_at, h.campaign)
                                  .Run());
      h.id = db.LastInsertId();
      h.version = 1;
      h.visit.reset();
      h.enrollment_id.reset();
      added[i].household_id = h.id;
      RECTIFY_RETURN_IF_ERROR(InsertEvent(db, h.id, added[i]));
      RECTIFY_RETURN_IF_ERROR(database_.Audit(
          db, MakeAuditRecord(added[i].actor, "survey.add", Subject(h.id), survey_sql::AddedDetail(h, added[i]))));
    }
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return households;
}

Result<SurveyHousehold> SqliteSurveyStore::GetHousehold(std::int64_t id) {
  auto lease = database_.Read();
  if (!lease.ok()) return lease.status();
  auto found = FindHousehold(lease->db(), id);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound(Subject(id) + " not found");
  return std::move(**found);
}

Result<std::vector<SurveyHousehold>> SqliteSurveyStore::ListHouseholds(const SurveyQuery& query) {
  if (query.limit < 1) return Status::InvalidArgument("limit", "must be at least 1");
  auto lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Db& db = lease->db();
  Query select = db.Prepare(survey_sql::ListHouseholdsSql(query));
  int index = 0;
  select.Bind(++index, query.after_id);
  if (query.campaign) select.Bind(++index, *query.campaign);
  if (query.village) select.Bind(++index, *query.village);
  for (const std::string& state : query.states) select.Bind(++index, state);
  select.Bind(++index, std::int64_t{query.limit});
  std::vector<SurveyHousehold> out;
  while (true) {
    Result<bool> row = select.Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    auto household = ReadHousehold(db, select);
    if (!household.ok()) return household.status();
    out.push_back(std::move(household.value()));
  }
}

Result<SurveyHousehold> SqliteSurveyStore::Update(const SurveyHousehold& household,
                                                  const std::optional<SurveyVisit>& visit, const SurveyEvent& event) {
  std::optional<SurveyHousehold> stored;
  Status written = database_.Write([&](Db& db) {
    std::optional<std::int64_t> visit_id;
    if (visit) {
      // Checked first: a visit of a missing household would otherwise fail on its foreign key.
      auto version = StoredVersion(db, household.id);
      if (!version.ok()) return version.status();
      if (!*version) return Status::NotFound(Subject(household.id) + " not found");
      auto inserted = InsertVisit(db, household.id, *visit);
      if (!inserted.ok()) return inserted.status();
      visit_id = *inserted;
    }
    RECTIFY_RETURN_IF_ERROR(db.Prepare(survey_sql::kUpdateHousehold)
                                .BindAll(household.state, household.enrollment_id, Flag(household.found_on_the_way),
                                         household.updated_at, visit_id, household.id, household.version)
                                .Run());
    if (db.Changes() == 0) {
      auto version = StoredVersion(db, household.id);
      if (!version.ok()) return version.status();
      if (!*version) return Status::NotFound(Subject(household.id) + " not found");
      return Status::Aborted(Subject(household.id) + " was changed by someone else: it is at version " +
                             std::to_string(**version) + ", not " + std::to_string(household.version));
    }
    RECTIFY_RETURN_IF_ERROR(InsertEvent(db, household.id, event));
    RECTIFY_RETURN_IF_ERROR(database_.Audit(db, MakeAuditRecord(event.actor, "survey." + event.event,
                                                                Subject(household.id), survey_sql::EventDetail(event))));
    auto found = FindHousehold(db, household.id);
    if (!found.ok()) return found.status();
    stored = std::move(*found);
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return std::move(*stored);
}

Result<std::vector<SurveyEvent>> SqliteSurveyStore::History(std::int64_t household_id) {
  auto lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Db& db = lease->db();
  auto version = StoredVersion(db, household_id);
  if (!version.ok()) return version.status();
  if (!*version) return Status::NotFound(Subject(household_id) + " not found");
  Query query = db.Prepare(survey_sql::kHistory);
  query.BindAll(household_id);
  std::vector<SurveyEvent> events;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return events;
    events.push_back(survey_sql::ReadEvent(query, household_id));
  }
}

Result<std::optional<std::int64_t>> SqliteSurveyStore::HouseholdOfEnrollment(std::int64_t enrollment_id) {
  auto lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->db().Prepare(survey_sql::kHouseholdOfEnrollment);
  query.BindAll(enrollment_id);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(query.Int(0));
}

Result<SurveyPhoto> SqliteSurveyStore::AddPhoto(SurveyPhoto photo, std::string_view bytes) {
  photo.file.sha256 = ContentHash(bytes);
  photo.file.size = static_cast<std::int64_t>(bytes.size());
  // The bytes first: a record must never name a file that is not all there.
  RECTIFY_RETURN_IF_ERROR(WriteBlob(database_.files_dir(), photo.file.sha256, bytes));
  Status written = database_.Write([&](Db& db) {
    auto version = StoredVersion(db, photo.household_id);
    if (!version.ok()) return version.status();
    if (!*version) return Status::NotFound(Subject(photo.household_id) + " not found");
    RECTIFY_RETURN_IF_ERROR(db.Prepare(survey_sql::kInsertPhoto)
                                .BindAll(photo.household_id, photo.visit_id, photo.file.sha256, photo.file.name,
                                         photo.file.size, photo.file.content_type, photo.uploaded_at,
                                         photo.uploaded_by)
                                .Run());
    photo.id = db.LastInsertId();
    return database_.Audit(db, MakeAuditRecord(photo.uploaded_by, "survey.photo", Subject(photo.household_id),
                                                survey_sql::PhotoDetail(photo)));
  });
  if (!written.ok()) return written;
  return photo;
}

Result<std::vector<SurveyPhoto>> SqliteSurveyStore::ListPhotos(std::int64_t household_id) {
  auto lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->db().Prepare(survey_sql::kListPhotos);
  query.BindAll(household_id);
  std::vector<SurveyPhoto> photos;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return photos;
    photos.push_back(survey_sql::ReadPhoto(query, household_id));
  }
}

Result<std::string> SqliteSurveyStore::ReadPhotoBytes(const std::string& sha256) {
  if (!IsContentHash(sha256)) return Status::NotFound("no stored file " + sha256);
  return ReadBlob(database_.files_dir(), sha256);
}

Status SqliteSurveyStore::AppendAudit(const AuditRecord& record) { return database_.AppendAudit(record); }

}  // namespace rectify
