#include "app/demo_data.h"

#include <fstream>
#include <ostream>
#include <sstream>

#include "web/json_codec.h"

namespace rectify::app {
namespace {

using web::json;

Result<Instant> TimeField(json& sample, const char* name, const std::string& where) {
  if (!sample.contains(name) || !sample[name].is_string())
    return Status::InvalidArgument(where + "." + name, "a time string is required");
  const auto at = ParseInstant(sample[name].get<std::string>());
  if (!at) return Status::InvalidArgument(where + "." + name, "not an ISO time");
  sample.erase(name);
  return *at;
}

// The sample's "actor", taken out of it, as a system actor of that name.
Result<Actor> ActorField(json& sample, const std::string& where) {
  std::string name = "demo";
  if (sample.contains("actor")) {
    if (!sample["actor"].is_string()) return Status::InvalidArgument(where + ".actor", "a name is required");
    name = sample["actor"].get<std::string>();
    sample.erase("actor");
  }
  return Actor::System(name);
}

Status Seed(ItemService& service, ItemKind kind, json& samples, const std::string& list_name, int& count) {
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const std::string where = list_name + "[" + std::to_string(i) + "]";
    json sample = samples[i];
    auto created_at = TimeField(sample, "created_at", where);
    if (!created_at.ok()) return created_at.status();
    json events = sample.contains("events") ? sample["events"] : json::array();
    sample.erase("events");

    // The samples name who did each step ("检查验收组（示例）"); the demo replays them with
    // every grant, as the command line does, under those names.
    auto actor = ActorField(sample, where);
    if (!actor.ok()) return actor.status();
    Result<ItemView> item = Status::Internal("unreachable");
    if (kind == ItemKind::kProblem) {
      auto input = web::ParseNewProblem(sample);
      if (!input.ok()) return Status::InvalidArgument(where + "." + input.status().field(), input.status().message());
      item = service.CreateProblem(*input, *actor, *created_at);
    } else {
      auto input = web::ParseNewEnrollment(sample);
      if (!input.ok()) return Status::InvalidArgument(where + "." + input.status().field(), input.status().message());
      item = service.CreateEnrollment(*input, *actor, *created_at);
    }
    if (!item.ok()) return Status::InvalidArgument(where + "." + item.status().field(), item.status().message());

    for (std::size_t e = 0; e < events.size(); ++e) {
      const std::string event_where = where + ".events[" + std::to_string(e) + "]";
      json body = events[e];
      auto at = TimeField(body, "at", event_where);
      if (!at.ok()) return at.status();
      auto event_actor = ActorField(body, event_where);
      if (!event_actor.ok()) return event_actor.status();
      std::optional<std::int64_t> version;
      auto input = web::ParseEventInput(body, version);
      if (!input.ok()) return Status::InvalidArgument(event_where + "." + input.status().field(), input.status().message());
      auto fired = service.Fire(kind, item->item.id, *input, *event_actor, std::nullopt, *at);
      if (!fired.ok()) return Status::InvalidArgument(event_where, fired.status().ToString());
    }
    ++count;
  }
  return Status::Ok();
}


Status SeedUsers(accounts::AccountService& accounts, const json& users, const std::string& town, Instant now,
                 std::ostream& out) {
  if (!users.is_array()) return Status::InvalidArgument("users", "expected an array");
  for (std::size_t i = 0; i < users.size(); ++i) {
    JsonObjectReader in(users[i], "users[" + std::to_string(i) + "]");
    std::string username, display_name, unit;
    bool county = false;
    std::vector<std::string> role_names;
    in.Required("username", username);
    in.Optional("display_name", display_name, ReadJsonString);
    in.Optional("unit", unit, ReadJsonString);
    in.Optional("county", county);
    in.Required("roles", role_names, ReadJsonStrings);
    RECTIFY_RETURN_IF_ERROR(in.Finish());
    std::vector<accounts::Role> roles;
    for (const std::string& name : role_names) {
      auto role = accounts::ParseRole(name);
      if (!role.ok()) return Status::InvalidArgument(in.PathOf("roles"), role.status().message());
      roles.push_back(*role);
    }
    const std::string password = accounts::GeneratePassword();
    auto added = accounts.AddUser("rectify demo", username, display_name, unit, county ? "" : town, roles, password, now);
    if (!added.ok()) return Status::InvalidArgument(in.PathOf(added.status().field()), added.status().message());
    out << "  " << added->username << "  " << password << "  (" << accounts::JoinRoles(added->roles)
        << (added->unit.empty() ? "" : ", " + added->unit) << (county ? ", county" : ", " + town) << ")\n";
  }
  return Status::Ok();
}

}  // namespace

Status SeedSamples(ItemService& service, accounts::AccountService& accounts, const std::string& samples_path,
                   const std::string& town, Instant now, std::ostream& out) {
  std::ifstream file(samples_path, std::ios::binary);
  if (!file) return Status::NotFound("cannot read " + samples_path);
  std::stringstream text;
  text << file.rdbuf();
  json samples = json::parse(text.str(), nullptr, false);
  if (samples.is_discarded() || !samples.is_object())
    return Status::InvalidArgument(samples_path, "not a JSON object");
  if (samples.contains("users")) {
    out << "rectify demo: DEMO accounts, for trying the roles out only (password shown once):\n";
    Status seeded = SeedUsers(accounts, samples["users"], town, now, out);
    if (!seeded.ok()) return Status::InvalidArgument(samples_path + ": " + seeded.field(), seeded.message());
  }
  int problems = 0, enrollments = 0;
  for (const auto& [list, kind, count] : {std::tuple{"problems", ItemKind::kProblem, &problems},
                                          std::tuple{"enrollments", ItemKind::kEnrollment, &enrollments}}) {
    if (!samples.contains(list)) continue;
    Status seeded = Seed(service, kind, samples[list], list, *count);
    if (!seeded.ok()) return Status::InvalidArgument(samples_path + ": " + seeded.field(), seeded.message());
  }
  out << "rectify demo: " << problems << " sample problems and " << enrollments
      << " sample enrollment requests from " << samples_path << "\n";
  return Status::Ok();
}

}  // namespace rectify::app
