// Tests of include/rill/sink/error_summary.hpp: a count and the first k Err items.
#include <rill/sink/error_summary.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <string>

namespace {
std::string printed(const rill::error_summary& s) {
    std::ostringstream os;
    os << s;
    return os.str();
}
} // namespace

TEST_CASE("error_summary counts every Err and keeps the first limit, in order") {
    rill::error_summary s(2);
    CHECK(s.empty());
    CHECK(s.limit() == 2);
    CHECK(printed(s) == "0 errors");
    s(rill::err_info{"A", "first"});
    CHECK(printed(s) == "1 error: A: first");
    s(rill::err_info{"B", "second"});
    s(rill::err_info{"C", "third"});
    CHECK_FALSE(s.empty());
    CHECK(s.count() == 3);
    REQUIRE(s.first().size() == 2);
    CHECK(s.first()[0].code == "A");
    CHECK(s.first()[1].code == "B");
    CHECK(printed(s) == "3 errors, the first 2: A: first; B: second");
}

TEST_CASE("error_summary(0) only counts; the default keeps 10") {
    rill::error_summary none(0);
    none(rill::err_info{"A", "x"});
    CHECK(none.count() == 1);
    CHECK(none.first().empty());
    CHECK(printed(none) == "1 error");
    rill::error_summary ten;
    for (int i = 0; i < 25; ++i) ten(rill::err_info{"E", std::to_string(i)});
    CHECK(ten.first().size() == 10);
    CHECK(ten.first().back().message == "9");
}
