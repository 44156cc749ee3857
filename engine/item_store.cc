#include "engine/item_store.h"

#include <algorithm>
#include <iterator>
#include <future>
#include <limits>
#include <utility>

#include "engine/history_facts.h"
#include "engine/text.h"

namespace rectify {

namespace {

std::int64_t RankOf(const std::string& value, const std::vector<std::string>& ranks) {
  const auto found = std::find(ranks.begin(), ranks.end(), value);
  return static_cast<std::int64_t>(found - ranks.begin());
}

}  // namespace

std::int64_t SortValue(const Item& item, const ItemOrder& order) {
  constexpr std::int64_t kNoDate = std::numeric_limits<std::int64_t>::max();
  switch (order.key) {
    case ItemSortKey::kId: return item.id;
    case ItemSortKey::kDeadline: return item.deadline.value_or(kNoDate);
    case ItemSortKey::kDueAt: return item.due_at.value_or(kNoDate);
    case ItemSortKey::kUnit: return RankOf(item.unit, order.ranks);
    case ItemSortKey::kArea: return item.area;
    case ItemSortKey::kState: return RankOf(item.state.ToString(), order.ranks);
  }
  return item.id;
}

Result<std::vector<std::string>> SearchWords(const std::string& text) {
  static const std::string kIdeographicSpace = "\xE3\x80\x80";
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(word);
    word.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, kIdeographicSpace.size(), kIdeographicSpace) == 0) {
      flush();
      i += kIdeographicSpace.size();
    } else if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
      flush();
      ++i;
    } else {
      word += text[i++];
    }
  }
  flush();
  if (static_cast<int>(words.size()) > kMaxSearchWords)
    return Status::InvalidArgument("q", "at most " + std::to_string(kMaxSearchWords) + " words");
  return words;
}

std::vector<std::string> SearchSpellings(const std::string& word) {
  std::vector<std::string> spellings = {word};
  for (std::string other : {HalfWidth(word), FullWidth(HalfWidth(word))})
    if (std::find(spellings.begin(), spellings.end(), other) == spellings.end()) spellings.push_back(std::move(other));
  return spellings;
}

namespace {

// The keyset-paging loop of both page walks: `read` a page of `query`, `advance` the query past
// it, `visit` it; with PageReading::kAhead the next page is read on another thread meanwhile.
template <class Query, class Read, class Advance>
Status ForEachPage(Query query, PageReading reading, const Read& read, const Advance& advance,
                   const std::function<Status(std::vector<Item>& page)>& visit) {
  Result<std::vector<Item>> page = read(query);
  while (true) {
    if (!page.ok()) return page.status();
    if (page->empty()) return Status::Ok();
    const bool last = static_cast<int>(page->size()) < query.limit;
    advance(query, page->back());
    std::future<Result<std::vector<Item>>> next;
    if (!last && reading == PageReading::kAhead) next = std::async(std::launch::async, read, query);
    // On a failed visit the page being read ahead is waited for (the future's destructor), so
    // that no read outlives the walk's store.
    RECTIFY_RETURN_IF_ERROR(visit(*page));
    if (last) return Status::Ok();
    page = next.valid() ? next.get() : read(query);
  }
}

}  // namespace

Status ForEachItemPage(ItemStore& store, ItemQuery query, const std::function<Status(std::vector<Item>& page)>& visit,
                       PageReading reading) {
  return ForEachPage(
      std::move(query), reading, [&store](const ItemQuery& q) { return store.List(q); },
      [](ItemQuery& q, const Item& back) {
        q.after_id = back.id;
        if (!q.order.is_default() || q.after) q.after = ItemCursor{SortValue(back, q.order), back.id};
      },
      visit);
}

Status ForEachItem(ItemStore& store, ItemQuery query, const std::function<Status(const Item& item)>& visit) {
  return ForEachItemPage(store, std::move(query), [&visit](std::vector<Item>& page) {
    for (const Item& item : page) RECTIFY_RETURN_IF_ERROR(visit(item));
    return Status::Ok();
  });
}

Status ForEachOverduePage(ItemStore& store, OverdueQuery query,
                          const std::function<Status(std::vector<Item>& page)>& visit, PageReading reading) {
  return ForEachPage(
      std::move(query), reading, [&store](const OverdueQuery& q) { return store.Overdue(q); },
      [](OverdueQuery& q, const Item& back) {
        q.after_due = back.due_at;
        q.after_id = back.id;
      },
      visit);
}

Result<std::vector<ItemRecord>> WithHistories(ItemStore& store, std::vector<Item> items,
                                              const std::function<bool(const Item&)>& needs) {
  std::vector<ItemRecord> records(items.size());
  for (std::size_t i = 0; i < items.size(); ++i)
    if (needs && !needs(items[i])) records[i].item = std::move(items[i]);
  for (ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    std::vector<std::size_t> at;  // where each item of this kind that needs its history is in `items`
    for (std::size_t i = 0; i < items.size(); ++i)
      if (items[i].kind == kind && (!needs || needs(items[i]))) at.push_back(i);
    for (std::size_t first = 0; first < at.size(); first += kMaxHistoriesBatch) {
      const std::size_t end = std::min(at.size(), first + kMaxHistoriesBatch);
      HistoriesQuery query;
      query.kind = kind;
      for (std::size_t j = first; j < end; ++j) query.ids.push_back(items[at[j]].id);
      auto histories = store.Histories(query);
      if (!histories.ok()) return histories.status();
      for (std::size_t j = first; j < end; ++j)
        records[at[j]] = {std::move(items[at[j]]), std::move((*histories)[j - first])};
    }
  }
  return records;
}

Result<std::vector<Item>> LoadItems(ItemStore& store, const ItemQuery& query) {
  constexpr int kPage = 500;
  ItemQuery all = query;
  all.after_id = 0;
  all.after.reset();
  all.limit = kPage;
  std::vector<Item> items;
  RECTIFY_RETURN_IF_ERROR(ForEachItemPage(store, all, [&items](std::vector<Item>& page) {
    items.insert(items.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
    return Status::Ok();
  }));
  return items;
}

Status ForEachItemWithFacts(ItemStore& store, ItemQuery query,
                            const std::function<void(const Item& item, const HistoryFacts& facts)>& visit) {
  return ForEachItem(store, std::move(query), [&](const Item& item) -> Status {
    if (item.facts) {
      visit(item, *item.facts);
      return Status::Ok();
    }
    auto history = store.History(item.kind, item.id);
    if (!history.ok()) return history.status();
    visit(item, HistoryFactsOf(item.kind, *history));
    return Status::Ok();
  });
}

Result<std::int64_t> CountUncountedFigures(ItemStore& store, int batch,
                                           const std::function<void(std::int64_t counted)>& progress) {
  std::int64_t counted = 0;
  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    ItemQuery uncounted;
    uncounted.kind = kind;
    uncounted.figures_uncounted = true;
    uncounted.limit = batch;
    const Status visited = ForEachItemPage(store, uncounted, [&](std::vector<Item>& page) -> Status {
      RECTIFY_RETURN_IF_ERROR(store.CountFigures(page));
      counted += static_cast<std::int64_t>(page.size());
      if (progress) progress(counted);
      return Status::Ok();
    });
    if (!visited.ok()) return visited;
  }
  return counted;
}

Result<std::vector<ItemRecord>> LoadRecords(ItemStore& store, const ItemQuery& query) {
  auto items = LoadItems(store, query);
  if (!items.ok()) return items.status();
  return WithHistories(store, std::move(items).value());
}

}  // namespace rectify
