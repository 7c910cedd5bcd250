/// \file
/// Law checkers for async streams: each runs RapidCheck properties over
/// generated async streams and functions and returns a `check_result` (the
/// sync kit's). Every checker takes the operator under test as a trailing
/// argument (rill::async's own by default). `==` compares the full item
/// sequences of runs, Err items included, consumed one of two ways that
/// RapidCheck draws for each case (through `async::collect`, or pulled with
/// `next()`, then `close()`), each comparison on an `io_context` of its own;
/// every run must also leave nothing to its executor
/// (`async::unclosed_releases()` does not move). Functions may be plain or
/// return an `asio::awaitable` (`awaited_fn`).
///
/// A "stream generator" is an `rc::Gen` of any async rill stream, or of
/// `stream_shape<T>` (then the shape is what a counterexample shows).
#pragma once

#include <rill/async/testing/erased.hpp>
#include <rill/async/testing/functions.hpp>
#include <rill/async/testing/generators.hpp>

#include <rill/async/run.hpp>
#include <rill/async/sink/collect.hpp>
#include <rill/async/source/from.hpp>
#include <rill/async/stage/and_then.hpp>
#include <rill/async/stage/map.hpp>
#include <rill/async/stage/try_map.hpp>
#include <rill/testing/check.hpp>
#include <rill/testing/show.hpp>

#include <rapidcheck.h>

#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace rill::async::testing {

using ::rill::testing::check_options;
using ::rill::testing::check_property;
using ::rill::testing::check_result;
using ::rill::testing::property_outcome;

/// The type of rill::async's operator `op`, to name a default: `op_t<decltype(rill::async::map)>`.
template <class Op>
using op_t = std::remove_cvref_t<Op>;

/// `async::pure` as a function object (the default "return" of the monad checkers).
struct pure_fn {
    /// `rill::async::pure(x)`.
    template <class X>
    auto operator()(X&& x) const {
        return async::pure(std::forward<X>(x));
    }
};

/// The items of a run of an async stream `S`.
template <class S>
using items_t = std::vector<result<value_t<S>>>;

/// Pulls a run of `s` with `next()` to its end, then closes it (also when
/// `next()` throws, and shielded from cancellation, as a sink does).
template <class S>
asio::awaitable<items_t<S>> pull_all(S s) {
    items_t<S> out;
    auto c = s.open();
    std::exception_ptr ep;
    bool ended = false;
    try {
        for (;;) {
            auto r = co_await c.next();
            if (!r) {
                ended = true;
                break;
            }
            out.push_back(std::move(*r));
        }
    } catch (...) {
        ep = std::current_exception();
    }
    RILL_ASYNC_SHIELDED(co_await async::detail::close_with(c, async::detail::how_ended(ep != nullptr, ended)));
    if (ep) std::rethrow_exception(ep);
    co_return out;
}

/// All the items of one run of `s`, pushed through `async::collect`, on `ctx`.
template <class S>
items_t<S> drained(asio::io_context& ctx, const S& s) {
    return async::run(ctx, async::collect(s));
}

/// All the items of one run of `s`, pulled with `next()` and then closed, on `ctx`.
template <class S>
items_t<S> pulled(asio::io_context& ctx, const S& s) {
    return async::run(ctx, testing::pull_all(s));
}

/// `f(x)` once awaited: an awaitable `f` is run to its end on `ctx`.
template <class F, class X>
auto applied(asio::io_context& ctx, const F& f, X x) {
    if constexpr (async::detail::returns_awaitable<const F&, X&&>) return async::run(ctx, std::invoke(f, std::move(x)));
    else return std::invoke(f, std::move(x));
}

namespace detail {
/// Inside a property: fails it when runs left releases to the executor since `before`.
inline void assert_nothing_unclosed(const std::string& what, std::size_t before) {
    const std::size_t after = async::unclosed_releases();
    if (after != before)
        RC_FAIL(what + ": " + std::to_string(after - before) +
                " release(s) left to the executor (a cursor destroyed without close())");
}
} // namespace detail

namespace detail {
/// Inside a property: how a comparison consumes its runs, drawn by RapidCheck
/// (both ways over a check's cases, one way a case: async runs are not cheap).
inline bool draw_pulled() { return *rc::gen::arbitrary<bool>(); }
} // namespace detail

/// Inside a property: fails it unless `a` and `b` give equal runs, both
/// collected or both pulled (RapidCheck draws which), and no run leaves a
/// release to its executor.
template <class A, class B>
void assert_same_runs(const std::string& law, const A& a, const B& b) {
    using ::rill::testing::show_items;
    const bool pull = detail::draw_pulled();
    const std::size_t before = async::unclosed_releases();
    asio::io_context ctx;
    if (!pull) {
        const auto ad = testing::drained(ctx, a);
        const auto bd = testing::drained(ctx, b);
        if (!(ad == bd)) RC_FAIL(law + "\n    left:  " + show_items(ad) + "\n    right: " + show_items(bd));
    } else {
        const auto ap = testing::pulled(ctx, a);
        const auto bp = testing::pulled(ctx, b);
        if (!(ap == bp)) RC_FAIL(law + " (pulled with next())\n    left:  " + show_items(ap) + "\n    right: " + show_items(bp));
    }
    detail::assert_nothing_unclosed(law, before);
}

/// Inside a property: fails it unless a run of `s` gives `expected`,
/// collected or pulled (RapidCheck draws which).
template <class S, class T>
void assert_items(const std::string& what, const S& s, const std::vector<result<T>>& expected) {
    using ::rill::testing::show_items;
    const bool pull = detail::draw_pulled();
    const std::size_t before = async::unclosed_releases();
    asio::io_context ctx;
    const auto got = pull ? testing::pulled(ctx, s) : testing::drained(ctx, s);
    if (!(got == expected))
        RC_FAIL(what + (pull ? " (pulled with next())" : "") + "\n    got:      " + show_items(got) +
                "\n    expected: " + show_items(expected));
    detail::assert_nothing_unclosed(what, before);
}

// --- functor --------------------------------------------------------------------

/// Functor identity: `s | map(id) == s`.
template <class GenS, class Map = op_t<decltype(async::map)>>
check_result check_functor_identity(GenS gen_stream, const check_options& options = {}, Map map_op = {}) {
    check_result r;
    r.add(check_property(
        "async functor identity: s | map(id) == s",
        [=] {
            const auto x = *gen_stream;
            const auto& s = testing::as_stream(x);
            testing::assert_same_runs("s | map(id) != s", map_op(s, detail::identity_fn{}), s);
        },
        options));
    return r;
}

/// Functor composition: `s | map(f) | map(g) == s | map(g . f)`; `f`, `g` plain or awaitable.
template <class GenS, class GenF, class GenG, class Map = op_t<decltype(async::map)>>
check_result check_functor_composition(GenS gen_stream, GenF gen_f, GenG gen_g, const check_options& options = {},
                                       Map map_op = {}) {
    check_result r;
    r.add(check_property(
        "async functor composition: s | map(f) | map(g) == s | map(g . f)",
        [=] {
            const auto x = *gen_stream;
            const auto f = *gen_f;
            const auto g = *gen_g;
            const auto& s = testing::as_stream(x);
            testing::assert_same_runs("s | map(f) | map(g) != s | map(g . f)", map_op(map_op(s, f), g),
                             map_op(s, detail::then(f, g)));
        },
        options));
    return r;
}

/// `map(f) == and_then(pure . f)`; `f` plain or awaitable.
template <class GenS, class GenF, class Map = op_t<decltype(async::map)>, class Bind = op_t<decltype(async::and_then)>>
check_result check_map_is_and_then_pure(GenS gen_stream, GenF gen_f, const check_options& options = {}, Map map_op = {},
                                        Bind bind = {}) {
    check_result r;
    r.add(check_property(
        "async map(f) == and_then(pure . f)",
        [=] {
            const auto x = *gen_stream;
            const auto f = *gen_f;
            const auto& s = testing::as_stream(x);
            testing::assert_same_runs("s | map(f) != s | and_then(pure . f)", map_op(s, f), bind(s, detail::then(f, pure_fn{})));
        },
        options));
    return r;
}

/// The functor laws of `map_op` (identity, composition) and `map(f) == and_then(pure . f)`.
template <class GenS, class GenF, class GenG, class Map = op_t<decltype(async::map)>>
check_result check_functor_laws(GenS gen_stream, GenF gen_f, GenG gen_g, const check_options& options = {},
                                Map map_op = {}) {
    check_result r;
    r.add(testing::check_functor_identity(gen_stream, options, map_op));
    r.add(testing::check_functor_composition(gen_stream, gen_f, gen_g, options, map_op));
    r.add(testing::check_map_is_and_then_pure(gen_stream, gen_f, options, map_op));
    return r;
}

// --- monad ----------------------------------------------------------------------

/// Left identity: `pure(x) | and_then(f) == f(x)`; `f` plain or awaitable (then `f(x)` is awaited).
template <class GenX, class GenF, class Bind = op_t<decltype(async::and_then)>, class Pure = pure_fn>
check_result check_left_identity(GenX gen_value, GenF gen_f, const check_options& options = {}, Bind bind = {},
                                 Pure pure = {}) {
    check_result r;
    r.add(check_property(
        "async left identity: pure(x) | and_then(f) == f(x)",
        [=] {
            const auto x = *gen_value;
            const auto f = *gen_f;
            asio::io_context ctx;
            const auto fx = testing::applied(ctx, f, x);
            testing::assert_same_runs("pure(x) | and_then(f) != f(x)", bind(pure(x), f), fx);
        },
        options));
    return r;
}

/// Right identity: `s | and_then(pure) == s`.
template <class GenS, class Bind = op_t<decltype(async::and_then)>, class Pure = pure_fn>
check_result check_right_identity(GenS gen_stream, const check_options& options = {}, Bind bind = {}, Pure pure = {}) {
    check_result r;
    r.add(check_property(
        "async right identity: s | and_then(pure) == s",
        [=] {
            const auto x = *gen_stream;
            const auto& s = testing::as_stream(x);
            testing::assert_same_runs("s | and_then(pure) != s", bind(s, pure), s);
        },
        options));
    return r;
}

namespace detail {
/// `s -> bind(s, g)`: the right-hand side of associativity, after `f`.
template <class G, class Bind>
struct bind_with {
    G g;
    Bind bind;
    template <class S>
    auto operator()(S s) const {
        return bind(std::move(s), g);
    }
};
} // namespace detail

/// Associativity: `s | and_then(f) | and_then(g) == s | and_then(x -> f(x) | and_then(g))`;
/// `f`, `g` plain or awaitable.
template <class GenS, class GenF, class GenG, class Bind = op_t<decltype(async::and_then)>>
check_result check_associativity(GenS gen_stream, GenF gen_f, GenG gen_g, const check_options& options = {},
                                 Bind bind = {}) {
    check_result r;
    r.add(check_property(
        "async associativity: s | and_then(f) | and_then(g) == s | and_then(x -> f(x) | and_then(g))",
        [=] {
            const auto x = *gen_stream;
            const auto f = *gen_f;
            const auto g = *gen_g;
            const auto& s = testing::as_stream(x);
            using G = std::remove_cvref_t<decltype(g)>;
            testing::assert_same_runs("s | and_then(f) | and_then(g) != s | and_then(x -> f(x) | and_then(g))", bind(bind(s, f), g),
                             bind(s, detail::then(f, detail::bind_with<G, Bind>{g, bind})));
        },
        options));
    return r;
}

/// The monad laws of `bind` (rill::async::and_then by default): left identity
/// (with `x` from `rc::gen::arbitrary<T>()`), right identity and associativity.
template <class GenS, class GenF, class GenG, class Bind = op_t<decltype(async::and_then)>>
check_result check_monad_laws(GenS gen_stream, GenF gen_f, GenG gen_g, const check_options& options = {},
                              Bind bind = {}) {
    using S = std::remove_cvref_t<decltype(testing::as_stream(std::declval<typename GenS::ValueType>()))>;
    check_result r;
    r.add(testing::check_left_identity(rc::gen::arbitrary<value_t<S>>(), gen_f, options, bind));
    r.add(testing::check_right_identity(gen_stream, options, bind));
    r.add(testing::check_associativity(gen_stream, gen_f, gen_g, options, bind));
    return r;
}

namespace detail {
/// `r -> async::of(r)`: the one-item stream of a result (`lift`'s second half).
struct one_item_fn {
    template <class R>
    auto operator()(R r) const {
        return async::of(std::move(r));
    }
};
} // namespace detail

/// `try_map(f) == and_then(lift(f))` for `f: T -> result<U>` or `T -> asio::awaitable<result<U>>`.
template <class GenS, class GenF, class TryMap = op_t<decltype(async::try_map)>, class Bind = op_t<decltype(async::and_then)>>
check_result check_try_map_is_and_then_lift(GenS gen_stream, GenF gen_f, const check_options& options = {},
                                            TryMap try_map_op = {}, Bind bind = {}) {
    check_result r;
    r.add(check_property(
        "async try_map(f) == and_then(lift(f))",
        [=] {
            const auto x = *gen_stream;
            const auto f = *gen_f;
            const auto& s = testing::as_stream(x);
            testing::assert_same_runs("s | try_map(f) != s | and_then(lift(f))", try_map_op(s, f),
                             bind(s, detail::then(f, detail::one_item_fn{})));
        },
        options));
    return r;
}

// --- replayability -----------------------------------------------------------------

namespace detail {
/// Two runs of `s` in one coroutine, pulled in turn as `pattern` says, both closed at the end.
template <class S>
asio::awaitable<std::pair<items_t<S>, items_t<S>>> interleaved(S s, std::vector<bool> pattern) {
    std::pair<items_t<S>, items_t<S>> out;
    auto a = s.open();
    auto b = s.open();
    bool a_done = false, b_done = false;
    std::size_t i = 0;
    std::exception_ptr ep;
    try {
        while (!a_done || !b_done) {
            const bool pick_a = b_done || (!a_done && (pattern.empty() || pattern[i++ % pattern.size()]));
            if (pick_a) {
                auto item = co_await a.next();
                if (item) out.first.push_back(std::move(*item));
                else a_done = true;
            } else {
                auto item = co_await b.next();
                if (item) out.second.push_back(std::move(*item));
                else b_done = true;
            }
        }
    } catch (...) {
        ep = std::current_exception();
    }
    RILL_ASYNC_SHIELDED(co_await async::detail::close_with(b, async::detail::how_ended(ep != nullptr, b_done)));
    RILL_ASYNC_SHIELDED(co_await async::detail::close_with(a, async::detail::how_ended(ep != nullptr, a_done)));
    if (ep) std::rethrow_exception(ep);
    co_return out;
}
} // namespace detail

/// Replayability: two runs of `s` are equal, collected or pulled; two runs
/// pulled in turn by one coroutine (in a random pattern) are not disturbed;
/// two runs consumed at once by two coroutines on one `io_context` (their
/// waits interleave) are not disturbed either.
template <class GenS>
check_result check_replayability(GenS gen_stream, const check_options& options = {}) {
    using ::rill::testing::show_items;
    check_result r;
    r.add(check_property(
        "async replayability: two runs are equal",
        [=] {
            const auto x = *gen_stream;
            const auto& s = testing::as_stream(x);
            asio::io_context ctx;
            const auto first = testing::drained(ctx, s);
            testing::assert_items("a second run differs from the first", s, first);
        },
        options));
    r.add(check_property(
        "async replayability: runs pulled in turn do not disturb each other",
        [=] {
            const auto x = *gen_stream;
            const auto& s = testing::as_stream(x);
            const std::size_t before = async::unclosed_releases();
            asio::io_context ctx;
            const auto expected = testing::drained(ctx, s);
            const auto pattern = *rc::gen::container<std::vector<bool>>(rc::gen::arbitrary<bool>());
            using S = std::remove_cvref_t<decltype(s)>;
            const auto [a, b] = async::run(ctx, detail::interleaved<S>(s, pattern));
            if (!(a == expected))
                RC_FAIL("first run pulled in turn\n    got:      " + show_items(a) + "\n    expected: " + show_items(expected));
            if (!(b == expected))
                RC_FAIL("second run pulled in turn\n    got:      " + show_items(b) + "\n    expected: " + show_items(expected));
            detail::assert_nothing_unclosed("runs pulled in turn", before);
        },
        options));
    r.add(check_property(
        "async replayability: concurrent runs on one io_context do not disturb each other",
        [=] {
            const auto x = *gen_stream;
            const auto& s = testing::as_stream(x);
            const std::size_t before = async::unclosed_releases();
            asio::io_context ctx;
            const auto expected = testing::drained(ctx, s);
            using V = std::remove_cvref_t<decltype(expected)>;
            std::optional<V> got[2];
            std::exception_ptr errors[2];
            for (int i = 0; i < 2; ++i)
                asio::co_spawn(ctx, async::collect(s), [&got, &errors, i](std::exception_ptr e, V v) {
                    errors[i] = e;
                    if (!e) got[i].emplace(std::move(v));
                });
            ctx.restart();
            ctx.run();
            for (int i = 0; i < 2; ++i) {
                if (errors[i]) std::rethrow_exception(errors[i]);
                if (!got[i]) RC_FAIL("a concurrent run did not finish");
                if (!(*got[i] == expected))
                    RC_FAIL(std::string(i == 0 ? "first" : "second") + " concurrent run\n    got:      " +
                            show_items(*got[i]) + "\n    expected: " + show_items(expected));
            }
            detail::assert_nothing_unclosed("concurrent runs", before);
        },
        options));
    return r;
}

} // namespace rill::async::testing
