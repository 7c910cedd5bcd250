// Tests of include/rill/stage/named.hpp
#include <rill/stage/named.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/source/single.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/map_err.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/try_map.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>

using namespace rill_test;

namespace {
// Fails on 2, as "PARSE: bad"; Ok(x) otherwise.
auto parse = [](int x) -> rill::result<int> {
    if (x == 2) return rill::err("PARSE", "bad");
    return x;
};
auto wrap = [](rill::err_info e) { return rill::err_info{"W", "wrapped " + e.code, {}}; };

// The first Err item of a run, taken from a run drained and from a run pulled
// (which must agree, provenance included).
template <class S>
rill::err_info only_error(const S& s) {
    rill::err_info found[2];
    for (int i = 0; i < 2; ++i)
        for (auto& r : collect_via(every_way[i], s))
            if (!r.has_value()) {
                found[i] = r.error();
                break;
            }
    CHECK(text(found[0]) == text(found[1]));
    return found[0];
}
} // namespace

TEST_CASE("named labels the provenance frames of the stages before it") {
    auto e = only_error(rill::of(1, 2, 3) | rill::try_map(parse) | rill::named("parse"));
    REQUIRE(e.trace.size() == 1);
    CHECK(e.trace[0] == rill::err_frame{"try_map", "parse", 1});
    CHECK(text(e) == "PARSE: bad [at parse (try_map) #1]");
}

TEST_CASE("operator<< prints an err_info with its frames, labelled or not") {
    std::ostringstream os;
    os << only_error(rill::of(1, 2) | rill::try_map(parse) | rill::named("parse"));
    CHECK(os.str() == "PARSE: bad [at parse (try_map) #1]");

    CHECK(text(only_error(rill::of(1, 2) | rill::try_map(parse))) == "PARSE: bad [at try_map #1]");
    CHECK(text(rill::err_info{"C", "m", {}}) == "C: m");
}

TEST_CASE("named labels only the frames added since the previous named") {
    auto s = rill::of(2) | rill::try_map(parse) | rill::named("parse") | rill::map_err(wrap) | rill::named("wrap");
    CHECK(text(only_error(s)) == "W: wrapped PARSE [at parse (try_map) #0, via wrap (map_err) #0]");
}

TEST_CASE("a later named does not relabel frames already named") {
    auto s = rill::of(1, 2) | rill::try_map(parse) | rill::named("first") | rill::named("second");
    auto e = only_error(s);
    REQUIRE(e.trace.size() == 1);
    CHECK(e.trace[0].stage == "first");
    CHECK(text(e) == "PARSE: bad [at first (try_map) #1]");
}

TEST_CASE("frames of stages between two named get the second label") {
    auto s = rill::of(2) | rill::named("nothing yet") | rill::try_map(parse) | rill::map_err(wrap) | rill::named("both");
    CHECK(text(only_error(s)) == "W: wrapped PARSE [at both (try_map) #0, via both (map_err) #0]");
}

TEST_CASE("named labels a source's frame too") {
    CHECK(text(only_error(rill::from(items({1, -2})) | rill::named("input"))) == "E2: error 2 [at input (from) #1]");
}

TEST_CASE("named leaves an error without provenance as it is") {
    auto e = only_error(rill::failed<int>(rill::err_info{"C", "m", {}}) | rill::named("x"));
    CHECK(e.trace.empty());
    CHECK(text(e) == "C: m");
}

TEST_CASE("named works inside a reusable pipeline fragment") {
    auto parse_stage = rill::try_map(parse) | rill::named("parse");
    CHECK(text(only_error(rill::of(5, 2) | parse_stage)) == "PARSE: bad [at parse (try_map) #1]");
    CHECK(text(only_error(rill::of(2) | parse_stage)) == "PARSE: bad [at parse (try_map) #0]");
}

TEST_CASE("named passes every item in position, Ok items untouched") {
    CHECK(shown(rill::iota(0, 3) | rill::named("n")) == "0 1 2");
    CHECK(shown(rill::from(items({-1, 2, 3})) | rill::named("n")) == "!E1 2 3");
    CHECK(shown(rill::from(items({1, -2, 3})) | rill::named("n")) == "1 !E2 3");
    CHECK(shown(rill::from(items({1, 2, -3})) | rill::named("n")) == "1 2 !E3");
    CHECK(shown(rill::from(items({-4})) | rill::named("n")) == "!E4");
    CHECK(shown(rill::empty<int>() | rill::named("n")) == "");
}

TEST_CASE("named pulls only as many upstream items as the consumer asks for") {
    auto pulls = counter();
    auto s = count_pulls(rill::iota(0), pulls) | rill::named("n");
    CHECK(*pulls == 0);
    CHECK(show_via(via::drain, s | rill::take(2)) == "0 1");
    CHECK(*pulls == 2);
    CHECK(show_via(via::next, s | rill::take(2)) == "0 1");
    CHECK(*pulls == 4);
}

TEST_CASE("an exception from upstream passes through named and the resource is released") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto s = resource_over(log, "r", rill::iota(0, 3)) | rill::map(counted([](int x) { return x; }, calls, k)) |
                 rill::named("n");
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("named works with move-only and non-default-constructible items") {
    auto mo = rill::iota(1, 3) | rill::map([](int i) { return move_only(i); });
    CHECK(shown(mo | rill::named("n")) == "move_only(1) move_only(2)");
    auto nd = rill::iota(1, 2) | rill::map([](int i) { return no_default(i); });
    CHECK(shown(nd | rill::named("n")) == "no_default(1)");
}

TEST_CASE("named has the same items and labels in the call form and the pipe form") {
    auto src = rill::of(1, 2) | rill::try_map(parse);
    CHECK(text(only_error(rill::named(src, "p"))) == "PARSE: bad [at p (try_map) #1]");
    CHECK(text(only_error(rill::named(src, "p"))) == text(only_error(src | rill::named("p"))));
}

TEST_CASE("named replays: each run labels its own errors once") {
    auto s = rill::of(1, 2) | rill::try_map(parse) | rill::named("parse");
    CHECK(text(only_error(s)) == "PARSE: bad [at parse (try_map) #1]");
    CHECK(text(only_error(s)) == "PARSE: bad [at parse (try_map) #1]");
}
