// The problem list import from XLSX (exports/xlsx_reader.h, then engine/problem_import.h), as
// `rectify import` and POST /api/problems/import read an upload. The first byte picks the input:
//   even: the rest is the uploaded file as it is (zip damage, minizip's side);
//   odd:  the rest is xl/worksheets/sheet1.xml, then after a NUL byte xl/sharedStrings.xml
//         (optional), packed here into a valid archive (stored, with right CRCs), so that
//         mutations reach expat and the sheet reader instead of failing the zip checksum.
#include <zlib.h>

#include <string>
#include <utility>
#include <vector>

#include "engine/problem_import.h"
#include "exports/xlsx_reader.h"
#include "tests/fuzz/fuzz_support.h"

using namespace rectify;

namespace {

void Put16(std::string& out, std::uint32_t value) {
  out += static_cast<char>(value & 0xFF);
  out += static_cast<char>((value >> 8) & 0xFF);
}
void Put32(std::string& out, std::uint32_t value) {
  Put16(out, value & 0xFFFF);
  Put16(out, value >> 16);
}

// A zip archive of `members` (name, bytes), uncompressed.
std::string StoredZip(const std::vector<std::pair<std::string, std::string_view>>& members) {
  std::string archive;
  std::string directory;
  for (const auto& [name, bytes] : members) {
    const auto crc = static_cast<std::uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
    const auto size = static_cast<std::uint32_t>(bytes.size());
    const auto offset = static_cast<std::uint32_t>(archive.size());
    // Local header: signature, version 2.0, no flags, stored, no time, CRC, sizes, name.
    Put32(archive, 0x04034b50);
    for (const std::uint32_t field : {20u, 0u, 0u, 0u, 0u}) Put16(archive, field);
    for (const std::uint32_t field : {crc, size, size}) Put32(archive, field);
    Put16(archive, static_cast<std::uint32_t>(name.size()));
    Put16(archive, 0);
    archive += name;
    archive += bytes;
    // Central directory entry: the same, with made-by, comment, disk and attributes empty.
    Put32(directory, 0x02014b50);
    for (const std::uint32_t field : {20u, 20u, 0u, 0u, 0u, 0u}) Put16(directory, field);
    for (const std::uint32_t field : {crc, size, size}) Put32(directory, field);
    Put16(directory, static_cast<std::uint32_t>(name.size()));
    for (const std::uint32_t field : {0u, 0u, 0u, 0u}) Put16(directory, field);
    Put32(directory, 0);
    Put32(directory, offset);
    directory += name;
  }
  const auto directory_offset = static_cast<std::uint32_t>(archive.size());
  archive += directory;
  Put32(archive, 0x06054b50);
  Put16(archive, 0);
  Put16(archive, 0);
  Put16(archive, static_cast<std::uint32_t>(members.size()));
  Put16(archive, static_cast<std::uint32_t>(members.size()));
  Put32(archive, static_cast<std::uint32_t>(directory.size()));
  Put32(archive, directory_offset);
  Put16(archive, 0);
  return archive;
}

std::string Workbook(std::string_view parts) {
  const std::vector<std::string_view> xml = fuzz::Split(parts, '\0');
  std::vector<std::pair<std::string, std::string_view>> members = {{"xl/worksheets/sheet1.xml", xml[0]}};
  if (xml.size() > 1) members.emplace_back("xl/sharedStrings.xml", xml[1]);
  return StoredZip(members);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest = fuzz::AsText(data + 1, size - 1);
  const std::string file = (data[0] & 1) == 0 ? std::string(rest) : Workbook(rest);

  const auto csv = exports::ProblemListAsCsv(file);
  fuzz::RequireRefusal(csv.status());
  if (!csv.ok()) return 0;
  const ProblemImport parsed = ParseProblemCsv(*csv, fuzz::TheService(), fuzz::TheNow());
  fuzz::Require(parsed.problems.size() == parsed.lines.size(), "every imported row has its line");
  return 0;
}
