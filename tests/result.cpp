// Tests of include/rill/result.hpp: err_info, err_frame, result<T>, err().
#include <rill/result.hpp>

#include "support/archetypes.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace {

std::string print(const rill::err_info& e) {
    std::ostringstream os;
    os << e;
    return os.str();
}

} // namespace

static_assert(std::is_same_v<rill::result<int>, tl::expected<int, rill::err_info>>);
static_assert(std::is_same_v<decltype(rill::err("E", "m")), tl::unexpected<rill::err_info>>);
static_assert(std::is_same_v<decltype(rill::err(rill::err_info{"E", "m"})), tl::unexpected<rill::err_info>>);

static_assert(rill::is_result_v<rill::result<int>>);
static_assert(rill::is_result_v<const rill::result<std::string>&>);
static_assert(!rill::is_result_v<int>);
static_assert(!rill::is_result_v<tl::expected<int, std::string>>);
static_assert(std::is_same_v<rill::unwrap_result_t<rill::result<int>>, int>);
static_assert(std::is_same_v<rill::unwrap_result_t<const rill::result<std::string>&>, std::string>);
static_assert(std::is_same_v<rill::unwrap_result_t<long>, long>);
static_assert(std::is_same_v<rill::unwrap_result_t<const double&>, double>);

TEST_CASE("err_info is constructible from a code and a message and starts with no provenance") {
    const rill::err_info e{"PARSE", "not a number"};
    CHECK(e.code == "PARSE");
    CHECK(e.message == "not a number");
    CHECK(e.trace.empty());
}

TEST_CASE("err makes an Err result with the given code and message") {
    rill::result<int> r = rill::err("PARSE", "not a number");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == "PARSE");
    CHECK(r.error().message == "not a number");
    CHECK(r.error().trace.empty());
}

TEST_CASE("err wraps an existing err_info, keeping its provenance") {
    rill::err_info e{"IO", "disk full"};
    e.at("from", 4);
    rill::result<std::string> r = rill::err(e);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == "IO");
    CHECK(r.error().message == "disk full");
    REQUIRE(r.error().trace.size() == 1);
    CHECK(r.error().trace[0] == rill::err_frame{"from", "", 4});
}

TEST_CASE("err_info equality compares code and message and ignores the trace") {
    rill::err_info a{"E", "m"};
    rill::err_info b{"E", "m"};
    b.at("map", 1).at("and_then", 2);
    CHECK(a == b);
    CHECK_FALSE(a != b);
    CHECK_FALSE(a == rill::err_info{"E", "other"});
    CHECK_FALSE(a == rill::err_info{"F", "m"});
    CHECK(a != rill::err_info{"F", "m"});
}

TEST_CASE("err_info::at appends frames innermost first and returns the same object") {
    rill::err_info e{"E", "m"};
    rill::err_info& same = e.at("from", 3);
    CHECK(&same == &e);
    e.at("and_then", 7);
    REQUIRE(e.trace.size() == 2);
    CHECK(e.trace[0].op == "from");
    CHECK(e.trace[0].stage.empty());
    CHECK(e.trace[0].index == 3);
    CHECK(e.trace[1].op == "and_then");
    CHECK(e.trace[1].index == 7);
}

TEST_CASE("err_frame equality compares op, stage and index") {
    const rill::err_frame f{"map", "parse", 2};
    CHECK(f == rill::err_frame{"map", "parse", 2});
    CHECK_FALSE(f == rill::err_frame{"try_map", "parse", 2});
    CHECK_FALSE(f == rill::err_frame{"map", "", 2});
    CHECK_FALSE(f == rill::err_frame{"map", "parse", 3});
}

TEST_CASE("err_info prints code and message alone when it has no provenance") {
    CHECK(print(rill::err_info{"PARSE", "not a number"}) == "PARSE: not a number");
}

TEST_CASE("err_info prints its provenance, with the stage name when a stage has one") {
    rill::err_info e{"PARSE", "not a number"};
    e.at("try_map", 3);
    CHECK(print(e) == "PARSE: not a number [at try_map #3]");

    e.trace.set_stage(0, "parse");
    CHECK(print(e) == "PARSE: not a number [at parse (try_map) #3]");

    e.at("and_then", 0);
    CHECK(print(e) == "PARSE: not a number [at parse (try_map) #3, via and_then #0]");
}

TEST_CASE("err_trace keeps the first frame inline and the later ones, with stage names, in order") {
    rill::err_trace t;
    CHECK(t.empty());
    CHECK(t.begin() == t.end());
    t.record("try_map", 4);
    REQUIRE(t.size() == 1);
    CHECK(t.front() == rill::err_frame{"try_map", "", 4});
    t.set_stage(0, "parse");
    CHECK(t[0] == rill::err_frame{"try_map", "parse", 4});
    t.record("and_then", 9);
    t.push_back(rill::err_frame{"custom", "mine", 1});
    REQUIRE(t.size() == 3);
    CHECK(t[1] == rill::err_frame{"and_then", "", 9});
    CHECK(t.back() == rill::err_frame{"custom", "mine", 1});
    t.set_stage(1, "fan-out");
    CHECK(t.at(1).stage == "fan-out");
    CHECK_THROWS_AS(t.at(3), std::out_of_range);

    std::vector<rill::err_frame> seen(t.begin(), t.end());
    CHECK(seen == std::vector<rill::err_frame>{{"try_map", "parse", 4}, {"and_then", "fan-out", 9}, {"custom", "mine", 1}});
}

TEST_CASE("err_trace::label names the frames that have no stage name, and only those") {
    rill::err_info e{"E", "m"};
    e.at("try_map", 0).at("and_then", 1);
    e.trace.set_stage(1, "outer");
    e.trace.label("inner");
    CHECK(e.trace[0].stage == "inner");
    CHECK(e.trace[1].stage == "outer");

    rill::err_info first_only{"E", "m"};
    first_only.at("from", 2);
    first_only.trace.label("source");
    CHECK(first_only.trace.front() == rill::err_frame{"from", "source", 2});
    first_only.trace.label("again");
    CHECK(first_only.trace.front().stage == "source");
}

TEST_CASE("a frame pushed before any recorded one comes first, and a recorded one follows it") {
    rill::err_trace t;
    t.push_back(rill::err_frame{"map", "", 3});
    t.record("try_map", 5);
    REQUIRE(t.size() == 2);
    CHECK(t[0] == rill::err_frame{"map", "", 3});
    CHECK(t[1] == rill::err_frame{"try_map", "", 5});
}

TEST_CASE("err_trace copies deeply and a moved-from trace is empty") {
    rill::err_info e{"E", "m"};
    e.at("try_map", 1).at("and_then", 2);
    e.trace.label("stage");
    rill::err_info copy = e;
    copy.trace.set_stage(0, "changed");
    CHECK(e.trace[0].stage == "stage");
    CHECK(copy.trace[0].stage == "changed");
    CHECK(copy.trace.size() == 2);

    rill::err_info moved = std::move(e);
    CHECK(moved.trace.size() == 2);
    CHECK(moved.trace[1] == rill::err_frame{"and_then", "stage", 2});
    CHECK(e.trace.empty()); // NOLINT(bugprone-use-after-move): the moved-from state is specified

    rill::err_info assigned{"F", "n"};
    assigned.at("of", 0);
    assigned = copy;
    CHECK(assigned.trace.size() == 2);
    CHECK(assigned.trace[0].stage == "changed");
}

// A frame is given by value and const: assigning to a copy's member, which
// would change nothing, does not compile.
template <class T>
concept frame_assignable = requires(T& t) { t[0].stage = "x"; };
static_assert(!frame_assignable<rill::err_trace>);
// An operator's name is a string literal: a std::string does not convert.
static_assert(std::is_constructible_v<rill::op_name, const char (&)[4]>);
static_assert(!std::is_convertible_v<std::string, rill::op_name>);
static_assert(sizeof(rill::err_trace) == sizeof(std::vector<rill::err_frame>));

TEST_CASE("result holds move-only and non-default-constructible values or an error") {
    rill::result<rill_test::move_only> m(tl::in_place, 5);
    REQUIRE(m.has_value());
    CHECK(m->get() == 5);
    rill::result<rill_test::move_only> moved = std::move(m);
    CHECK(moved->get() == 5);
    moved = rill::err("E", "m");
    CHECK_FALSE(moved.has_value());
    CHECK(moved.error() == rill::err_info{"E", "m"});

    rill::result<rill_test::no_default> n = rill_test::no_default(3);
    CHECK(n->value == 3);
    n = rill::err("X", "y");
    CHECK(n.error().code == "X");
}
