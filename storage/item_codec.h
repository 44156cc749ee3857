// The text of two item columns that hold more than a value, the same in every database: the
// tier entries and the history facts (HistoryFacts, engine/item.h).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "engine/figure_items.h"
#include "engine/item.h"

namespace rectify::sql {

// An item's tier entries as stored: "blue=1,yellow=2" (ids in order), "" for none. Parsing skips
// what it cannot read (a hand-edited row costs counts, not the read).
std::string FormatTierEntries(const std::map<std::string, int>& entries);
std::map<std::string, int> ParseTierEntries(const std::string& text);

// The history_facts column, a few lines of text (see the .cc). Parse gives nullopt for a text it
// cannot read: the figures then read the item's history.
std::string FormatHistoryFacts(const HistoryFacts& facts);
std::optional<HistoryFacts> ParseHistoryFacts(const std::string& text);

// The figure_key column and figure_counts' key: a figure item (engine/figure_items.h) as text,
// equal for equal figure items. Parse gives nullopt for a text it cannot read, or one of another
// format version (the store then refuses the groups and the figures read the items).
std::string FormatFigureItem(const FigureItem& figure);
std::optional<FigureItem> ParseFigureItem(const std::string& text);

}  // namespace rectify::sql
