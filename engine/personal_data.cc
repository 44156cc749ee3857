#include "engine/personal_data.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
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

// A refused piece of personal data: an English message for the log, and for a person the reason
// invalid_personal_data with the problem's code and its values (web/static/errors.js words it).
// Neither ever repeats the value given.
Status Refused(const std::string& field, const std::string& problem, const std::string& message,
               std::map<std::string, std::string> params = {}) {
  params["problem"] = problem;
  return Status::InvalidArgument(field, message).WithReason("invalid_personal_data", std::move(params));
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
  if (cleaned.empty()) return Refused(f, "phone_missing", "no phone number");
  if (!std::all_of(cleaned.begin(), cleaned.end(), [](char c) { return IsDigit(c) || c == '-'; })) {
    return Refused(f, "phone_characters", "a phone number holds only digits and '-'");
  }
  Phone phone;
  std::copy_if(cleaned.begin(), cleaned.end(), std::back_inserter(phone.digits), IsDigit);
  const std::string& d = phone.digits;
  const std::string count = std::to_string(d.size());
  if (d.size() >= 1 && d[0] == '1') {
    if (d.size() != 11) return Refused(f, "mobile_length", "a mobile number has 11 digits, not " + count, {{"count", count}});
    if (d[1] < '3') return Refused(f, "mobile_second_digit", "a mobile number's second digit is 3 to 9");
    return phone;
  }
  if (d.size() < 3 || d[0] != '0') {
    return Refused(f, "phone_form", "neither an 11-digit mobile number nor a landline with its area code");
  }
  if (d.compare(0, 3, "010") == 0 || d[1] == '2') {
    phone.area_length = 3;
  } else if (d[1] >= '3') {
    phone.area_length = 4;
  } else {
    return Refused(f, "landline_area_code", "not a landline area code");
  }
  const std::size_t dashes = static_cast<std::size_t>(std::count(cleaned.begin(), cleaned.end(), '-'));
  if (dashes > 1 || (dashes == 1 && cleaned.find('-') != phone.area_length)) {
    return Refused(f, "landline_dash", "a landline's '-' comes right after its area code");
  }
  const std::size_t local = d.size() > phone.area_length ? d.size() - phone.area_length : 0;
  if (local != 7 && local != 8) {
    return Refused(f, "landline_length", "a landline number has 7 or 8 digits after its area code, not " +
                                             std::to_string(local), {{"count", std::to_string(local)}});
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
  if (id.empty()) return Refused(f, "id_missing", "no ID number");
  if (id.size() == 15 && AllDigits(id)) {
    return Refused(f, "id_old_15", "an old 15-digit ID number, no longer in use: the 18-character one is needed");
  }
  const std::size_t chars = CharCount(id);
  if (chars != 18) {
    return Refused(f, "id_length", "an ID number has 18 characters, not " + std::to_string(chars),
                   {{"count", std::to_string(chars)}});
  }
  // 18 characters: walk them, not the bytes, so a stray Chinese character gets its position.
  std::size_t position = 0;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (IsContinuation(id[i])) continue;
    ++position;
    const bool last = position == 18;
    if (!IsDigit(id[i]) && !(last && id[i] == 'X')) {
      return Refused(f, last ? "id_check_character" : "id_not_digit",
                     last ? "an ID number's 18th character (its check character) is a digit or X"
                          : "an ID number's character " + std::to_string(position) + " must be a digit",
                     {{"position", std::to_string(position)}});
    }
  }
  if (!IsProvinceCode(Number(id.substr(0, 2)))) {
    return Refused(f, "id_province", "an ID number's first two digits are no province's code");
  }
  const CivilDate birth{Number(id.substr(6, 4)), Number(id.substr(10, 2)), Number(id.substr(12, 2))};
  if (!IsValidDate(birth)) return Refused(f, "id_birth_date", "an ID number's characters 7 to 14 are no real date of birth");
  if (birth.year < 1900) return Refused(f, "id_born_before_1900", "an ID number's date of birth is before 1900");
  if (birth > today) return Refused(f, "id_born_after_today", "an ID number's date of birth is after today");
  if (IdCheckChar(id.substr(0, 17)) != id[17]) {
    return Refused(f, "id_checksum", "an ID number's check character does not match: a character may be mistyped");
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
  if (digits.empty()) return Refused(f, "bank_missing", "no bank account");
  if (!AllDigits(digits)) return Refused(f, "bank_characters", "a bank account holds only digits");
  if (digits.size() < 12 || digits.size() > 19) {
    return Refused(f, "bank_length", "a bank account has 12 to 19 digits, not " + std::to_string(digits.size()),
                   {{"count", std::to_string(digits.size())}});
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
  if (!CheckText(f, note).ok()) return Refused(f, "health_characters", "the health note is not well-formed UTF-8");
  const std::size_t chars = CharCount(note);
  if (chars > kMaxHealthNoteChars) {
    return Refused(f, "health_length",
                   "the health note has " + std::to_string(chars) + " characters, at most " +
                       std::to_string(kMaxHealthNoteChars),
                   {{"count", std::to_string(chars)}, {"max", std::to_string(kMaxHealthNoteChars)}});
  }
  return Status::Ok();
}

std::string MaskHealth(std::string_view /*note*/) { return "（已隐藏）"; }

}  // namespace rectify
