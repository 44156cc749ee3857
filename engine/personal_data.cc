#include "engine/personal_data.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <optional>
#include <utility>

#include "engine/text.h"

namespace rectify {
namespace {

constexpr std::string_view kFullWidthSpace = "\xE3\x80\x80";  // U+3000, the IME's space

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsDigit);
}

// Characters, not bytes; a stray continuation byte counts as part of the character before it.
std::size_t CharCount(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return !IsContinuation(c); }));
}

// Full-width forms (U+FF01..U+FF5E, what a Chinese IME types in its full-width mode) become
// their ASCII characters and U+3000 a space; everything else is kept.
std::string HalfWidth(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 3) == kFullWidthSpace) {
      out += ' ';
      i += 2;
      continue;
    }
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 == 0xEF && i + 2 < text.size()) {
      const auto b1 = static_cast<unsigned char>(text[i + 1]);
      const auto b2 = static_cast<unsigned char>(text[i + 2]);
      const unsigned code = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
      if (IsContinuation(text[i + 1]) && IsContinuation(text[i + 2]) && code >= 0xFF01 && code <= 0xFF5E) {
        out += static_cast<char>(code - 0xFEE0);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// Half-width, with every space removed.
std::string Clean(std::string_view text) {
  std::string out = HalfWidth(text);
  out.erase(std::remove_if(out.begin(), out.end(), IsAsciiSpace), out.end());
  return out;
}

std::string Trim(std::string_view text) {
  for (;;) {
    if (!text.empty() && IsAsciiSpace(text.front())) {
      text.remove_prefix(1);
    } else if (!text.empty() && IsAsciiSpace(text.back())) {
      text.remove_suffix(1);
    } else if (text.substr(0, kFullWidthSpace.size()) == kFullWidthSpace) {
      text.remove_prefix(kFullWidthSpace.size());
    } else if (text.size() >= kFullWidthSpace.size() &&
               text.substr(text.size() - kFullWidthSpace.size()) == kFullWidthSpace) {
      text.remove_suffix(kFullWidthSpace.size());
    } else {
      return std::string(text);
    }
  }
}

// --- ID numbers ---

constexpr std::array<int, 17> kIdWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kIdCheckChars = "10X98765432";

char IdCheckChar(std::string_view body17) {
  int sum = 0;
  for (std::size_t i = 0; i < kIdWeights.size(); ++i) sum += (body17[i] - '0') * kIdWeights[i];
  return kIdCheckChars[static_cast<std::size_t>(sum % 11)];
}

bool IsProvinceCode(int code) {
  static constexpr std::array<std::pair<int, int>, 9> kRanges = {
      {{11, 15}, {21, 23}, {31, 37}, {41, 46}, {50, 54}, {61, 65}, {71, 71}, {81, 81}, {82, 82}}};
  return std::any_of(kRanges.begin(), kRanges.end(),
                     [code](const auto& range) { return code >= range.first && code <= range.second; });
}

// 17 digits and a digit or 'X': the shape MaskIdNumber may show part of.
bool HasIdShape(std::string_view id) {
  return id.size() == 18 && AllDigits(id.substr(0, 17)) && (IsDigit(id[17]) || id[17] == 'X');
}

int Number(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// --- Phones ---

struct Phone {
  std::string digits;
  std::size_t area_length = 0;  // 0 for a mobile number
};

std::string Canonical(const Phone& phone) {
  if (phone.area_length == 0) return phone.digits;
  return phone.digits.substr(0, phone.area_length) + "-" + phone.digits.substr(phone.area_length);
}

// Reads a cleaned phone number (see Clean) or says what is wrong with it.
Result<Phone> ParsePhone(const std::string& cleaned, std::string_view field) {
  const std::string f(field);
  if (cleaned.empty()) return Status::InvalidArgument(f, "未填写电话号码");
  if (!std::all_of(cleaned.begin(), cleaned.end(), [](char c) { return IsDigit(c) || c == '-'; })) {
    return Status::InvalidArgument(f, "电话号码只能包含数字和“-”");
  }
  Phone phone;
  std::copy_if(cleaned.begin(), cleaned.end(), std::back_inserter(phone.digits), IsDigit);
  const std::string& d = phone.digits;
  const std::string count = std::to_string(d.size());
  if (d.size() >= 1 && d[0] == '1') {
    if (d.size() != 11) return Status::InvalidArgument(f, "手机号码应为11位，现为" + count + "位");
    if (d[1] < '3') return Status::InvalidArgument(f, "手机号码第2位应为3至9");
    return phone;
  }
  if (d.size() < 3 || d[0] != '0') {
    return Status::InvalidArgument(f, "电话号码应为11位手机号码，或带区号的固定电话（如0737-1234567）");
  }
  if (d.compare(0, 3, "010") == 0 || d[1] == '2') {
    phone.area_length = 3;
  } else if (d[1] >= '3') {
    phone.area_length = 4;
  } else {
    return Status::InvalidArgument(f, "固定电话区号不正确（如北京010、长沙0731、益阳0737）");
  }
  const std::size_t dashes = static_cast<std::size_t>(std::count(cleaned.begin(), cleaned.end(), '-'));
  if (dashes > 1 || (dashes == 1 && cleaned.find('-') != phone.area_length)) {
    return Status::InvalidArgument(f, "固定电话的“-”应紧跟在区号之后（如0737-1234567）");
  }
  const std::size_t local = d.size() > phone.area_length ? d.size() - phone.area_length : 0;
  if (local != 7 && local != 8) {
    return Status::InvalidArgument(f, "固定电话号码（不含区号）应为7或8位，现为" + std::to_string(local) + "位");
  }
  return phone;
}

}  // namespace

PersonalData Disclose(const PersonalData& data, Disclosure level) {
  switch (level) {
    case Disclosure::kFull:
      return data;
    case Disclosure::kMasked:
      return {MaskIdNumber(data.id_number), MaskPhone(data.phone), MaskBankAccount(data.bank_account),
              MaskHealth(data.health_condition)};
    case Disclosure::kOmitted:
      return {};
  }
  return {};  // an out-of-range level shows nothing
}

Status ValidatePersonalData(PersonalData& data, CivilDate today) {
  data.id_number = NormalizeIdNumber(data.id_number);
  data.phone = NormalizePhone(data.phone);
  data.bank_account = NormalizeBankAccount(data.bank_account);
  data.health_condition = Trim(data.health_condition);
  if (!data.id_number.empty()) RECTIFY_RETURN_IF_ERROR(ValidateIdNumber(data.id_number, today));
  if (!data.phone.empty()) RECTIFY_RETURN_IF_ERROR(ValidatePhone(data.phone));
  if (!data.bank_account.empty()) RECTIFY_RETURN_IF_ERROR(ValidateBankAccount(data.bank_account));
  if (!data.health_condition.empty()) RECTIFY_RETURN_IF_ERROR(ValidateHealthNote(data.health_condition));
  return Status::Ok();
}

std::string NormalizeIdNumber(std::string_view id) {
  std::string out = Clean(id);
  if (!out.empty() && out.back() == 'x') out.back() = 'X';
  return out;
}

Status ValidateIdNumber(std::string_view raw, CivilDate today, std::string_view field) {
  const std::string f(field);
  const std::string id = NormalizeIdNumber(raw);
  if (id.empty()) return Status::InvalidArgument(f, "未填写身份证号码");
  if (id.size() == 15 && AllDigits(id)) {
    return Status::InvalidArgument(f, "这是15位的旧身份证号码，已停止使用，请填写18位的新号码");
  }
  const std::size_t chars = CharCount(id);
  if (chars != 18) return Status::InvalidArgument(f, "身份证号码应为18位，现为" + std::to_string(chars) + "位");
  // 18 characters: walk them, not the bytes, so a stray Chinese character gets its position.
  std::size_t position = 0;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (IsContinuation(id[i])) continue;
    ++position;
    const bool last = position == 18;
    if (!IsDigit(id[i]) && !(last && id[i] == 'X')) {
      return Status::InvalidArgument(f, last ? "身份证号码第18位（校验码）应为数字或X"
                                             : "身份证号码第" + std::to_string(position) + "位应为数字");
    }
  }
  if (!IsProvinceCode(Number(id.substr(0, 2)))) {
    return Status::InvalidArgument(f, "身份证号码前两位不是有效的省份代码（如湖南为43）");
  }
  const CivilDate birth{Number(id.substr(6, 4)), Number(id.substr(10, 2)), Number(id.substr(12, 2))};
  if (!IsValidDate(birth)) return Status::InvalidArgument(f, "身份证号码第7至14位的出生日期不是真实的日期");
  if (birth.year < 1900) return Status::InvalidArgument(f, "身份证号码中的出生日期早于1900年");
  if (birth > today) return Status::InvalidArgument(f, "身份证号码中的出生日期晚于今天");
  if (IdCheckChar(id.substr(0, 17)) != id[17]) {
    return Status::InvalidArgument(f, "身份证号码校验不通过，可能有一位输错了，请对照身份证逐位核对");
  }
  return Status::Ok();
}

std::string MaskIdNumber(std::string_view id) {
  const std::string n = NormalizeIdNumber(id);
  if (n.empty()) return "";
  if (!HasIdShape(n)) return std::string(18, '*');
  return n.substr(0, 4) + std::string(10, '*') + n.substr(14);
}

std::string NormalizePhone(std::string_view phone) {
  std::string cleaned = Clean(phone);
  Result<Phone> parsed = ParsePhone(cleaned, "");
  return parsed.ok() ? Canonical(*parsed) : cleaned;
}

Status ValidatePhone(std::string_view phone, std::string_view field) {
  return ParsePhone(Clean(phone), field).status();
}

std::string MaskPhone(std::string_view phone) {
  const std::string cleaned = Clean(phone);
  if (cleaned.empty()) return "";
  const Result<Phone> parsed = ParsePhone(cleaned, "");
  if (!parsed.ok()) return std::string(11, '*');
  const std::string& d = parsed->digits;
  if (parsed->area_length == 0) return d.substr(0, 3) + "****" + d.substr(7);
  const std::size_t hidden = d.size() - parsed->area_length - 4;
  return d.substr(0, parsed->area_length) + "-" + std::string(hidden, '*') + d.substr(d.size() - 4);
}

std::string NormalizeBankAccount(std::string_view account) { return Clean(account); }

Status ValidateBankAccount(std::string_view account, std::string_view field) {
  const std::string f(field);
  const std::string digits = NormalizeBankAccount(account);
  if (digits.empty()) return Status::InvalidArgument(f, "未填写银行账号");
  if (!AllDigits(digits)) return Status::InvalidArgument(f, "银行账号只能包含数字");
  if (digits.size() < 12 || digits.size() > 19) {
    return Status::InvalidArgument(f, "银行账号应为12至19位数字，现为" + std::to_string(digits.size()) + "位");
  }
  return Status::Ok();
}

std::string MaskBankAccount(std::string_view account) {
  const std::string digits = NormalizeBankAccount(account);
  if (digits.empty()) return "";
  if (!ValidateBankAccount(digits).ok()) return "**** **** **** ****";
  return "**** **** **** " + digits.substr(digits.size() - 4);
}

Status ValidateHealthNote(std::string_view note, std::string_view field) {
  const std::string f(field);
  if (!CheckText(f, note).ok()) return Status::InvalidArgument(f, "健康状况含有无法识别的字符，请重新输入");
  const std::size_t chars = CharCount(note);
  if (chars > kMaxHealthNoteChars) {
    return Status::InvalidArgument(f, "健康状况最多" + std::to_string(kMaxHealthNoteChars) + "个字，现为" +
                                          std::to_string(chars) + "个字");
  }
  return Status::Ok();
}

std::string MaskHealth(std::string_view /*note*/) { return "（已隐藏）"; }

}  // namespace rectify
