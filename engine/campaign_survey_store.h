// One campaign's view of the household survey (engine/deployment.h), as CampaignItemStore is of
// the items: only the campaign's households are read or written; a new one is stamped with the
// campaign; another campaign's is kNotFound, its history and photos too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/survey_store.h"

namespace rectify {

class CampaignSurveyStore final : public SurveyStore {
 public:
  // `store` must outlive this one.
  CampaignSurveyStore(SurveyStore& store, std::string campaign) : store_(store), campaign_(std::move(campaign)) {}

  Result<std::vector<SurveyHousehold>> AddHouseholds(std::vector<SurveyHousehold> households,
                                                     std::vector<SurveyEvent> added) override;
  Result<SurveyHousehold> GetHousehold(std::int64_t id) override;
  Result<std::vector<SurveyHousehold>> ListHouseholds(const SurveyQuery& query) override;
  Result<SurveyHousehold> Update(const SurveyHousehold& household, const std::optional<SurveyVisit>& visit,
                                 const SurveyEvent& event) override;
  Result<std::vector<SurveyEvent>> History(std::int64_t household_id) override;
  Result<std::optional<std::int64_t>> HouseholdOfEnrollment(std::int64_t enrollment_id) override;
  Result<SurveyPhoto> AddPhoto(SurveyPhoto photo, std::string_view bytes) override;
  Result<std::vector<SurveyPhoto>> ListPhotos(std::int64_t household_id) override;
  Result<std::string> ReadPhotoBytes(const std::string& sha256) override;
  Status AppendAudit(const AuditRecord& record) override;

 private:
  SurveyStore& store_;
  const std::string campaign_;
};

}  // namespace rectify
