// rectify: the command line. Parses arguments (CLI11) and hands over to app/commands.h and
// app/audit_commands.h and app/user_commands.h.
#include <CLI/CLI.hpp>

#include <sys/stat.h>

#include <iostream>

#include "app/audit_commands.h"
#include "app/commands.h"
#include "app/migrate_command.h"
#include "app/user_commands.h"

namespace {

// Adds --now to a subcommand, parsed as an ISO time in Asia/Shanghai.
void AddNowOption(CLI::App& command, std::optional<rectify::Instant>& now) {
  command
      .add_option_function<std::string>(
          "--now",
          [&now](const std::string& text) {
            now = rectify::ParseInstant(text);
            if (!now) throw CLI::ValidationError("--now", "\"" + text + "\" is not an ISO time (2021-10-22T09:00)");
          },
          "Run on a clock that starts at this time (Asia/Shanghai unless an offset is given)")
      ->type_name("TIME");
}

// Adds the options that name what a deployment serves: --campaign (repeatable), --county, --adopt.
void AddDeploymentOptions(CLI::App& command, rectify::app::DeploymentFiles& files, bool required) {
  auto* campaign = command.add_option("--campaign", files.campaign_paths,
                                     "Campaign file (workflows/*.json) or a folder of them; repeat for several");
  campaign->check(CLI::ExistingPath);
  if (required) campaign->required();
  command.add_option("--county", files.county_path, "County file: the towns the deployment oversees")
      ->check(CLI::ExistingFile);
  command.add_option("--adopt", files.adopt,
                     "The campaign that a database made before campaigns existed belongs to "
                     "(needed when the deployment serves several)");
}

}  // namespace

int main(int argc, char** argv) {
  // The database, its WAL, stored files, exports and backups hold households' ID numbers, phones
  // and health notes: nothing rectify creates may be readable by other users of the machine,
  // whatever the shell's umask (022 would leave the database world-readable). A stricter umask
  // stays as it is.
  ::umask(::umask(0) | S_IWGRP | S_IRWXO);
  CLI::App cli{"rectify: rectification campaigns as state machines, against hard dates"};
  cli.require_subcommand(1);

  rectify::app::ServeOptions serve;
  CLI::App* serve_cmd = cli.add_subcommand("serve", "Serve the JSON API on a SQLite file or a PostgreSQL database");
  serve_cmd->add_option("--db", serve.db_path, "SQLite database file (created if missing) or postgresql:// URL")->required();
  AddDeploymentOptions(*serve_cmd, serve.deployment, /*required=*/true);
  serve_cmd->add_option("--host", serve.host, "Address to listen on")->capture_default_str();
  serve_cmd->add_option("--port", serve.port, "Port to listen on (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  serve_cmd->add_option("--channels", serve.channels_path, "Channel file: where each unit's messages go")
      ->check(CLI::ExistingFile);
  serve_cmd->add_option("--link-base", serve.link_base, "Prefix of item links in messages (default: this server)");
  serve_cmd->add_option("--notify-every", serve.notify_every_seconds, "Seconds between notifier passes")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve_cmd->add_flag("--secure-cookie", serve.secure_cookie,
                      "Mark the session cookie Secure: set when clients reach rectify over HTTPS (a TLS proxy)");
  serve_cmd->add_option("--trusted-proxy", serve.trusted_proxies,
                        "Address of a reverse proxy whose X-Forwarded-For names the client (repeatable)");
  serve_cmd->add_option("--workers", serve.connections.workers, "Threads serving connections, one each at a time")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  serve_cmd
      ->add_option("--max-connections-per-address", serve.connections.per_address,
                   "Connections one client address may hold at once (0: no cap, e.g. behind a reverse proxy)")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  AddNowOption(*serve_cmd, serve.now);

  rectify::app::DemoOptions demo;
  demo.serve.db_path = "demo.sqlite";
  // Two towns of one county: the real 2021 campaign and a clearly labelled sample one.
  const std::vector<std::string> demo_campaigns = {"workflows/gaoqiao-2021-autumn.json",
                                                   "workflows/demo/shiyan-2021-sample.json"};
  const std::vector<std::string> demo_samples = {"workflows/demo/gaoqiao-2021-samples.json",
                                                 "workflows/demo/shiyan-2021-samples.json"};
  demo.serve.now = rectify::ParseInstant("2021-10-22T09:00:00+08:00");
  CLI::App* demo_cmd = cli.add_subcommand("demo", "Replace the database with the campaign and sample items, then serve");
  demo_cmd->add_option("--db", demo.serve.db_path, "SQLite database file (replaced)")->capture_default_str();
  AddDeploymentOptions(*demo_cmd, demo.serve.deployment, /*required=*/false);
  demo_cmd->add_option("--samples", demo.samples_paths, "Sample items file, one per campaign in order (repeatable)")
      ->check(CLI::ExistingFile);
  demo_cmd->add_option("--host", demo.serve.host, "Address to listen on")->capture_default_str();
  demo_cmd->add_option("--port", demo.serve.port, "Port to listen on")->check(CLI::Range(0, 65535))->capture_default_str();
  demo_cmd->add_flag("!--no-serve", demo.serve_after, "Only build the database");
  AddNowOption(*demo_cmd, demo.serve.now);

  rectify::app::NotifyOptions notify;
  CLI::App* notify_cmd =
      cli.add_subcommand("notify", "Enqueue the current slot's digests and deliver what is due, once");
  notify_cmd->add_option("--db", notify.db_path, "SQLite database file or postgresql:// URL")->required();
  AddDeploymentOptions(*notify_cmd, notify.deployment, /*required=*/true);
  notify_cmd->add_option("--channels", notify.channels_path, "Channel file")->check(CLI::ExistingFile);
  notify_cmd->add_option("--link-base", notify.link_base, "Prefix of item links in messages")->capture_default_str();
  bool once = false;
  notify_cmd->add_flag("--once", once, "Run one pass and exit (the only mode: `serve` runs the notifier continuously)")
      ->required();
  AddNowOption(*notify_cmd, notify.now);

  rectify::app::ImportOptions import;
  CLI::App* import_cmd = cli.add_subcommand("import", "Import problems from a CSV file: all rows, or none");
  import_cmd->add_option("--db", import.db_path, "SQLite database file or postgresql:// URL")->required();
  import_cmd->add_option("--campaign", import.campaign_path, "Campaign file")->required()->check(CLI::ExistingFile);
  import_cmd->add_option("csv", import.csv_path, "CSV file (UTF-8; header row names the columns)")
      ->required()
      ->check(CLI::ExistingFile);
  import_cmd->add_option("--actor", import.actor, "Who the history names as creator")->capture_default_str();
  import_cmd->add_flag("--dry-run", import.dry_run, "Check every row, store nothing");
  AddNowOption(*import_cmd, import.now);

  CLI::App* audit_cmd = cli.add_subcommand("audit", "Check or export the tamper-evident audit log");
  // --db is not checked with CLI::ExistingFile: the commands refuse a missing file themselves,
  // with their own exit codes, and never create one.
  audit_cmd->require_subcommand(1);
  rectify::app::AuditVerifyOptions audit_verify;
  CLI::App* audit_verify_cmd = audit_cmd->add_subcommand(
      "verify", "Check the audit log's hash chain: exit 0 intact, 1 broken (names the first bad record), 2 unreadable");
  audit_verify_cmd->add_option("--db", audit_verify.db_path, "SQLite database file or postgresql:// URL (never created)")->required();
  rectify::app::AuditExportOptions audit_export;
  CLI::App* audit_export_cmd =
      audit_cmd->add_subcommand("export", "Write the audit records of a date range to stdout, and record the export");
  audit_export_cmd->add_option("--db", audit_export.db_path, "SQLite database file or postgresql:// URL (never created)")->required();
  audit_export_cmd->add_option("--from", audit_export.from, "First day (YYYY-MM-DD, Asia/Shanghai)")->required();
  audit_export_cmd->add_option("--to", audit_export.to, "Last day, included (YYYY-MM-DD)")->required();
  audit_export_cmd->add_option("--format", audit_export.format, "Output format")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  // No --actor: the export's audit record names the login that ran it (os:<name>), not a claim.
  AddNowOption(*audit_export_cmd, audit_export.now);

  rectify::app::MigrateDbOptions migrate_db;
  CLI::App* migrate_cmd = cli.add_subcommand(
      "migrate-db", "Copy a SQLite database, with its files and audit chain, into an empty PostgreSQL database and verify it");
  migrate_cmd->add_option("--from", migrate_db.from, "SQLite database file")->required();
  migrate_cmd->add_option("--to", migrate_db.to, "postgresql:// URL of an empty database")->required();

  CLI::App* user_cmd = cli.add_subcommand("user", "Add, list, move, disable and enable user accounts, reset their passwords, purge old sessions");
  user_cmd->require_subcommand(1);
  rectify::app::UserAddOptions user_add;
  CLI::App* user_add_cmd = user_cmd->add_subcommand(
      "add", "Add a user; without --password-stdin a password is generated and printed once");
  user_add_cmd->add_option("--db", user_add.common.db_path, "SQLite database file (created if missing) or postgresql:// URL")->required();
  user_add_cmd->add_option("--username", user_add.username, "Login name: 3-32 of a-z 0-9 _ . -")->required();
  user_add_cmd->add_option("--display-name", user_add.display_name, "Name shown to people");
  user_add_cmd->add_option("--unit", user_add.unit, "The user's unit (required for unit_member)");
  user_add_cmd->add_option("--town", user_add.town, "The user's town (the town file's id): they see its campaigns only");
  user_add_cmd->add_flag("--county", user_add.county, "A county-level leader or supervisor: sees every town's campaigns");
  user_add_cmd->add_option("--role", user_add.roles, "office, unit_member, inspector, supervisor or leader; repeatable")
      ->required();
  user_add_cmd->add_flag("--password-stdin", user_add.password_stdin, "Read the password from the first line of stdin");
  AddNowOption(*user_add_cmd, user_add.common.now);

  rectify::app::UserCommandOptions user_list;
  CLI::App* user_list_cmd = user_cmd->add_subcommand("list", "List users (never their password hashes)");
  user_list_cmd->add_option("--db", user_list.db_path, "SQLite database file or postgresql:// URL (never created)")->required();

  rectify::app::UserCommandOptions user_disable;
  std::string disable_name;
  CLI::App* user_disable_cmd =
      user_cmd->add_subcommand("disable", "Disable a user and revoke their sessions and API tokens");
  user_disable_cmd->add_option("--db", user_disable.db_path, "SQLite database file or postgresql:// URL (never created)")->required();
  user_disable_cmd->add_option("username", disable_name, "The user to disable")->required();
  AddNowOption(*user_disable_cmd, user_disable.now);

  rectify::app::UserMoveOptions user_move;
  CLI::App* user_move_cmd = user_cmd->add_subcommand(
      "move", "Give a user another unit, town or roles (a cadre transferred, a village merged): the same login "
              "and history; their sessions and API tokens are revoked");
  user_move_cmd->add_option("--db", user_move.common.db_path, "SQLite database file or postgresql:// URL (never created)")->required();
  user_move_cmd->add_option("--username", user_move.username, "The user to move")->required();
  user_move_cmd->add_option("--unit", user_move.unit, "The new unit (required for unit_member; empty: none)");
  user_move_cmd->add_option("--town", user_move.town, "The new town; without it and --county, the same town");
  user_move_cmd->add_flag("--county", user_move.county, "Make a county-level leader or supervisor");
  user_move_cmd->add_option("--role", user_move.roles, "The new roles, repeatable; none given: the same roles");
  AddNowOption(*user_move_cmd, user_move.common.now);

  rectify::app::UserCommandOptions user_enable;
  std::string enable_name;
  CLI::App* user_enable_cmd = user_cmd->add_subcommand(
      "enable", "Enable a disabled user again (their password is unchanged; revoked sessions stay revoked)");
  user_enable_cmd->add_option("--db", user_enable.db_path, "SQLite database file or postgresql:// URL (never created)")->required();
  user_enable_cmd->add_option("username", enable_name, "The user to enable")->required();

  rectify::app::UserCommandOptions user_purge;
  CLI::App* user_purge_cmd = user_cmd->add_subcommand(
      "purge-sessions", "Delete expired and revoked login sessions (the server also does so every hour)");
  user_purge_cmd->add_option("--db", user_purge.db_path, "SQLite database file or postgresql:// URL (never created)")->required();
  AddNowOption(*user_purge_cmd, user_purge.now);

  rectify::app::UserCommandOptions user_reset;
  std::string reset_name;
  CLI::App* user_reset_cmd = user_cmd->add_subcommand(
      "reset-password", "Set a generated password, print it once, revoke the user's sessions and API tokens");
  user_reset_cmd->add_option("--db", user_reset.db_path, "SQLite database file or postgresql:// URL (never created)")->required();
  user_reset_cmd->add_option("username", reset_name, "The user")->required();
  AddNowOption(*user_reset_cmd, user_reset.now);

  CLI11_PARSE(cli, argc, argv);

  if (serve_cmd->parsed()) return rectify::app::Serve(serve, std::cout, std::cerr);
  if (demo_cmd->parsed()) {
    if (demo.serve.deployment.campaign_paths.empty()) {
      demo.serve.deployment.campaign_paths = demo_campaigns;
      if (demo.samples_paths.empty()) demo.samples_paths = demo_samples;
      if (demo.serve.deployment.county_path.empty()) demo.serve.deployment.county_path = "workflows/demo/county.json";
    }
    return rectify::app::Demo(demo, std::cout, std::cerr);
  }
  if (notify_cmd->parsed()) return rectify::app::NotifyOnce(notify, std::cout, std::cerr);
  if (migrate_cmd->parsed()) return rectify::app::MigrateDb(migrate_db, std::cout, std::cerr);
  if (audit_verify_cmd->parsed()) return rectify::app::AuditVerify(audit_verify, std::cout, std::cerr);
  if (audit_export_cmd->parsed()) return rectify::app::AuditExport(audit_export, std::cout, std::cerr);
  if (user_add_cmd->parsed()) return rectify::app::UserAdd(user_add, std::cin, std::cout, std::cerr);
  if (user_list_cmd->parsed()) return rectify::app::UserList(user_list, std::cout, std::cerr);
  if (user_disable_cmd->parsed()) return rectify::app::UserDisable(user_disable, disable_name, std::cout, std::cerr);
  if (user_move_cmd->parsed()) return rectify::app::UserMove(user_move, std::cout, std::cerr);
  if (user_enable_cmd->parsed()) return rectify::app::UserEnable(user_enable, enable_name, std::cout, std::cerr);
  if (user_purge_cmd->parsed()) return rectify::app::UserPurgeSessions(user_purge, std::cout, std::cerr);
  if (user_reset_cmd->parsed()) return rectify::app::UserResetPassword(user_reset, reset_name, std::cout, std::cerr);
  return rectify::app::Import(import, std::cout, std::cerr);
}
