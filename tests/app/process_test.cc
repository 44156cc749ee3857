// The `rectify` binary as a person or a service manager runs it: a real process, real HTTP,
// SIGTERM for a clean stop and SIGKILL for a crash.
#include <catch2/catch.hpp>

#include <httplib.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "tests/child_process.h"
#include "tests/temp_dir.h"

namespace rectify::testing {
namespace {

const std::string kCampaign = std::string(RECTIFY_SOURCE_DIR) + "/workflows/gaoqiao-2021-autumn.json";

// A database made by `rectify import`: two problems of villages 1 and 2 due 2021-10-14.
std::string ImportTwoLateProblems(const TempDir& dir) {
  const std::string db = dir.File("rectify.sqlite");
  std::FILE* csv = std::fopen(dir.File("problems.csv").c_str(), "w");
  REQUIRE(csv != nullptr);
  std::fputs("area,source,description,unit,deadline\n"
             "14,campaign_sweep,示例一,village_1,2021-10-14\n"
             "14,campaign_sweep,示例二,village_2,2021-10-14\n",
             csv);
  std::fclose(csv);
  RectifyProcess import({"import", "--db", db, "--campaign", kCampaign, dir.File("problems.csv"), "--now",
                         "2021-10-12T09:00"});
  REQUIRE(WEXITSTATUS(import.Wait()) == 0);
  return db;
}

// A channel file sending each of `units` to the webhook receiver at 127.0.0.1:`port`/hook.
void WriteWebhookChannels(const std::string& path, int port, const std::vector<std::string>& units) {
  const std::string hook = "{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:" + std::to_string(port) + "/hook\"}";
  std::string file;
  for (const std::string& unit : units) file += (file.empty() ? "" : ", ") + ("\"" + unit + "\": [" + hook + "]");
  std::FILE* channels = std::fopen(path.c_str(), "w");
  REQUIRE(channels != nullptr);
  std::fputs(("{\"units\": {" + file + "}}").c_str(), channels);
  std::fclose(channels);
}

// Adds an office user to the database with `rectify user add`, as an administrator would, and
// returns the generated password it printed.
std::string AddOfficeUser(const std::string& db) {
  RectifyProcess add({"user", "add", "--db", db, "--username", "office.li", "--town", "gaoqiao", "--unit", "rural_office", "--role",
                      "office", "--now", "2021-10-12T09:00"});
  const std::string line = add.ReadUntil("password (shown once): ");
  REQUIRE(WEXITSTATUS(add.Wait()) == 0);
  const std::string prefix = "password (shown once): ";
  REQUIRE(line.rfind(prefix, 0) == 0);
  return line.substr(prefix.size(), line.size() - prefix.size() - 1);
}

// Logs in over HTTP and returns the bearer token.
std::string LogIn(int port, const std::string& password) {
  httplib::Client client("127.0.0.1", port);
  const nlohmann::json body = {{"username", "office.li"}, {"password", password}, {"session", "bearer"}};
  auto res = client.Post("/api/login", body.dump(), "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return nlohmann::json::parse(res->body)["token"].get<std::string>();
}

std::vector<std::string> ServeArgs(const TempDir& dir) {
  return {"serve", "--db", dir.File("rectify.sqlite"), "--campaign", kCampaign, "--port", "0",
          "--now", "2021-10-12T09:00"};
}

}  // namespace

TEST_CASE("serve answers on loopback and stops cleanly on SIGTERM") {
  TempDir dir;
  RectifyProcess server(ServeArgs(dir));
  httplib::Client client("127.0.0.1", server.WaitForPort());
  auto health = client.Get("/api/health");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(health->body.find("\"now\":\"2021-10-12T09:00") != std::string::npos);
  server.Signal(SIGTERM);
  const int status = server.Wait();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(server.RestOfOutput().find("rectify: stopped") != std::string::npos);
}

TEST_CASE("serve stops on a SIGTERM that comes the moment it says it serves") {
  // httplib forgets a stop asked for before its loop begins: a SIGTERM right after the "serving"
  // line (systemd stopping what it just started) left the process serving until SIGKILL.
  TempDir dir;
  for (int round = 0; round < 30; ++round) {
    RectifyProcess server(ServeArgs(dir));
    server.WaitForPort();
    server.Signal(SIGTERM);
    const std::optional<int> status = server.WaitFor(std::chrono::seconds(10));
    INFO("round " << round);
    REQUIRE(status.has_value());  // else the destructor kills it
    CHECK(WIFEXITED(*status));
    CHECK(WEXITSTATUS(*status) == 0);
  }
}

TEST_CASE("serve purges the expired login sessions when it starts and records how many") {
  TempDir dir;
  const std::string password = AddOfficeUser(dir.File("rectify.sqlite"));
  {
    RectifyProcess first(ServeArgs(dir));  // 2021-10-12 09:00: a session until 21:00
    LogIn(first.WaitForPort(), password);
    first.Signal(SIGTERM);
    REQUIRE(WEXITSTATUS(first.Wait()) == 0);
  }
  std::vector<std::string> next_day = ServeArgs(dir);
  next_day.back() = "2021-10-13T09:00";
  RectifyProcess second(next_day);
  const int port = second.WaitForPort();
  const std::string token = LogIn(port, password);
  // The first pass of the background loop purges; allow it a generous while to run. The record
  // is the deployment's, read as an operator does (a campaign's /api/audit shows its own share).
  std::string purge;
  for (int attempt = 0; attempt < 100 && purge.empty(); ++attempt) {
    RectifyProcess audit({"audit", "export", "--db", dir.File("rectify.sqlite"), "--from", "2021-10-13", "--to",
                          "2021-10-13", "--now", "2021-10-13T09:00"});
    const std::string line = audit.ReadUntil("sessions.purge");
    audit.Wait();
    if (!line.empty()) purge = line;
    else std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(purge.find("deleted: 1") != std::string::npos);  // the expired one; today's session stays
  httplib::Client client("127.0.0.1", port);
  CHECK(client.Get("/api/me", {{"Authorization", "Bearer " + token}})->status == 200);
}

TEST_CASE("serve takes the options of a deployment behind an HTTPS proxy") {
  TempDir dir;
  const std::string password = AddOfficeUser(dir.File("rectify.sqlite"));
  std::vector<std::string> args = ServeArgs(dir);
  for (const char* option : {"--secure-cookie", "--trusted-proxy", "127.0.0.1", "--workers", "4",
                             "--max-connections-per-address", "0"})
    args.push_back(option);
  RectifyProcess server(args);
  httplib::Client client("127.0.0.1", server.WaitForPort());
  const nlohmann::json body = {{"username", "office.li"}, {"password", password}};
  auto login = client.Post("/api/login", {{"X-Forwarded-For", "203.0.113.9"}}, body.dump(), "application/json");
  REQUIRE(login);
  REQUIRE(login->status == 200);
  const std::string cookie = login->get_header_value("Set-Cookie");
  CHECK(cookie.find("; Secure") != std::string::npos);
  // The login is recorded as coming from the client the trusted proxy named.
  auto audit = client.Get("/api/audit?from=2021-10-01", {{"Cookie", cookie.substr(0, cookie.find(';'))}});
  REQUIRE(audit);
  CHECK(audit->body.find("from 203.0.113.9") != std::string::npos);
  server.Signal(SIGTERM);
  CHECK(WEXITSTATUS(server.Wait()) == 0);
}

TEST_CASE("a kill -9 under load loses no acknowledged write") {
  TempDir dir;
  std::vector<std::string> acknowledged;
  const std::string password = AddOfficeUser(dir.File("rectify.sqlite"));
  std::string token;
  {
    RectifyProcess server(ServeArgs(dir));
    const int port = server.WaitForPort();
    token = LogIn(port, password);
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    std::mutex mutex;
    for (int w = 0; w < 4; ++w)
      writers.emplace_back([&, w] {
        httplib::Client client("127.0.0.1", port);
        client.set_bearer_token_auth(token);
        for (int n = 0; !stop; ++n) {
          const std::string title = "writer " + std::to_string(w) + " problem " + std::to_string(n);
          const std::string body =
              R"({"title":")" + title + R"(","area":14,"source":"campaign_sweep","unit":"village_1"})";
          auto res = client.Post("/api/problems", body, "application/json");
          if (!res) break;  // the server is gone
          if (res->status == 201) {
            std::lock_guard<std::mutex> lock(mutex);
            acknowledged.push_back(title);
          }
        }
      });
    while (true) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (acknowledged.size() >= 200) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    server.Signal(SIGKILL);  // mid-flight: writers still sending
    server.Wait();
    stop = true;
    for (std::thread& t : writers) t.join();
  }
  RectifyProcess restarted(ServeArgs(dir));
  httplib::Client client("127.0.0.1", restarted.WaitForPort());
  client.set_bearer_token_auth(token);  // the session was acknowledged too: it survives the kill
  std::set<std::string> stored;
  std::string after = "0";
  while (true) {
    auto res = client.Get(("/api/problems?limit=500&after=" + after).c_str());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    const auto page = nlohmann::json::parse(res->body);
    for (const auto& item : page["items"]) stored.insert(item["title"].get<std::string>());
    if (page["next_after"].is_null()) break;
    after = std::to_string(page["next_after"].get<long>());
  }
  INFO(acknowledged.size() << " acknowledged, " << stored.size() << " stored");
  for (const std::string& title : acknowledged) CHECK(stored.count(title) == 1);
}

TEST_CASE("a bad campaign file stops the program with a message naming the file and the field") {
  TempDir dir;
  const std::string bad = dir.File("bad.json");
  {
    std::FILE* f = std::fopen(bad.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fputs("{\"id\": \"x\", \"name\": 3}", f);
    std::fclose(f);
  }
  RectifyProcess run({"serve", "--db", dir.File("x.sqlite"), "--campaign", bad, "--port", "0"});
  const int status = run.Wait();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  const std::string output = run.RestOfOutput();
  INFO(output);
  CHECK(output.find(bad) != std::string::npos);
  CHECK(output.find("name") != std::string::npos);
}

TEST_CASE("serve refuses a town file whose from or until leaves out a campaign holding that unit's problems") {
  TempDir dir;
  const std::string db = ImportTwoLateProblems(dir);  // problems of village_1 and village_2 in 2021
  const std::string workflows = std::string(RECTIFY_SOURCE_DIR) + "/workflows";
  auto read = [](const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  // A "from" meant for a new village, typed on 示例村一.
  std::string town = read(workflows + "/towns/gaoqiao.json");
  const std::string village_1 = "\"name\": \"示例村一\", \"kind\": \"village\", \"sample\": true";
  REQUIRE(town.find(village_1) != std::string::npos);
  town.replace(town.find(village_1), village_1.size(), village_1 + ", \"from\": \"2022-01-01\"");
  std::ofstream(dir.File("gaoqiao-town.json")) << town;
  std::string campaign = read(kCampaign);
  const std::string calendar = "\"calendar\": \"calendars\"", town_ref = "\"town\": \"towns/gaoqiao.json\"";
  REQUIRE(campaign.find(calendar) != std::string::npos);
  REQUIRE(campaign.find(town_ref) != std::string::npos);
  campaign.replace(campaign.find(calendar), calendar.size(), "\"calendar\": \"" + workflows + "/calendars\"");
  campaign.replace(campaign.find(town_ref), town_ref.size(), "\"town\": \"" + dir.File("gaoqiao-town.json") + "\"");
  std::ofstream(dir.File("gaoqiao-2021-autumn.json")) << campaign;

  RectifyProcess run({"serve", "--db", db, "--campaign", dir.File("gaoqiao-2021-autumn.json"), "--port", "0", "--now",
                      "2021-10-12T09:00"});
  const int status = run.Wait();
  const std::string output = run.RestOfOutput();
  INFO(output);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(output.find("campaign gaoqiao-2021-autumn has problem 1 of unit \"village_1\" (示例村一), which the town file "
                    "says exists from 2022-01-01") != std::string::npos);
}

TEST_CASE("serve in the last weeks of the calendar's last year says which year's holidays to add") {
  TempDir dir;
  auto start_on = [&](const char* now) {
    std::vector<std::string> args = ServeArgs(dir);
    args.back() = now;
    RectifyProcess server(args);
    server.WaitForPort();
    server.Signal(SIGTERM);
    REQUIRE(WEXITSTATUS(server.Wait()) == 0);
    return server.RestOfOutput();
  };
  const std::string december = start_on("2026-12-01T09:00");
  INFO(december);
  CHECK(december.find("warning: the holiday calendar ends with 2026") != std::string::npos);
  CHECK(december.find("workflows/calendars/cn-2027.json") != std::string::npos);
  const std::string october = start_on("2026-10-01T09:00");
  CHECK(october.find("holiday calendar ends") == std::string::npos);
}

TEST_CASE("serve names the accounts whose town or unit the deployment does not have") {
  TempDir dir;
  const std::string db = dir.File("rectify.sqlite");
  for (const std::vector<std::string>& typo : {std::vector<std::string>{"--username", "typo.unit", "--town", "gaoqiao",
                                                                         "--unit", "rural_ofice"},
                                               std::vector<std::string>{"--username", "typo.town", "--town", "gaoqaio",
                                                                         "--unit", "rural_office"}}) {
    std::vector<std::string> args = {"user", "add", "--db", db, "--role", "office", "--now", "2021-10-12T09:00"};
    args.insert(args.end(), typo.begin(), typo.end());
    RectifyProcess add(args);
    REQUIRE(WEXITSTATUS(add.Wait()) == 0);
  }
  AddOfficeUser(db);  // a good one, not named
  RectifyProcess server(ServeArgs(dir));
  server.WaitForPort();
  server.Signal(SIGTERM);
  REQUIRE(WEXITSTATUS(server.Wait()) == 0);
  const std::string output = server.RestOfOutput();
  INFO(output);
  CHECK(output.find("warning: user typo.unit: unit \"rural_ofice\" is not a unit of gaoqiao") != std::string::npos);
  CHECK(output.find("warning: user typo.town: town \"gaoqaio\" is not a town this deployment serves") !=
        std::string::npos);
  CHECK(output.find("user office.li") == std::string::npos);
}

TEST_CASE("serve on a database without an enabled account says nobody can log in and names the file") {
  TempDir dir;
  // A mistyped --db: the file does not exist, so a new, empty one is made and served.
  RectifyProcess typo(ServeArgs(dir));
  typo.WaitForPort();
  typo.Signal(SIGTERM);
  REQUIRE(WEXITSTATUS(typo.Wait()) == 0);
  const std::string empty = typo.RestOfOutput();
  INFO(empty);
  const std::string path = std::filesystem::path(dir.File("rectify.sqlite")).lexically_normal().string();
  CHECK(empty.find("warning: " + path + " holds no enabled account, so nobody can log in") != std::string::npos);
  CHECK(empty.find("otherwise check --db") != std::string::npos);

  AddOfficeUser(dir.File("rectify.sqlite"));
  RectifyProcess served(ServeArgs(dir));
  served.WaitForPort();
  served.Signal(SIGTERM);
  REQUIRE(WEXITSTATUS(served.Wait()) == 0);
  const std::string output = served.RestOfOutput();
  INFO(output);
  CHECK(output.find("nobody can log in") == std::string::npos);
}

// Runs rectify with `args` as a user who may not write what root wrote: the tests may run as
// root, who may write any file whatever its mode.
std::unique_ptr<ChildProcess> RunAsOther(std::vector<std::string> args) {
  if (::geteuid() != 0) return std::make_unique<ChildProcess>(RECTIFY_BINARY, std::move(args));
  args.insert(args.begin(), {"-u", "nobody", "--", RECTIFY_BINARY});
  return std::make_unique<ChildProcess>("/usr/sbin/runuser", std::move(args));
}

TEST_CASE("audit verify and user list read a database they may not write, and change nothing in it") {
  TempDir dir;
  const std::string db = dir.File("rectify.sqlite");
  AddOfficeUser(db);
  REQUIRE_FALSE(std::filesystem::exists(db + "-wal"));  // the last connection folded it back
  // Copies handed to an auditor: read-only files in a read-only folder. The second says it was
  // written by an older rectify.
  const std::string folder = dir.File("copies");
  std::filesystem::create_directory(folder);
  const std::string copy = folder + "/rectify.sqlite", older = folder + "/older.sqlite";
  std::filesystem::copy_file(db, copy);
  std::filesystem::copy_file(db, older);
  {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(older.c_str(), &raw) == SQLITE_OK);
    int version = 0;
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    version = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    REQUIRE(sqlite3_exec(raw, ("PRAGMA user_version = " + std::to_string(version - 1)).c_str(), nullptr, nullptr,
                         nullptr) == SQLITE_OK);
    sqlite3_close(raw);
  }
  for (const std::string& file : {copy, older}) REQUIRE(::chmod(file.c_str(), 0444) == 0);
  REQUIRE(::chmod(folder.c_str(), 0555) == 0);
  struct Writable {  // again at the end, so that TempDir can remove the copies as any user
    std::string folder;
    ~Writable() { ::chmod(folder.c_str(), 0755); }
  } writable{folder};
  REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
  auto bytes = [](const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream read;
    read << in.rdbuf();
    return read.str();
  };
  const std::string before = bytes(copy);

  auto verify = RunAsOther({"audit", "verify", "--db", copy});
  const std::string verified = verify->RestOfOutput();
  INFO(verified);
  CHECK(WEXITSTATUS(verify->Wait()) == 0);
  CHECK(verified.find("audit chain intact: 1 records") != std::string::npos);

  auto list = RunAsOther({"user", "list", "--db", copy});
  const std::string listed = list->RestOfOutput();
  INFO(listed);
  CHECK(WEXITSTATUS(list->Wait()) == 0);
  CHECK(listed.find("office.li") != std::string::npos);

  CHECK(bytes(copy) == before);
  CHECK(std::filesystem::directory_entry(folder + "/rectify.sqlite-wal").exists() == false);

  auto refused = RunAsOther({"audit", "verify", "--db", older});
  const std::string said = refused->RestOfOutput();
  INFO(said);
  CHECK(WEXITSTATUS(refused->Wait()) == 2);
  CHECK(said.find("can only be read here, and its schema version") != std::string::npos);
  CHECK(said.find("run this on a writable copy, which is upgraded when opened") != std::string::npos);
}

TEST_CASE("the database rectify creates is not readable by other users, whatever the umask") {
  TempDir dir;
  const mode_t before = ::umask(022);  // a shell's usual umask: files 0644, readable by all
  AddOfficeUser(dir.File("rectify.sqlite"));
  ::umask(before);
  struct stat created {};
  REQUIRE(::stat(dir.File("rectify.sqlite").c_str(), &created) == 0);
  CHECK((created.st_mode & 0777) == 0640);  // its ID numbers and health notes: owner and group only
}

TEST_CASE("a port already taken is reported, not silently shared") {
  TempDir dir;
  RectifyProcess first(ServeArgs(dir));
  const int port = first.WaitForPort();
  TempDir other;
  RectifyProcess second({"serve", "--db", other.File("r.sqlite"), "--campaign", kCampaign, "--port",
                         std::to_string(port)});
  const int status = second.Wait();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(second.RestOfOutput().find("cannot listen on 127.0.0.1:" + std::to_string(port) + ": Address already in use") !=
        std::string::npos);
}

TEST_CASE("a second serve or a demo on a SQLite file being served is refused and names the first") {
  TempDir dir;
  auto first = std::make_unique<RectifyProcess>(ServeArgs(dir));
  const int port = first->WaitForPort();
  const std::string db = dir.File("rectify.sqlite");
  struct stat before {};
  REQUIRE(::stat(db.c_str(), &before) == 0);
  const std::string holder = "pid " + std::to_string(first->Pid()) + ", rectify serve on 127.0.0.1";

  // Were it let in, it would serve on: a bounded wait, and the destructor kills it.
  RectifyProcess second(ServeArgs(dir));
  const std::optional<int> refused = second.WaitFor(std::chrono::seconds(20));
  REQUIRE(refused.has_value());
  CHECK(WEXITSTATUS(*refused) == 1);
  const std::string said = second.RestOfOutput();
  CHECK(said.find(db + " is already served by another rectify (" + holder + ")") != std::string::npos);
  CHECK(said.find("use PostgreSQL") != std::string::npos);

  // demo replaces the file it is given: not this one while it is served.
  RectifyProcess demo({"demo", "--db", db, "--campaign", kCampaign, "--port", "0"});
  const std::optional<int> demo_refused = demo.WaitFor(std::chrono::seconds(20));
  REQUIRE(demo_refused.has_value());
  CHECK(WEXITSTATUS(*demo_refused) == 1);
  CHECK(demo.RestOfOutput().find("is already served by another rectify (" + holder) != std::string::npos);
  struct stat now {};
  REQUIRE(::stat(db.c_str(), &now) == 0);
  CHECK(now.st_ino == before.st_ino);  // the same file, not deleted and made anew
  httplib::Client client("127.0.0.1", port);
  const auto health = client.Get("/api/health");
  REQUIRE(health);
  CHECK(health->status == 200);

  // The kernel lets go of the lock with the process, however it ends: the file left behind
  // does not keep the next start out.
  first->Signal(SIGKILL);
  first->Wait();
  first.reset();
  REQUIRE(std::filesystem::exists(db + ".lock"));
  RectifyProcess after(ServeArgs(dir));
  httplib::Client again("127.0.0.1", after.WaitForPort());
  const auto served = again.Get("/api/health");
  REQUIRE(served);
  CHECK(served->status == 200);
}

TEST_CASE("a notifier killed between delivery and its log repeats only that message and with the same key") {
  TempDir dir;
  const std::string db = ImportTwoLateProblems(dir);

  // A webhook receiver that kills the notifier while it waits for the first answer: the message
  // has arrived, the notifier never learns it, so it never writes the notification log.
  httplib::Server receiver;
  std::mutex mutex;
  std::vector<std::string> keys;
  std::atomic<pid_t> victim{0};
  bool kill_next = true;
  receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    bool kill_now = false;
    {
      std::lock_guard<std::mutex> lock(mutex);
      keys.push_back(req.get_header_value("Idempotency-Key"));
      kill_now = kill_next;
      kill_next = false;
    }
    if (kill_now) {
      while (victim.load() <= 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // never kill(0)
      kill(victim.load(), SIGKILL);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    res.set_content("{}", "application/json");
  });
  const int port = receiver.bind_to_any_port("127.0.0.1");
  REQUIRE(port > 0);
  std::thread serving([&] { receiver.listen_after_bind(); });
  WriteWebhookChannels(dir.File("channels.json"), port, {"village_1", "village_2", "discipline_commission", "rural_office"});
  auto notify_at = [&](const char* now) {
    return std::vector<std::string>{"notify", "--once", "--db", db, "--campaign", kCampaign, "--channels",
                                    dir.File("channels.json"), "--now", now};
  };
  const std::vector<std::string> notify = notify_at("2021-10-20T10:00");
  // After the dead process's claims on its messages have lapsed (notifier/outbox.h,
  // kOutboxClaimLease): another process delivers them.
  const std::vector<std::string> after_lease = notify_at("2021-10-20T10:16");
  {
    RectifyProcess first(notify);
    // The child is forked and running; the receiver may kill it from now on.
    victim = first.Pid();
    const int status = first.Wait();
    CHECK(WIFSIGNALED(status));
  }
  // Requests sent before the kill may still be reaching the receiver's handlers (on a loaded
  // machine, after the process is gone): the count settles first.
  std::vector<std::string> after_crash;
  for (int quiet = 0, rounds = 0; quiet < 3 && rounds < 50; ++rounds) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::lock_guard<std::mutex> lock(mutex);
    quiet = keys.size() == after_crash.size() ? quiet + 1 : 0;
    after_crash = keys;
  }
  // The channels deliver side by side: the kill came with the first request, and those of the
  // other channels already on their way (at most one each) were in flight with it.
  REQUIRE(!after_crash.empty());
  REQUIRE(after_crash.size() <= 4);
  {
    RectifyProcess too_soon(notify);  // the dead process still holds its messages
    CHECK(WEXITSTATUS(too_soon.Wait()) == 0);
    std::lock_guard<std::mutex> lock(mutex);
    CHECK(keys.size() == after_crash.size());
  }
  {
    RectifyProcess second(after_lease);
    CHECK(WEXITSTATUS(second.Wait()) == 0);
  }
  {
    RectifyProcess third(after_lease);  // everything is logged: nothing goes out again
    CHECK(WEXITSTATUS(third.Wait()) == 0);
  }
  receiver.stop();
  serving.join();
  std::map<std::string, int> seen;
  for (const std::string& key : keys) ++seen[key];
  INFO("keys received: " << keys.size());
  CHECK(seen.size() == 4);                // two units and two supervisors
  CHECK(seen[after_crash.front()] == 2);  // the one the kill interrupted, repeated once
  const std::set<std::string> in_flight(after_crash.begin(), after_crash.end());
  for (const auto& [key, count] : seen) {
    INFO(key);
    CHECK(count >= 1);
    CHECK(count <= (in_flight.count(key) ? 2 : 1));  // only a message in flight at the kill again
  }
}

TEST_CASE("notify delivers every other digest and exits 0 when an old database holds a deadline outside the calendar") {
  TempDir dir;
  const std::string db = ImportTwoLateProblems(dir);
  {
    // As a database written before dates were checked may hold it: village_2's problem due
    // 2019-05-01 (24:00, Shanghai).
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &raw) == SQLITE_OK);
    const int code = sqlite3_exec(raw, "UPDATE items SET deadline = 1556726400, due_at = 1556726400 WHERE id = 2",
                                  nullptr, nullptr, nullptr);
    sqlite3_close(raw);
    REQUIRE(code == SQLITE_OK);
  }
  httplib::Server receiver;
  std::mutex mutex;
  std::set<std::string> delivered;  // "audience:unit"
  receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    const nlohmann::json message = nlohmann::json::parse(req.body);
    std::lock_guard<std::mutex> lock(mutex);
    delivered.insert(message["audience"].get<std::string>() + ":" + message["unit"]["id"].get<std::string>());
    res.set_content("{}", "application/json");
  });
  const int port = receiver.bind_to_any_port("127.0.0.1");
  REQUIRE(port > 0);
  std::thread serving([&] { receiver.listen_after_bind(); });
  WriteWebhookChannels(dir.File("channels.json"), port, {"village_1", "village_2"});
  RectifyProcess notify({"notify", "--once", "--db", db, "--campaign", kCampaign, "--channels", dir.File("channels.json"),
                         "--now", "2021-10-20T10:00"});
  const std::string output = notify.RestOfOutput();
  const int status = notify.Wait();
  receiver.stop();
  serving.join();
  INFO(output);
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(output.find("rectify notify: data error, left out of the digests: problem 2 (示例二): deadline: 2019-05-01: "
                    "no holiday calendar for 2019") != std::string::npos);
  CHECK(delivered == std::set<std::string>{"unit:village_1"});  // village_2 had only the bad item
}

TEST_CASE("audit verify exits 0 on an imported database and 1 once a record is edited behind its back") {
  TempDir dir;
  const std::string db = ImportTwoLateProblems(dir);
  {
    RectifyProcess verify({"audit", "verify", "--db", db});
    const std::string output = verify.RestOfOutput();
    INFO(output);
    CHECK(WEXITSTATUS(verify.Wait()) == 0);
    CHECK(output.find("audit chain intact: 2 records") != std::string::npos);
  }
  {
    RectifyProcess exported({"audit", "export", "--db", db, "--from", "2021-10-12", "--to", "2021-10-12"});
    const std::string output = exported.RestOfOutput();
    INFO(output);
    CHECK(WEXITSTATUS(exported.Wait()) == 0);
    CHECK(output.rfind("\xEF\xBB\xBFseq,at,actor,action,subject,detail,prev_hash,hash\r\n1,2021-10-12T09:00", 0) == 0);
  }
  {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &raw) == SQLITE_OK);
    const int code = sqlite3_exec(
        raw, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'nobody' WHERE seq = 2", nullptr, nullptr,
        nullptr);
    sqlite3_close(raw);
    REQUIRE(code == SQLITE_OK);
  }
  RectifyProcess verify({"audit", "verify", "--db", db});
  const std::string output = verify.RestOfOutput();
  INFO(output);
  CHECK(WEXITSTATUS(verify.Wait()) == 1);
  CHECK(output.find("audit chain broken at record 2: edited") != std::string::npos);
}

}  // namespace rectify::testing

namespace rectify::testing {

// tests/fixtures/README.md: what release 509272a wrote, with its demo accounts' passwords.
TEST_CASE("a database of the release before campaigns opens as a deployment, nothing lost") {
  TempDir dir;
  const std::string db = dir.File("rectify.sqlite");
  std::filesystem::copy_file(std::string(RECTIFY_SOURCE_DIR) + "/tests/fixtures/release-509272a.sqlite", db);
  const std::string sample = std::string(RECTIFY_SOURCE_DIR) + "/workflows/demo/shiyan-2021-sample.json";
  const std::string county = std::string(RECTIFY_SOURCE_DIR) + "/workflows/demo/county.json";
  std::vector<std::string> args = {"serve",    "--db",     db,    "--campaign", kCampaign, "--campaign", sample,
                                   "--county", county,     "--port", "0",       "--now",   "2021-10-22T09:00"};
  {
    // Two campaigns: whose the old rows are is not guessed.
    RectifyProcess refused(args);
    CHECK(WEXITSTATUS(refused.Wait()) != 0);
    CHECK(refused.RestOfOutput().find("--adopt") != std::string::npos);
  }
  args.insert(args.end(), {"--adopt", "gaoqiao-2021-autumn"});
  RectifyProcess server(args);
  httplib::Client client("127.0.0.1", server.WaitForPort());
  const nlohmann::json login = {{"username", "demo.office"}, {"password", "fAcTQ-Pn3B8-Fxab8-si5Ty"}, {"session", "bearer"}};
  auto logged_in = client.Post("/api/login", login.dump(), "application/json");
  REQUIRE(logged_in);
  REQUIRE(logged_in->status == 200);
  const auto answer = nlohmann::json::parse(logged_in->body);
  CHECK(answer["user"]["town"] == "gaoqiao");
  const httplib::Headers bearer = {{"Authorization", "Bearer " + answer["token"].get<std::string>()}};
  auto get = [&](const std::string& path) {
    auto res = client.Get(path.c_str(), bearer);
    REQUIRE(res);
    INFO(path << " " << res->body);
    REQUIRE(res->status == 200);
    return nlohmann::json::parse(res->body);
  };
  const auto campaigns = get("/api/campaigns");
  REQUIRE(campaigns["campaigns"].size() == 1);  // the office is Gaoqiao's
  CHECK(campaigns["campaigns"][0]["figures"]["problems"] == 14);
  CHECK(campaigns["campaigns"][0]["figures"]["enrollments"] == 6);  // 7, one closed as not eligible
  CHECK(get("/api/campaigns/gaoqiao-2021-autumn/problems?limit=100")["items"].size() == 14);
  CHECK(get("/api/campaigns/gaoqiao-2021-autumn/enrollments?limit=100")["items"].size() == 7);
  CHECK(get("/api/campaigns/gaoqiao-2021-autumn/problems/1/history")["events"].size() > 1);
  // Every old account still logs in with its password, as a person of the town it now belongs to.
  for (const auto& [username, password] : std::vector<std::pair<std::string, std::string>>{
           {"demo.village1", "M5Bgq-kfEW5-CAiVB-4T984"}, {"demo.leader", "wBTXV-c2wEZ-Scb5b-MTxEg"}}) {
    const nlohmann::json body = {{"username", username}, {"password", password}, {"session", "bearer"}};
    auto res = client.Post("/api/login", body.dump(), "application/json");
    REQUIRE(res);
    INFO(username << " " << res->body);
    CHECK(res->status == 200);
  }
  server.Signal(SIGTERM);
  CHECK(WEXITSTATUS(server.Wait()) == 0);
  CHECK(server.RestOfOutput().find("now belong to campaign gaoqiao-2021-autumn") != std::string::npos);
  // The audit chain, old records and the adoption's, is one unbroken line.
  RectifyProcess verify({"audit", "verify", "--db", db});
  CHECK(WEXITSTATUS(verify.Wait()) == 0);
}

TEST_CASE("serve logs each request as a JSON line with the id it answers, and counts its notifier's deliveries") {
  TempDir dir;
  const std::string db = ImportTwoLateProblems(dir);
  httplib::Server receiver;
  std::atomic<int> received{0};
  receiver.Post("/hook", [&](const httplib::Request&, httplib::Response& res) {
    ++received;
    res.set_content("{}", "application/json");
  });
  const int receiver_port = receiver.bind_to_any_port("127.0.0.1");
  REQUIRE(receiver_port > 0);
  std::thread serving([&] { receiver.listen_after_bind(); });
  WriteWebhookChannels(dir.File("channels.json"), receiver_port,
                       {"village_1", "village_2", "discipline_commission", "rural_office"});
  std::vector<std::string> args = ServeArgs(dir);
  args.back() = "2021-10-20T10:00";  // both problems overdue: digests to send at once
  args.push_back("--channels");
  args.push_back(dir.File("channels.json"));
  RectifyProcess server(args);
  httplib::Client client("127.0.0.1", server.WaitForPort());

  // The first pass runs as the server starts; give it a generous while.
  nlohmann::json health;
  for (int i = 0; i < 200; ++i) {
    auto res = client.Get("/api/health");
    REQUIRE(res);
    health = nlohmann::json::parse(res->body);
    if (!health["notifier"]["last_pass"].is_null()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE_FALSE(health["notifier"]["last_pass"].is_null());
  CHECK(health["database"]["status"] == "ok");
  auto metrics = client.Get("/metrics", {{"X-Request-Id", "scrape-1"}});
  REQUIRE(metrics);
  CHECK(metrics->get_header_value("X-Request-Id") == "scrape-1");
  CHECK(received.load() == 4);  // two units and two supervisors
  CHECK(metrics->body.find("rectify_notifier_deliveries_total{channel_type=\"webhook\",result=\"sent\"} 4\n") !=
        std::string::npos);
  CHECK(metrics->body.find("rectify_outbox_messages{state=\"sent\"} 4\n") != std::string::npos);
  CHECK(metrics->body.find("rectify_notifier_pass_duration_seconds_count 1\n") != std::string::npos);

  server.Signal(SIGTERM);
  CHECK(WEXITSTATUS(server.Wait()) == 0);
  receiver.stop();
  serving.join();
  // stderr (here mixed with stdout's plain start-up lines) holds one JSON object per line.
  std::istringstream output(server.RestOfOutput());
  nlohmann::json scrape;
  int logged = 0;
  for (std::string line; std::getline(output, line);) {
    if (line.empty() || line[0] != '{') continue;
    const nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
    INFO(line);
    REQUIRE(parsed.is_object());
    ++logged;
    const auto id = parsed.find("request_id");
    if (id != parsed.end() && *id == "scrape-1") scrape = parsed;
  }
  CHECK(logged >= 2);
  REQUIRE(scrape.is_object());
  CHECK(scrape["route"] == "/metrics");
  CHECK(scrape["status"] == 200);
}

}  // namespace rectify::testing
