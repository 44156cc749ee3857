#include "bench/naive_server.h"

#include <httplib.h>

#include <stdexcept>

namespace rectify::bench {

NaiveServer::NaiveServer(const std::string& path, const std::string& synchronous, int rows)
    : http_(std::make_unique<httplib::Server>()) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("naive server: cannot open " + path);
  Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = " + synchronous +
       "; CREATE TABLE items (id INTEGER PRIMARY KEY, note TEXT NOT NULL, version INTEGER NOT NULL)");
  Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(rows) +
       ") INSERT INTO items SELECT i, '', 1 FROM n");
  const char* update = "UPDATE items SET note = ?, version = version + 1 WHERE id = ?";
  if (sqlite3_prepare_v2(db_, update, -1, &update_, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("naive server: ") + sqlite3_errmsg(db_));

  // As rectify's server is set (web/api_server.cc): otherwise keep-alive clients wait on Nagle.
  http_->set_tcp_nodelay(true);
  http_->set_keep_alive_max_count(100000);
  http_->Post(R"(/api/problems/(\d+)/events)", [this](const httplib::Request& req, httplib::Response& res) {
    const sqlite3_int64 id = std::stoll(req.matches[1].str());
    int code;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      sqlite3_bind_text(update_, 1, req.body.data(), static_cast<int>(req.body.size()), SQLITE_TRANSIENT);
      sqlite3_bind_int64(update_, 2, id);
      code = sqlite3_step(update_);
      sqlite3_reset(update_);
    }
    if (code != SQLITE_DONE) {
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
  sqlite3_finalize(update_);
  sqlite3_close(db_);
}

void NaiveServer::Exec(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK) return;
  const std::string message = error != nullptr ? error : "unknown error";
  sqlite3_free(error);
  throw std::runtime_error("naive server: " + message);
}

}  // namespace rectify::bench
