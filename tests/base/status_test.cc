#include "base/status.h"

#include <gtest/gtest.h>

namespace samrad {
namespace {

TEST(Status, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(Status, CarriesCodeAndMessage) {
  Status s = Status::DataError("a.pdf: encrypted");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kDataError);
  EXPECT_EQ(s.message(), "a.pdf: encrypted");
  EXPECT_EQ(s.ToString(), "data error: a.pdf: encrypted");
}

TEST(Status, WithContextPrefixesMessageAndKeepsCode) {
  Status s = Status::NotFound("no such field").WithContext("meta.json");
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.message(), "meta.json: no such field");
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

TEST(Result, HoldsValueOrStatus) {
  Result<int> good = 42;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 42);
  Result<int> bad = Status::IOError("disk full");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kIOError);
  EXPECT_EQ(bad.value_or(7), 7);
}

Status FailsSecond(int* calls) {
  auto step = [&](bool fail) {
    ++*calls;
    return fail ? Status::DataError("step failed") : Status::Ok();
  };
  SAMRAD_RETURN_IF_ERROR(step(false));
  SAMRAD_RETURN_IF_ERROR(step(true));
  SAMRAD_RETURN_IF_ERROR(step(false));
  return Status::Ok();
}

TEST(Status, ReturnIfErrorStopsAtFirstFailure) {
  int calls = 0;
  Status s = FailsSecond(&calls);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(s.message(), "step failed");
}

}  // namespace
}  // namespace samrad
