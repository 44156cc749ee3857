#include "engine/campaign_survey_store.h"

#include <utility>

namespace rectify {

Result<std::vector<SurveyHousehold>> CampaignSurveyStore::AddHouseholds(std::vector<SurveyHousehold> households,
                                                                        std::vector<SurveyEvent> added) {
  for (SurveyHousehold& household : households) {
    if (household.campaign.empty()) household.campaign = campaign_;
    if (household.campaign != campaign_)
      return Status::InvalidArgument("campaign", "a household of campaign \"" + household.campaign + "\" is not " +
                                                     campaign_ + "'s");
  }
  return store_.AddHouseholds(std::move(households), std::move(added));
}

Result<SurveyHousehold> CampaignSurveyStore::GetHousehold(std::int64_t id) {
  auto household = store_.GetHousehold(id);
  if (!household.ok()) return household.status();
  if (household->campaign != campaign_) return Status::NotFound("household " + std::to_string(id) + " not found");
  return household;
}

Result<std::vector<SurveyHousehold>> CampaignSurveyStore::ListHouseholds(const SurveyQuery& query) {
  SurveyQuery own = query;
  own.campaign = campaign_;
  return store_.ListHouseholds(own);
}

Result<SurveyHousehold> CampaignSurveyStore::Update(const SurveyHousehold& household,
                                                    const std::optional<SurveyVisit>& visit, const SurveyEvent& event) {
  RECTIFY_RETURN_IF_ERROR(GetHousehold(household.id).status());
  return store_.Update(household, visit, event);
}

Result<std::vector<SurveyEvent>> CampaignSurveyStore::History(std::int64_t household_id) {
  RECTIFY_RETURN_IF_ERROR(GetHousehold(household_id).status());
  return store_.History(household_id);
}

Result<std::optional<std::int64_t>> CampaignSurveyStore::HouseholdOfEnrollment(std::int64_t enrollment_id) {
  auto id = store_.HouseholdOfEnrollment(enrollment_id);
  if (!id.ok() || !*id) return id;
  auto household = store_.GetHousehold(**id);
  if (!household.ok()) return household.status();
  if (household->campaign != campaign_) return std::optional<std::int64_t>();
  return id;
}

Result<SurveyPhoto> CampaignSurveyStore::AddPhoto(SurveyPhoto photo, std::string_view bytes) {
  RECTIFY_RETURN_IF_ERROR(GetHousehold(photo.household_id).status());
  return store_.AddPhoto(std::move(photo), bytes);
}

Result<std::vector<SurveyPhoto>> CampaignSurveyStore::ListPhotos(std::int64_t household_id) {
  RECTIFY_RETURN_IF_ERROR(GetHousehold(household_id).status());
  return store_.ListPhotos(household_id);
}

Result<std::string> CampaignSurveyStore::ReadPhotoBytes(const std::string& sha256) {
  return store_.ReadPhotoBytes(sha256);
}

Status CampaignSurveyStore::AppendAudit(const AuditRecord& record) { return store_.AppendAudit(record); }

}  // namespace rectify
