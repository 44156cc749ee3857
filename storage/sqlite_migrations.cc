#include "storage/sqlite_migrations.h"

#include <string>

namespace rectify::sqlite {
namespace {

// Version 1: items, the household and outcome of enrollments, and every item's history.
// States are stored by name (state + step), never by a state machine's numeric id. Dates are
// 'YYYY-MM-DD' text, instants epoch seconds. Every list query filters one kind and pages by
// id, hence the (kind, <filter>, id) indexes; the partial due_at indexes hold only open
// items, and the queries repeat their WHERE clause word for word so SQLite can use them.
constexpr const char* kInitialSchema = R"sql(
CREATE TABLE items (
  id              INTEGER PRIMARY KEY,
  kind            TEXT    NOT NULL CHECK (kind IN ('problem', 'enrollment')),
  state           TEXT    NOT NULL CHECK (state <> ''),
  step            TEXT    NOT NULL DEFAULT '',
  version         INTEGER NOT NULL CHECK (version >= 1),
  title           TEXT    NOT NULL,
  area            INTEGER NOT NULL DEFAULT 0,
  source          TEXT    NOT NULL DEFAULT '',
  unit            TEXT    NOT NULL DEFAULT '',
  measures        TEXT    NOT NULL DEFAULT '',
  deadline        INTEGER,
  deadline_rule   TEXT    NOT NULL DEFAULT '',
  state_since     INTEGER NOT NULL DEFAULT 0,
  due_at          INTEGER,
  due_rule        TEXT    NOT NULL DEFAULT '',
  send_back_count INTEGER NOT NULL DEFAULT 0,
  reopen_count    INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX items_kind ON items (kind, id);
CREATE INDEX items_kind_state ON items (kind, state, id);
CREATE INDEX items_kind_state_step ON items (kind, state, step, id);
CREATE INDEX items_kind_unit ON items (kind, unit, id);
CREATE INDEX items_kind_area ON items (kind, area, id);
CREATE INDEX items_kind_source ON items (kind, source, id);
CREATE INDEX items_open_due ON items (due_at, id)
  WHERE state <> 'closed' AND due_at IS NOT NULL;
CREATE INDEX items_open_unit_due ON items (unit, due_at, id)
  WHERE state <> 'closed' AND due_at IS NOT NULL;

CREATE TABLE households (
  item_id       INTEGER PRIMARY KEY REFERENCES items (id),
  head_name     TEXT    NOT NULL,
  village       TEXT    NOT NULL,
  category      TEXT    NOT NULL,
  risk_type     TEXT    NOT NULL,
  risk_found_on TEXT    NOT NULL CHECK (risk_found_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  clue_source   TEXT    NOT NULL,
  members       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX households_village ON households (village, item_id);

CREATE TABLE enrollment_outcomes (
  item_id     INTEGER PRIMARY KEY REFERENCES items (id),
  result      TEXT    NOT NULL CHECK (result <> ''),
  entered_on  TEXT    CHECK (entered_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  explanation TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE events (
  seq        INTEGER PRIMARY KEY,
  item_id    INTEGER NOT NULL REFERENCES items (id),
  from_state TEXT    NOT NULL,
  to_state   TEXT    NOT NULL,
  event      TEXT    NOT NULL,
  actor      TEXT    NOT NULL,
  at         INTEGER NOT NULL,
  note       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX events_item ON events (item_id, seq);

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

// Version 2: the notifier's outbox, its notification log and silences (notifier/outbox.h).
// The sender's Due query reads only the partial index outbox_due, which holds the messages
// still to deliver, so it stays small however many sent ones accumulate; the query repeats
// its WHERE clause word for word. A sent message, and only a sent one, has sent_at.
constexpr const char* kOutboxSchema = R"sql(
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  idempotency_key TEXT    NOT NULL UNIQUE CHECK (idempotency_key <> ''),
  slot            TEXT    NOT NULL,
  audience        TEXT    NOT NULL CHECK (audience IN ('unit', 'supervisors')),
  unit            TEXT    NOT NULL,
  channel         TEXT    NOT NULL,
  message         TEXT    NOT NULL,
  item_count      INTEGER NOT NULL DEFAULT 0 CHECK (item_count >= 0),
  state           TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  sent_at         INTEGER CHECK ((sent_at IS NOT NULL) = (state = 'sent')),
  last_error      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE state IN ('pending', 'failed');
CREATE INDEX outbox_state ON outbox (state, id);

CREATE TABLE notification_log (
  idempotency_key TEXT    PRIMARY KEY,
  slot            TEXT    NOT NULL,
  unit            TEXT    NOT NULL,
  sent_at         INTEGER NOT NULL
);
CREATE INDEX notification_log_slot ON notification_log (slot, idempotency_key);

CREATE TABLE silences (
  id          INTEGER PRIMARY KEY,
  item_id     INTEGER NOT NULL REFERENCES items (id),
  approved_by TEXT    NOT NULL,
  reason      TEXT    NOT NULL DEFAULT '',
  until       INTEGER NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX silences_until ON silences (until, id);
)sql";

// Version 3: the hash-chained audit log (engine/audit.h). seq is assigned by the store, not
// by SQLite, so the chain has no gaps: a missing seq is a deleted record. The triggers make the
// table append-only for every connection, so no code path can rewrite it by accident; they do
// not stop someone with the file from dropping them: the hash chain is what reveals that.
// Items stored before this version have no records: the chain starts at the upgrade.
constexpr const char* kAuditSchema = R"sql(
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY CHECK (seq >= 1),
  at        INTEGER NOT NULL,
  actor     TEXT    NOT NULL,
  action    TEXT    NOT NULL CHECK (action <> ''),
  subject   TEXT    NOT NULL,
  detail    TEXT    NOT NULL,
  prev_hash TEXT    NOT NULL CHECK (length(prev_hash) = 64),
  hash      TEXT    NOT NULL CHECK (length(hash) = 64)
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)sql";

// Version 4: a household's personal data (身份证号码, phone, bank account, health condition),
// stored in full. Who may see it unmasked is decided above the store (engine/personal_data.h).
constexpr const char* kHouseholdPersonalData = R"sql(
ALTER TABLE households ADD COLUMN id_number TEXT NOT NULL DEFAULT '';
ALTER TABLE households ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE households ADD COLUMN bank_account TEXT NOT NULL DEFAULT '';
ALTER TABLE households ADD COLUMN health_condition TEXT NOT NULL DEFAULT '';
)sql";

// Version 5: user accounts and their sessions (accounts/account.h). Roles are stored as
// comma-separated names ("office,leader"): a handful per user, always read with the user.
// Sessions and API tokens share one table, found by the hash of their token (never the token);
// `id` is the stable name of an API token (a plain rowid could change on VACUUM). expires_at 0
// means never (API tokens). Expired sessions stay until a later cleanup removes them.
constexpr const char* kAccountsSchema = R"sql(
CREATE TABLE users (
  id                  INTEGER PRIMARY KEY,
  username            TEXT    NOT NULL UNIQUE CHECK (username <> ''),
  display_name        TEXT    NOT NULL DEFAULT '',
  unit                TEXT    NOT NULL DEFAULT '',
  roles               TEXT    NOT NULL CHECK (roles <> ''),
  disabled            INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  password_hash       TEXT    NOT NULL CHECK (password_hash <> ''),
  created_at          INTEGER NOT NULL,
  password_changed_at INTEGER NOT NULL
);

CREATE TABLE sessions (
  id         INTEGER PRIMARY KEY,
  token_hash TEXT    NOT NULL UNIQUE CHECK (length(token_hash) = 64),
  user_id    INTEGER NOT NULL REFERENCES users (id),
  kind       TEXT    NOT NULL CHECK (kind IN ('session', 'api_token')),
  label      TEXT    NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX sessions_user ON sessions (user_id, kind, id);
)sql";

// Version 6: cooperating units (配合单位) of an item, who see it and record progress
// (engine/permissions.h). Keyed both ways: by item to read an item's list, by unit to find
// what a unit may see.
constexpr const char* kCooperatingUnits = R"sql(
CREATE TABLE item_cooperators (
  item_id INTEGER NOT NULL REFERENCES items (id),
  unit    TEXT    NOT NULL CHECK (unit <> ''),
  PRIMARY KEY (item_id, unit)
) WITHOUT ROWID;
CREATE INDEX item_cooperators_unit ON item_cooperators (unit, item_id);
)sql";

// Version 7: evidence files attached to items, and the units' ledger hand-ins with the office's
// receipts (engine/attachments.h). The bytes live on disk beside the database under their
// SHA-256; these rows say what was handed in, by whom and when. Append-only like the audit log:
// a later upload adds a row, nothing is rewritten.
constexpr const char* kAttachments = R"sql(
CREATE TABLE evidence_files (
  id           INTEGER PRIMARY KEY,
  item_id      INTEGER NOT NULL REFERENCES items (id),
  sha256       TEXT    NOT NULL CHECK (length(sha256) = 64),
  name         TEXT    NOT NULL CHECK (name <> ''),
  size         INTEGER NOT NULL CHECK (size >= 0),
  content_type TEXT    NOT NULL CHECK (content_type <> ''),
  uploaded_at  INTEGER NOT NULL,
  uploaded_by  TEXT    NOT NULL
);
CREATE INDEX evidence_files_item ON evidence_files (item_id, id);

CREATE TABLE ledger_handins (
  id           INTEGER PRIMARY KEY,
  unit         TEXT    NOT NULL CHECK (unit <> ''),
  sha256       TEXT    NOT NULL CHECK (length(sha256) = 64),
  name         TEXT    NOT NULL CHECK (name <> ''),
  size         INTEGER NOT NULL CHECK (size >= 0),
  content_type TEXT    NOT NULL CHECK (content_type <> ''),
  submitted_at INTEGER NOT NULL,
  submitted_by TEXT    NOT NULL
);
CREATE INDEX ledger_handins_unit ON ledger_handins (unit, id);

CREATE TABLE ledger_receipts (
  handin_id    INTEGER PRIMARY KEY REFERENCES ledger_handins (id),
  confirmed_at INTEGER NOT NULL,
  confirmed_by TEXT    NOT NULL
);

CREATE TRIGGER evidence_files_no_update BEFORE UPDATE ON evidence_files
  BEGIN SELECT RAISE(ABORT, 'evidence_files is append-only'); END;
CREATE TRIGGER evidence_files_no_delete BEFORE DELETE ON evidence_files
  BEGIN SELECT RAISE(ABORT, 'evidence_files is append-only'); END;
CREATE TRIGGER ledger_handins_no_update BEFORE UPDATE ON ledger_handins
  BEGIN SELECT RAISE(ABORT, 'ledger_handins is append-only'); END;
CREATE TRIGGER ledger_handins_no_delete BEFORE DELETE ON ledger_handins
  BEGIN SELECT RAISE(ABORT, 'ledger_handins is append-only'); END;
CREATE TRIGGER ledger_receipts_no_update BEFORE UPDATE ON ledger_receipts
  BEGIN SELECT RAISE(ABORT, 'ledger_receipts is append-only'); END;
CREATE TRIGGER ledger_receipts_no_delete BEFORE DELETE ON ledger_receipts
  BEGIN SELECT RAISE(ABORT, 'ledger_receipts is append-only'); END;
)sql";

// Version 8: the village household survey (入户核查, engine/survey_store.h): the households on the
// villages' lists, their visits (附件2) with the visiting teams, their history and the photos of
// the signed sheets. A visit recorded again is a new row; the household points at its latest
// (visit_id), so a list reads one join. Visits, teams, events and photos are append-only; the
// household row holds the state, the version and the link to its enrollment request, unique
// both ways. Photo bytes live beside the database like evidence files, under their SHA-256.
constexpr const char* kHouseholdSurvey = R"sql(
CREATE TABLE survey_households (
  id               INTEGER PRIMARY KEY,
  village          TEXT    NOT NULL CHECK (village <> ''),
  village_group    TEXT    NOT NULL DEFAULT '',
  head_name        TEXT    NOT NULL CHECK (head_name <> ''),
  household_type   TEXT    NOT NULL CHECK (household_type <> ''),
  priority         TEXT    NOT NULL CHECK (priority <> ''),
  note             TEXT    NOT NULL DEFAULT '',
  id_number        TEXT    NOT NULL DEFAULT '',
  phone            TEXT    NOT NULL DEFAULT '',
  found_on_the_way INTEGER NOT NULL DEFAULT 0 CHECK (found_on_the_way IN (0, 1)),
  state            TEXT    NOT NULL CHECK (state <> ''),
  version          INTEGER NOT NULL CHECK (version >= 1),
  visit_id         INTEGER REFERENCES survey_visits (id),
  enrollment_id    INTEGER UNIQUE REFERENCES items (id),
  added_at         INTEGER NOT NULL,
  added_by         TEXT    NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX survey_households_village ON survey_households (village, id);

CREATE TABLE survey_visits (
  id                INTEGER PRIMARY KEY,
  household_id      INTEGER NOT NULL REFERENCES survey_households (id),
  visited_on        TEXT    NOT NULL CHECK (visited_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  members           INTEGER NOT NULL CHECK (members >= 0),
  income_last_year  INTEGER,
  income_this_year  INTEGER,
  rigid_spending    INTEGER NOT NULL DEFAULT 0,
  spending_causes   TEXT    NOT NULL DEFAULT '',
  education_secured INTEGER NOT NULL CHECK (education_secured IN (0, 1)),
  medical_secured   INTEGER NOT NULL CHECK (medical_secured IN (0, 1)),
  housing_secured   INTEGER NOT NULL CHECK (housing_secured IN (0, 1)),
  water_secured     INTEGER NOT NULL CHECK (water_secured IN (0, 1)),
  assistance        TEXT    NOT NULL DEFAULT '',
  findings          TEXT    NOT NULL DEFAULT '',
  health_condition  TEXT    NOT NULL DEFAULT '',
  risk_found        INTEGER NOT NULL CHECK (risk_found IN (0, 1)),
  risk_type         TEXT    NOT NULL DEFAULT '',
  risk_found_on     TEXT    CHECK (risk_found_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  category          TEXT    NOT NULL DEFAULT '',
  recorded_at       INTEGER NOT NULL,
  recorded_by       TEXT    NOT NULL
);
CREATE INDEX survey_visits_household ON survey_visits (household_id, id);

CREATE TABLE survey_visit_team (
  visit_id INTEGER NOT NULL REFERENCES survey_visits (id),
  position INTEGER NOT NULL CHECK (position >= 0),
  name     TEXT    NOT NULL CHECK (name <> ''),
  role     TEXT    NOT NULL CHECK (role <> ''),
  PRIMARY KEY (visit_id, position)
) WITHOUT ROWID;

CREATE TABLE survey_events (
  seq          INTEGER PRIMARY KEY,
  household_id INTEGER NOT NULL REFERENCES survey_households (id),
  from_state   TEXT    NOT NULL,
  to_state     TEXT    NOT NULL,
  event        TEXT    NOT NULL CHECK (event <> ''),
  actor        TEXT    NOT NULL,
  at           INTEGER NOT NULL,
  note         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX survey_events_household ON survey_events (household_id, seq);

CREATE TABLE survey_photos (
  id           INTEGER PRIMARY KEY,
  household_id INTEGER NOT NULL REFERENCES survey_households (id),
  visit_id     INTEGER NOT NULL REFERENCES survey_visits (id),
  sha256       TEXT    NOT NULL CHECK (length(sha256) = 64),
  name         TEXT    NOT NULL CHECK (name <> ''),
  size         INTEGER NOT NULL CHECK (size >= 0),
  content_type TEXT    NOT NULL CHECK (content_type <> ''),
  uploaded_at  INTEGER NOT NULL,
  uploaded_by  TEXT    NOT NULL
);
CREATE INDEX survey_photos_household ON survey_photos (household_id, id);

CREATE TRIGGER survey_visits_no_update BEFORE UPDATE ON survey_visits
  BEGIN SELECT RAISE(ABORT, 'survey_visits is append-only'); END;
CREATE TRIGGER survey_visits_no_delete BEFORE DELETE ON survey_visits
  BEGIN SELECT RAISE(ABORT, 'survey_visits is append-only'); END;
CREATE TRIGGER survey_visit_team_no_update BEFORE UPDATE ON survey_visit_team
  BEGIN SELECT RAISE(ABORT, 'survey_visit_team is append-only'); END;
CREATE TRIGGER survey_visit_team_no_delete BEFORE DELETE ON survey_visit_team
  BEGIN SELECT RAISE(ABORT, 'survey_visit_team is append-only'); END;
CREATE TRIGGER survey_events_no_update BEFORE UPDATE ON survey_events
  BEGIN SELECT RAISE(ABORT, 'survey_events is append-only'); END;
CREATE TRIGGER survey_events_no_delete BEFORE DELETE ON survey_events
  BEGIN SELECT RAISE(ABORT, 'survey_events is append-only'); END;
CREATE TRIGGER survey_photos_no_update BEFORE UPDATE ON survey_photos
  BEGIN SELECT RAISE(ABORT, 'survey_photos is append-only'); END;
CREATE TRIGGER survey_photos_no_delete BEFORE DELETE ON survey_photos
  BEGIN SELECT RAISE(ABORT, 'survey_photos is append-only'); END;
)sql";

// A deployment serves several campaigns of several towns (engine/deployment.h): every item,
// ledger hand-in and survey household belongs to a campaign, every user to a town (empty: the
// county). Rows written before have NULL here until the program adopts them for the one campaign
// it serves (Stores::AdoptUnowned).
constexpr const char* kCampaigns = R"sql(
ALTER TABLE items ADD COLUMN campaign_id TEXT;
ALTER TABLE items ADD COLUMN carried_from TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN carried_at INTEGER;
CREATE INDEX items_campaign ON items (campaign_id, kind, id);
ALTER TABLE ledger_handins ADD COLUMN campaign_id TEXT;
CREATE INDEX ledger_handins_campaign ON ledger_handins (campaign_id, unit, id);
ALTER TABLE survey_households ADD COLUMN campaign_id TEXT;
ALTER TABLE users ADD COLUMN town TEXT;
)sql";

// Version 10: 督办 (issue #13). On items: the day a problem was found, the deadline before an
// approved extension (原时限), the sign-for awaited (签收) and the extension asked for (延期申请),
// and the warning tier last recorded with how often each tier was entered ("blue=1,yellow=2").
// On history rows: the unit that held the item once the event happened (send-backs and overdue
// days are charged to it), the sign-for limit the event set, and whether it signed for the item
// or sent its work back. Rows written before this version are charged to the item's unit at the
// upgrade, and a send-back is recognised by its event name.
constexpr const char* kDuban = R"sql(
ALTER TABLE items ADD COLUMN found_on TEXT CHECK (found_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
ALTER TABLE items ADD COLUMN original_deadline INTEGER;
ALTER TABLE items ADD COLUMN sign_for_unit TEXT;
ALTER TABLE items ADD COLUMN sign_for_since INTEGER;
ALTER TABLE items ADD COLUMN extension_proposed INTEGER;
ALTER TABLE items ADD COLUMN extension_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN extension_requested_by TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN extension_requested_at INTEGER;
ALTER TABLE items ADD COLUMN tier TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN tier_entries TEXT NOT NULL DEFAULT '';

ALTER TABLE events ADD COLUMN unit TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN sign_for_due INTEGER;
ALTER TABLE events ADD COLUMN signed_for INTEGER NOT NULL DEFAULT 0 CHECK (signed_for IN (0, 1));
ALTER TABLE events ADD COLUMN sent_back INTEGER NOT NULL DEFAULT 0 CHECK (sent_back IN (0, 1));
UPDATE events SET unit = (SELECT i.unit FROM items i WHERE i.id = events.item_id);
UPDATE events SET sent_back = 1 WHERE event = 'send_back';
CREATE INDEX events_event_at ON events (event, at);
)sql";

// Version 11: outbox rows name their channel by its id in the channel file ("village_1#sms-3f2a…",
// notifier/channel.h), no longer by its position ("village_1#0"), so reordering the file sends
// nothing astray. Rows written before name a position, all they knew; they are marked as such
// ("village_1#position:0"), which no id can be, and the notifier still resolves them by position.
constexpr const char* kChannelIds = R"sql(
UPDATE outbox SET channel = substr(channel, 1, instr(channel, '#')) || 'position:' || substr(channel, instr(channel, '#') + 1)
 WHERE instr(channel, '#') > 0
   AND substr(channel, instr(channel, '#') + 1) <> ''
   AND substr(channel, instr(channel, '#') + 1) NOT GLOB '*[^0-9]*';
)sql";

// Version 12: search (engine/item_store.h ItemQuery::text). One FTS5 row per item, rowid = the
// item's id, with the trigram tokenizer: any three characters in a row are indexed, so Chinese
// (written without spaces) is found by any part of three characters or more. Triggers keep it
// in step with items, households and history notes inside each writer's own transaction, so no
// adapter code can forget it; the rows of a database written before are filled here.
constexpr const char* kItemSearch = R"sql(
CREATE VIRTUAL TABLE item_text USING fts5(title, measures, household, notes, tokenize = 'trigram');

INSERT INTO item_text (rowid, title, measures, household, notes)
  SELECT i.id, i.title, i.measures, coalesce(h.head_name, ''),
         coalesce((SELECT group_concat(e.note, char(10)) FROM events e WHERE e.item_id = i.id AND e.note <> ''), '')
  FROM items i LEFT JOIN households h ON h.item_id = i.id;

CREATE TRIGGER item_text_insert AFTER INSERT ON items BEGIN
  INSERT INTO item_text (rowid, title, measures, household, notes) VALUES (new.id, new.title, new.measures, '', '');
END;
CREATE TRIGGER item_text_update AFTER UPDATE OF title, measures ON items
  WHEN old.title IS NOT new.title OR old.measures IS NOT new.measures BEGIN
  UPDATE item_text SET title = new.title, measures = new.measures WHERE rowid = new.id;
END;
CREATE TRIGGER item_text_household_insert AFTER INSERT ON households BEGIN
  UPDATE item_text SET household = new.head_name WHERE rowid = new.item_id;
END;
CREATE TRIGGER item_text_household_update AFTER UPDATE OF head_name ON households
  WHEN old.head_name IS NOT new.head_name BEGIN
  UPDATE item_text SET household = new.head_name WHERE rowid = new.item_id;
END;
CREATE TRIGGER item_text_household_delete AFTER DELETE ON households BEGIN
  UPDATE item_text SET household = '' WHERE rowid = old.item_id;
END;
CREATE TRIGGER item_text_note AFTER INSERT ON events WHEN new.note <> '' BEGIN
  UPDATE item_text SET notes = CASE WHEN notes = '' THEN new.note ELSE notes || char(10) || new.note END
    WHERE rowid = new.item_id;
END;

CREATE INDEX items_kind_updated ON items (kind, updated_at);
)sql";

// Version 13: each item's history facts (engine/history_facts.h), which the dashboard and the
// scores read instead of the history. The store writes them with every history row; an item
// written before has none (NULL) until its next write, and the figures read its history
// meanwhile, so the migration itself reads no history and starts at once on any size.
constexpr const char* kHistoryFacts = R"sql(
ALTER TABLE items ADD COLUMN history_facts TEXT;
)sql";

// Version 14: several instances on one database (notifier/outbox.h). An outbox message that Due
// handed to a store is claimed by it until claimed_until (a lease); the notifier's slot is
// claimed by the one store scanning it (one row: the latest slot claimed).
constexpr const char* kClaims = R"sql(
ALTER TABLE outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER NOT NULL DEFAULT 0;

CREATE TABLE notifier_slot_claim (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  slot          TEXT    NOT NULL,
  claimed_by    TEXT    NOT NULL,
  claimed_until INTEGER NOT NULL
);
)sql";

// Version 15: the login throttle's memory (accounts/login_throttle.h), kept in the database so
// that every process on it holds the same lockouts; it was in each process's memory before. Keys
// are the throttle's own (hashes: a typed username may be a password typed in the wrong field).
// The failures of a key, the holds and next checks, and the addresses each user logged in from.
constexpr const char* kLoginThrottle = R"sql(
CREATE TABLE login_failures (
  key TEXT    NOT NULL CHECK (key <> ''),
  at  INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);
CREATE INDEX login_failures_at ON login_failures (at);

CREATE TABLE login_holds (
  key        TEXT    PRIMARY KEY CHECK (key <> ''),
  held_until INTEGER NOT NULL DEFAULT 0,
  next_check INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE familiar_addresses (
  username TEXT    NOT NULL CHECK (username <> ''),
  address  TEXT    NOT NULL,
  at       INTEGER NOT NULL,
  PRIMARY KEY (username, address)
);
)sql";

// Version 16: a hand-in written before campaigns may be given its campaign once
// (Stores::AdoptUnowned); version 7's trigger refused that UPDATE too, so an upgraded database
// holding such hand-ins could not be adopted. Every other change is still refused.
constexpr const char* kAdoptableHandIns = R"sql(
DROP TRIGGER ledger_handins_no_update;
CREATE TRIGGER ledger_handins_no_update BEFORE UPDATE ON ledger_handins
  WHEN NOT ((old.campaign_id IS NULL OR old.campaign_id = '') AND new.campaign_id IS NOT NULL
            AND new.campaign_id <> '' AND new.id IS old.id AND new.unit IS old.unit
            AND new.sha256 IS old.sha256 AND new.name IS old.name AND new.size IS old.size
            AND new.content_type IS old.content_type AND new.submitted_at IS old.submitted_at
            AND new.submitted_by IS old.submitted_by)
  BEGIN SELECT RAISE(ABORT, 'ledger_handins is append-only'); END;
)sql";

// Version 17: history notes are searched row by row. Version 12 joined an item's notes into its
// item_text row, which each new note rewrote whole (an FTS5 update re-indexes every trigram of
// the row): the cost of a note grew with the item's history, measured as a transition writing
// 64 KiB to the WAL at first and 80 KiB a few thousand notes later. Now each note is a row of
// note_text (rowid = the event's seq) written once, and item_text holds the item's own texts.
// Notes reach note_text through note_text_queue at the end of their transaction (below); since
// 2026-11-30 a few hundred at a time, the queue searched meanwhile (SqliteDatabase::kNotesPerIndexing).
constexpr const char* kNoteSearch = R"sql(
DROP TRIGGER item_text_note;
DROP TRIGGER item_text_insert;
DROP TABLE item_text;
CREATE VIRTUAL TABLE item_text USING fts5(title, measures, household, tokenize = 'trigram');
INSERT INTO item_text (rowid, title, measures, household)
  SELECT i.id, i.title, i.measures, coalesce(h.head_name, '') FROM items i LEFT JOIN households h ON h.item_id = i.id;
CREATE TRIGGER item_text_insert AFTER INSERT ON items BEGIN
  INSERT INTO item_text (rowid, title, measures, household) VALUES (new.id, new.title, new.measures, '');
END;

CREATE VIRTUAL TABLE note_text USING fts5(note, item_id UNINDEXED, tokenize = 'trigram');
INSERT INTO note_text (rowid, note, item_id) SELECT seq, note, item_id FROM events WHERE note <> '';
-- A new note waits here until its transaction is about to commit, when SqliteDatabase moves the
-- transaction's notes into note_text together: FTS5 writes a segment at every SAVEPOINT and
-- RELEASE, and group commit gives each write a savepoint of its own. Empty between transactions.
CREATE TABLE note_text_queue (
  seq     INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL,
  note    TEXT    NOT NULL
);
CREATE TRIGGER note_text_insert AFTER INSERT ON events WHEN new.note <> '' BEGIN
  INSERT INTO note_text_queue (seq, item_id, note) VALUES (new.seq, new.item_id, new.note);
END;
)sql";

// Items grouped as the figures count them (engine/figure_items.h): each item names its group,
// and each group counts its items, both kept by every write in its transaction, so that the
// dashboard and the scores read a few thousand groups instead of a million items. Items written
// before have no group (NULL) until the start-up counts them (ItemStore::CountFigures); the
// groups are not used while any item is uncounted.
constexpr const char* kFigureGroups = R"sql(
-- Clustered by campaign and kind (WITHOUT ROWID), so that reading a campaign's groups is one
-- sequential range, not a lookup of each row; items name their group by its id.
CREATE TABLE figure_groups (
  campaign_id TEXT    NOT NULL,
  kind        TEXT    NOT NULL,
  figure_key  TEXT    NOT NULL,
  id          INTEGER NOT NULL UNIQUE,
  items       INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, kind, figure_key)
) WITHOUT ROWID;
ALTER TABLE items ADD COLUMN figure_group INTEGER;
CREATE INDEX items_uncounted ON items (kind, id) WHERE figure_group IS NULL;
)sql";

// The notifier's tier records (RecordTiers, engine/warning_tiers.h) read only the open items whose
// recorded tier may differ from what their deadline says now: by recorded tier and a range of
// deadlines, and those without a deadline in force that still carry a tier. Without these each
// slot read every open item.
constexpr const char* kTierRanges = R"sql(
CREATE INDEX items_open_tier_due ON items (tier, due_at, id)
  WHERE state <> 'closed' AND due_at IS NOT NULL;
CREATE INDEX items_open_tier_undue ON items (kind, id)
  WHERE state <> 'closed' AND due_at IS NULL AND tier <> '';
)sql";

// Each item's newest progress note (Item::latest_progress), kept as the history is written, so
// that the ledger reads no history. NULL on the items written before: they are read off their
// history until their next write keeps it.
constexpr const char* kLatestProgress = R"sql(
ALTER TABLE items ADD COLUMN progress_at INTEGER;
ALTER TABLE items ADD COLUMN progress_note TEXT;
)sql";

// Version 21: the writer queues a history row's note for the search (storage/item_writes.cc)
// where a trigger did: SQLite journals every page a statement with a trigger writes, in case it
// fails half-way, and a history row wrote four (measured: two in five of the journal writes of
// the notifier's tier records at a million items).
constexpr const char* kWriterQueuesNotes = R"sql(
DROP TRIGGER note_text_insert;
)sql";

// Version 22: the indexes of List's filters hold the campaign after the filter's column, since
// every service lists one campaign's items. Without it SQLite had to choose between the filter's
// index (reading each item to check its campaign) and the campaign's (reading each item of the
// campaign to check the filter), and without statistics it chose the campaign's: at a million
// items of one campaign, a page of the problems waiting for acceptance (待验收) took 2.3 s. A
// query without a campaign still searches the same indexes by their first columns.
constexpr const char* kCampaignFilterIndexes = R"sql(
DROP INDEX items_kind_state;
DROP INDEX items_kind_state_step;
DROP INDEX items_kind_unit;
DROP INDEX items_kind_area;
DROP INDEX items_kind_source;
CREATE INDEX items_kind_state ON items (kind, state, campaign_id, id);
CREATE INDEX items_kind_state_step ON items (kind, state, step, campaign_id, id);
CREATE INDEX items_kind_unit ON items (kind, unit, campaign_id, id);
CREATE INDEX items_kind_area ON items (kind, area, campaign_id, id);
CREATE INDEX items_kind_source ON items (kind, source, campaign_id, id);
)sql";

// The notifier counts most overdue items of a county without reading them whole (their outline,
// OverdueQuery::outline): the index of open deadlines now holds the outline's columns, so that
// SQLite answers it from the index alone. Read through the items instead, a million items' morning
// pass spent most of its time looking up each overdue item in the table. An update sets these
// columns only when they change (item_writes.cc): a progress note or a tier record leaves the
// entry as it is; a transition that moves the state rewrites it, one more index entry beside the
// state indexes it rewrites already.
constexpr const char* kOverdueOutlineIndex = R"sql(
DROP INDEX items_open_due;
CREATE INDEX items_open_due ON items (due_at, id, kind, campaign_id, state, step, unit, deadline, sign_for_unit,
                                      sign_for_since, extension_proposed)
  WHERE state <> 'closed' AND due_at IS NOT NULL;
)sql";

// One household is in one enrollment procedure at a time: before a new request is recorded, the
// open requests of the same head's ID number are looked up by this index (ItemQuery::id_number).
constexpr const char* kHouseholdIdNumberIndex = R"sql(
CREATE INDEX households_id_number ON households (id_number, item_id);
)sql";

// Version 25: two kinds of history rows were folded into an item's history facts wrongly
// (engine/history_facts.cc). A row on a closed item that left it closed (a 帮扶跟进 note) was taken
// for its closing, so a note after the deadline turned a request closed in time into one closed
// late; and a carry-over (回头看) kept the old campaign's send-backs, holders and opening in the
// new campaign's figures. Such items' facts are dropped and read again off the history. A carried
// problem's limits also ran from its first recording (engine/deadlines.cc), overdue on arrival.
constexpr const char* kFactsSinceArrival = R"sql(
-- Items with such a row leave their figure group and keep no facts; the start-up counts them
-- again from their history (ItemStore::CountFigures), and their next write keeps their facts.
UPDATE figure_groups SET items = items - (
    SELECT count(*) FROM items i WHERE i.figure_group = figure_groups.id
      AND i.id IN (SELECT item_id FROM events
                     WHERE (from_state = 'closed' AND to_state = 'closed') OR event = 'carry_over'))
  WHERE id IN (SELECT i.figure_group FROM items i
                 WHERE i.id IN (SELECT item_id FROM events
                                  WHERE (from_state = 'closed' AND to_state = 'closed') OR event = 'carry_over'));
UPDATE items SET figure_group = NULL, history_facts = NULL
  WHERE id IN (SELECT item_id FROM events WHERE (from_state = 'closed' AND to_state = 'closed') OR event = 'carry_over');
-- A carried problem's step limits and awaited signature run from its arrival; the deadlines in
-- force are recomputed at the next start, as after a change of the rules.
UPDATE items SET state_since = carried_at, sign_for_since = CASE WHEN sign_for_since IS NULL THEN NULL
                                                                 ELSE max(sign_for_since, carried_at) END
  WHERE carried_at IS NOT NULL AND state_since < carried_at;
DELETE FROM meta WHERE key LIKE 'campaign/%/deadline_fingerprint'
  AND EXISTS (SELECT 1 FROM items WHERE carried_at IS NOT NULL);
)sql";

// When each session's bearer was last seen, for the idle timeout of login sessions and the
// last use of API tokens (accounts/account_service.h). NULL: not since it was made.
constexpr const char* kSessionLastSeen = R"sql(
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER;
)sql";

// The key of the request that created an item (Item::request_key), found again when the request
// is repeated. Items made before have none.
constexpr const char* kRequestKeys = R"sql(
ALTER TABLE items ADD COLUMN request_key TEXT;
CREATE INDEX items_request_key ON items (request_key) WHERE request_key IS NOT NULL;
)sql";

// API tokens that may only read (accounts::Session::read_only); 0 for every session and token
// made before.
constexpr const char* kReadOnlyTokens = R"sql(
ALTER TABLE sessions ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0 CHECK (read_only IN (0, 1));
)sql";

// 回头看 copies a problem into the later campaign and keeps the old one on its campaign's record
// (Item::carried_to); before, it moved the problem whole. Problems carried before have no
// carried_from_id (NULL: the same id) and nothing carried_to.
constexpr const char* kCarriedBothWays = R"sql(
ALTER TABLE items ADD COLUMN carried_from_id INTEGER;
ALTER TABLE items ADD COLUMN carried_to TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN carried_to_id INTEGER;
)sql";

// A history row keeps what its event changed that no other row keeps, as it was before it
// (EventRecord::before, engine/item.h): the deadline an extension granted or a reopening moved,
// the outcome a reopening cleared. Rows written before keep nothing (deadline_moved 0,
// outcome_before_result NULL): a figure of a moment before them reads those as they are now.
constexpr const char* kChangedByEvent = R"sql(
ALTER TABLE events ADD COLUMN deadline_moved INTEGER NOT NULL DEFAULT 0 CHECK (deadline_moved IN (0, 1));
ALTER TABLE events ADD COLUMN deadline_before INTEGER;
ALTER TABLE events ADD COLUMN deadline_rule_before TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN original_deadline_before INTEGER;
ALTER TABLE events ADD COLUMN outcome_before_result TEXT;
ALTER TABLE events ADD COLUMN outcome_before_entered_on TEXT;
ALTER TABLE events ADD COLUMN outcome_before_explanation TEXT NOT NULL DEFAULT '';
)sql";

Status CheckNumbering(const std::vector<Migration>& migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return Status::Internal("schema migration #" + std::to_string(i + 1) + " is numbered " +
                              std::to_string(migrations[i].version));
    }
  }
  return Status::Ok();
}

Status RefuseNewer(int found, int known) {
  return Status::Internal("database schema version " + std::to_string(found) +
                          " is newer than this program knows (" + std::to_string(known) +
                          "): refusing to open it; run a newer rectify");
}

}  // namespace

const std::vector<Migration>& SchemaMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, kInitialSchema},
      {2, kOutboxSchema},
      {3, kAuditSchema},
      {4, kHouseholdPersonalData},
      {5, kAccountsSchema},
      {6, kCooperatingUnits},
      {7, kAttachments},
      {8, kHouseholdSurvey},
      {9, kCampaigns},
      {10, kDuban},
      {11, kChannelIds},
      {12, kItemSearch},
      {13, kHistoryFacts},
      {14, kClaims},
      {15, kLoginThrottle},
      {16, kAdoptableHandIns},
      {17, kNoteSearch},
      {18, kFigureGroups},
      {19, kTierRanges},
      {20, kLatestProgress},
      {21, kWriterQueuesNotes},
      {22, kCampaignFilterIndexes},
      {23, kOverdueOutlineIndex},
      {24, kHouseholdIdNumberIndex},
      {25, kFactsSinceArrival},
      {26, kSessionLastSeen},
      {27, kRequestKeys},
      {28, kReadOnlyTokens},
      {29, kCarriedBothWays},
      {30, kChangedByEvent},
  };
  return kMigrations;
}

Result<int> SchemaVersion(Db& db) {
  Query query = db.Prepare("PRAGMA user_version");
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("sqlite: PRAGMA user_version returned no row");
  return static_cast<int>(query.Int(0));
}

Status Migrate(Db& db, const std::vector<Migration>& migrations) {
  RECTIFY_RETURN_IF_ERROR(CheckNumbering(migrations));
  const int known = static_cast<int>(migrations.size());
  Result<int> before = SchemaVersion(db);
  if (!before.ok()) return before.status();
  if (*before > known) return RefuseNewer(*before, known);

  for (int next = *before + 1; next <= known; ++next) {
    Result<Transaction> tx = Transaction::Begin(db, Transaction::Mode::kWrite);
    if (!tx.ok()) return tx.status();
    // Another process may have migrated between our read and our write lock: read again.
    Result<int> current = SchemaVersion(db);
    if (!current.ok()) return current.status();
    if (*current > known) return RefuseNewer(*current, known);
    if (*current >= next) {
      next = *current;
      RECTIFY_RETURN_IF_ERROR(tx->Commit());
      continue;
    }
    const Migration& step = migrations[static_cast<std::size_t>(next) - 1];
    Status applied = db.Exec(step.sql);
    if (!applied.ok()) {
      return Status::Internal("schema migration " + std::to_string(next) + " failed: " + applied.message());
    }
    // PRAGMA takes no parameters; the value is our own loop counter, not outside input.
    RECTIFY_RETURN_IF_ERROR(db.Exec("PRAGMA user_version = " + std::to_string(next)));
    RECTIFY_RETURN_IF_ERROR(tx->Commit());
  }
  return Status::Ok();
}

}  // namespace rectify::sqlite
