// Household personal data: validation, normalisation, masking and disclosure, table-driven.
// Every valid ID number below has a check character computed with the ISO 7064 MOD 11-2
// weights; 11010519491231002X is the standard's own sample.
#include "engine/personal_data.h"

#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace rectify {
namespace {

const CivilDate kToday{2021, 10, 26};

// A refused value: the problem the reason names (engine/personal_data.h) and, where it gives
// one, a value of its params ("count", "position").
struct Bad {
  std::string input;
  std::string problem;
  std::string param = "";
  std::string param_value = "";
};

void CheckRefused(const Status& status, const Bad& bad, const std::string& field) {
  INFO(status.ToString());
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.field() == field);
  CHECK(status.reason() == "invalid_personal_data");
  CHECK(status.params().at("problem") == bad.problem);
  if (!bad.param.empty()) CHECK(status.params().at(bad.param) == bad.param_value);
  CHECK_FALSE(status.message().empty());
}

struct Converted {
  std::string input;
  std::string output;
};

// A message must not carry the value back into logs: neither the start nor the end of it.
void CheckDoesNotEcho(const std::string& message, const std::string& cleaned_input) {
  if (cleaned_input.size() < 8) return;
  CHECK_THAT(message, !Catch::Contains(cleaned_input.substr(0, 6)));
  CHECK_THAT(message, !Catch::Contains(cleaned_input.substr(cleaned_input.size() - 4)));
}

}  // namespace

TEST_CASE("Valid ID numbers pass including the first and last possible birth dates") {
  const std::vector<std::string> valid = {
      "11010519491231002X",  // GB 11643's sample
      "430922198503150013",  // 桃江县
      "430922200002290042",  // born on a leap day
      "430902199001011231",
      "440304202010010077",
      "810000198001010022",  // Hong Kong
      "650102190001010016",  // born on 1900-01-01
      "430922202110260018",  // born today
  };
  for (const std::string& id : valid) {
    INFO(id);
    const Status status = ValidateIdNumber(id, kToday);
    INFO(status.ToString());
    CHECK(status.ok());
  }
}

TEST_CASE("A lowercase x and spaces and full-width digits are accepted and normalised") {
  const std::vector<Converted> cases = {
      {"11010519491231002x", "11010519491231002X"},
      {" 110105 19491231 002X ", "11010519491231002X"},
      {"１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"},
      {"430922198503150013", "430922198503150013"},
  };
  for (const Converted& c : cases) {
    INFO(c.input);
    CHECK(NormalizeIdNumber(c.input) == c.output);
    CHECK(ValidateIdNumber(c.input, kToday).ok());
  }
}

TEST_CASE("Each bad ID number is refused with a message that says what is wrong") {
  const std::vector<Bad> cases = {
      {"", "id_missing"},
      {"430922850315001", "id_old_15"},
      {"43092219850315001", "id_length", "count", "17"},
      {"4309221985031500133", "id_length", "count", "19"},
      {"4309221985O3150013", "id_not_digit", "position", "11"},     // the letter O for a zero
      {"43092219850315号013", "id_not_digit", "position", "15"},     // a Chinese character counts as one position
      {"43092219850315001A", "id_check_character", "position", "18"},
      {"430922198503150014", "id_checksum"},          // the check character should be 3
      {"430922199902310015", "id_birth_date"},  // 1999-02-31
      {"430922198513150017", "id_birth_date"},  // month 13
      {"430922190002290011", "id_birth_date"},  // 1900 was not a leap year
      {"430922000001010014", "id_birth_date"},  // year 0
      {"43092218991231001X", "id_born_before_1900"},
      {"430922202110270013", "id_born_after_today"},
      {"990922198503150012", "id_province"},
      {"000922198503150013", "id_province"},
      {"160922198503150018", "id_province"},
      {"720922198503150012", "id_province"},
      {"830000198503150010", "id_province"},  // Taiwan residents' residence permits: not on the list
  };
  for (const Bad& bad : cases) {
    INFO(bad.input);
    const Status status = ValidateIdNumber(bad.input, kToday);
    CheckRefused(status, bad, "id_number");
    CheckDoesNotEcho(status.message(), bad.input);
  }
}

TEST_CASE("A wrong check character is reported without naming the expected one") {
  const Status status = ValidateIdNumber("430922198503150014", kToday);
  REQUIRE_FALSE(status.ok());
  CHECK(status.params() == std::map<std::string, std::string>{{"problem", "id_checksum"}});
  CHECK(status.message().find_first_of("0123456789") == std::string::npos);
}

TEST_CASE("The field name given to a validator is the field of its error") {
  CHECK(ValidateIdNumber("123", kToday, "members[2].id_number").field() == "members[2].id_number");
  CHECK(ValidatePhone("123", "contact_phone").field() == "contact_phone");
  CHECK(ValidateBankAccount("123", "payee_account").field() == "payee_account");
  CHECK(ValidateHealthNote("\xFF", "note").field() == "note");
}

TEST_CASE("Mobile and landline numbers are accepted and normalised to one written form") {
  const std::vector<Converted> cases = {
      {"13812345678", "13812345678"},
      {"138 1234 5678", "13812345678"},
      {"138-1234-5678", "13812345678"},
      {"１３８１２３４５６７８", "13812345678"},
      {"19912345678", "19912345678"},
      {"0737-1234567", "0737-1234567"},
      {"07371234567", "0737-1234567"},
      {"0731-88881234", "0731-88881234"},
      {"010-12345678", "010-12345678"},
      {"01012345678", "010-12345678"},
      {"021 6234 5678", "021-62345678"},
      {"0737－1234567", "0737-1234567"},  // a full-width hyphen
  };
  for (const Converted& c : cases) {
    INFO(c.input);
    const Status status = ValidatePhone(c.input);
    INFO(status.ToString());
    CHECK(status.ok());
    CHECK(NormalizePhone(c.input) == c.output);
    CHECK(NormalizePhone(c.output) == c.output);
  }
}

TEST_CASE("Each bad phone number is refused with a message that says what is wrong") {
  const std::vector<Bad> cases = {
      {"", "phone_missing"},
      {"1381234567", "mobile_length", "count", "10"},
      {"138123456789", "mobile_length", "count", "12"},
      {"12812345678", "mobile_second_digit"},
      {"138-1234-567a", "phone_characters"},
      {"+8613812345678", "phone_characters"},
      {"(0737)7654321", "phone_characters"},
      {"0737-654321", "landline_length", "count", "6"},
      {"0737-765432109", "landline_length", "count", "9"},
      {"073-77654321", "landline_dash"},
      {"0737-765-4321", "landline_dash"},
      {"01187654321", "landline_area_code"},
      {"00861387654321", "landline_area_code"},
      {"7654321", "phone_form"},
      {"-", "phone_form"},
  };
  for (const Bad& bad : cases) {
    INFO(bad.input);
    const Status status = ValidatePhone(bad.input);
    CheckRefused(status, bad, "phone");
    CheckDoesNotEcho(status.message(), bad.input);
  }
}

TEST_CASE("A phone number that cannot be read is only cleaned by normalisation") {
  CHECK(NormalizePhone(" 138 1234 567 ") == "1381234567");
  CHECK(NormalizePhone("073-77654321") == "073-77654321");
}

TEST_CASE("Bank accounts of 12 to 19 digits pass without a Luhn check and lose their spaces") {
  const std::vector<Converted> cases = {
      {"6222021234567890", "6222021234567890"},  // not Luhn-valid, and still accepted
      {"6222 0212 3456 7890", "6222021234567890"},
      {"６２２２０２１２３４５６７８９０", "6222021234567890"},
      {"123456789012", "123456789012"},
      {"1234567890123456789", "1234567890123456789"},
  };
  for (const Converted& c : cases) {
    INFO(c.input);
    const Status status = ValidateBankAccount(c.input);
    INFO(status.ToString());
    CHECK(status.ok());
    CHECK(NormalizeBankAccount(c.input) == c.output);
  }
}

TEST_CASE("Each bad bank account is refused with a message that says what is wrong") {
  const std::vector<Bad> cases = {
      {"", "bank_missing"},
      {"98765432101", "bank_length", "count", "11"},
      {"98765432109876543210", "bank_length", "count", "20"},
      {"6222-0212-3456-7890", "bank_characters"},
      {"6222O21234567890", "bank_characters"},
  };
  for (const Bad& bad : cases) {
    INFO(bad.input);
    const Status status = ValidateBankAccount(bad.input);
    CheckRefused(status, bad, "bank_account");
    CheckDoesNotEcho(status.message(), bad.input);
  }
}

TEST_CASE("A health note may hold up to 200 characters of well-formed UTF-8") {
  std::string at_limit;
  for (int i = 0; i < 200; ++i) at_limit += "病";
  CHECK(ValidateHealthNote("").ok());
  CHECK(ValidateHealthNote("高血压，长期服药").ok());
  CHECK(ValidateHealthNote(at_limit).ok());
  CHECK(ValidateHealthNote(std::string(200, 'a')).ok());

  const Status too_long = ValidateHealthNote(at_limit + "病");
  CHECK(too_long.field() == "health_condition");
  CHECK(too_long.reason() == "invalid_personal_data");
  CHECK(too_long.params() == std::map<std::string, std::string>{{"problem", "health_length"}, {"count", "201"}, {"max", "200"}});

  for (const char* bad : {"\xFF", "高\xE8\xA1", "\xC0\xAF", "\xED\xA0\x80"}) {
    const Status status = ValidateHealthNote(bad);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.params().at("problem") == "health_characters");
  }
}

TEST_CASE("Masking shows only what each rule allows even for malformed input") {
  struct MaskCase {
    std::string (*mask)(std::string_view);
    std::string input;
    std::string masked;
  };
  const std::vector<MaskCase> cases = {
      {MaskIdNumber, "11010519491231002X", "1101**********002X"},
      {MaskIdNumber, "11010519491231002x", "1101**********002X"},
      {MaskIdNumber, "430922198503150014", "4309**********0014"},  // a wrong check keeps the shape
      {MaskIdNumber, "", ""},
      {MaskIdNumber, "430922", "******************"},
      {MaskIdNumber, "43092219850315001", "******************"},
      {MaskIdNumber, "4309221985031500133", "******************"},
      {MaskIdNumber, "43092219850315号013", "******************"},
      {MaskIdNumber, "abcdefghijklmnopqr", "******************"},
      {MaskIdNumber, "\xFF\xFE", "******************"},
      {MaskPhone, "13812345678", "138****5678"},
      {MaskPhone, "138 1234 5678", "138****5678"},
      {MaskPhone, "0737-1234567", "0737-***4567"},
      {MaskPhone, "01012345678", "010-****5678"},
      {MaskPhone, "", ""},
      {MaskPhone, "12345", "***********"},
      {MaskPhone, "1381234567", "***********"},
      {MaskPhone, "not a phone", "***********"},
      {MaskBankAccount, "6222021234567890", "**** **** **** 7890"},
      {MaskBankAccount, "6222 0212 3456 7890", "**** **** **** 7890"},
      {MaskBankAccount, "123456789012", "**** **** **** 9012"},
      {MaskBankAccount, "", ""},
      {MaskBankAccount, "7890", "**** **** **** ****"},
      {MaskBankAccount, "98765432101", "**** **** **** ****"},
      {MaskBankAccount, "6222-0212-3456-7890", "**** **** **** ****"},
      {MaskHealth, "高血压，长期服药", "（已隐藏）"},
      {MaskHealth, "", "（已隐藏）"},
  };
  for (const MaskCase& c : cases) {
    INFO(c.input);
    CHECK(c.mask(c.input) == c.masked);
  }
}

TEST_CASE("Each disclosure level shows all or masked or none of the fields") {
  const PersonalData data{"11010519491231002X", "13812345678", "6222021234567890", "高血压"};

  const PersonalData full = Disclose(data, Disclosure::kFull);
  CHECK(full.id_number == data.id_number);
  CHECK(full.phone == data.phone);
  CHECK(full.bank_account == data.bank_account);
  CHECK(full.health_condition == data.health_condition);

  const PersonalData masked = Disclose(data, Disclosure::kMasked);
  CHECK(masked.id_number == "1101**********002X");
  CHECK(masked.phone == "138****5678");
  CHECK(masked.bank_account == "**** **** **** 7890");
  CHECK(masked.health_condition == "（已隐藏）");

  const PersonalData omitted = Disclose(data, Disclosure::kOmitted);
  CHECK(omitted.id_number.empty());
  CHECK(omitted.phone.empty());
  CHECK(omitted.bank_account.empty());
  CHECK(omitted.health_condition.empty());
}

TEST_CASE("Validating personal data normalises every field in place") {
  PersonalData data{" 11010519491231002x", "138-1234-5678", "6222 0212 3456 7890", "  高血压　"};
  const Status status = ValidatePersonalData(data, kToday);
  INFO(status.ToString());
  REQUIRE(status.ok());
  CHECK(data.id_number == "11010519491231002X");
  CHECK(data.phone == "13812345678");
  CHECK(data.bank_account == "6222021234567890");
  CHECK(data.health_condition == "高血压");
}

TEST_CASE("Personal data with nothing recorded is valid") {
  PersonalData data{"", "  ", "", "\xE3\x80\x80"};
  CHECK(ValidatePersonalData(data, kToday).ok());
  CHECK(data.phone.empty());
  CHECK(data.health_condition.empty());
}

TEST_CASE("Validating personal data names the first field at fault") {
  struct FieldCase {
    PersonalData data;
    std::string field;
  };
  std::string long_note;
  for (int i = 0; i < 201; ++i) long_note += "病";
  std::vector<FieldCase> cases = {
      {{"430922198503150014", "13812345678", "6222021234567890", ""}, "id_number"},
      {{"", "1381234567", "6222021234567890", ""}, "phone"},
      {{"", "", "62220212", ""}, "bank_account"},
      {{"", "", "", long_note}, "health_condition"},
      {{"430922202110270013", "1381234567", "62220212", long_note}, "id_number"},
      {{"11010519491231002X", "1381234567", "62220212", ""}, "phone"},
  };
  for (FieldCase& c : cases) {
    INFO(c.field);
    const Status status = ValidatePersonalData(c.data, kToday);
    REQUIRE_FALSE(status.ok());
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.field() == c.field);
  }
}

}  // namespace rectify
