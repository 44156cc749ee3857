#include "storage/pg_survey_store.h"

#include <map>
#include <utility>

#include "engine/attachments.h"
#include "storage/pg_blobs.h"

namespace rectify {
namespace {

using pg::Conn;
using pg::Query;

constexpr const char* kInsertHousehold =
    "INSERT INTO survey_households (village, village_group, head_name, household_type, priority, note, id_number, "
    "phone, found_on_the_way, state, version, added_at, added_by, updated_at, campaign_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) RETURNING id";

// The household with its latest visit, in the column order ReadHousehold and ReadVisit expect.
constexpr const char* kHouseholdColumns =
    "SELECT h.id, h.village, h.village_group, h.head_name, h.household_type, h.priority, h.note, h.id_number, "
    "h.phone, h.found_on_the_way, h.state, h.version, h.enrollment_id, h.added_at, h.added_by, h.updated_at, "
    "v.id, v.visited_on, v.members, v.income_last_year, v.income_this_year, v.rigid_spending, v.spending_causes, "
    "v.education_secured, v.medical_secured, v.housing_secured, v.water_secured, v.assistance, v.findings, "
    "v.health_condition, v.risk_found, v.risk_type, v.risk_found_on, v.category, v.recorded_at, v.recorded_by, "
    "h.campaign_id FROM survey_households h LEFT JOIN survey_visits v ON v.id = h.visit_id ";
constexpr int kVisitColumn = 16;

// The version check and the increment are one statement, so no writer can slip in between.
constexpr const char* kUpdateHousehold =
    "UPDATE survey_households SET state = ?, enrollment_id = ?, found_on_the_way = ?, updated_at = ?, "
    "visit_id = coalesce(?::bigint, visit_id), version = version + 1 WHERE id = ? AND version = ?";

constexpr const char* kInsertVisit =
    "INSERT INTO survey_visits (household_id, visited_on, members, income_last_year, income_this_year, "
    "rigid_spending, spending_causes, education_secured, medical_secured, housing_secured, water_secured, "
    "assistance, findings, health_condition, risk_found, risk_type, risk_found_on, category, recorded_at, "
    "recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

constexpr const char* kInsertEvent =
    "INSERT INTO survey_events (household_id, from_state, to_state, event, actor, at, note) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";

constexpr const char* kInsertPhoto =
    "INSERT INTO survey_photos (household_id, visit_id, sha256, name, size, content_type, uploaded_at, uploaded_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

std::string Subject(std::int64_t id) { return "survey household " + std::to_string(id); }

std::int64_t Flag(bool value) { return value ? 1 : 0; }

std::optional<std::int64_t> Wide(const std::optional<int>& value) {
  return value ? std::optional<std::int64_t>(*value) : std::nullopt;
}

std::optional<int> Narrow(const std::optional<std::int64_t>& value) {
  return value ? std::optional<int>(static_cast<int>(*value)) : std::nullopt;
}

// "illness,education": risk type ids are lowercase ASCII without commas (campaign validation).
std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ",") + id;
  return out;
}

std::vector<std::string> SplitIds(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t comma = text.find(',', start);
    out.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

SurveyVisit ReadVisit(const Query& row, int c) {
  SurveyVisit v;
  v.id = row.Int(c);
  v.visited_on = ParseDate(row.Text(c + 1)).value_or(CivilDate{});
  v.members = static_cast<int>(row.Int(c + 2));
  v.income_last_year = Narrow(row.OptionalInt(c + 3));
  v.income_this_year = Narrow(row.OptionalInt(c + 4));
  v.rigid_spending = static_cast<int>(row.Int(c + 5));
  v.spending_causes = SplitIds(row.Text(c + 6));
  v.education_secured = row.Int(c + 7) != 0;
  v.medical_secured = row.Int(c + 8) != 0;
  v.housing_secured = row.Int(c + 9) != 0;
  v.water_secured = row.Int(c + 10) != 0;
  v.assistance = row.Text(c + 11);
  v.findings = row.Text(c + 12);
  v.health_condition = row.Text(c + 13);
  v.risk_found = row.Int(c + 14) != 0;
  v.risk_type = row.Text(c + 15);
  if (!row.IsNull(c + 16)) v.risk_found_on = ParseDate(row.Text(c + 16));
  v.category = row.Text(c + 17);
  v.recorded_at = row.Int(c + 18);
  v.recorded_by = row.Text(c + 19);
  return v;
}

// The current row of a kHouseholdColumns query, without its visit's team (ReadTeams adds it).
SurveyHousehold ReadHousehold(const Query& row) {
  SurveyHousehold h;
  h.id = row.Int(0);
  h.village = row.Text(1);
  h.group = row.Text(2);
  h.head_name = row.Text(3);
  h.household_type = row.Text(4);
  h.priority = row.Text(5);
  h.note = row.Text(6);
  h.personal.id_number = row.Text(7);
  h.personal.phone = row.Text(8);
  h.found_on_the_way = row.Int(9) != 0;
  h.state = row.Text(10);
  h.version = row.Int(11);
  h.enrollment_id = row.OptionalInt(12);
  h.added_at = row.Int(13);
  h.added_by = row.Text(14);
  h.updated_at = row.Int(15);
  h.campaign = row.Text(kVisitColumn + 20);
  if (!row.IsNull(kVisitColumn)) h.visit = ReadVisit(row, kVisitColumn);
  return h;
}

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
    out.push_back(ReadHousehold(query));
  }
  RECTIFY_RETURN_IF_ERROR(ReadTeams(conn, out));
  return out;
}

Result<std::optional<SurveyHousehold>> FindHousehold(Conn& conn, std::int64_t id) {
  Query query = conn.Prepare(std::string(kHouseholdColumns) + "WHERE h.id = ?");
  query.BindAll(id);
  Result<std::vector<SurveyHousehold>> found = ReadHouseholds(conn, query);
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<SurveyHousehold>();
  return std::optional<SurveyHousehold>(std::move(found->front()));
}

Status InsertEvent(Conn& conn, std::int64_t household_id, const SurveyEvent& e) {
  return conn.Prepare(kInsertEvent).BindAll(household_id, e.from, e.to, e.event, e.actor, e.at, e.note).Run();
}

Result<std::int64_t> InsertVisit(Conn& conn, std::int64_t household_id, const SurveyVisit& v) {
  Query insert = conn.Prepare(kInsertVisit);
  insert.BindAll(household_id, FormatDate(v.visited_on), std::int64_t{v.members}, Wide(v.income_last_year),
                 Wide(v.income_this_year), std::int64_t{v.rigid_spending}, JoinIds(v.spending_causes),
                 Flag(v.education_secured), Flag(v.medical_secured), Flag(v.housing_secured), Flag(v.water_secured),
                 v.assistance, v.findings, v.health_condition, Flag(v.risk_found), v.risk_type);
  if (v.risk_found_on) {
    insert.Bind(17, FormatDate(*v.risk_found_on));
  } else {
    insert.BindNull(17);
  }
  insert.Bind(18, v.category).Bind(19, v.recorded_at).Bind(20, v.recorded_by);
  Result<bool> row = insert.Step();
  if (!row.ok()) return row.status();
  const std::int64_t visit_id = insert.Int(0);
  for (std::size_t i = 0; i < v.team.size(); ++i)
    RECTIFY_RETURN_IF_ERROR(
        conn.Prepare("INSERT INTO survey_visit_team (visit_id, position, name, role) VALUES (?, ?, ?, ?)")
            .BindAll(visit_id, static_cast<std::int64_t>(i), v.team[i].name, v.team[i].role)
            .Run());
  return visit_id;
}

// The stored version of household `id`, nullopt when there is no such household.
Result<std::optional<std::int64_t>> StoredVersion(Conn& conn, std::int64_t id) {
  Query query = conn.Prepare("SELECT version FROM survey_households WHERE id = ?");
  query.BindAll(id);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(query.Int(0));
}

std::string Describe(const StoredFile& file) {
  return file.name + " (" + file.content_type + ", " + std::to_string(file.size) + " bytes, sha256 " + file.sha256 +
         ")";
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
      Query insert = conn.Prepare(kInsertHousehold);
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
          conn, MakeAuditRecord(added[i].actor, "survey.add", Subject(h.id),
                                h.village + " " + h.group + " " + h.head_name + " (" + h.household_type + ", " +
                                    h.priority + ")" + (added[i].note.empty() ? "" : ": " + added[i].note))));
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
  // Fixed text per combination of filters; the states are few (a machine's), bound one by one.
  std::string sql = std::string(kHouseholdColumns) + "WHERE h.id > ?";
  if (query.campaign) sql += " AND h.campaign_id = ?";
  if (query.village) sql += " AND h.village = ?";
  if (!query.states.empty()) {
    sql += " AND h.state IN (?";
    for (std::size_t i = 1; i < query.states.size(); ++i) sql += ", ?";
    sql += ")";
  }
  sql += " ORDER BY h.id LIMIT ?";
  Query select = conn.Prepare(sql);
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
    Query update = conn.Prepare(kUpdateHousehold);
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
    RECTIFY_RETURN_IF_ERROR(database_.Audit(
        conn, MakeAuditRecord(event.actor, "survey." + event.event, Subject(household.id),
                              event.from + " -> " + event.to + (event.note.empty() ? "" : ": " + event.note))));
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
  Query query = conn.Prepare(
      "SELECT seq, from_state, to_state, event, actor, at, note FROM survey_events WHERE household_id = ? ORDER BY seq");
  query.BindAll(household_id);
  std::vector<SurveyEvent> events;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return events;
    events.push_back({query.Int(0), household_id, query.Text(1), query.Text(2), query.Text(3), query.Text(4),
                      query.Int(5), query.Text(6)});
  }
}

Result<std::optional<std::int64_t>> PgSurveyStore::HouseholdOfEnrollment(std::int64_t enrollment_id) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->conn().Prepare("SELECT id FROM survey_households WHERE enrollment_id = ?");
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
    Query insert = conn.Prepare(kInsertPhoto);
    insert.BindAll(photo.household_id, photo.visit_id, photo.file.sha256, photo.file.name, photo.file.size,
                   photo.file.content_type, photo.uploaded_at, photo.uploaded_by);
    Result<bool> row = insert.Step();
    if (!row.ok()) return row.status();
    photo.id = insert.Int(0);
    return database_.Audit(conn, MakeAuditRecord(photo.uploaded_by, "survey.photo", Subject(photo.household_id),
                                                  "visit " + std::to_string(photo.visit_id) + ": " +
                                                      Describe(photo.file)));
  });
  if (!written.ok()) return written;
  return photo;
}

Result<std::vector<SurveyPhoto>> PgSurveyStore::ListPhotos(std::int64_t household_id) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->conn().Prepare(
      "SELECT id, visit_id, sha256, name, size, content_type, uploaded_at, uploaded_by FROM survey_photos "
      "WHERE household_id = ? ORDER BY id");
  query.BindAll(household_id);
  std::vector<SurveyPhoto> photos;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return photos;
    SurveyPhoto photo;
    photo.id = query.Int(0);
    photo.household_id = household_id;
    photo.visit_id = query.Int(1);
    photo.file = {query.Text(2), query.Text(3), query.Int(4), query.Text(5)};
    photo.uploaded_at = query.Int(6);
    photo.uploaded_by = query.Text(7);
    photos.push_back(std::move(photo));
  }
}

Result<std::string> PgSurveyStore::ReadPhotoBytes(const std::string& sha256) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return pg::GetBlob(lease->conn(), sha256);
}

Status PgSurveyStore::AppendAudit(const AuditRecord& record) { return database_.AppendAudit(record); }

}  // namespace rectify
