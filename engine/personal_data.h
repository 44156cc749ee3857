// A household's personal data (个人敏感信息): the head's resident identity number, phone, bank
// account and health condition. Public notices (公示) must show none of them; other views show
// them masked or in full by the caller's decision. Pure functions: nothing here stores, logs or
// reads a clock.
//
// Each kind of value has three functions:
//   Normalize*  turns any accepted way of writing it into its one stored form. It never fails:
//               a value it cannot read comes back only cleaned (full-width digits, letters, '-'
//               and spaces made ASCII, spaces removed), and validation then says what is wrong.
//   Validate*   checks a value as the user wrote it: it accepts exactly the values whose
//               Normalize* form is valid. A refusal names the field, says what is wrong in an
//               English message for the log, and carries reason invalid_personal_data with the
//               problem's code ("id_checksum") and its values, which the page words in Chinese
//               for the village cadre who typed the value; none repeats any part of the value.
//   Mask*       what a masked view shows. Safe on any input: a value that is not the expected
//               shape is masked completely, and an empty value stays empty (nothing recorded).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

struct PersonalData {
  std::string id_number;         // 身份证号码, 18 characters, check character 'X' upper case
  std::string phone;             // 联系电话: "13812345678" or "0737-1234567"
  std::string bank_account;      // 银行账号 / 卡号, digits only
  std::string health_condition;  // 健康状况, free text
};

// How much of a household's personal data a view may show.
enum class Disclosure {
  kFull,     // everything: the people who handle the case
  kMasked,   // Mask* of each field: everyone else inside the town's system
  kOmitted,  // nothing: public notices (公示) and their exports
};

// `data` as a view at `level` may show it. kOmitted empties every field.
PersonalData Disclose(const PersonalData& data, Disclosure level);

// Normalises every field in place (the health note is only trimmed), then validates each
// non-empty one in the order id_number, phone, bank_account, health_condition; the first failure
// is kInvalidArgument naming that field. Empty fields are "not recorded" and valid. `today`
// bounds the birth date in the ID number.
Status ValidatePersonalData(PersonalData& data, CivilDate today);

// --- Resident identity number (居民身份证号码, GB 11643-1999) ---

// Removes spaces anywhere, makes full-width characters ASCII and a final 'x' upper case.
std::string NormalizeIdNumber(std::string_view id);

// 17 digits and a check character (a digit or 'X'): a real province code (11-15, 21-23, 31-37,
// 41-46, 50-54, 61-65, 71, 81, 82) in positions 1-2, a real birth date (YYYYMMDD) in positions
// 7-14 from 1900-01-01 up to `today`, and the ISO 7064 MOD 11-2 check character last. The old
// 15-digit numbers are refused with a message saying so: they stopped being valid in 2013.
// A wrong check character is reported without naming the expected one: almost always another
// digit was mistyped, and naming it would invite "fixing" the last character into a number
// that passes the check but belongs to nobody (or to someone else).
Status ValidateIdNumber(std::string_view id, CivilDate today, std::string_view field = "id_number");

// First 4 and last 4 characters with 10 '*' between: "4301**********1234". Anything that is
// not 17 digits and a digit or 'X' after normalisation becomes 18 '*'.
std::string MaskIdNumber(std::string_view id);

// --- Phone (联系电话) ---

// Removes spaces, makes full-width characters ASCII, and writes a mobile number as its 11
// digits ("138-1234-5678" -> "13812345678") and a landline as area code, '-', local number
// ("07371234567" -> "0737-1234567"). Area codes: 010 and 020-029 have three digits, all
// others (03xx-09xx) four, so a landline without '-' splits only one way.
std::string NormalizePhone(std::string_view phone);

// A mainland mobile number (11 digits, 1[3-9]...) or a landline: area code, optional '-',
// and a local number of 7 or 8 digits. A '-' written in a landline must follow the area code.
Status ValidatePhone(std::string_view phone, std::string_view field = "phone");

// A mobile number keeps its first 3 and last 4 digits: "138****5678". A landline keeps its area
// code and the last 4 digits of the local number: "0737-***4567". Anything else: 11 '*'.
std::string MaskPhone(std::string_view phone);

// --- Bank account or card number (银行账号) ---

// Removes spaces and makes full-width digits ASCII: "6222 0212 3456 7890" -> "6222021234567890".
std::string NormalizeBankAccount(std::string_view account);

// 12 to 19 digits. There is deliberately no Luhn check: only bank card numbers (UnionPay, ISO/IEC
// 7812) carry a Luhn check digit; many Chinese passbook and settlement account numbers (存折账号,
// 一本通, 对公账户) do not, and subsidies are paid into such accounts too, so a Luhn check would
// refuse real accounts. A mistyped account is caught when the bank matches the name on it.
Status ValidateBankAccount(std::string_view account, std::string_view field = "bank_account");

// Only the last 4 digits, in a fixed shape that hides the length: "**** **** **** 1234".
// Anything that is not 12-19 digits after normalisation: "**** **** **** ****".
std::string MaskBankAccount(std::string_view account);

// --- Health condition (健康状况) ---

inline constexpr std::size_t kMaxHealthNoteChars = 200;

// Text CheckText accepts (engine/text.h), of at most kMaxHealthNoteChars characters (not bytes). An empty note is
// valid: most households have nothing to record.
Status ValidateHealthNote(std::string_view note, std::string_view field = "health_condition");

// Always "（已隐藏）", even for an empty note: whether a household has a health condition on
// record is itself health information.
std::string MaskHealth(std::string_view note);

}  // namespace rectify
