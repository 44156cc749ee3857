#include "engine/item.h"

namespace rectify {

const char* ItemKindName(ItemKind kind) {
  return kind == ItemKind::kProblem ? "problem" : "enrollment";
}

std::optional<ItemKind> ParseItemKind(std::string_view text) {
  if (text == "problem") return ItemKind::kProblem;
  if (text == "enrollment") return ItemKind::kEnrollment;
  return std::nullopt;
}

StatePath StatePath::Parse(std::string_view path) {
  const auto dot = path.find('.');
  if (dot == std::string_view::npos) return StatePath{std::string(path), {}};
  return StatePath{std::string(path.substr(0, dot)), std::string(path.substr(dot + 1))};
}

}  // namespace rectify
