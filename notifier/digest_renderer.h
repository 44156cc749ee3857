// A Digest in Chinese, as the units and supervisors read it. One text for every channel, in
// two markups (plain for e-mail, webhooks and Feishu; the markdown subset that WeCom and
// DingTalk share), then laid out in messages by the packer under each channel's limits.
//
//   【高桥镇巩固脱贫攻坚成果秋季攻势行动】镇中心校：逾期 3 项，即将到期 2 项
//   截至10月27日09:00
//
//   逾期（3项）
//   1. 某村一名适龄儿童辍学未劝返
//      领域：义务教育｜整改时限：10月26日17:30｜逾期1个工作日
//      https://…/items/42
//
// The supervisors' version is headed 督办 and groups the items by responsible unit.
#pragma once

#include <string>
#include <vector>

#include "engine/time.h"
#include "notifier/digest.h"
#include "notifier/message_packer.h"

namespace rectify::notifier {

enum class Markup { kPlain, kMarkdown };

// "【campaign】unit：逾期 3 项，即将到期 2 项", or "【campaign】督办：逾期 5 项，涉及 2 个单位".
std::string DigestHeadline(const Digest& digest);

// "10月26日17:30"; with the year ("2022年1月5日17:30") when it differs from `as_of`'s. A
// deadline at midnight is the end of the day before: "10月31日24:00".
std::string FormatDeadline(Instant deadline, Instant as_of);

// The digest as a layout for the packer: the headline (as a "###" heading in markdown), the
// as-of line, and one section per kind (unit digests) or per responsible unit (督办), each
// entry one item with its area, deadline, working days and link.
MessageLayout DigestLayout(const Digest& digest, Markup markup);

// DigestLayout packed under `limits`.
std::vector<std::string> RenderDigest(const Digest& digest, Markup markup, const PackLimits& limits);

// The first line of a rendered message without its markup: a robot's title or a mail subject.
std::string MessageTitle(const std::string& message);

}  // namespace rectify::notifier
