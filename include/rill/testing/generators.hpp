/// \file
/// RapidCheck generators for rill: errors, results, item sequences, and
/// streams of many shapes (`stream_shape<T>`: empty, one item, long, Err items
/// anywhere, `generate`- and `from`-based, nested `and_then` over templated and
/// erased inner streams, concatenations associated left and right), plus the
/// `rc::Arbitrary` specialisations that make `rc::gen::arbitrary<rill::stream<int>>()` work.
#pragma once

#include <rill/testing/show.hpp>

#include <rill/result.hpp>
#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/generate.hpp>
#include <rill/source/single.hpp>
#include <rill/stage/and_then.hpp>
#include <rill/stage/concat.hpp>
#include <rill/stream.hpp>

#include <rapidcheck.h>

#include <cstddef>
#include <ostream>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace rill::testing {

/// An arbitrary error: a code among a few ("E", "IO", "PARSE", "TIMEOUT") and a short lowercase message.
inline rc::Gen<err_info> gen_err_info() {
    return rc::gen::map(
        rc::gen::tuple(rc::gen::elementOf(std::vector<std::string>{"E", "IO", "PARSE", "TIMEOUT"}),
                       rc::gen::resize(6, rc::gen::container<std::string>(rc::gen::inRange('a', static_cast<char>('z' + 1))))),
        [](std::tuple<std::string, std::string> t) {
            return err_info{std::move(std::get<0>(t)), std::move(std::get<1>(t))};
        });
}

/// An arbitrary item: `Ok(value)` `ok_weight` times in `ok_weight + 1`, else an arbitrary Err.
template <class T>
rc::Gen<result<T>> gen_result(rc::Gen<T> value, int ok_weight = 3) {
    return rc::gen::weightedOneOf<result<T>>({
        {static_cast<std::size_t>(ok_weight), rc::gen::map(std::move(value), [](T x) { return result<T>(std::move(x)); })},
        {1, rc::gen::map(gen_err_info(), [](err_info e) { return result<T>(rill::err(std::move(e))); })},
    });
}

/// An arbitrary item with an arbitrary `T` value.
template <class T>
rc::Gen<result<T>> gen_result() {
    return gen_result<T>(rc::gen::arbitrary<T>());
}

/// The items of a stream: Ok values with Err items anywhere (size grows with RapidCheck's size).
template <class T>
rc::Gen<std::vector<result<T>>> gen_items(rc::Gen<T> value) {
    return rc::gen::container<std::vector<result<T>>>(gen_result<T>(std::move(value)));
}

/// The items of a stream with arbitrary `T` values.
template <class T>
rc::Gen<std::vector<result<T>>> gen_items() {
    return gen_items<T>(rc::gen::arbitrary<T>());
}

/// A pure `T -> stream of T` for nested `and_then` in generated shapes, for any
/// copyable `T`: `x` becomes `copies` copies of `x`, with an Err before and/or after.
template <class T>
struct nest_fn {
    int copies = 1;            ///< how many copies of x (0 drops it)
    bool err_before = false;   ///< an Err item before the copies
    bool err_after = false;    ///< an Err item after the copies
    bool erased_inner = false; ///< return `stream<T>` rather than a templated `from` stream

    /// The items `x` becomes.
    std::vector<result<T>> items(const T& x) const {
        std::vector<result<T>> out;
        if (err_before) out.emplace_back(rill::err("NEST", "before"));
        for (int i = 0; i < copies; ++i) out.emplace_back(x);
        if (err_after) out.emplace_back(rill::err("NEST", "after"));
        return out;
    }

    /// The stream `x` becomes (through `from`, erased or not).
    auto operator()(const T& x) const { return rill::from(items(x)); }

    /// Prints `x -> [!, x, x, !]`.
    friend std::ostream& operator<<(std::ostream& os, const nest_fn& f) {
        os << "x -> [";
        const char* sep = "";
        if (f.err_before) os << "Err(NEST: before)", sep = ", ";
        for (int i = 0; i < f.copies; ++i) os << sep << "x", sep = ", ";
        if (f.err_after) os << sep << "Err(NEST: after)";
        return os << "]" << (f.erased_inner ? " (erased)" : "");
    }
};

/// A generator of `nest_fn<T>`.
template <class T>
rc::Gen<nest_fn<T>> gen_nest_fn() {
    return rc::gen::map(rc::gen::tuple(rc::gen::inRange(0, 4), rc::gen::arbitrary<bool>(), rc::gen::arbitrary<bool>(),
                                       rc::gen::arbitrary<bool>()),
                        [](std::tuple<int, bool, bool, bool> t) {
                            return nest_fn<T>{std::get<0>(t), std::get<1>(t), std::get<2>(t), std::get<3>(t)};
                        });
}

/// The description of a generated stream: what it is built from (shown in a
/// counterexample), `build()` (the rill stream) and `expected()` (its items,
/// computed without rill, as a model).
template <class T>
struct stream_shape {
    /// How the stream is made.
    enum class kind {
        empty,        ///< `empty<T>()`
        single,       ///< `pure(x)` or `failed<T>(e)`: `items` has one item
        from,         ///< `from(items)`
        generated,    ///< `generate(...)`: a coroutine yielding `items`
        long_cycle,   ///< `from` over `length` items cycling through `items` (thousands)
        concat_left,  ///< `concat(concat(parts[0], parts[1]), parts[2])`
        concat_right, ///< `concat(parts[0], concat(parts[1], parts[2]))`
        bound,        ///< `parts[0] | and_then(nest)`; templated from end to end when parts[0] is `from`
    };

    kind k = kind::empty;                ///< how the stream is made
    std::vector<result<T>> items{};      ///< the items of a leaf
    std::size_t length = 0;              ///< the length of a `long_cycle`
    std::vector<stream_shape> parts{};   ///< the parts of a composite
    nest_fn<T> nest{};                   ///< the function of `bound`

    /// The rill stream this shape describes (erased at the top; see `kind` for what is templated).
    stream<T> build() const {
        switch (k) {
        case kind::empty: return rill::empty<T>();
        case kind::single:
            if (items.at(0)) return rill::pure(*items[0]);
            return rill::failed<T>(items[0].error());
        case kind::from: return rill::from(std::vector<result<T>>(items));
        case kind::generated:
            return rill::generate([xs = items]() -> generator<T> {
                for (const auto& r : xs) co_yield r; // a named item: see generate.hpp on g++ 12
            });
        case kind::long_cycle: return rill::from(cycled());
        case kind::concat_left:
            return rill::concat(stream<T>(rill::concat(parts.at(0).build(), parts.at(1).build())), parts.at(2).build());
        case kind::concat_right:
            return rill::concat(parts.at(0).build(), stream<T>(rill::concat(parts.at(1).build(), parts.at(2).build())));
        case kind::bound: {
            const auto& up = parts.at(0);
            if (nest.erased_inner) {
                auto f = [n = nest](const T& x) -> stream<T> { return n(x); };
                if (up.k == kind::from) return rill::from(std::vector<result<T>>(up.items)) | rill::and_then(f);
                return up.build() | rill::and_then(f);
            }
            if (up.k == kind::from) return rill::from(std::vector<result<T>>(up.items)) | rill::and_then(nest);
            return up.build() | rill::and_then(nest);
        }
        }
        return {};
    }

    /// The items a run of `build()` gives, computed without rill.
    std::vector<result<T>> expected() const {
        switch (k) {
        case kind::empty: return {};
        case kind::single:
        case kind::from:
        case kind::generated: return items;
        case kind::long_cycle: return cycled();
        case kind::concat_left:
        case kind::concat_right: {
            std::vector<result<T>> out;
            for (const auto& p : parts)
                for (auto& r : p.expected()) out.push_back(std::move(r));
            return out;
        }
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
        }
        return {};
    }

    /// Items of a leaf that its printed form shows; the rest are counted.
    static constexpr std::size_t shown_leaf_items = 8;

    /// Prints the shape on one line, e.g. `concat(from[Ok(1)], (from[Err(E: m)] | and_then(x -> [x, x])))`;
    /// a leaf shows at most `shown_leaf_items` items.
    friend std::ostream& operator<<(std::ostream& os, const stream_shape& s) { return s.print(os, -1); }

    /// Prints the shape with each part of a composite too long for one line of
    /// `width` characters on a line of its own, indented by `indent` (what a counterexample shows).
    std::ostream& print_indented(std::ostream& os, int indent = 0, std::size_t width = 100) const {
        std::ostringstream one;
        print(one, -1);
        if (one.str().size() + static_cast<std::size_t>(indent) <= width || parts.empty()) return os << one.str();
        return print(os, indent, width);
    }

private:
    // One line (indent < 0), or the parts on lines of their own at `indent + 4`.
    std::ostream& print(std::ostream& os, int indent, std::size_t width = 100) const {
        auto leaf_items = [&] {
            os << "[";
            for (std::size_t i = 0; i < items.size() && i < shown_leaf_items; ++i) {
                if (i) os << ", ";
                rc::show(items[i], os);
            }
            if (items.size() > shown_leaf_items) os << ", ... " << (items.size() - shown_leaf_items) << " more";
            os << "]";
        };
        const char* sep = indent < 0 ? ", " : ","; // a part on a line of its own follows
        auto part = [&](std::size_t i, int extra) -> std::ostream& {
            if (indent < 0) return os << parts.at(i);
            os << "\n" << std::string(static_cast<std::size_t>(indent + extra), ' ');
            return parts.at(i).print_indented(os, indent + extra, width);
        };
        switch (k) {
        case kind::empty: return os << "empty";
        case kind::single: return os << "single", leaf_items(), os;
        case kind::from: return os << "from", leaf_items(), os;
        case kind::generated: return os << "generate", leaf_items(), os;
        case kind::long_cycle:
            os << "long(" << length << " items cycling ";
            leaf_items();
            return os << ")";
        case kind::concat_left:
            os << "concat(concat(";
            part(0, 8) << sep;
            part(1, 8) << ")" << sep;
            return part(2, 4) << ")";
        case kind::concat_right:
            os << "concat(";
            part(0, 4) << sep << "concat(";
            part(1, 8) << sep;
            return part(2, 8) << "))";
        case kind::bound:
            os << "(";
            part(0, 4);
            if (indent >= 0) os << "\n" << std::string(static_cast<std::size_t>(indent + 4), ' ');
            else os << " ";
            return os << "| and_then(" << nest << "))";
        }
        return os;
    }

    std::vector<result<T>> cycled() const {
        std::vector<result<T>> out;
        if (items.empty()) return out;
        out.reserve(length);
        for (std::size_t i = 0; i < length; ++i) out.push_back(items[i % items.size()]);
        return out;
    }
};

/// Prints a shape and the items it stands for in a counterexample.
template <class T>
void showValue(const stream_shape<T>& s, std::ostream& os) {
    s.print_indented(os);
    os << "\n    = " << show_items(s.expected(), 30);
}

namespace detail {
template <class T>
stream_shape<T> leaf(typename stream_shape<T>::kind k, std::vector<result<T>> items) {
    stream_shape<T> s;
    s.k = k;
    s.items = std::move(items);
    return s;
}
} // namespace detail

/// Arbitrary stream shapes over values from `value`, nested up to `depth` levels.
template <class T>
rc::Gen<stream_shape<T>> gen_stream_shape(rc::Gen<T> value, int depth = 3) {
    using shape = stream_shape<T>;
    using kind = typename shape::kind;
    const auto items = gen_items<T>(value);
    auto leaves = rc::gen::weightedOneOf<shape>({
        {4, rc::gen::map(items, [](std::vector<result<T>> xs) { return detail::leaf<T>(kind::from, std::move(xs)); })},
        {1, rc::gen::just(shape{})},
        {2, rc::gen::map(gen_result<T>(value),
                         [](result<T> r) { return detail::leaf<T>(kind::single, std::vector<result<T>>{std::move(r)}); })},
        {2, rc::gen::map(items, [](std::vector<result<T>> xs) { return detail::leaf<T>(kind::generated, std::move(xs)); })},
        {1, rc::gen::map(rc::gen::tuple(rc::gen::nonEmpty(rc::gen::resize(12, items)), rc::gen::inRange<std::size_t>(1000, 2000)),
                         [](std::tuple<std::vector<result<T>>, std::size_t> t) {
                             shape s = detail::leaf<T>(kind::long_cycle, std::move(std::get<0>(t)));
                             s.length = std::get<1>(t);
                             return s;
                         })},
    });
    if (depth <= 0) return leaves;
    {
        const auto part = rc::gen::scale(0.5, gen_stream_shape<T>(value, depth - 1));
        auto concat_of = [part](kind k) {
            return rc::gen::map(rc::gen::tuple(part, part, part), [k](std::tuple<shape, shape, shape> t) {
                shape s;
                s.k = k;
                s.parts = {std::move(std::get<0>(t)), std::move(std::get<1>(t)), std::move(std::get<2>(t))};
                return s;
            });
        };
        auto bound = rc::gen::map(rc::gen::tuple(part, gen_nest_fn<T>()), [](std::tuple<shape, nest_fn<T>> t) {
            shape s;
            s.k = kind::bound;
            s.parts = {std::move(std::get<0>(t))};
            s.nest = std::get<1>(t);
            return s;
        });
        return rc::gen::weightedOneOf<shape>({
            {10, leaves},
            {1, concat_of(kind::concat_left)},
            {1, concat_of(kind::concat_right)},
            {3, bound},
        });
    }
}

/// Arbitrary stream shapes over arbitrary `T` values.
template <class T>
rc::Gen<stream_shape<T>> gen_stream_shape() {
    return gen_stream_shape<T>(rc::gen::arbitrary<T>());
}

/// Arbitrary erased streams (built from `gen_stream_shape`; shown as their items).
template <class T>
rc::Gen<stream<T>> gen_stream() {
    return rc::gen::map(gen_stream_shape<T>(), [](const stream_shape<T>& s) { return s.build(); });
}

/// A generated value as a stream: a shape is built, a stream is itself.
template <class X>
decltype(auto) as_stream(const X& x) {
    if constexpr (any_stream<X>) return (x);
    else return x.build();
}

} // namespace rill::testing

namespace rc {

/// `rc::gen::arbitrary<rill::err_info>()`.
template <>
struct Arbitrary<rill::err_info> {
    /// The generator.
    static Gen<rill::err_info> arbitrary() { return rill::testing::gen_err_info(); }
};

/// `rc::gen::arbitrary<rill::result<T>>()`: Ok 3 times in 4.
template <class T>
struct Arbitrary<tl::expected<T, rill::err_info>> {
    /// The generator.
    static Gen<rill::result<T>> arbitrary() { return rill::testing::gen_result<T>(); }
};

/// `rc::gen::arbitrary<rill::testing::stream_shape<T>>()`.
template <class T>
struct Arbitrary<rill::testing::stream_shape<T>> {
    /// The generator.
    static Gen<rill::testing::stream_shape<T>> arbitrary() { return rill::testing::gen_stream_shape<T>(); }
};

/// `rc::gen::arbitrary<rill::stream<T>>()`.
template <class T>
struct Arbitrary<rill::stream<T>> {
    /// The generator.
    static Gen<rill::stream<T>> arbitrary() { return rill::testing::gen_stream<T>(); }
};

} // namespace rc
