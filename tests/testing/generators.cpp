// Tests of include/rill/testing/generators.hpp: the generated errors, results,
// item sequences, nest_fn and stream shapes (each shape's build() runs to its
// expected() items, every kind appears, Err items appear, runs replay alike),
// gen_stream, as_stream and the rc::Arbitrary specialisations.
#include <rill/testing/generators.hpp>

#include <rill/testing/check.hpp>

#include <rill/sink/collect.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace rt = rill::testing;

namespace {

using items_t = std::vector<rill::result<int>>;
using shape = rt::stream_shape<int>;
using kind = shape::kind;

const rt::check_options quick{.cases = 200};

/// `n` values of `gen`, drawn with a fixed seed at generation size `size`.
template <class T>
std::vector<T> sample(const rc::Gen<T>& gen, int n, int size = rc::kNominalSize, std::uint64_t seed = 7) {
    rc::Random random(seed);
    std::vector<T> out;
    for (int i = 0; i < n; ++i) out.push_back(gen(random.split(), size).value());
    return out;
}

template <class T>
std::string print(const T& x) {
    std::ostringstream os;
    os << x;
    return os.str();
}

template <class T>
std::string shown(const T& x) {
    std::ostringstream os;
    rc::show(x, os);
    return os.str();
}

bool is_code(const std::string& c) { return c == "E" || c == "IO" || c == "PARSE" || c == "TIMEOUT"; }

bool has_err(const items_t& xs) {
    return std::any_of(xs.begin(), xs.end(), [](const rill::result<int>& r) { return !r.has_value(); });
}

/// How many levels of composites (concat, bound) a shape nests: 0 for a leaf.
int depth(const shape& s) {
    int d = 0;
    for (const auto& p : s.parts) d = std::max(d, 1 + depth(p));
    return d;
}

/// Counts the kinds of a shape and all its parts.
void count_kinds(const shape& s, std::map<kind, int>& counts) {
    ++counts[s.k];
    for (const auto& p : s.parts) count_kinds(p, counts);
}

shape leaf(kind k, items_t xs) {
    shape s;
    s.k = k;
    s.items = std::move(xs);
    return s;
}

shape composite(kind k, std::vector<shape> parts, rt::nest_fn<int> nest = {}) {
    shape s;
    s.k = k;
    s.parts = std::move(parts);
    s.nest = nest;
    return s;
}

rill::result<int> e(const char* code, const char* message) { return rill::err(code, message); }

} // namespace

// --- errors, results, items ---------------------------------------------------------

TEST_CASE("gen_err_info: one of four codes and a short lowercase message") {
    std::set<std::string> codes;
    std::set<std::string> messages;
    for (const auto& err : sample(rt::gen_err_info(), 300)) {
        CHECK(is_code(err.code));
        CHECK(err.message.size() <= 6);
        CHECK(std::all_of(err.message.begin(), err.message.end(), [](char c) { return c >= 'a' && c <= 'z'; }));
        CHECK(err.trace.empty());
        codes.insert(err.code);
        messages.insert(err.message);
    }
    CHECK(codes == std::set<std::string>{"E", "IO", "PARSE", "TIMEOUT"});
    CHECK(messages.size() > 10);
    // rc::Arbitrary<err_info> is the same generator.
    for (const auto& err : sample(rc::gen::arbitrary<rill::err_info>(), 50)) CHECK(is_code(err.code));
}

TEST_CASE("gen_result: Ok values from the given generator about ok_weight times in ok_weight + 1, else Err") {
    auto count_ok = [](int ok_weight) {
        int oks = 0;
        for (const auto& r : sample(rt::gen_result<int>(rc::gen::just(7), ok_weight), 400)) {
            if (r) {
                CHECK(*r == 7);
                ++oks;
            } else {
                CHECK(is_code(r.error().code));
            }
        }
        return oks;
    };
    // 400 draws: 3/4 expects 300 Ok, 1/2 expects 200 (a standard deviation is about 9 and 10).
    const int three = count_ok(3);
    CHECK(three > 250);
    CHECK(three < 350);
    const int one = count_ok(1);
    CHECK(one > 150);
    CHECK(one < 250);

    int arbitrary_oks = 0;
    for (const auto& r : sample(rc::gen::arbitrary<rill::result<int>>(), 400)) arbitrary_oks += r.has_value() ? 1 : 0;
    CHECK(arbitrary_oks > 250); // Ok 3 times in 4
    CHECK(arbitrary_oks < 350);
    int default_oks = 0;
    for (const auto& r : sample(rt::gen_result<int>(), 400)) default_oks += r.has_value() ? 1 : 0;
    CHECK(default_oks > 250);
    CHECK(default_oks < 350);
}

TEST_CASE("gen_items: Ok and Err items anywhere, longer with RapidCheck's size") {
    const auto at_nominal = sample(rt::gen_items<int>(rc::gen::just(1)), 100);
    std::size_t longest = 0;
    bool some_err = false;
    bool err_not_last = false;
    for (const auto& xs : at_nominal) {
        longest = std::max(longest, xs.size());
        some_err = some_err || has_err(xs);
        for (std::size_t i = 0; i + 1 < xs.size(); ++i) err_not_last = err_not_last || !xs[i];
        for (const auto& r : xs)
            if (r) CHECK(*r == 1);
    }
    CHECK(longest > 20);
    CHECK(some_err);
    CHECK(err_not_last);
    std::size_t longest_small = 0;
    bool some_empty = false;
    for (const auto& xs : sample(rt::gen_items<int>(), 50, 5)) {
        longest_small = std::max(longest_small, xs.size());
        some_empty = some_empty || xs.empty();
    }
    CHECK(longest_small <= 5);
    CHECK(some_empty);
    for (const auto& xs : sample(rt::gen_items<int>(), 20, 0)) CHECK(xs.empty()); // size 0: no items
}

// --- nest_fn ------------------------------------------------------------------------

TEST_CASE("nest_fn: copies of x with an Err before and after, as its stream and its printed form say") {
    const rt::nest_fn<int> both{2, true, true, false};
    const items_t want{e("NEST", "before"), 4, 4, e("NEST", "after")};
    CHECK(both.items(4) == want);
    CHECK(rill::collect(both(4)) == want);
    CHECK(print(both) == "x -> [Err(NEST: before), x, x, Err(NEST: after)]");

    const rt::nest_fn<int> none{0, false, false, true};
    CHECK(none.items(4).empty());
    CHECK(rill::collect(none(4)).empty());
    CHECK(print(none) == "x -> [] (erased)");

    const rt::nest_fn<std::string> after{1, false, true, false};
    CHECK(rill::collect(after(std::string("s"))) ==
          std::vector<rill::result<std::string>>{std::string("s"), rill::err("NEST", "after")});
    CHECK(print(after) == "x -> [x, Err(NEST: after)]");
}

TEST_CASE("gen_nest_fn: every number of copies and every flag") {
    std::set<int> copies;
    std::set<std::pair<bool, bool>> errs;
    std::set<bool> erased;
    for (const auto& f : sample(rt::gen_nest_fn<int>(), 200)) {
        copies.insert(f.copies);
        errs.insert({f.err_before, f.err_after});
        erased.insert(f.erased_inner);
    }
    CHECK(copies == std::set<int>{0, 1, 2, 3});
    CHECK(errs.size() == 4);
    CHECK(erased.size() == 2);
}

// --- stream_shape by hand ---------------------------------------------------------------

TEST_CASE("stream_shape: each kind of leaf builds the stream of its items") {
    const items_t xs{1, e("E", "m"), 3};
    CHECK(shape{}.expected().empty());
    CHECK(rill::collect(shape{}.build()).empty());
    CHECK(print(shape{}) == "empty");

    const auto ok = leaf(kind::single, {5});
    CHECK(rill::collect(ok.build()) == items_t{5});
    const auto bad = leaf(kind::single, {e("IO", "x")});
    CHECK(rill::collect(bad.build()) == items_t{e("IO", "x")});
    CHECK(print(bad) == "single[Err(IO: x)]");

    const auto f = leaf(kind::from, xs);
    CHECK(f.expected() == xs);
    CHECK(rill::collect(f.build()) == xs);
    CHECK(print(f) == "from[Ok(1), Err(E: m), Ok(3)]");

    const auto g = leaf(kind::generated, xs);
    CHECK(g.expected() == xs);
    CHECK(rill::collect(g.build()) == xs);
    CHECK(print(g) == "generate[Ok(1), Err(E: m), Ok(3)]");

    auto cycle = leaf(kind::long_cycle, {1, e("E", "m")});
    cycle.length = 5;
    const items_t cycled{1, e("E", "m"), 1, e("E", "m"), 1};
    CHECK(cycle.expected() == cycled);
    CHECK(rill::collect(cycle.build()) == cycled);
    CHECK(print(cycle) == "long(5 items cycling [Ok(1), Err(E: m)])");
}

TEST_CASE("stream_shape: concatenations run their parts in order, associated either way") {
    const std::vector<shape> parts{leaf(kind::from, {1, 2}), shape{}, leaf(kind::generated, {e("E", "m"), 3})};
    const items_t want{1, 2, e("E", "m"), 3};
    const auto left = composite(kind::concat_left, parts);
    const auto right = composite(kind::concat_right, parts);
    CHECK(left.expected() == want);
    CHECK(right.expected() == want);
    CHECK(rill::collect(left.build()) == want);
    CHECK(rill::collect(right.build()) == want);
    CHECK(print(left) == "concat(concat(from[Ok(1), Ok(2)], empty), generate[Err(E: m), Ok(3)])");
    CHECK(print(right) == "concat(from[Ok(1), Ok(2)], concat(empty, generate[Err(E: m), Ok(3)]))");
}

TEST_CASE("stream_shape: bound nests each Ok item and passes Err items once, templated or erased") {
    const items_t up{1, e("E", "m"), 2};
    // x -> [Err(NEST: before), x, x]
    const items_t want{e("NEST", "before"), 1, 1, e("E", "m"), e("NEST", "before"), 2, 2};
    for (const bool erased : {false, true}) {
        for (const kind up_kind : {kind::from, kind::generated}) {
            CAPTURE(erased);
            CAPTURE(static_cast<int>(up_kind));
            const auto b = composite(kind::bound, {leaf(up_kind, up)}, rt::nest_fn<int>{2, true, false, erased});
            CHECK(b.expected() == want);
            CHECK(rill::collect(b.build()) == want);
        }
    }
    const auto b = composite(kind::bound, {leaf(kind::from, {1})}, rt::nest_fn<int>{1, false, false, true});
    CHECK(print(b) == "(from[Ok(1)] | and_then(x -> [x] (erased)))");
    // Nested binds compose.
    const auto twice = composite(kind::bound, {b}, rt::nest_fn<int>{3, false, false, false});
    CHECK(rill::collect(twice.build()) == items_t{1, 1, 1});
}

TEST_CASE("showValue of a shape prints the shape and the items it stands for") {
    const auto f = leaf(kind::from, {1, e("E", "m")});
    CHECK(shown(f) == "from[Ok(1), Err(E: m)]\n    = [Ok(1), Err(E: m)] (2 items)");
    auto cycle = leaf(kind::long_cycle, {4});
    cycle.length = 31;
    CHECK(shown(cycle).find("... 1 more] (31 items)") != std::string::npos); // at most 30 items shown
}

TEST_CASE("a shape shows at most shown_leaf_items items a leaf, and a long composite puts its parts on lines of their own") {
    items_t twelve;
    for (int i = 0; i < 12; ++i) twelve.emplace_back(i);
    CHECK(print(leaf(kind::from, twelve)) == "from[Ok(0), Ok(1), Ok(2), Ok(3), Ok(4), Ok(5), Ok(6), Ok(7), ... 4 more]");
    const auto small = composite(kind::concat_left, {leaf(kind::from, {1}), shape{}, leaf(kind::from, {2})});
    CHECK(shown(small).find("concat(concat(from[Ok(1)], empty), from[Ok(2)])\n") == 0); // fits one line: as printed
    const auto big = composite(kind::concat_right, {leaf(kind::from, twelve), leaf(kind::generated, twelve),
                                                    composite(kind::bound, {leaf(kind::from, twelve)}, rt::nest_fn<int>{2, true, false, false})});
    const std::string text = shown(big);
    CHECK_MESSAGE(text.find("concat(\n    from[Ok(0), ") == 0, text);
    CHECK_MESSAGE(text.find("\n        generate[Ok(0), ") != std::string::npos, text);
    CHECK_MESSAGE(text.find("| and_then(x -> [Err(NEST: before), x, x])") != std::string::npos, text);
    const std::string tree = text.substr(0, text.find("\n    = ")); // then the items, on one line
    std::size_t longest = 0, start = 0;
    while (start < tree.size()) {
        const std::size_t end = std::min(tree.find('\n', start), tree.size());
        longest = std::max(longest, end - start);
        start = end + 1;
    }
    CHECK_MESSAGE(longest <= 100, tree);
}

// --- generated shapes -----------------------------------------------------------------------

TEST_CASE("a generated shape's build() runs to its expected() items, and replays alike") {
    const auto o = rt::check_property(
        "build() == expected(), replayable",
        [] {
            const auto s = *rt::gen_stream_shape<int>();
            const auto want = s.expected();
            const auto built = s.build();
            RC_ASSERT((rill::collect(built) == want));
            RC_ASSERT((rill::collect(built) == want)); // the same stream, run again
            RC_ASSERT((rill::collect(s.build()) == want)); // built again
        },
        quick);
    CHECK_MESSAGE(o.ok, o.report);
}

TEST_CASE("generated shapes of every kind appear, nested, with Err items") {
    std::map<kind, int> top;
    std::map<kind, int> anywhere;
    int with_err = 0;
    int all_ok = 0;
    int max_depth = 0;
    for (const auto& s : sample(rt::gen_stream_shape<int>(), 400, 50)) {
        ++top[s.k];
        count_kinds(s, anywhere);
        const auto xs = s.expected();
        if (has_err(xs)) ++with_err;
        else if (!xs.empty()) ++all_ok;
        max_depth = std::max(max_depth, depth(s));
        CHECK(depth(s) <= 3);
        if (s.k == kind::long_cycle) {
            CHECK(s.length >= 1000);
            CHECK(s.length < 2000);
            CHECK(!s.items.empty());
            CHECK(s.items.size() <= 12);
        }
        if (s.k == kind::single) CHECK(s.items.size() == 1);
        if (s.k == kind::concat_left || s.k == kind::concat_right) CHECK(s.parts.size() == 3);
        if (s.k == kind::bound) CHECK(s.parts.size() == 1);
    }
    const std::vector<kind> all{kind::empty,     kind::single,      kind::from,         kind::generated,
                                kind::long_cycle, kind::concat_left, kind::concat_right, kind::bound};
    for (const kind k : all) {
        CAPTURE(static_cast<int>(k));
        CHECK(top[k] > 0);
        CHECK(anywhere[k] > 0);
    }
    CHECK(max_depth >= 2);
    CHECK(with_err > 40);
    CHECK(all_ok > 40);
    // Leaves are the common case (10 in 15 at the top).
    CHECK(top[kind::from] + top[kind::empty] + top[kind::single] + top[kind::generated] + top[kind::long_cycle] > 200);
}

TEST_CASE("gen_stream_shape's depth bounds the nesting") {
    for (const auto& s : sample(rt::gen_stream_shape<int>(rc::gen::arbitrary<int>(), 0), 200)) CHECK(depth(s) == 0);
    int composites = 0;
    for (const auto& s : sample(rt::gen_stream_shape<int>(rc::gen::arbitrary<int>(), 1), 200)) {
        CHECK(depth(s) <= 1);
        composites += depth(s);
    }
    CHECK(composites > 0);
}

TEST_CASE("shapes over another value type build to their expected items too") {
    const auto o = rt::check_property(
        "string shapes",
        [] {
            const auto s = *rt::gen_stream_shape<std::string>();
            RC_ASSERT((rill::collect(s.build()) == s.expected()));
        },
        rt::check_options{.cases = 50});
    CHECK_MESSAGE(o.ok, o.report);
    for (const auto& s : sample(rt::gen_stream_shape<int>(rc::gen::just(9)), 100))
        for (const auto& r : s.expected())
            if (r) CHECK(r == rill::result<int>(9)); // values come from the given generator
}

// --- streams, Arbitrary, as_stream ---------------------------------------------------------------

TEST_CASE("gen_stream and rc::Arbitrary give erased streams that replay alike") {
    const auto o = rt::check_property(
        "streams replay",
        [] {
            const auto s = *rt::gen_stream<int>();
            const auto t = *rc::gen::arbitrary<rill::stream<int>>();
            RC_ASSERT((rill::collect(s) == rill::collect(s)));
            RC_ASSERT((rill::collect(t) == rill::collect(t)));
            const auto shape_value = *rc::gen::arbitrary<rt::stream_shape<int>>();
            RC_ASSERT((rill::collect(shape_value.build()) == shape_value.expected()));
        },
        rt::check_options{.cases = 100});
    CHECK_MESSAGE(o.ok, o.report);

    // Over many, some streams have items and some have Err items.
    bool nonempty = false;
    bool err = false;
    for (const auto& s : sample(rc::gen::arbitrary<rill::stream<int>>(), 100, 50)) {
        const auto xs = rill::collect(s);
        nonempty = nonempty || !xs.empty();
        err = err || has_err(xs);
    }
    CHECK(nonempty);
    CHECK(err);
}

TEST_CASE("as_stream: a stream is itself, a shape is built") {
    const rill::stream<int> s = leaf(kind::from, {1, 2}).build();
    static_assert(std::is_same_v<decltype(rt::as_stream(s)), const rill::stream<int>&>);
    CHECK(&rt::as_stream(s) == &s);
    const auto sh = leaf(kind::generated, {3, e("E", "m")});
    static_assert(std::is_same_v<decltype(rt::as_stream(sh)), rill::stream<int>>);
    CHECK(rill::collect(rt::as_stream(sh)) == sh.expected());
}
