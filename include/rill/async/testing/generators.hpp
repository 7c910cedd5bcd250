/// \file
/// RapidCheck generators of async stream shapes: `stream_shape<T>` (sync
/// shapes of the sync kit under `async::from`, `async::generate` bodies that
/// wait on the event loop before each item, nested `async::and_then` with
/// inner streams made by `from`, by `generate` or by an awaitable function,
/// awaitable `map`s in between), each with its items computed without rill
/// (`expected()`), printed in a counterexample as its shape and its items.
/// Items, errors and functions come from the sync kit (`rill::testing::gen_items`, ...).
#pragma once

#include <rill/async/testing/erased.hpp>
#include <rill/async/testing/functions.hpp>

#include <rill/async/source/from.hpp>
#include <rill/async/source/generate.hpp>
#include <rill/async/stage/and_then.hpp>
#include <rill/async/stage/map.hpp>
#include <rill/testing/generators.hpp>
#include <rill/testing/show.hpp>

#include <rapidcheck.h>

#include <algorithm>
#include <cstddef>
#include <ostream>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace rill::async::testing {

/// How an async shape's `and_then` makes its inner streams from a `nest_fn`.
enum class inner_kind {
    from,      ///< `async::from` of the sync inner stream (templated from end to end)
    generated, ///< an `async::generate` body, waiting before each item
    awaited,   ///< an awaitable function (it waits first) giving the `from` stream
};

/// Prints `from`, `generate` or `awaited`.
inline std::ostream& operator<<(std::ostream& os, inner_kind k) {
    switch (k) {
    case inner_kind::from: return os << "from";
    case inner_kind::generated: return os << "generate";
    case inner_kind::awaited: return os << "awaited";
    }
    return os;
}

namespace detail {
/// The identity, as the function an awaitable `map` awaits.
struct identity_fn {
    template <class X>
    X operator()(X x) const {
        return x;
    }
    friend std::ostream& operator<<(std::ostream& os, const identity_fn&) { return os << "id"; }
};
} // namespace detail

/// The description of a generated async stream: how it is made (shown in a
/// counterexample), `build()` (the stream, erased) and `expected()` (its
/// items, computed without rill).
template <class T>
struct stream_shape {
    /// How the stream is made.
    enum class kind {
        from_sync, ///< `async::from` of a sync shape of the sync kit (a leaf: `from`, `empty`, `single`, `generate`, a long cycle)
        generated, ///< `async::generate`: a body that waits, then hands out each of `items`
        bound,     ///< `parts[0] | async::and_then(nest)`, inner streams made as `inner` says
        delayed,   ///< `parts[0] | async::map(awaited(id))`: a wait before each Ok item goes on
    };

    kind k = kind::from_sync;                 ///< how the stream is made
    ::rill::testing::stream_shape<T> sync{};  ///< the sync shape of `from_sync`
    std::vector<result<T>> items{};           ///< the items of `generated`
    std::vector<stream_shape> parts{};        ///< the upstream of `bound` and `delayed`
    ::rill::testing::nest_fn<T> nest{};       ///< the function of `bound`
    inner_kind inner = inner_kind::from;      ///< how `bound` makes its inner streams

    /// The async stream this shape describes (erased at the top; a `bound`
    /// over `from_sync(from[...])` is templated from end to end).
    erased_stream<T> build() const {
        switch (k) {
        case kind::from_sync:
            // `from` and long leaves templated (async::from over rill::from), the other sync shapes erased.
            if (sync.k == ::rill::testing::stream_shape<T>::kind::from || sync.k == ::rill::testing::stream_shape<T>::kind::long_cycle)
                return async::from(rill::from(sync.expected()));
            return async::from(sync.build());
        case kind::generated: return async::generate<T>(detail::yield_items<T>{items, true});
        case kind::bound: {
            const auto& up = parts.at(0);
            if (up.k == kind::from_sync && up.sync.k == ::rill::testing::stream_shape<T>::kind::from)
                return bind(async::from(rill::from(std::vector<result<T>>(up.sync.items))));
            return bind(up.build());
        }
        case kind::delayed: return parts.at(0).build() | async::map(awaited_fn<detail::identity_fn>{});
        }
        return {};
    }

    /// The items a run of `build()` gives, computed without rill.
    std::vector<result<T>> expected() const {
        switch (k) {
        case kind::from_sync: return sync.expected();
        case kind::generated: return items;
        case kind::bound: {
            std::vector<result<T>> out;
            for (auto& r : parts.at(0).expected()) {
                if (!r) {
                    out.push_back(std::move(r));
                    continue;
                }
                for (auto& i : nest.items(*r)) out.push_back(std::move(i));
            }
            return out;
        }
        case kind::delayed: return parts.at(0).expected();
        }
        return {};
    }

    /// Items of a `generated` leaf that its printed form shows; the rest are counted.
    static constexpr std::size_t shown_leaf_items = 8;

    /// Prints the shape on one line, e.g. `(from(from[Ok(1), Err(E: m)]) | and_then(generate . x -> [x, x]))`.
    friend std::ostream& operator<<(std::ostream& os, const stream_shape& s) {
        switch (s.k) {
        case kind::from_sync: return os << "from(" << s.sync << ")";
        case kind::generated: {
            os << "generate[";
            for (std::size_t i = 0; i < s.items.size() && i < shown_leaf_items; ++i) {
                if (i) os << ", ";
                rc::show(s.items[i], os);
            }
            if (s.items.size() > shown_leaf_items) os << ", ... " << (s.items.size() - shown_leaf_items) << " more";
            return os << "]";
        }
        case kind::bound: return os << "(" << s.parts.at(0) << " | and_then(" << s.inner << " . " << s.nest << "))";
        case kind::delayed: return os << "(" << s.parts.at(0) << " | map(awaited(id)))";
        }
        return os;
    }

private:
    template <class S>
    erased_stream<T> bind(S up) const {
        switch (inner) {
        case inner_kind::from: return std::move(up) | async::and_then(from_fn<::rill::testing::nest_fn<T>>{nest});
        case inner_kind::generated:
            return std::move(up) | async::and_then(generated_fn<::rill::testing::nest_fn<T>>{nest});
        case inner_kind::awaited:
            return std::move(up) | async::and_then(awaited_fn<from_fn<::rill::testing::nest_fn<T>>>{{nest}});
        }
        return {};
    }
};

/// Prints a shape and the items it stands for in a counterexample.
template <class T>
void showValue(const stream_shape<T>& s, std::ostream& os) {
    os << s << "\n    = " << ::rill::testing::show_items(s.expected(), 30);
}

/// How long the leaves of generated async shapes are: an async item costs
/// microseconds (much more in a Debug build, most for a `generate` body),
/// so the kit keeps runs short and still crosses `async::from`'s
/// `from_yield_every` in its long leaves.
struct shape_sizes {
    std::size_t leaf = 24;       ///< the most items of a `from` leaf (fewer at small RapidCheck sizes)
    std::size_t generated = 8;   ///< the most items of an `async::generate` leaf
    std::size_t long_min = 300;  ///< the shortest long leaf (a cycle of a few items)
    std::size_t long_max = 600;  ///< the longest long leaf
};

/// Items with Err items anywhere (the sync kit's `gen_result`), at most
/// `most` of them and fewer at small RapidCheck sizes; values at full size.
template <class T>
rc::Gen<std::vector<result<T>>> gen_items_up_to(rc::Gen<T> value, std::size_t most) {
    return rc::gen::withSize([value, most](int size) {
        const std::size_t n = std::min<std::size_t>(most, static_cast<std::size_t>(size < 0 ? 0 : size));
        return rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, n + 1), [value](std::size_t count) {
            return rc::gen::container<std::vector<result<T>>>(count, ::rill::testing::gen_result<T>(value));
        });
    });
}

/// Arbitrary async stream shapes over values from `value`, nested up to
/// `depth` levels, with leaves as long as `sizes` says.
template <class T>
rc::Gen<stream_shape<T>> gen_stream_shape(rc::Gen<T> value, int depth = 2, shape_sizes sizes = {}) {
    using shape = stream_shape<T>;
    using kind = typename shape::kind;
    using sync_shape = ::rill::testing::stream_shape<T>;
    using sync_kind = typename sync_shape::kind;
    // The leaves of the sync kit's shapes, under async::from.
    auto sync_leaf = [](sync_kind k, std::vector<result<T>> xs) {
        shape out;
        out.k = kind::from_sync;
        out.sync.k = k;
        out.sync.items = std::move(xs);
        return out;
    };
    const auto items = gen_items_up_to<T>(value, sizes.leaf);
    auto from = rc::gen::map(items, [sync_leaf](std::vector<result<T>> xs) { return sync_leaf(sync_kind::from, std::move(xs)); });
    auto sync_generated =
        rc::gen::map(items, [sync_leaf](std::vector<result<T>> xs) { return sync_leaf(sync_kind::generated, std::move(xs)); });
    auto single = rc::gen::map(::rill::testing::gen_result<T>(value), [sync_leaf](result<T> r) {
        return sync_leaf(sync_kind::single, std::vector<result<T>>{std::move(r)});
    });
    auto long_cycle = rc::gen::map(
        rc::gen::tuple(rc::gen::nonEmpty(gen_items_up_to<T>(value, 6)), rc::gen::inRange(sizes.long_min, sizes.long_max + 1)),
        [sync_leaf](std::tuple<std::vector<result<T>>, std::size_t> t) {
            shape out = sync_leaf(sync_kind::long_cycle, std::move(std::get<0>(t)));
            out.sync.length = std::get<1>(t);
            return out;
        });
    auto generated = rc::gen::map(gen_items_up_to<T>(value, sizes.generated), [](std::vector<result<T>> xs) {
        shape out;
        out.k = kind::generated;
        out.items = std::move(xs);
        return out;
    });
    auto leaves = rc::gen::weightedOneOf<shape>({
        {6, from},
        {1, rc::gen::just(sync_leaf(sync_kind::empty, {}))},
        {2, single},
        {1, sync_generated},
        {1, long_cycle},
        {3, generated},
    });
    if (depth <= 0) return leaves;
    const auto part = rc::gen::scale(0.5, gen_stream_shape<T>(value, depth - 1, sizes));
    auto bound = rc::gen::map(
        rc::gen::tuple(part, ::rill::testing::gen_nest_fn<T>(), rc::gen::weightedElement<inner_kind>(
                                          {{3, inner_kind::from}, {1, inner_kind::generated}, {2, inner_kind::awaited}})),
        [](std::tuple<shape, ::rill::testing::nest_fn<T>, inner_kind> t) {
            shape out;
            out.k = kind::bound;
            out.parts = {std::move(std::get<0>(t))};
            out.nest = std::get<1>(t);
            out.nest.erased_inner = false; // the async inner stream is made as `inner` says
            out.inner = std::get<2>(t);
            return out;
        });
    auto delayed = rc::gen::map(part, [](shape p) {
        shape out;
        out.k = kind::delayed;
        out.parts = {std::move(p)};
        return out;
    });
    return rc::gen::weightedOneOf<shape>({{6, leaves}, {3, bound}, {1, delayed}});
}

/// Arbitrary async stream shapes over arbitrary `T` values.
template <class T>
rc::Gen<stream_shape<T>> gen_stream_shape() {
    return gen_stream_shape<T>(rc::gen::arbitrary<T>());
}

/// A generated value as an async stream: a shape is built, a stream is itself.
template <class X>
decltype(auto) as_stream(const X& x) {
    if constexpr (async::any_stream<X>) return (x);
    else return x.build();
}

} // namespace rill::async::testing

namespace rc {

/// `rc::gen::arbitrary<rill::async::testing::stream_shape<T>>()`.
template <class T>
struct Arbitrary<rill::async::testing::stream_shape<T>> {
    /// The generator.
    static Gen<rill::async::testing::stream_shape<T>> arbitrary() {
        return rill::async::testing::gen_stream_shape<T>();
    }
};

/// How a counterexample names the type of an async rill stream: `rill async
/// stream of T`, not the pipeline's type, which can run to thousands of characters.
template <class S>
    requires rill::async::any_stream<S>
struct ShowType<S> {
    /// Prints the short name.
    static void showType(std::ostream& os) {
        os << "rill async stream of ";
        rc::detail::showType<rill::async::value_t<S>>(os);
    }
};

} // namespace rc
