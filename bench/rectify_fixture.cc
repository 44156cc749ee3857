#include "bench/rectify_fixture.h"

#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "config/deployment_loader.h"

namespace rectify::bench {
namespace {

template <class T>
T Must(Result<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

}  // namespace

RectifyFixture::RectifyFixture(const std::string& campaign_path)
    : dir_((std::filesystem::temp_directory_path() / ("rectify-bench-" + std::to_string(::getpid()))).string()),
      clock_(*ParseInstant("2021-10-12T09:00:00+08:00")) {
  deployment_ = Must(LoadDeployment({campaign_path}, ""));
  const std::string& town = campaign().town;
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  store_ = Must(SqliteStores::Open(dir_ + "/bench.sqlite"));
  accounts::AccountPolicy policy;
  policy.cost = accounts::PasswordCost::TestOnlyMinimum();  // the bench measures requests, not logins
  services_ = std::make_unique<app::DeploymentServices>(deployment_, *store_, policy);
  accounts::AccountService& accounts = services_->accounts();
  const std::string password = accounts::GeneratePassword();
  Must(accounts.AddUser("bench", "bench.village1", "", "village_1", town, {accounts::Role::kUnitMember}, password,
                        clock_.Now()));
  member_token_ = Must(accounts.Login("bench.village1", password, "127.0.0.1", clock_.Now())).token;
  Must(accounts.AddUser("bench", "bench.office", "", "rural_office", town, {accounts::Role::kOffice}, password,
                        clock_.Now()));
  office_token_ = Must(accounts.Login("bench.office", password, "127.0.0.1", clock_.Now())).token;
  server_ = std::make_unique<web::ApiServer>(services_->Api(), clock_);
  port_ = Must(server_->Bind("127.0.0.1", 0));
  serving_ = std::thread([this] { static_cast<void>(server_->Serve()); });
  while (!server_->IsServing()) std::this_thread::yield();
}

RectifyFixture::~RectifyFixture() {
  server_->Stop();
  serving_.join();
  server_.reset();
  services_.reset();
  store_.reset();
  std::filesystem::remove_all(dir_);
}

std::vector<std::int64_t> RectifyFixture::MakeWorkingProblems(int count) {
  std::vector<NewProblem> inputs(static_cast<std::size_t>(count));
  for (NewProblem& p : inputs) {
    p.title = "bench";
    p.area = 14;
    p.source = "campaign_sweep";
    p.unit = "village_1";
  }
  const Actor bench = Actor::System("bench");
  std::vector<std::int64_t> ids;
  EventInput start;
  start.name = "start";
  ItemService& items = services_->campaigns().front()->items();
  for (const Item& item : Must(items.CreateProblems(inputs, bench, clock_.Now()))) {
    Must(items.Fire(ItemKind::kProblem, item.id, start, bench, std::nullopt, clock_.Now()));
    ids.push_back(item.id);
  }
  return ids;
}

}  // namespace rectify::bench
