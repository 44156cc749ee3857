// What rectify accepts as text, and how it repairs what older databases may hold.
#include <catch2/catch.hpp>

#include <string>

#include "engine/text.h"

namespace rectify::testing {

TEST_CASE("text is refused for bytes that are not UTF-8, naming the field and the byte") {
  const Status status = CheckText("title", "整改\xD5\xFB");
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.field() == "title");
  CHECK(status.message().find("byte 7") != std::string::npos);
  for (const char* bad : {"\xE9\xAB", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF"}) {
    INFO(bad);
    CHECK_FALSE(CheckText("f", bad).ok());
  }
}

TEST_CASE("text is refused for control characters and non-characters, but keeps tabs and line breaks") {
  CHECK(CheckText("note", "第一行\n第二行\r\n\t缩进").ok());
  CHECK(CheckText("note", "高桥镇😀 ，。“”").ok());
  CHECK(CheckText("note", "").ok());
  for (const std::string& bad : {std::string("a\0b", 3), std::string("\x01"), std::string("\x1b[31m"),
                                std::string("\x7f"), std::string("\xC2\x85"), std::string("\xEF\xBF\xBE"),
                                std::string("\xEF\xBF\xBF"), std::string("\xEF\xB7\x90"), std::string("\xF0\x9F\xBF\xBE")}) {
    INFO(bad.size());
    const Status status = CheckText("note", bad);
    CHECK_FALSE(status.ok());
    CHECK(status.message().find("U+") != std::string::npos);
  }
}

TEST_CASE("text is refused past its field's length in characters, not bytes") {
  std::string note;
  for (std::size_t i = 0; i < kMaxTextCharacters; ++i) note += "字";  // 3 bytes each
  CHECK(CheckText("note", note).ok());
  const Status longer = CheckText("note", note + "a");
  CHECK(longer.code() == StatusCode::kInvalidArgument);
  CHECK(longer.field() == "note");
  CHECK(longer.message() == "is 2001 characters long: at most 2000");
  CHECK_FALSE(CheckText("head_name", std::string(kMaxNameCharacters + 1, 'x'), kMaxNameCharacters).ok());
  CHECK(CheckText("path", std::string(100000, 'x'), kAnyLength).ok());
}

TEST_CASE("white space alone, ASCII or ideographic, is blank") {
  CHECK(IsBlank(""));
  CHECK(IsBlank(" \t\r\n"));
  CHECK(IsBlank("\xE3\x80\x80\xC2\xA0"));  // U+3000 and U+00A0
  CHECK_FALSE(IsBlank(" 缺少证明 "));
  CHECK(TrimSpace("\xE3\x80\x80 缺少 证明\t") == "缺少 证明");
}

TEST_CASE("a title or a name is kept without what shows nothing, so look-alikes are the same text") {
  // Zero-width space, joiners, the byte-order mark, a soft hyphen, direction marks and an override.
  CHECK(CleanTitle("李\u200b四") == "李四");
  CHECK(CleanTitle("\uFEFF\u3000危房\u200d改造\u00ad \u202e") == "危房改造");
  CHECK(CleanTitle("第一行\n第二行") == "第一行\n第二行");  // a title keeps its lines
  CHECK(CleanTitle("\u200b\u2060") == "");                    // nothing to see: blank
  CHECK(CleanName("李四\n张三\t") == "李四 张三");             // a name is one line
  CHECK(CleanName("　刘\u200b联村　") == "刘联村");
  CHECK(CleanName("吉𠮷") == "吉𠮷");                            // beyond the BMP is text like any
}

TEST_CASE("full-width forms become ASCII, other text stays") {
  CHECK(HalfWidth("１组") == "1组");
  CHECK(HalfWidth("ＡＢＣ村１２３号") == "ABC村123号");
  CHECK(HalfWidth("２０２１－１０－３０　１７：３０") == "2021-10-30 17:30");
  CHECK(HalfWidth("三组、张三。") == "三组、张三。");  // 、 and 。 have no ASCII form
  CHECK(HalfWidth("三组，张三") == "三组,张三");      // ， (U+FF0C) is a full-width comma
}

TEST_CASE("a text file in UTF-8 or GBK is read as UTF-8, anything else is refused") {
  CHECK(*DecodeTextFile("file", "\xEF\xBB\xBF领域,问题") == "领域,问题");  // the BOM dropped
  CHECK(*DecodeTextFile("file", "\xC1\xEC\xD3\xF2,\xCE\xCA\xCC\xE2") == "领域,问题");  // GBK
  const auto bad = DecodeTextFile("file", "\xFF\xFF\xFF");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().field() == "file");
}

TEST_CASE("stored text is repaired for answers and forms, never thrown at") {
  CHECK(RepairUtf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(RepairUtf8("整改") == "整改");
  CHECK(XmlSafeText(std::string("a\0b\x01\tc\xEF\xBF\xBE\xFF", 10)) == "ab\tc\xEF\xBF\xBD");
}

}  // namespace rectify::testing
