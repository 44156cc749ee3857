// The subcommands of the `rectify` binary, callable from tests without a process.
// Each returns a process exit code and writes what a person needs to read to `out`/`err`.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "engine/time.h"
#include "web/connection_limits.h"

namespace rectify::app {

// What a deployment serves (engine/deployment.h): campaign files (or folders of them) and, for a
// county, the county file.
struct DeploymentFiles {
  std::vector<std::string> campaign_paths;
  std::string county_path;
  // The campaign that rows written before campaigns existed (an upgraded database) belong to;
  // empty: the deployment's only campaign, and a deployment of several refuses to start.
  std::string adopt;
};

struct ServeOptions {
  std::string db_path;
  DeploymentFiles deployment;
  std::string host = "127.0.0.1";
  int port = 8080;
  std::optional<Instant> now;  // run on a clock that starts here instead of the system clock
  std::string channels_path;   // the deployment's channel file; empty: the notifier routes nothing
  std::string link_base;       // prefix of links in messages; empty: http://host:port
  int notify_every_seconds = 60;
  bool secure_cookie = false;          // served behind HTTPS: the session cookie is marked Secure
  std::vector<std::string> trusted_proxies;  // whose X-Forwarded-For names the client
  web::ConnectionLimits connections;   // workers and the cap per client address
};

// Opens (creating or migrating) the database and serves the API until SIGINT/SIGTERM, with the
// notifier running beside it (enqueue the current slot, deliver what is due, every minute).
int Serve(const ServeOptions& options, std::ostream& out, std::ostream& err);

struct DemoOptions {
  ServeOptions serve;
  // workflows/demo/*.json: sample users, items and the events that move them, for the campaign
  // of the same position in serve.deployment.campaign_paths (after folders are read).
  std::vector<std::string> samples_paths;
  bool serve_after = true;
};

// Replaces the database file with a fresh one holding the campaign's sample items, spread over
// the workflow's states, then serves it (unless serve_after is false).
int Demo(const DemoOptions& options, std::ostream& out, std::ostream& err);

struct NotifyOptions {
  std::string db_path;
  DeploymentFiles deployment;
  std::string channels_path;
  std::string link_base = "http://127.0.0.1:8080";
  std::optional<Instant> now;
};

// One pass of the notifier: enqueue the slot current at `now`, deliver what is due, report.
// Exit code 0 unless something could not be read or stored (failed deliveries are retried
// later and are not an error of this run).
int NotifyOnce(const NotifyOptions& options, std::ostream& out, std::ostream& err);

struct ImportOptions {
  std::string db_path;
  std::string campaign_path;
  std::string csv_path;
  std::string actor = "import";
  bool dry_run = false;
  std::optional<Instant> now;
};

// Imports problems from CSV: every row checked; all stored, or none when any row is bad (each
// bad row reported with its line number). Exit code 0 only when rows were stored (or, with
// dry_run, would be).
int Import(const ImportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace rectify::app
