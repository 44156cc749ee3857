#include "storage/pg_survey_store.h"

#include <map>
#include <utility>

#include "engine/attachments.h"
#include "storage/pg_blobs.h"
#include "storage/survey_sql.h"

namespace rectify {
namespace {

using pg::Conn;
using pg::Query;
using survey_sql::Flag;
using survey_sql::Subject;

// Fills in the teams of the households' visits with one query for all of them (a page of a
// list costs one round trip more, not one per household).
Status ReadTeams(Conn& conn, std::vector<SurveyHousehold>& households) {
  std::map<std::int64_t, SurveyVisit*> visits;
  std::string ids;  // a PostgreSQL array literal: {3,5,8}
  for (SurveyHousehold& h : households) {
    if (!h.visit) continue;
    visits[h.visit->id] = &*h.visit;
    ids += (ids.empty() ? "{" : ",") + std::to_string(h.visit->id);
  }
  if (visits.empty()) return Status::Ok();
  Query query = conn.Prepare(
      "SELECT visit_id, name, role FROM survey_visit_team WHERE visit_id = ANY (?::bigint[]) "
      "ORDER BY visit_id, position");
  query.BindAll(ids + "}");
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    visits.at(query.Int(0))->team.push_back({query.Text(1), query.Text(2)});
  }
}

// The households `query` (a kHouseholdColumns query, bound) finds, with their teams.
Result<std::vector<SurveyHousehold>> ReadHouseholds(Conn& conn, Query& query) {
  std::vector<SurveyHousehold> out;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(survey_sql::ReadHousehold(query));
  }
  RECTIFY_RETURN_IF_ERROR(ReadTeams(conn, out));
  return out;
}

Result<std::optional<SurveyHousehold>> FindHousehold(Conn& conn, std::int64_t id) {
  Query query = conn.Prepare(std::string(survey_sql::kHouseholdColumns) + "WHERE h.id = ?");
  query.BindAll(id);
  Result<std::vector<SurveyHousehold>> found = ReadHouseholds(conn, query);
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<SurveyHousehold>();
  return std::optional<SurveyHousehold>(std::move(found->front()));
}

Status InsertEvent(Conn& conn, std::int64_t household_id, const SurveyEvent& e) {
  return conn.Prepare(survey_sql::kInsertEvent)
      .BindAll(household_id, e.from, e.to, e.event, e.actor, e.at, e.note)
      .Run();
}

Result<std::int64_t> InsertVisit(Conn& conn, std::int64_t household_id, const SurveyVisit& v) {
  Query insert = conn.Prepare(std::string(survey_sql::kInsertVisit) + " RETURNING id");
  survey_sql::BindVisit(insert, household_id, v);
  Result<bool> row = insert.Step();
  if (!row.ok()) return row.status();
  const std::int64_t visit_id = insert.Int(0);
  for (std::size_t i = 0; i < v.team.size(); ++i)
    RECTIFY_RETURN_IF_ERROR(
        conn.Prepare(survey_sql::kInsertTeamMember)
            .BindAll(visit_id, static_cast<std::int64_t>(i), v.team[i].name, v.team[i].role)
            .Run());
  return visit_id;
}

// The stored version of household `id`, nullopt when there is no such household.
Result<std::optional<std::int64_t>> StoredVersion(Conn& conn, std::int64_t id) {
  Query query = conn.Prepare(survey_sql::kVersionOf);
  query.BindAll(id);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(query.Int(0));
}

}  // namespace

Result<std::vector<SurveyHousehold>> PgSurveyStore::AddHouseholds(std::vector<SurveyHousehold> households,
                                                                  std::vector<SurveyEvent> added) {
  if (households.size() != added.size())
    return Status::InvalidArgument("added", "needs one add event per household: " + std::to_string(households.size()) +
                                                " households, " + std::to_string(added.size()) + " events");
  if (households.empty()) return households;
  Status written = database_.Write([&](Conn& conn) {
    for (std::size_t i = 0; i < households.size(); ++i) {
      SurveyHousehold& h = households[i];
      Query insert = conn.Prepare(std::string(survey_sql::kInsertHousehold) + " RETURNING id");
      insert.BindAll(h.village, h.group, h.head_name, h.household_type, h.priority, h.note, h.personal.id_number,
                     h.personal.phone, Flag(h.found_on_the_way), h.state, h.added_at, h.added_by, h.updated_at,
                     h.campaign);
      Result<bool> row = insert.Step();
      if (!row.ok()) return row.status();
      h.id = insert.Int(0);
      h.version = 1;
      h.visit.reset();
      h.enrollment_id.reset();
      added[i].household_id = h.id;
      RECTIFY_RETURN_IF_ERROR(InsertEvent(conn, h.id, added[i]));
      RECTIFY_RETURN_IF_ERROR(database_.Audit(
          conn, MakeAuditRecord(added[i].actor, "survey.add", Subject(h.id), survey_sql::AddedDetail(h, added[i]))));
    }
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return households;
}

Result<SurveyHousehold> PgSurveyStore::GetHousehold(std::int64_t id) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  auto found = FindHousehold(lease->conn(), id);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound(Subject(id) + " not found");
  return std::move(**found);
}

Result<std::vector<SurveyHousehold>> PgSurveyStore::ListHouseholds(const SurveyQuery& query) {
  if (query.limit < 1) return Status::InvalidArgument("limit", "must be at least 1");
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Conn& conn = lease->conn();
  Query select = conn.Prepare(survey_sql::ListHouseholdsSql(query));
  int index = 0;
  select.Bind(++index, query.after_id);
  if (query.campaign) select.Bind(++index, *query.campaign);
  if (query.village) select.Bind(++index, *query.village);
  for (const std::string& state : query.states) select.Bind(++index, state);
  select.Bind(++index, std::int64_t{query.limit});
  return ReadHouseholds(conn, select);
}

Result<SurveyHousehold> PgSurveyStore::Update(const SurveyHousehold& household, const std::optional<SurveyVisit>& visit,
                                              const SurveyEvent& event) {
  std::optional<SurveyHousehold> stored;
  Status written = database_.Write([&](Conn& conn) {
    std::optional<std::int64_t> visit_id;
    if (visit) {
      // Checked first: a visit of a missing household would otherwise fail on its foreign key.
      auto version = StoredVersion(conn, household.id);
      if (!version.ok()) return version.status();
      if (!*version) return Status::NotFound(Subject(household.id) + " not found");
      auto inserted = InsertVisit(conn, household.id, *visit);
      if (!inserted.ok()) return inserted.status();
      visit_id = *inserted;
    }
    Query update = conn.Prepare(survey_sql::kUpdateHousehold);
    update.BindAll(household.state, household.enrollment_id, Flag(household.found_on_the_way), household.updated_at,
                   visit_id, household.id, household.version);
    RECTIFY_RETURN_IF_ERROR(update.Run());
    if (update.Changes() == 0) {
      auto version = StoredVersion(conn, household.id);
      if (!version.ok()) return version.status();
      if (!*version) return Status::NotFound(Subject(household.id) + " not found");
      return Status::Aborted(Subject(household.id) + " was changed by someone else: it is at version " +
                             std::to_string(**version) + ", not " + std::to_string(household.version));
    }
    RECTIFY_RETURN_IF_ERROR(InsertEvent(conn, household.id, event));
    RECTIFY_RETURN_IF_ERROR(database_.Audit(conn, MakeAuditRecord(event.actor, "survey." + event.event,
                                                                  Subject(household.id), survey_sql::EventDetail(event))));
    auto found = FindHousehold(conn, household.id);
    if (!found.ok()) return found.status();
    stored = std::move(*found);
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return std::move(*stored);
}

Result<std::vector<SurveyEvent>> PgSurveyStore::History(std::int64_t household_id) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Conn& conn = lease->conn();
  auto version = StoredVersion(conn, household_id);
  if (!version.ok()) return version.status();
  if (!*version) return Status::NotFound(Subject(household_id) + " not found");
  Query query = conn.Prepare(survey_sql::kHistory);
  query.BindAll(household_id);
  std::vector<SurveyEvent> events;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return events;
    events.push_back(survey_sql::ReadEvent(query, household_id));
  }
}

Result<std::optional<std::int64_t>> PgSurveyStore::HouseholdOfEnrollment(std::int64_t enrollment_id) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->conn().Prepare(survey_sql::kHouseholdOfEnrollment);
  query.BindAll(enrollment_id);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(query.Int(0));
}

Result<SurveyPhoto> PgSurveyStore::AddPhoto(SurveyPhoto photo, std::string_view bytes) {
  photo.file.sha256 = ContentHash(bytes);
  photo.file.size = static_cast<std::int64_t>(bytes.size());
  Status written = database_.Write([&](Conn& conn) {
    auto version = StoredVersion(conn, photo.household_id);
    if (!version.ok()) return version.status();
    if (!*version) return Status::NotFound(Subject(photo.household_id) + " not found");
    // In the record's transaction: the record never names a file that is not there.
    RECTIFY_RETURN_IF_ERROR(pg::PutBlob(conn, photo.file.sha256, bytes));
    Query insert = conn.Prepare(std::string(survey_sql::kInsertPhoto) + " RETURNING id");
    insert.BindAll(photo.household_id, photo.visit_id, photo.file.sha256, photo.file.name, photo.file.size,
                   photo.file.content_type, photo.uploaded_at, photo.uploaded_by);
    Result<bool> row = insert.Step();
    if (!row.ok()) return row.status();
    photo.id = insert.Int(0);
    return database_.Audit(conn, MakeAuditRecord(photo.uploaded_by, "survey.photo", Subject(photo.household_id),
                                                  survey_sql::PhotoDetail(photo)));
  });
  if (!written.ok()) return written;
  return photo;
}

Result<std::vector<SurveyPhoto>> PgSurveyStore::ListPhotos(std::int64_t household_id) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->conn().Prepare(survey_sql::kListPhotos);
  query.BindAll(household_id);
  std::vector<SurveyPhoto> photos;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return photos;
    photos.push_back(survey_sql::ReadPhoto(query, household_id));
  }
}

Result<std::string> PgSurveyStore::ReadPhotoBytes(const std::string& sha256) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return pg::GetBlob(lease->conn(), sha256);
}

Status PgSurveyStore::AppendAudit(const AuditRecord& record) { return database_.AppendAudit(record); }

}  // namespace rectify
