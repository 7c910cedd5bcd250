/// \file
/// Law checkers: each runs RapidCheck properties over generated streams and
/// functions and returns a `check_result`. Every checker takes the operator
/// under test as a trailing argument (rill's own by default), so a user checks
/// their own stream functions with rill's operators, or their own operator
/// against the laws. `==` compares the full item sequences of runs, Err items
/// included, consumed both ways (pushed by `collect`, pulled by `next()`).
///
/// A "stream generator" is an `rc::Gen` of any replayable rill stream, or of
/// `stream_shape<T>` (then the shape is what a counterexample shows).
#pragma once

#include <rill/testing/check.hpp>
#include <rill/testing/generators.hpp>
#include <rill/testing/show.hpp>

#include <rill/detail/stream_base.hpp>
#include <rill/sink/collect.hpp>
#include <rill/source/single.hpp>
#include <rill/stage/and_then.hpp>
#include <rill/stage/concat.hpp>
#include <rill/stage/drop.hpp>
#include <rill/stage/filter.hpp>
#include <rill/stage/lift.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/try_map.hpp>

#include <rapidcheck.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace rill::testing {

/// The type of rill's operator `op`, to name a default: `op_t<decltype(rill::map)>`.
template <class Op>
using op_t = std::remove_cvref_t<Op>;

/// `pure` as a function object (the default "return" of the monad checkers).
struct pure_fn {
    /// `rill::pure(x)`.
    template <class X>
    auto operator()(X&& x) const {
        return rill::pure(std::forward<X>(x));
    }
};

/// All the items of one run, pushed through `collect` (the drain protocol).
template <class S>
std::vector<result<value_t<S>>> drained(const S& s) {
    return rill::collect(s);
}

/// All the items of one run, pulled one by one with `open()` and `next()`.
template <class S>
std::vector<result<value_t<S>>> pulled(const S& s) {
    std::vector<result<value_t<S>>> out;
    auto c = s.open();
    while (auto r = c.next()) out.push_back(std::move(*r));
    return out;
}

/// Inside a property: fails it unless `a` and `b` give equal runs, pushed and pulled.
template <class A, class B>
void assert_same_runs(const std::string& law, const A& a, const B& b) {
    const auto ad = drained(a);
    const auto bd = drained(b);
    if (!(ad == bd)) RC_FAIL(law + "\n    left:  " + show_items(ad) + "\n    right: " + show_items(bd));
    const auto ap = pulled(a);
    const auto bp = pulled(b);
    if (!(ap == bp)) RC_FAIL(law + " (pulled with next())\n    left:  " + show_items(ap) + "\n    right: " + show_items(bp));
}

/// Inside a property: fails it unless a run of `s` gives `expected`, pushed and pulled.
template <class S, class T>
void assert_items(const std::string& what, const S& s, const std::vector<result<T>>& expected) {
    const auto d = drained(s);
    if (!(d == expected)) RC_FAIL(what + "\n    got:      " + show_items(d) + "\n    expected: " + show_items(expected));
    const auto p = pulled(s);
    if (!(p == expected))
        RC_FAIL(what + " (pulled with next())\n    got:      " + show_items(p) + "\n    expected: " + show_items(expected));
}

/// A stream that counts the items its runs deliver (Ok and Err) in a shared counter:
/// what `take(n)` pulls from upstream.
template <class S>
class counting_stream : public stream_base<counting_stream<S>> {
public:
    using value_type = value_t<S>; ///< the item type of `S`

    /// Wraps `s`; every item a run delivers adds one to `*count`.
    counting_stream(S s, std::shared_ptr<std::size_t> count) : s_(std::move(s)), count_(std::move(count)) {}

    /// A run of the wrapped stream, counting (pulled only: a push would hide the count).
    template <class C>
    class cursor {
    public:
        using value_type = typename C::value_type; ///< the item type
        /// Wraps a run.
        cursor(C c, std::shared_ptr<std::size_t> count) : c_(std::move(c)), count_(std::move(count)) {}
        /// The next item of the wrapped run, counted.
        std::optional<result<value_type>> next() {
            auto r = c_.next();
            if (r) ++*count_;
            return r;
        }

    private:
        C c_;
        std::shared_ptr<std::size_t> count_;
    };

    /// Starts a run.
    template <class Self>
    static auto start(Self&& self) {
        return cursor<cursor_t<const S&>>(self.s_.open(), self.count_);
    }

private:
    S s_;
    std::shared_ptr<std::size_t> count_;
};

// --- functor --------------------------------------------------------------------

/// Functor identity: `s | map(id) == s`.
template <class GenS, class Map = op_t<decltype(rill::map)>>
check_result check_functor_identity(GenS gen_stream, const check_options& options = {}, Map map_op = {}) {
    check_result r;
    r.add(check_property(
        "functor identity: s | map(id) == s",
        [=] {
            const auto x = *gen_stream;
            const auto& s = as_stream(x);
            assert_same_runs("s | map(id) != s", map_op(s, [](const auto& v) { return v; }), s);
        },
        options));
    return r;
}

/// Functor composition: `s | map(f) | map(g) == s | map(g . f)`.
template <class GenS, class GenF, class GenG, class Map = op_t<decltype(rill::map)>>
check_result check_functor_composition(GenS gen_stream, GenF gen_f, GenG gen_g, const check_options& options = {},
                                       Map map_op = {}) {
    check_result r;
    r.add(check_property(
        "functor composition: s | map(f) | map(g) == s | map(g . f)",
        [=] {
            const auto x = *gen_stream;
            const auto f = *gen_f;
            const auto g = *gen_g;
            const auto& s = as_stream(x);
            assert_same_runs("s | map(f) | map(g) != s | map(g . f)", map_op(map_op(s, f), g),
                             map_op(s, [f, g](const auto& v) { return g(f(v)); }));
        },
        options));
    return r;
}

/// `map(f) == and_then(pure . f)`.
template <class GenS, class GenF, class Map = op_t<decltype(rill::map)>, class Bind = op_t<decltype(rill::and_then)>>
check_result check_map_is_and_then_pure(GenS gen_stream, GenF gen_f, const check_options& options = {}, Map map_op = {},
                                        Bind bind = {}) {
    check_result r;
    r.add(check_property(
        "map(f) == and_then(pure . f)",
        [=] {
            const auto x = *gen_stream;
            const auto f = *gen_f;
            const auto& s = as_stream(x);
            assert_same_runs("s | map(f) != s | and_then(pure . f)", map_op(s, f),
                             bind(s, [f](const auto& v) { return rill::pure(f(v)); }));
        },
        options));
    return r;
}

/// The functor laws of `map_op` (identity, composition) and `map(f) == and_then(pure . f)`.
template <class GenS, class GenF, class GenG, class Map = op_t<decltype(rill::map)>>
check_result check_functor_laws(GenS gen_stream, GenF gen_f, GenG gen_g, const check_options& options = {},
                                Map map_op = {}) {
    check_result r;
    r.add(check_functor_identity(gen_stream, options, map_op));
    r.add(check_functor_composition(gen_stream, gen_f, gen_g, options, map_op));
    r.add(check_map_is_and_then_pure(gen_stream, gen_f, options, map_op));
    return r;
}

// --- monad ----------------------------------------------------------------------

/// Left identity: `pure(x) | and_then(f) == f(x)`.
template <class GenX, class GenF, class Bind = op_t<decltype(rill::and_then)>, class Pure = pure_fn>
check_result check_left_identity(GenX gen_value, GenF gen_f, const check_options& options = {}, Bind bind = {},
                                 Pure pure = {}) {
    check_result r;
    r.add(check_property(
        "left identity: pure(x) | and_then(f) == f(x)",
        [=] {
            const auto x = *gen_value;
            const auto f = *gen_f;
            assert_same_runs("pure(x) | and_then(f) != f(x)", bind(pure(x), f), f(x));
        },
        options));
    return r;
}

/// Right identity: `s | and_then(pure) == s`.
template <class GenS, class Bind = op_t<decltype(rill::and_then)>, class Pure = pure_fn>
check_result check_right_identity(GenS gen_stream, const check_options& options = {}, Bind bind = {}, Pure pure = {}) {
    check_result r;
    r.add(check_property(
        "right identity: s | and_then(pure) == s",
        [=] {
            const auto x = *gen_stream;
            const auto& s = as_stream(x);
            assert_same_runs("s | and_then(pure) != s", bind(s, pure), s);
        },
        options));
    return r;
}

/// Associativity: `s | and_then(f) | and_then(g) == s | and_then(x -> f(x) | and_then(g))`.
template <class GenS, class GenF, class GenG, class Bind = op_t<decltype(rill::and_then)>>
check_result check_associativity(GenS gen_stream, GenF gen_f, GenG gen_g, const check_options& options = {},
                                 Bind bind = {}) {
    check_result r;
    r.add(check_property(
        "associativity: s | and_then(f) | and_then(g) == s | and_then(x -> f(x) | and_then(g))",
        [=] {
            const auto x = *gen_stream;
            const auto f = *gen_f;
            const auto g = *gen_g;
            const auto& s = as_stream(x);
            assert_same_runs("s | and_then(f) | and_then(g) != s | and_then(x -> f(x) | and_then(g))",
                             bind(bind(s, f), g), bind(s, [f, g, bind](const auto& v) { return bind(f(v), g); }));
        },
        options));
    return r;
}

/// The monad laws of `bind` (rill::and_then by default): left identity (with
/// `x` from `rc::gen::arbitrary<T>()`), right identity and associativity.
template <class GenS, class GenF, class GenG, class Bind = op_t<decltype(rill::and_then)>>
check_result check_monad_laws(GenS gen_stream, GenF gen_f, GenG gen_g, const check_options& options = {},
                              Bind bind = {}) {
    using S = std::remove_cvref_t<decltype(as_stream(std::declval<typename GenS::ValueType>()))>;
    check_result r;
    r.add(check_left_identity(rc::gen::arbitrary<value_t<S>>(), gen_f, options, bind));
    r.add(check_right_identity(gen_stream, options, bind));
    r.add(check_associativity(gen_stream, gen_f, gen_g, options, bind));
    return r;
}

/// `try_map(f) == and_then(lift(f))` for `f: T -> result<U>`.
template <class GenS, class GenF, class TryMap = op_t<decltype(rill::try_map)>, class Bind = op_t<decltype(rill::and_then)>>
check_result check_try_map_is_and_then_lift(GenS gen_stream, GenF gen_f, const check_options& options = {},
                                            TryMap try_map_op = {}, Bind bind = {}) {
    check_result r;
    r.add(check_property(
        "try_map(f) == and_then(lift(f))",
        [=] {
            const auto x = *gen_stream;
            const auto f = *gen_f;
            const auto& s = as_stream(x);
            assert_same_runs("s | try_map(f) != s | and_then(lift(f))", try_map_op(s, f), bind(s, rill::lift(f)));
        },
        options));
    return r;
}

// --- filter, take, drop -----------------------------------------------------------

/// Filter fusion: `s | filter(p) | filter(q) == s | filter(p && q)`.
template <class GenS, class GenP, class GenQ, class Filter = op_t<decltype(rill::filter)>>
check_result check_filter_fusion(GenS gen_stream, GenP gen_p, GenQ gen_q, const check_options& options = {},
                                 Filter filter_op = {}) {
    check_result r;
    r.add(check_property(
        "filter fusion: s | filter(p) | filter(q) == s | filter(p && q)",
        [=] {
            const auto x = *gen_stream;
            const auto p = *gen_p;
            const auto q = *gen_q;
            const auto& s = as_stream(x);
            assert_same_runs("s | filter(p) | filter(q) != s | filter(p && q)", filter_op(filter_op(s, p), q),
                             filter_op(s, [p, q](const auto& v) { return p(v) && q(v); }));
        },
        options));
    return r;
}

/// `take` and `drop`: `concat(s | take(n), s | drop(n)) == s`; `s | take(n)` is
/// the first n items of `s`; `take(n)` pulls at most n items from upstream.
template <class GenS, class Take = op_t<decltype(rill::take)>, class Drop = op_t<decltype(rill::drop)>>
check_result check_take_drop(GenS gen_stream, const check_options& options = {}, Take take_op = {}, Drop drop_op = {}) {
    check_result r;
    r.add(check_property(
        "concat(s | take(n), s | drop(n)) == s",
        [=] {
            const auto x = *gen_stream;
            const auto& s = as_stream(x);
            const auto all = drained(s);
            const auto n = *rc::gen::inRange<std::size_t>(0, all.size() + 3);
            RC_TAG(n == 0 ? "n = 0" : n < all.size() ? "0 < n < size" : "n >= size");
            assert_same_runs("concat(s | take(n), s | drop(n)) != s", rill::concat(take_op(s, n), drop_op(s, n)), s);
            std::vector<result<value_t<decltype(s)>>> prefix(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(std::min(n, all.size())));
            assert_items("s | take(n) is not the first n items of s", take_op(s, n), prefix);
        },
        options));
    r.add(check_property(
        "take(n) pulls at most n items from upstream",
        [=] {
            const auto x = *gen_stream;
            const auto& s = as_stream(x);
            const auto size = drained(s).size();
            const auto n = *rc::gen::inRange<std::size_t>(0, size + 3);
            auto count = std::make_shared<std::size_t>(0);
            const counting_stream<std::remove_cvref_t<decltype(s)>> counted(s, count);
            (void)drained(take_op(counted, n));
            if (*count > n)
                RC_FAIL("take(" + std::to_string(n) + ") pulled " + std::to_string(*count) + " items (pushed)");
            *count = 0;
            (void)pulled(take_op(counted, n));
            if (*count > n)
                RC_FAIL("take(" + std::to_string(n) + ") pulled " + std::to_string(*count) + " items (pulled)");
        },
        options));
    return r;
}

// --- replayability -----------------------------------------------------------------

/// Replayability: two runs of `s` are equal, pushed or pulled, and a run
/// interleaved with another run of the same stream (in a random pattern) is not disturbed.
template <class GenS>
check_result check_replayability(GenS gen_stream, const check_options& options = {}) {
    check_result r;
    r.add(check_property(
        "replayability: two runs are equal",
        [=] {
            const auto x = *gen_stream;
            const auto& s = as_stream(x);
            const auto first = drained(s);
            assert_items("a second run differs from the first", s, first);
        },
        options));
    r.add(check_property(
        "replayability: interleaved runs do not disturb each other",
        [=] {
            const auto x = *gen_stream;
            const auto& s = as_stream(x);
            const auto expected = drained(s);
            const auto pattern = *rc::gen::container<std::vector<bool>>(rc::gen::arbitrary<bool>());
            auto a = s.open();
            auto b = s.open();
            decltype(drained(s)) got_a, got_b;
            bool a_done = false, b_done = false;
            std::size_t i = 0;
            while (!a_done || !b_done) {
                const bool pick_a = b_done || (!a_done && (pattern.empty() || pattern[i++ % pattern.size()]));
                if (pick_a) {
                    if (auto item = a.next()) got_a.push_back(std::move(*item));
                    else a_done = true;
                } else {
                    if (auto item = b.next()) got_b.push_back(std::move(*item));
                    else b_done = true;
                }
            }
            if (!(got_a == expected))
                RC_FAIL("first interleaved run\n    got:      " + show_items(got_a) + "\n    expected: " + show_items(expected));
            if (!(got_b == expected))
                RC_FAIL("second interleaved run\n    got:      " + show_items(got_b) + "\n    expected: " + show_items(expected));
        },
        options));
    return r;
}

} // namespace rill::testing
