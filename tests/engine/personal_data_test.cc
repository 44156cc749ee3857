// Household personal data: validation, normalisation, masking and disclosure, table-driven.
// Every valid ID number below has a check character computed with the ISO 7064 MOD 11-2
// weights; 11010519491231002X is the standard's own sample.
#include "engine/personal_data.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace rectify {
namespace {

const CivilDate kToday{2021, 10, 26};

struct Bad {
  std::string input;
  std::string message_part;
};

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
      {"", "未填写身份证号码"},
      {"430922850315001", "15位的旧身份证号码"},
      {"43092219850315001", "应为18位，现为17位"},
      {"4309221985031500133", "应为18位，现为19位"},
      {"4309221985O3150013", "第11位应为数字"},     // the letter O for a zero
      {"43092219850315号013", "第15位应为数字"},     // a Chinese character counts as one position
      {"43092219850315001A", "第18位（校验码）应为数字或X"},
      {"430922198503150014", "校验不通过"},          // the check character should be 3
      {"430922199902310015", "出生日期不是真实的日期"},  // 1999-02-31
      {"430922198513150017", "出生日期不是真实的日期"},  // month 13
      {"430922190002290011", "出生日期不是真实的日期"},  // 1900 was not a leap year
      {"430922000001010014", "出生日期不是真实的日期"},  // year 0
      {"43092218991231001X", "早于1900年"},
      {"430922202110270013", "晚于今天"},
      {"990922198503150012", "省份代码"},
      {"000922198503150013", "省份代码"},
      {"160922198503150018", "省份代码"},
      {"720922198503150012", "省份代码"},
      {"830000198503150010", "省份代码"},  // Taiwan residents' residence permits: not on the list
  };
  for (const Bad& bad : cases) {
    INFO(bad.input);
    const Status status = ValidateIdNumber(bad.input, kToday);
    INFO(status.ToString());
    REQUIRE_FALSE(status.ok());
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.field() == "id_number");
    CHECK_THAT(status.message(), Catch::Contains(bad.message_part));
    CheckDoesNotEcho(status.message(), bad.input);
  }
}

TEST_CASE("A wrong check character is reported without naming the expected one") {
  const Status status = ValidateIdNumber("430922198503150014", kToday);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message() == "身份证号码校验不通过，可能有一位输错了，请对照身份证逐位核对");
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
      {"", "未填写电话号码"},
      {"1381234567", "手机号码应为11位，现为10位"},
      {"138123456789", "手机号码应为11位，现为12位"},
      {"12812345678", "手机号码第2位应为3至9"},
      {"138-1234-567a", "只能包含数字和“-”"},
      {"+8613812345678", "只能包含数字和“-”"},
      {"(0737)7654321", "只能包含数字和“-”"},
      {"0737-654321", "不含区号）应为7或8位，现为6位"},
      {"0737-765432109", "不含区号）应为7或8位，现为9位"},
      {"073-77654321", "“-”应紧跟在区号之后"},
      {"0737-765-4321", "“-”应紧跟在区号之后"},
      {"01187654321", "区号不正确"},
      {"00861387654321", "区号不正确"},
      {"7654321", "11位手机号码，或带区号的固定电话"},
      {"-", "11位手机号码，或带区号的固定电话"},
  };
  for (const Bad& bad : cases) {
    INFO(bad.input);
    const Status status = ValidatePhone(bad.input);
    INFO(status.ToString());
    REQUIRE_FALSE(status.ok());
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.field() == "phone");
    CHECK_THAT(status.message(), Catch::Contains(bad.message_part));
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
      {"", "未填写银行账号"},
      {"98765432101", "应为12至19位数字，现为11位"},
      {"98765432109876543210", "应为12至19位数字，现为20位"},
      {"6222-0212-3456-7890", "只能包含数字"},
      {"6222O21234567890", "只能包含数字"},
  };
  for (const Bad& bad : cases) {
    INFO(bad.input);
    const Status status = ValidateBankAccount(bad.input);
    INFO(status.ToString());
    REQUIRE_FALSE(status.ok());
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.field() == "bank_account");
    CHECK_THAT(status.message(), Catch::Contains(bad.message_part));
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
  CHECK(too_long.message() == "健康状况最多200个字，现为201个字");

  for (const char* bad : {"\xFF", "高\xE8\xA1", "\xC0\xAF", "\xED\xA0\x80"}) {
    const Status status = ValidateHealthNote(bad);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK_THAT(status.message(), Catch::Contains("无法识别的字符"));
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
