// The checkers of <rill/testing.hpp> can fail: each deliberately broken
// operator below is caught by the public checker meant for it, and rill's real
// operator passes the same checker.
#include <rill/testing.hpp>

#include <rill/source/of.hpp>
#include <rill/source/single.hpp>
#include <rill/stage/filter.hpp>
#include <rill/stage/try_map.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <typeinfo>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rt = rill::testing;

namespace {

// Enough cases to find each bug every time (they show on most streams with an
// Err item, or on most early stops), few enough to keep this suite quick.
const rt::check_options quick{.cases = 300};

/// An and_then that stops the run at the first Err item.
struct and_then_stopping_at_first_err {
    template <class S, class F>
    auto operator()(const S& s, F f) const {
        using U = rill::value_t<decltype(f(std::declval<rill::value_t<S>>()))>;
        return rill::generate([s, f]() -> rill::generator<U> {
            for (auto&& r : s) {
                if (!r) {
                    co_yield rill::err(r.error());
                    co_return; // the bug: the stream does not go on
                }
                for (auto&& i : f(*r)) co_yield i;
            }
        });
    }
};

/// A map that drops Err items instead of passing them.
struct map_dropping_errs {
    template <class S, class F>
    auto operator()(const S& s, F f) const {
        using U = std::decay_t<decltype(f(std::declval<rill::value_t<S>>()))>;
        return rill::generate([s, f]() -> rill::generator<U> {
            for (auto&& r : s) {
                if (!r) continue; // the bug
                U v = f(*r);
                co_yield v;
            }
        });
    }
};

/// A take that pulls one item more than it passes on.
struct take_pulling_one_extra {
    template <class S>
    auto operator()(const S& s, std::size_t n) const {
        return rill::generate([s, n]() -> rill::generator<rill::value_t<S>> {
            std::size_t seen = 0;
            for (auto&& r : s) {
                if (seen++ == n) co_return; // the bug: item n + 1 was pulled to find out
                co_yield r;
            }
        });
    }
};

/// A using_resource that releases only when the inner stream is exhausted: an
/// early stop leaves the resource with the description (it goes only when the
/// stream itself is destroyed).
template <class Acq, class Rel, class Use>
auto using_resource_not_released_on_early_stop(Acq acquire, Rel release, Use use) {
    auto forgotten = std::make_shared<std::vector<std::unique_ptr<rt::tracked_resource>>>();
    using T = rill::value_t<decltype(use(std::declval<rt::tracked_resource&>()))>;
    return rill::generate([=]() -> rill::generator<T> {
        auto acquired = acquire();
        if (!acquired) {
            co_yield rill::err(acquired.error());
            co_return;
        }
        forgotten->push_back(std::make_unique<rt::tracked_resource>(std::move(*acquired)));
        rt::tracked_resource* r = forgotten->back().get();
        for (auto&& i : use(*r)) co_yield i;
        release(*r, rill::exit_case::completed); // the bug: only on completion
    });
}

/// A using_resource that releases twice when the inner stream is exhausted.
template <class Acq, class Rel, class Use>
auto using_resource_releasing_twice(Acq acquire, Rel release, Use use) {
    using T = rill::value_t<decltype(use(std::declval<rt::tracked_resource&>()))>;
    return rill::generate([=]() -> rill::generator<T> {
        auto acquired = acquire();
        if (!acquired) {
            co_yield rill::err(acquired.error());
            co_return;
        }
        struct releaser {
            Rel rel;
            rt::tracked_resource& r;
            ~releaser() { rel(r, rill::exit_case::stopped_early); }
        } on_exit{release, *acquired};
        for (auto&& i : use(*acquired)) co_yield i;
        release(*acquired, rill::exit_case::completed); // the bug: on_exit releases again
    });
}

/// A map that swallows the user function's exception (the consumer never sees it).
struct map_swallowing_exceptions {
    template <class S, class F>
    auto operator()(const S& s, F f) const {
        using U = std::decay_t<decltype(f(std::declval<rill::value_t<S>>()))>;
        return rill::generate([s, f]() -> rill::generator<U> {
            for (auto&& r : s) {
                if (!r) {
                    co_yield rill::err(r.error());
                    continue;
                }
                bool threw = false;
                U v{};
                try {
                    v = f(*r);
                } catch (...) {
                    threw = true; // the bug: exceptions are not errors
                }
                if (threw) co_yield rill::err("exception", "swallowed");
                else co_yield v;
            }
        });
    }
};

auto shapes() { return rt::gen_stream_shape<int>(); }

/// A deeply nested templated pipeline over `xs`: its C++ type runs to thousands of characters.
auto deep_pipeline(std::vector<rill::result<int>> xs) {
    return rill::from(std::move(xs)) | rill::map([](int x) { return x + 1; }) | rill::filter([](int x) { return x % 7 != 3; }) |
           rill::try_map([](int x) -> rill::result<int> { return x - 1; }) |
           rill::and_then([](int x) { return rill::of(x) | rill::map([](int y) { return y * 1; }); }) |
           rill::map([](int x) { return x ^ 0; }) | rill::and_then(rt::nest_fn<int>{1, false, false, false}) |
           rill::map([](int x) { return x; }) | rill::filter([](int) { return true; }) |
           rill::and_then([](int x) { return rill::pure(x) | rill::filter([](int) { return true; }); }) |
           rill::map([](int x) { return x + 0; });
}

/// The length of the longest line of `text`.
std::size_t longest_line(const std::string& text) {
    std::size_t longest = 0, start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        longest = std::max(longest, end - start);
        start = end + 1;
    }
    return longest;
}

// A pipeline with a resource around a shape, for the resource checkers.
template <class UsingResource>
auto resource_pipeline(UsingResource using_resource_op) {
    return [using_resource_op](rt::probe& p, const rt::stream_shape<int>& shape) {
        return using_resource_op(p.acquire("r"), p.release(), [shape](rt::tracked_resource&) { return shape.build(); });
    };
}

} // namespace

TEST_CASE("the real and_then passes the monad laws") {
    const auto r = rt::check_monad_laws(shapes(), rt::gen_int_stream_fn(), rt::gen_int_stream_fn(), quick);
    CHECK_MESSAGE(r, r.report);
    CHECK(r.outcomes.size() == 3);
}

TEST_CASE("an and_then that stops at the first Err breaks right identity and associativity") {
    const auto r = rt::check_monad_laws(shapes(), rt::gen_int_stream_fn(), rt::gen_int_stream_fn(), quick,
                                        and_then_stopping_at_first_err{});
    CHECK_FALSE(r);
    CHECK(r.failed("right identity"));
    CHECK(r.failed("associativity"));
    // The report says how to replay it and shows the shrunk counterexample.
    CHECK(r.report.find("seed") != std::string::npos);
    CHECK(r.report.find("Falsifiable") != std::string::npos);
    CHECK(r.report.find("Err(") != std::string::npos);
    MESSAGE("what a user sees:\n" << r.report);
}

TEST_CASE("the real map passes the functor laws") {
    const auto r = rt::check_functor_laws(shapes(), rt::gen_int_fn(), rt::gen_int_fn(), quick);
    CHECK_MESSAGE(r, r.report);
}

TEST_CASE("a map that drops Err items breaks the functor identity") {
    const auto r = rt::check_functor_laws(shapes(), rt::gen_int_fn(), rt::gen_int_fn(), quick, map_dropping_errs{});
    CHECK_FALSE(r);
    CHECK(r.failed("functor identity"));
    CHECK(r.failed("map(f) == and_then(pure . f)"));
}

TEST_CASE("the real take passes the take and drop checks") {
    const auto r = rt::check_take_drop(shapes(), quick);
    CHECK_MESSAGE(r, r.report);
}

TEST_CASE("a take that pulls one extra item is caught, though its items are right") {
    const auto r = rt::check_take_drop(shapes(), quick, take_pulling_one_extra{});
    CHECK_FALSE(r);
    CHECK(r.failed("pulls at most n"));
    CHECK_FALSE(r.failed("concat(s | take(n), s | drop(n)) == s"));
}

TEST_CASE("the real using_resource passes the resource-safety check") {
    const auto r = rt::check_resource_safety(shapes(), resource_pipeline(rill::using_resource), quick);
    CHECK_MESSAGE(r, r.report);
}

TEST_CASE("a using_resource that does not release on early stop is caught") {
    const auto r = rt::check_resource_safety(
        shapes(), resource_pipeline([](auto a, auto l, auto u) { return using_resource_not_released_on_early_stop(a, l, u); }),
        quick);
    CHECK_FALSE(r);
    CHECK(r.report.find("never released") != std::string::npos);
    MESSAGE("what a user sees:\n" << r.report);
}

TEST_CASE("a using_resource that releases twice is caught") {
    const auto r = rt::check_resource_safety(
        shapes(), resource_pipeline([](auto a, auto l, auto u) { return using_resource_releasing_twice(a, l, u); }), quick);
    CHECK_FALSE(r);
    CHECK(r.report.find("released 2 times") != std::string::npos);
}

TEST_CASE("a map that swallows exceptions is caught: the exception must reach the consumer") {
    auto pipeline = [](auto map_op) {
        return [map_op](rt::probe& p, const rt::stream_shape<int>& shape) {
            return map_op(shape.build(), p.guard([](int x) { return x ^ 1; }));
        };
    };
    const auto real = rt::check_resource_safety(shapes(), pipeline(rill::map), quick);
    CHECK_MESSAGE(real, real.report);
    const auto broken = rt::check_resource_safety(shapes(), pipeline(map_swallowing_exceptions{}), quick);
    CHECK_FALSE(broken);
    CHECK(broken.report.find("reached the consumer") != std::string::npos);
}

TEST_CASE("a check_result is an ok flag, a report and the outcome of each property") {
    rt::check_result r;
    CHECK(r);
    r.add(rt::property_outcome{"first law", true, ""});
    CHECK(r);
    r.add(rt::property_outcome{"second law", false, "second law broke"});
    CHECK_FALSE(r);
    CHECK(r.failed("second"));
    CHECK_FALSE(r.failed("first"));
    CHECK(r.report == "second law broke");
}

// --- reports stay short -----------------------------------------------------------------------

TEST_CASE("a law broken on a deeply nested pipeline gives a report of short lines that still names the property, seed and counterexample") {
    using deep_t = decltype(deep_pipeline({}));
    REQUIRE(rc::detail::demangle(typeid(deep_t).name()).size() > 1000); // what RapidCheck would print as its type
    // A long stream with Err items: the counterexample is a stream of many items.
    std::vector<rill::result<int>> items;
    for (int i = 0; i < 1000; ++i) items.push_back(i % 10 == 9 ? rill::result<int>(rill::err("E", "bad")) : rill::result<int>(i));
    const auto deep = rc::gen::just(deep_pipeline(items));
    const auto r = rt::check_right_identity(deep, rt::check_options{.cases = 50, .seed = 11}, and_then_stopping_at_first_err{});
    REQUIRE_FALSE(r);
    MESSAGE("what a user sees:\n" << r.report);
    CHECK(longest_line(r.report) < 200);
    CHECK(r.report.find("right identity: s | and_then(pure) == s") != std::string::npos);
    CHECK(r.report.find("seed 11") != std::string::npos);
    CHECK(r.report.find("rill stream of int:") != std::string::npos); // the counterexample's type, named short
    CHECK(r.report.find("stream[") != std::string::npos);             // and its items
    CHECK(r.report.find("Err(") != std::string::npos);
    CHECK(r.report.find("more]") != std::string::npos); // not all of them
    CHECK(r.report.find("rill::detail::") == std::string::npos);
}

TEST_CASE("a resource-safety failure with a long log gives a report of short lines") {
    // A release per item that releases twice, over many items: a long log.
    const auto r = rt::check_resource_safety(
        [](rt::probe& p) {
            return rill::iota(0, 300) | rill::and_then([p](int x) {
                       return using_resource_releasing_twice(p.acquire("row"), rt::probe::release(),
                                                             [x](rt::tracked_resource&) { return rill::pure(x); });
                   });
        },
        rt::check_options{.cases = 20, .seed = 5});
    REQUIRE_FALSE(r);
    CHECK(longest_line(r.report) < 200);
    CHECK(r.report.find("resource safety") != std::string::npos);
    CHECK(r.report.find("seed 5") != std::string::npos);
    CHECK(r.report.find("released 2 times") != std::string::npos);
    CHECK(r.report.find("more characters]") != std::string::npos); // the log was cut, not printed whole
}
