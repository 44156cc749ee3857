#include "config/channels_loader.h"

#include <functional>

#include <fstream>
#include <sstream>

#include "config/strict_json.h"

namespace rectify {
namespace {

// An SMS number's limits; those left out keep Aliyun's defaults.
Status ReadNumberLimits(const Json& value, const std::string& path, notifier::SmsNumberLimits& limits) {
  JsonObjectReader r(value, path);
  r.Optional("per_minute", limits.per_minute, ReadJsonInt);
  r.Optional("per_hour", limits.per_hour, ReadJsonInt);
  r.Optional("per_day", limits.per_day, ReadJsonInt);
  return r.Finish();
}

Status ReadChannelConfig(const Json& value, const std::string& path, notifier::ChannelConfig& config) {
  JsonObjectReader r(value, path);
  r.Optional("id", config.id, ReadJsonString);
  r.Required("type", config.type);
  r.Required("url", config.url);
  r.Optional("secret", config.secret, ReadJsonString);
  r.Optional("mention_mobiles", config.mention_mobiles);
  r.Optional("from", config.from, ReadJsonString);
  r.Optional("to", config.to);
  r.Optional("username", config.username, ReadJsonString);
  r.Optional("password", config.password, ReadJsonString);
  r.Optional("access_key_id", config.access_key_id, ReadJsonString);
  r.Optional("sign_name", config.sign_name, ReadJsonString);
  r.Optional("template_code", config.template_code, ReadJsonString);
  r.Optional("phone_numbers", config.phone_numbers);
  r.Optional("number_limits", config.number_limits, ReadNumberLimits);
  return r.Finish();
}

Result<std::string> ReadChannelText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the channel file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<notifier::ChannelDirectory> ParseChannels(std::string_view json_text, const std::string& origin,
                                                 const std::function<bool(const std::string&)>& known_unit) {
  auto document = ParseJsonStrictly(json_text);
  auto fail = [&origin](const Status& s) { return Status::InvalidArgument(origin + ": " + s.field(), s.message()); };
  if (!document.ok()) return fail(document.status());

  notifier::ChannelDirectory directory;
  JsonObjectReader root(*document, "");
  root.Required("units", directory, [&](const Json& units, const std::string& units_path,
                                         notifier::ChannelDirectory& out) -> Status {
    if (!units.is_object()) return Status::InvalidArgument(units_path, "expected an object of unit ids");
    for (auto it = units.begin(); it != units.end(); ++it) {
      const std::string unit_path = JsonPathKey(units_path, it.key());
      if (!known_unit(it.key()))
        return Status::InvalidArgument(unit_path, "unknown unit \"" + it.key() + "\"");
      std::vector<notifier::ChannelConfig> configs;
      RECTIFY_RETURN_IF_ERROR(JsonArrayOf<notifier::ChannelConfig>(ReadChannelConfig)(it.value(), unit_path, configs));
      // An empty list would silently mean "no channel": the unit's digests would only be named to
      // the office. Leaving the unit out says that; a listed unit must be reachable.
      if (configs.empty())
        return Status::InvalidArgument(unit_path, "no channel listed for \"" + it.key() +
                                                      "\"; give at least one, or leave the unit out of the file");
      for (std::size_t i = 0; i < configs.size(); ++i) {
        auto channel = notifier::MakeChannel(configs[i]);
        if (!channel.ok())
          return Status::InvalidArgument(JsonPathKey(JsonPathIndex(unit_path, i), channel.status().field()),
                                         channel.status().message());
        // Outbox rows name a channel by its id: two of one unit's channels may not share one.
        for (const auto& other : out[it.key()])
          if (other->Id() == channel.value()->Id())
            return Status::InvalidArgument(JsonPathKey(JsonPathIndex(unit_path, i), "id"),
                                           "another channel of the unit has the id \"" + other->Id() +
                                               "\"; give each an \"id\" of its own");
        out[it.key()].push_back(std::move(channel.value()));
      }
    }
    return Status::Ok();
  });
  const Status read = root.Finish();
  if (!read.ok()) return fail(read);
  return directory;
}

}  // namespace

Result<notifier::ChannelDirectory> LoadChannelFile(const std::string& path, const Campaign& campaign) {
  auto text = ReadChannelText(path);
  if (!text.ok()) return text.status();
  return ParseChannelFile(*text, path, campaign);
}

Result<notifier::ChannelDirectory> ParseChannelFile(std::string_view json_text, const std::string& origin,
                                                    const Campaign& campaign) {
  return ParseChannels(json_text, origin, [&campaign](const std::string& unit) { return campaign.FindUnit(unit) != nullptr; });
}

Result<notifier::ChannelDirectory> LoadChannelFile(const std::string& path, const Deployment& deployment) {
  auto text = ReadChannelText(path);
  if (!text.ok()) return text.status();
  return ParseChannels(*text, path, [&deployment](const std::string& unit) {
    for (const auto& campaign : deployment.campaigns)
      if (campaign->FindUnit(unit) != nullptr) return true;
    return false;
  });
}

}  // namespace rectify
