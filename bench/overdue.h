// make bench's overdue figures: `items` generated problems (generated_data.h: a third open and
// overdue, a third open and not yet due, a third closed), then the first page (100 rows) of the
// overdue query through the store and through GET /api/overdue.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace rectify::bench {

// Prints the table's rows; returns the same as JSON.
nlohmann::json MeasureOverdue(const std::string& campaign_path, int items);

}  // namespace rectify::bench
