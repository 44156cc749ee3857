// Evidence files are recognised by their first bytes, hashed, and named safely.
#include <catch2/catch.hpp>

#include <string>

#include "engine/attachments.h"

namespace rectify::testing {

TEST_CASE("a file's type comes from its magic bytes, not its name") {
  using namespace std::string_literals;
  struct Case {
    const char* what;
    std::string bytes;
    std::optional<std::string> type;
  };
  const Case cases[] = {
      {"JPEG", "\xFF\xD8\xFF\xE0\x00\x10JFIF"s, "image/jpeg"},
      {"PNG", "\x89PNG\r\n\x1A\n\x00\x00"s, "image/png"},
      {"GIF87a", "GIF87a..."s, "image/gif"},
      {"GIF89a", "GIF89a..."s, "image/gif"},
      {"WebP", "RIFF\x10\x00\x00\x00WEBPVP8 "s, "image/webp"},
      {"PDF", "%PDF-1.7\n"s, "application/pdf"},
      {"a RIFF that is not WebP (WAV)", "RIFF\x10\x00\x00\x00WAVEfmt "s, std::nullopt},
      {"HTML", "<!doctype html><script>"s, std::nullopt},
      {"a Windows program", "MZ\x90\x00"s, std::nullopt},
      {"a ZIP (also XLSX)", "PK\x03\x04"s, std::nullopt},
      {"a truncated PNG signature", "\x89PNG"s, std::nullopt},
      {"nothing", ""s, std::nullopt},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    CHECK(DetectAttachmentType(c.bytes) == c.type);
  }
}

TEST_CASE("files are named by the SHA-256 of their bytes") {
  CHECK(ContentHash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(ContentHash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(IsContentHash(ContentHash("abc")));
  CHECK_FALSE(IsContentHash("../../etc/passwd"));
  CHECK_FALSE(IsContentHash(std::string(64, 'A')));
}

TEST_CASE("an uploaded file name keeps its last component without control characters") {
  auto clean = [](std::string_view name) {
    auto cleaned = CleanFileName(name);
    REQUIRE(cleaned.ok());
    return cleaned.value();
  };
  CHECK(clean("整改照片.jpg") == "整改照片.jpg");
  CHECK(clean("C:\\Users\\村委\\复学证明.pdf") == "复学证明.pdf");
  CHECK(clean("../../etc/passwd") == "passwd");
  CHECK(clean("a\r\nb.png") == "ab.png");
  CHECK(clean("照片\xEF\xBF\xBE.png") == "照片.png");  // U+FFFE, which no XML may hold
  // Characters that reorder the text: "\u202Egnp.exe" would show as "exe.png".
  CHECK(clean("\xE2\x80\xAEgnp.exe") == "gnp.exe");
  CHECK(clean("a\xE2\x81\xA6" "b\xE2\x81\xA9\xE2\x80\x8F.png") == "ab.png");
  CHECK(clean("") == "file");
  CHECK(clean("..") == "file");
  // Cut to 200 bytes from the name, never across a character, the extension kept.
  const std::string long_name = std::string(194, 'x') + "照片.jpg";  // a 3-byte character crosses byte 196
  const std::string cleaned = clean(long_name);
  CHECK(cleaned.size() <= 200);
  CHECK(cleaned == std::string(194, 'x') + ".jpg");
  std::string chinese;
  for (int i = 0; i < 70; ++i) chinese += "签";  // 210 bytes
  CHECK(clean(chinese + ".png") == chinese.substr(0, 195) + ".png");  // 65 characters and the extension
  // A "name" after a last dot far from the end is no extension: cut as it comes.
  CHECK(clean(std::string(150, 'x') + "." + std::string(100, 'y')) == std::string(150, 'x') + "." + std::string(49, 'y'));
}

TEST_CASE("an uploaded file name that is not UTF-8 is refused, not stored") {
  const auto gbk = CleanFileName("\xD5\xFB\xB8\xC4.jpg");  // 整改.jpg in GBK
  REQUIRE_FALSE(gbk.ok());
  CHECK(gbk.status().code() == StatusCode::kInvalidArgument);
  CHECK(gbk.status().field() == "file");
}

TEST_CASE("a file downloads under a name whose extension is the type its bytes are") {
  CHECK(DownloadName("整改照片.jpg", "image/jpeg") == "整改照片.jpg");
  CHECK(DownloadName("IMG_0001.JPEG", "image/jpeg") == "IMG_0001.JPEG");
  CHECK(DownloadName("签字页.PNG", "image/png") == "签字页.PNG");
  CHECK(DownloadName("x.html", "image/png") == "x.html.png");  // opened from the disk, it is a picture
  CHECK(DownloadName("gnp.exe", "image/png") == "gnp.exe.png");
  CHECK(DownloadName("证明", "application/pdf") == "证明.pdf");
  CHECK(ExtensionOfType("image/webp") == ".webp");
  CHECK(ExtensionOfType("text/html").empty());
}

}  // namespace rectify::testing
