// The timeline's JSON, as /api/timeline and the WebSocket send it: every field, escaped where it
// must be, the stored data spliced in as it is, and pages in the contract's shape.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "messages/json.hpp"

namespace ct::msg {
namespace {

using nlohmann::json;

timeline_event an_event(std::uint64_t seq, std::string type, std::string data) {
  timeline_event e;
  e.seq = seq;
  e.at = trading::from_unix_ms(1'515'560'400'123);
  e.type = std::move(type);
  e.source = "position_manager";
  e.data = std::move(data);
  return e;
}

TEST(TimelineJson, AnEventHasEveryFieldAndItsDataAsStored) {
  const auto text =
      render_event(an_event(42, "order_filled", R"({"price":"0.00004707","n":[1,2]})"));
  EXPECT_EQ(text, R"({"seq":42,"at":"2018-01-10T05:00:00.123Z","type":"order_filled",)"
                  R"("source":"position_manager","data":{"price":"0.00004707","n":[1,2]}})");
}

TEST(TimelineJson, StringsAreEscapedAndEmptyDataIsAnEmptyObject) {
  const auto parsed = json::parse(render_event(an_event(1, "a\"b\\c\nd\x01", "")));
  EXPECT_EQ(parsed["type"], "a\"b\\c\nd\x01");
  EXPECT_EQ(parsed["data"], json::object());
}

TEST(TimelineJson, APageListsItsEventsThenWhereTheNextPageStarts) {
  timeline_page page;
  page.events = {an_event(9, "x", "{}"), an_event(8, "y", "{}")};
  page.next_before_seq = 8;
  const auto parsed = json::parse(render_timeline_page(page));
  ASSERT_EQ(parsed["events"].size(), 2u);
  EXPECT_EQ(parsed["events"][0]["seq"], 9);
  EXPECT_EQ(parsed["events"][1]["type"], "y");
  EXPECT_EQ(parsed["next_before_seq"], 8);
  page.next_before_seq.reset();
  page.events.clear();
  EXPECT_EQ(render_timeline_page(page), R"({"events":[],"next_before_seq":null})");
}

}  // namespace
}  // namespace ct::msg
