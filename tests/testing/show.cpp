// Tests of include/rill/testing/show.hpp: how RapidCheck prints rill values
// (showValue for err_info, result<T> and replayable streams) and show_items.
#include <rill/testing/show.hpp>

#include <rill/testing/check.hpp>

#include <rill/source/from.hpp>
#include <rill/stage/map.hpp>
#include <rill/stream.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace rt = rill::testing;

namespace {

/// What RapidCheck prints for `v` (through its `rc::show`, which finds rill's showValue).
template <class T>
std::string shown(const T& v) {
    std::ostringstream os;
    rc::show(v, os);
    return os.str();
}

/// Ok(0), Ok(1), ..., Ok(n - 1).
std::vector<rill::result<int>> oks(int n) {
    std::vector<rill::result<int>> out;
    for (int i = 0; i < n; ++i) out.emplace_back(i);
    return out;
}

} // namespace

TEST_CASE("an err_info is shown with its code and message, without the trace") {
    rill::err_info e{"PARSE", "not a number"};
    CHECK(shown(e) == R"(err_info{"PARSE", "not a number"})");
    e.trace.push_back(rill::err_frame{"map", "", 3});
    CHECK(shown(e) == R"(err_info{"PARSE", "not a number"})");
}

TEST_CASE("a result is shown as Ok(value) or Err(code: message)") {
    CHECK(shown(rill::result<int>(42)) == "Ok(42)");
    CHECK(shown(rill::result<int>(-7)) == "Ok(-7)");
    CHECK(shown(rill::result<int>(rill::err("IO", "disk full"))) == "Err(IO: disk full)");
    // The Ok value goes through rc::show: a string is quoted as RapidCheck quotes it.
    CHECK(shown(rill::result<std::string>("ab")) == "Ok(" + shown(std::string("ab")) + ")");
    CHECK(shown(rill::result<std::string>("ab")) != "Ok(ab)");
    // The trace of an Err is left out.
    rill::err_info e{"E", "m"};
    e.trace.push_back(rill::err_frame{"and_then", "", 0});
    CHECK(shown(rill::result<int>(rill::err(e))) == "Err(E: m)");
}

TEST_CASE("a vector of results is shown item by item") {
    const std::vector<rill::result<int>> items{1, rill::err("E", "m"), 3};
    CHECK(shown(items) == "[Ok(1), Err(E: m), Ok(3)]");
}

TEST_CASE("a replayable stream is shown as the items of one run") {
    CHECK(shown(rill::from(std::vector<rill::result<int>>{1, rill::err("E", "m"), 3})) == "stream[Ok(1), Err(E: m), Ok(3)]");
    CHECK(shown(rill::from(std::vector<rill::result<int>>{})) == "stream[]");
    const auto s = rill::from(std::vector<int>{4, 5});
    CHECK(shown(s) == "stream[Ok(4), Ok(5)]");
    CHECK(shown(s) == shown(s)); // showing runs a copy: the stream is unchanged
}

TEST_CASE("a stream in a counterexample shows at most shown_stream_items items and counts the rest") {
    CHECK(shown(rill::from(oks(20))).find("more") == std::string::npos);
    CHECK(shown(rill::from(oks(25))) ==
          "stream[Ok(0), Ok(1), Ok(2), Ok(3), Ok(4), Ok(5), Ok(6), Ok(7), Ok(8), Ok(9), Ok(10), Ok(11), Ok(12), Ok(13), Ok(14), "
          "Ok(15), Ok(16), Ok(17), Ok(18), Ok(19), ... 5 more] (25 items)");
}

TEST_CASE("a counterexample names a stream's type as a rill stream of its item type, and result<T> as such") {
    auto type_of = [](auto tag) {
        std::ostringstream os;
        rc::detail::showType<typename decltype(tag)::type>(os);
        return os.str();
    };
    const auto pipeline = rill::from(oks(3)) | rill::map([](int x) { return std::to_string(x); });
    CHECK(type_of(std::type_identity<std::remove_const_t<decltype(pipeline)>>{}) == "rill stream of " + type_of(std::type_identity<std::string>{}));
    CHECK(type_of(std::type_identity<rill::stream<int>>{}) == "rill stream of int");
    CHECK(type_of(std::type_identity<const rill::stream<int>>{}) == "const rill stream of int");
    CHECK(type_of(std::type_identity<rill::result<int>>{}) == "rill::result<int>");
    CHECK(type_of(std::type_identity<std::vector<rill::result<int>>>{}) == "std::vector<rill::result<int>>");
}

TEST_CASE("show_items lists the items and says how many there are") {
    CHECK(rt::show_items(std::vector<rill::result<int>>{}) == "[] (0 items)");
    CHECK(rt::show_items(std::vector<rill::result<int>>{7}) == "[Ok(7)] (1 item)");
    CHECK(rt::show_items(std::vector<rill::result<int>>{1, rill::err("E", "m"), 3}) ==
          "[Ok(1), Err(E: m), Ok(3)] (3 items)");
}

TEST_CASE("show_items shows at most limit items and counts the rest") {
    CHECK(rt::show_items(oks(5), 2) == "[Ok(0), Ok(1), ... 3 more] (5 items)");
    CHECK(rt::show_items(oks(3), 3) == "[Ok(0), Ok(1), Ok(2)] (3 items)"); // exactly the limit: nothing left out
    CHECK(rt::show_items(oks(4), 3) == "[Ok(0), Ok(1), Ok(2), ... 1 more] (4 items)");
    // The default limit is 40.
    const std::string forty = rt::show_items(oks(40));
    CHECK(forty.find("more") == std::string::npos);
    CHECK(forty.find("Ok(39)") != std::string::npos);
    const std::string many = rt::show_items(oks(45));
    CHECK(many.find("Ok(39), ... 5 more] (45 items)") != std::string::npos);
    CHECK(many.find("Ok(40)") == std::string::npos);
}

TEST_CASE("a counterexample prints results through showValue") {
    // A property over arbitrary items that fails on every Err: the shrunk
    // counterexample is an Err, printed as Err(code: message).
    const auto o = rt::check_property(
        "every item is Ok",
        [] {
            const auto r = *rc::gen::weightedOneOf<rill::result<int>>({
                {1, rc::gen::just(rill::result<int>(1))},
                {1, rc::gen::just(rill::result<int>(rill::err("BAD", "item")))},
            });
            RC_ASSERT(r.has_value());
        },
        rt::check_options{.cases = 100, .seed = 1});
    CHECK_FALSE(o.ok);
    CHECK_MESSAGE(o.report.find("Err(BAD: item)") != std::string::npos, o.report);
}
