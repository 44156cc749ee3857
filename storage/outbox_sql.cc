#include "storage/outbox_sql.h"

#include <limits>

namespace rectify::outbox_sql {

sql::SqlQuery ListOutboxSql(std::optional<notifier::OutboxState> state, std::int64_t before_id, int limit) {
  sql::SqlQuery out;
  out.sql = SelectMessages();
  out.sql += "WHERE id < ? ";
  // before_id 0 pages from the newest: one statement text whatever the page.
  out.params.emplace_back(before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max());
  if (state) {
    out.sql += "AND state = ? ";
    out.params.emplace_back(std::string(notifier::OutboxStateName(*state)));
  }
  out.sql += "ORDER BY id DESC LIMIT ?";
  out.params.emplace_back(std::int64_t{limit});
  return out;
}

sql::SqlQuery CountOutboxSql(std::optional<notifier::OutboxState> state, const std::vector<std::string>& units) {
  sql::SqlQuery count{"SELECT count(*) FROM outbox WHERE 1 = 1 ", {}};
  if (state) {
    count.sql += "AND state = ? ";
    count.params.emplace_back(std::string(notifier::OutboxStateName(*state)));
  }
  if (!units.empty()) {
    count.sql += "AND unit IN (";
    for (std::size_t i = 0; i < units.size(); ++i) {
      count.sql += i == 0 ? "?" : ", ?";
      count.params.emplace_back(units[i]);
    }
    count.sql += ") ";
  }
  return count;
}

}  // namespace rectify::outbox_sql
