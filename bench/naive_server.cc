#include "bench/naive_server.h"

#include <httplib.h>

#include <stdexcept>
#include <utility>

#include "storage/sqlite_checkpointer.h"
#include "storage/sqlite_group_commit.h"
#include "storage/sqlite_pool.h"

namespace rectify::bench {
namespace {

constexpr const char* kUpdate = "UPDATE items SET note = ?, version = version + 1 WHERE id = ?";

}  // namespace

NaiveServer::NaiveServer(const std::string& path, const std::string& synchronous, int rows, NaiveCommit commit)
    : http_(std::make_unique<httplib::Server>()) {
  if (commit == NaiveCommit::kGrouped && synchronous != "FULL")
    throw std::runtime_error("naive server: group commit runs with synchronous=FULL only");
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("naive server: cannot open " + path);
  Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = " + synchronous +
       "; CREATE TABLE items (id INTEGER PRIMARY KEY, note TEXT NOT NULL, version INTEGER NOT NULL)");
  Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(rows) +
       ") INSERT INTO items SELECT i, '', 1 FROM n");
  if (commit == NaiveCommit::kEachRequest) {
    if (sqlite3_prepare_v2(db_, kUpdate, -1, &update_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("naive server: ") + sqlite3_errmsg(db_));
  } else {
    sqlite3_close(std::exchange(db_, nullptr));
    pool_ = std::make_unique<sqlite::ConnectionPool>(path, 4);
    writes_ = std::make_unique<sqlite::GroupCommit>(*pool_, sqlite::GroupLimits{}, [this] {
      if (checkpointer_ != nullptr) checkpointer_->Committed();
    });
    Result<std::unique_ptr<sqlite::Checkpointer>> checkpointer = sqlite::Checkpointer::Start(path, *writes_);
    if (!checkpointer.ok()) throw std::runtime_error("naive server: " + checkpointer.status().message());
    checkpointer_ = std::move(checkpointer).value();
  }

  // As rectify's server is set (web/api_server.cc): otherwise keep-alive clients wait on Nagle.
  http_->set_tcp_nodelay(true);
  http_->set_keep_alive_max_count(100000);
  http_->Post(R"(/api/problems/(\d+)/events)", [this](const httplib::Request& req, httplib::Response& res) {
    const std::int64_t id = std::stoll(req.matches[1].str());
    if (!(writes_ ? UpdateGrouped(id, req.body) : UpdateEach(id, req.body))) {
      res.status = 500;
      return;
    }
    res.set_content(R"({"ok":true})", "application/json");
  });
  port_ = http_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("naive server: cannot bind a loopback port");
  serving_ = std::thread([this] { http_->listen_after_bind(); });
  while (!http_->is_running()) std::this_thread::yield();
}

NaiveServer::~NaiveServer() {
  http_->stop();
  serving_.join();
  checkpointer_.reset();  // it takes its turns among the writes
  sqlite3_finalize(update_);
  sqlite3_close(db_);
}

bool NaiveServer::UpdateEach(std::int64_t id, const std::string& note) {
  std::lock_guard<std::mutex> lock(mutex_);
  sqlite3_bind_text(update_, 1, note.data(), static_cast<int>(note.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(update_, 2, id);
  const int code = sqlite3_step(update_);
  sqlite3_reset(update_);
  return code == SQLITE_DONE;
}

bool NaiveServer::UpdateGrouped(std::int64_t id, const std::string& note) {
  return writes_
      ->Write([&](sqlite::Db& db) {
        return db.Prepare(kUpdate).BindAll(note, id).Run();
      })
      .ok();
}

void NaiveServer::Exec(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK) return;
  const std::string message = error != nullptr ? error : "unknown error";
  sqlite3_free(error);
  throw std::runtime_error("naive server: " + message);
}

}  // namespace rectify::bench
