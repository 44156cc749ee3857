// The deployment a county runs (issue 12, deploy/): three `rectify serve` instances on one
// PostgreSQL database behind nginx with deploy/nginx/rectify.conf. Eight clients drive writes
// through nginx while one instance is killed with SIGKILL; afterwards every acknowledged write is
// there, only requests in flight on the killed instance failed, every digest reached the webhook
// receiver under its idempotency key, and `rectify audit verify` finds the chain intact.
#include <catch2/catch.hpp>

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/child_process.h"
#include "tests/storage/pg_test_database.h"
#include "tests/temp_dir.h"

namespace rectify::testing {
namespace {

using nlohmann::json;

const std::string kSource = RECTIFY_SOURCE_DIR;
const std::string kCampaign = kSource + "/workflows/gaoqiao-2021-autumn.json";
constexpr int kClients = 8;
constexpr int kInstances = 3;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  REQUIRE(out);
  out << text;
}

void Replace(std::string& text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  INFO("expected in deploy/nginx/rectify.conf: " << from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
}

// A loopback port free at this moment (nginx cannot listen on port 0 and say which it got).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  close(fd);
  return ntohs(address.sin_port);
}

// `rectify user add` of `username` with `role` and `unit`: the password it printed.
std::string AddUser(const std::string& db, const std::string& username, const std::string& role,
                    const std::string& unit) {
  RectifyProcess add({"user", "add", "--db", db, "--username", username, "--town", "gaoqiao", "--unit", unit,
                      "--role", role, "--now", "2021-10-12T09:00"});
  const std::string prefix = "password (shown once): ";
  const std::string line = add.ReadUntil(prefix);
  REQUIRE(WEXITSTATUS(add.Wait()) == 0);
  REQUIRE(line.rfind(prefix, 0) == 0);
  return line.substr(prefix.size(), line.size() - prefix.size() - 1);
}

std::string LogIn(int port, const std::string& username, const std::string& password) {
  httplib::Client client("127.0.0.1", port);
  const json body = {{"username", username}, {"password", password}, {"session", "bearer"}};
  auto res = client.Post("/api/login", body.dump(), "application/json");
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 200);
  return json::parse(res->body)["token"].get<std::string>();
}

// nginx running deploy/nginx/rectify.conf with the instances' ports, in the foreground.
class Nginx {
 public:
  Nginx(const TempDir& dir, const std::vector<int>& instance_ports) : port_(FreePort()) {
    std::string site = ReadFile(kSource + "/deploy/nginx/rectify.conf");
    for (int i = 0; i < kInstances; ++i) {
      Replace(site, "127.0.0.1:" + std::to_string(8081 + i), "127.0.0.1:" + std::to_string(instance_ports[i]));
    }
    // Plain HTTP on loopback: the redirecting server and the certificate lines go.
    const std::string redirect_begin = "# -- plain HTTP: redirect only --";
    const std::string redirect_end = "# -- end of plain HTTP --";
    const std::size_t begin = site.find(redirect_begin), end = site.find(redirect_end);
    REQUIRE(begin != std::string::npos);
    REQUIRE(end != std::string::npos);
    site.erase(begin, end + redirect_end.size() - begin);
    Replace(site, "listen 443 ssl;", "listen 127.0.0.1:" + std::to_string(port_) + ";");
    Replace(site, "    ssl_certificate     /etc/rectify/tls/fullchain.pem;\n", "");
    Replace(site, "    ssl_certificate_key /etc/rectify/tls/privkey.pem;\n", "");
    const std::string prefix = dir.File("nginx");
    std::filesystem::create_directories(prefix);
    WriteFile(prefix + "/site.conf", site);
    WriteFile(prefix + "/nginx.conf",
              "daemon off;\nmaster_process off;\nworker_processes 1;\npid " + prefix + "/nginx.pid;\nerror_log " +
                  prefix + "/error.log;\nevents { worker_connections 512; }\nhttp {\n  access_log off;\n" +
                  "  client_body_temp_path " + prefix + "/body;\n  proxy_temp_path " + prefix + "/proxy;\n" +
                  "  fastcgi_temp_path " + prefix + "/fastcgi;\n  uwsgi_temp_path " + prefix + "/uwsgi;\n" +
                  "  scgi_temp_path " + prefix + "/scgi;\n  include " + prefix + "/site.conf;\n}\n");
    process_ = std::make_unique<ChildProcess>("/usr/sbin/nginx", std::vector<std::string>{"-p", prefix, "-c",
                                                                                        prefix + "/nginx.conf"});
    for (int tries = 0; tries < 200; ++tries) {
      httplib::Client probe("127.0.0.1", port_);
      if (probe.Get("/api/health")) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    FAIL("nginx did not answer: " << ReadFile(prefix + "/error.log"));
  }
  int port() const { return port_; }

 private:
  int port_;
  std::unique_ptr<ChildProcess> process_;
};

struct Acknowledged {
  std::mutex mutex;
  std::map<std::int64_t, std::vector<std::string>> notes;  // item -> progress notes answered 2xx
  std::vector<std::string> failures;                       // what failed, and how
  int writes = 0;
};

// One client's loop, as a village cadre and the office clerk work: the office creates a problem
// for village_1, the village starts it and notes progress twice; every 2xx is recorded.
void DriveWrites(int port, const std::string& office, const std::string& village, int client, Acknowledged& acked,
                 const std::atomic<bool>& stop) {
  httplib::Client as_office("127.0.0.1", port);
  as_office.set_bearer_token_auth(office);
  httplib::Client as_village("127.0.0.1", port);
  as_village.set_bearer_token_auth(village);
  auto failed = [&](const std::string& what, const httplib::Result& res) {
    std::lock_guard<std::mutex> lock(acked.mutex);
    acked.failures.push_back(what + ": " + (res ? std::to_string(res->status) + " " + res->body : "no answer"));
  };
  for (int n = 0; !stop; ++n) {
    const std::string title = "client " + std::to_string(client) + " problem " + std::to_string(n);
    const json problem = {{"title", title}, {"area", 14}, {"source", "campaign_sweep"}, {"unit", "village_1"}};
    auto created = as_office.Post("/api/problems", problem.dump(), "application/json");
    if (!created || created->status != 201) {
      failed("create " + title, created);
      continue;
    }
    const std::int64_t id = json::parse(created->body)["id"].get<std::int64_t>();
    {
      std::lock_guard<std::mutex> lock(acked.mutex);
      acked.notes[id];
      ++acked.writes;
    }
    const std::string events = "/api/problems/" + std::to_string(id) + "/events";
    auto started = as_village.Post(events, R"({"event":"start"})", "application/json");
    if (!started || started->status != 200) {
      failed("start " + title, started);
      continue;
    }
    for (int note = 0; note < 2 && !stop; ++note) {
      const std::string text = title + " 进展 " + std::to_string(note);
      const json progress = {{"event", "progress"}, {"note", text}};
      auto noted = as_village.Post(events, progress.dump(), "application/json");
      if (!noted || noted->status != 200) {
        failed("progress " + text, noted);
        continue;
      }
      std::lock_guard<std::mutex> lock(acked.mutex);
      acked.notes[id].push_back(text);
      ++acked.writes;
    }
  }
}

void WaitForWrites(Acknowledged& acked, int at_least) {
  for (int tries = 0; tries < 3000; ++tries) {
    {
      std::lock_guard<std::mutex> lock(acked.mutex);
      if (acked.writes >= at_least) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL("the clients acknowledged fewer than " << at_least << " writes in 30 s");
}

TEST_CASE("three instances behind nginx on one PostgreSQL: a SIGKILL under load loses no acknowledged write") {
  TempDir dir;
  PgTestDatabase database;
  const std::string db = database.url();

  // Two problems overdue at the instances' clock: digests for village_1, village_2 and the
  // supervisors (discipline_commission, rural_office).
  WriteFile(dir.File("problems.csv"),
            "area,source,description,unit,deadline\n"
            "14,campaign_sweep,示例一,village_1,2021-10-14\n"
            "14,campaign_sweep,示例二,village_2,2021-10-14\n");
  {
    RectifyProcess import({"import", "--db", db, "--campaign", kCampaign, dir.File("problems.csv"), "--now",
                           "2021-10-12T09:00"});
    REQUIRE(WEXITSTATUS(import.Wait()) == 0);
  }
  const std::string office_password = AddUser(db, "office.li", "office", "rural_office");
  const std::string village_password = AddUser(db, "v1.zhang", "unit_member", "village_1");

  httplib::Server receiver;
  std::mutex receiver_mutex;
  std::vector<std::string> keys;
  receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(receiver_mutex);
    keys.push_back(req.get_header_value("Idempotency-Key"));
    res.set_content("{}", "application/json");
  });
  const int hook_port = receiver.bind_to_any_port("127.0.0.1");
  REQUIRE(hook_port > 0);
  std::thread receiving([&] { receiver.listen_after_bind(); });
  const std::string hook = R"({"type": "webhook", "url": "http://127.0.0.1:)" + std::to_string(hook_port) + R"(/hook"})";
  WriteFile(dir.File("channels.json"), R"({"units": {"village_1": [)" + hook + R"(], "village_2": [)" + hook +
                                           R"(], "discipline_commission": [)" + hook + R"(], "rural_office": [)" +
                                           hook + "]}}");

  std::vector<std::unique_ptr<RectifyProcess>> instances;
  std::vector<int> ports;
  for (int i = 0; i < kInstances; ++i) {
    instances.push_back(std::make_unique<RectifyProcess>(std::vector<std::string>{
        "serve", "--db", db, "--campaign", kCampaign, "--port", "0", "--now", "2021-10-20T10:00", "--channels",
        dir.File("channels.json"), "--notify-every", "1", "--trusted-proxy", "127.0.0.1",
        "--max-connections-per-address", "0"}));
    ports.push_back(instances.back()->WaitForPort());
    instances.back()->DrainInBackground();  // a JSON line per request
  }
  Nginx nginx(dir, ports);
  const std::string office = LogIn(nginx.port(), "office.li", office_password);
  const std::string village = LogIn(nginx.port(), "v1.zhang", village_password);

  Acknowledged acked;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] { DriveWrites(nginx.port(), office, village, c, acked, stop); });
  }
  WaitForWrites(acked, 200);
  instances[1]->Signal(SIGKILL);  // mid-flight: every client is sending
  instances[1]->Wait();
  int before_kill_writes = 0;
  {
    std::lock_guard<std::mutex> lock(acked.mutex);
    before_kill_writes = acked.writes;
  }
  WaitForWrites(acked, before_kill_writes + 200);
  stop = true;
  for (std::thread& client : clients) client.join();

  // Each client has one request in flight at a time: at most one per client can have been on
  // the killed instance; nginx sends the rest to the living ones.
  {
    std::string failures;
    for (const std::string& failure : acked.failures) failures += failure + "\n";
    INFO("failed requests:\n" << failures);
    CHECK(acked.failures.size() <= static_cast<std::size_t>(kClients));
    // And they failed as a dying upstream fails through nginx: 502, never a refusal of rectify's.
    for (const std::string& failure : acked.failures) CHECK_THAT(failure, Catch::Contains(": 502 "));
  }

  // Every acknowledged write is there, read through nginx from the instances still running.
  httplib::Client reader("127.0.0.1", nginx.port());
  reader.set_bearer_token_auth(office);
  std::size_t notes_checked = 0;
  for (const auto& [id, notes] : acked.notes) {
    auto history = reader.Get(("/api/problems/" + std::to_string(id) + "/history").c_str());
    REQUIRE(history);
    INFO("problem " << id << ": " << history->body);
    REQUIRE(history->status == 200);
    std::set<std::string> stored;
    const json events = json::parse(history->body)["events"];
    for (const json& event : events) {
      const auto note = event.find("note");
      if (note != event.end()) stored.insert(note->get<std::string>());
    }
    for (const std::string& note : notes) {
      CHECK(stored.count(note) == 1);
      ++notes_checked;
    }
  }
  INFO(acked.notes.size() << " problems, " << notes_checked << " notes checked");
  CHECK(acked.notes.size() > 100);
  WARN("acknowledged " << acked.writes << " writes (" << acked.notes.size() << " problems, " << notes_checked
                       << " progress notes), every one found after the kill; " << acked.failures.size()
                       << " requests failed");

  // The digests of the slot: each unit's and the supervisors', each under one key.
  std::set<std::string> distinct;
  for (int tries = 0; tries < 600 && distinct.size() < 4; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::lock_guard<std::mutex> lock(receiver_mutex);
    distinct = std::set<std::string>(keys.begin(), keys.end());
  }
  receiver.stop();
  receiving.join();
  {
    INFO(keys.size() << " deliveries");
    CHECK(distinct.size() == 4);
    std::map<std::string, int> times;
    for (const std::string& key : keys) ++times[key];
    // A repeat is allowed only for a delivery the killed instance had in flight, and then
    // under the same key; three instances must not each send their own.
    for (const auto& [key, count] : times) CHECK(count <= 2);
  }

  for (auto& instance : instances) {
    if (instance.get() != instances[1].get()) instance->Signal(SIGTERM);
  }
  RectifyProcess verify({"audit", "verify", "--db", db});
  const std::string verdict = verify.ReadUntil("audit chain");
  CHECK_THAT(verdict, Catch::Contains("intact"));
  CHECK(WEXITSTATUS(verify.Wait()) == 0);
}

}  // namespace
}  // namespace rectify::testing
