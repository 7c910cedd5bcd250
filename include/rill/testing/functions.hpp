/// \file
/// Families of pure functions over `int`, drawn at random so that the laws
/// quantify over functions too: `int -> int` (for `map`), `int -> bool` (for
/// `filter`), `int -> result<int>` (for `try_map`) and `int -> stream<int>`
/// (for `and_then`). Each is a small printable value: a counterexample says
/// which function broke the law. Arithmetic wraps (no signed overflow).
#pragma once

#include <rill/testing/generators.hpp>

#include <rill/result.hpp>
#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/generate.hpp>
#include <rill/source/single.hpp>
#include <rill/stream.hpp>

#include <rapidcheck.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

namespace rill::testing {

namespace detail {
/// `a * x + b` with wrapping arithmetic.
constexpr int wrap_affine(int a, int x, int b) {
    return static_cast<int>(static_cast<std::uint32_t>(a) * static_cast<std::uint32_t>(x) + static_cast<std::uint32_t>(b));
}
/// `x mod m` in [0, m) for m > 0, for negative x too.
constexpr int mod(int x, int m) { return ((x % m) + m) % m; }
} // namespace detail

/// An `int -> int` function for `map`: affine, xor-shift, constant or negation.
struct int_fn {
    /// Which function of the family.
    enum class kind { affine, xor_shift, constant, negate };
    kind k = kind::affine; ///< the family member
    int a = 1;             ///< multiplier / shift / constant
    int b = 0;             ///< addend

    /// Applies the function.
    constexpr int operator()(int x) const {
        switch (k) {
        case kind::affine: return detail::wrap_affine(a, x, b);
        case kind::xor_shift: return x ^ (x >> (a & 15));
        case kind::constant: return a;
        case kind::negate: return detail::wrap_affine(-1, x, 0);
        }
        return x;
    }
    /// Prints `x -> 3*x + 1` and so on.
    friend std::ostream& operator<<(std::ostream& os, const int_fn& f) {
        switch (f.k) {
        case kind::affine: return os << "x -> " << f.a << "*x + " << f.b;
        case kind::xor_shift: return os << "x -> x ^ (x >> " << (f.a & 15) << ")";
        case kind::constant: return os << "x -> " << f.a;
        case kind::negate: return os << "x -> -x";
        }
        return os;
    }
};

/// An `int -> bool` predicate for `filter`: `x mod m == r`, `x < c`, always or never.
struct int_predicate {
    /// Which predicate of the family.
    enum class kind { mod_eq, less, always, never };
    kind k = kind::always; ///< the family member
    int m = 2;             ///< modulus (>= 1) or bound
    int r = 0;             ///< remainder

    /// Applies the predicate.
    constexpr bool operator()(int x) const {
        switch (k) {
        case kind::mod_eq: return detail::mod(x, m) == r;
        case kind::less: return x < m;
        case kind::always: return true;
        case kind::never: return false;
        }
        return true;
    }
    /// Prints `x -> x mod 3 == 1` and so on.
    friend std::ostream& operator<<(std::ostream& os, const int_predicate& p) {
        switch (p.k) {
        case kind::mod_eq: return os << "x -> x mod " << p.m << " == " << p.r;
        case kind::less: return os << "x -> x < " << p.m;
        case kind::always: return os << "x -> true";
        case kind::never: return os << "x -> false";
        }
        return os;
    }
};

/// An `int -> result<int>` function for `try_map` / `lift`: Ok of an affine map,
/// Err when `x mod m == 0`, or always Err.
struct int_result_fn {
    /// Which function of the family.
    enum class kind { ok_affine, err_if_multiple, always_err };
    kind k = kind::ok_affine; ///< the family member
    int a = 1;                ///< multiplier, or the modulus (>= 1) of err_if_multiple
    int b = 0;                ///< addend

    /// Applies the function.
    result<int> operator()(int x) const {
        switch (k) {
        case kind::ok_affine: return detail::wrap_affine(a, x, b);
        case kind::err_if_multiple:
            if (detail::mod(x, a) == 0) return rill::err("MULTIPLE", std::to_string(x));
            return detail::wrap_affine(1, x, b);
        case kind::always_err: return rill::err("ALWAYS", "fails");
        }
        return x;
    }
    /// Prints `x -> Ok(2*x + 1)` and so on.
    friend std::ostream& operator<<(std::ostream& os, const int_result_fn& f) {
        switch (f.k) {
        case kind::ok_affine: return os << "x -> Ok(" << f.a << "*x + " << f.b << ")";
        case kind::err_if_multiple: return os << "x -> x mod " << f.a << " == 0 ? Err(MULTIPLE) : Ok(x + " << f.b << ")";
        case kind::always_err: return os << "x -> Err(ALWAYS)";
        }
        return os;
    }
};

/// An `int -> stream<int>` function for `and_then`: no items, `pure(a*x+b)`,
/// `n` items `x, x+1, ...` with Err where `(x+i) mod m == 0`, or a coroutine.
struct int_stream_fn {
    /// Which function of the family.
    enum class kind { empty, pure_affine, run_with_errs, generated };
    kind k = kind::pure_affine; ///< the family member
    int a = 1;                  ///< multiplier
    int b = 0;                  ///< addend
    int n = 1;                  ///< items of run_with_errs / generated
    int m = 3;                  ///< Err where (x + i) mod m == 0 (m >= 1; 1 makes every item an Err)

    /// The items `x` becomes, computed without rill.
    std::vector<result<int>> items(int x) const {
        std::vector<result<int>> out;
        switch (k) {
        case kind::empty: break;
        case kind::pure_affine: out.emplace_back(detail::wrap_affine(a, x, b)); break;
        case kind::run_with_errs:
        case kind::generated:
            for (int i = 0; i < n; ++i) {
                const int v = detail::wrap_affine(1, x, i);
                if (detail::mod(v, m) == 0) out.emplace_back(rill::err("INNER", std::to_string(v)));
                else out.emplace_back(v);
            }
            break;
        }
        return out;
    }

    /// Applies the function: an erased stream whose pipeline depends on the family member.
    stream<int> operator()(int x) const {
        switch (k) {
        case kind::empty: return rill::empty<int>();
        case kind::pure_affine: return rill::pure(detail::wrap_affine(a, x, b));
        case kind::run_with_errs: return rill::from(items(x));
        case kind::generated:
            return rill::generate([x, f = *this]() -> generator<int> {
                for (int i = 0; i < f.n; ++i) {
                    const int v = detail::wrap_affine(1, x, i);
                    if (detail::mod(v, f.m) == 0) co_yield rill::err("INNER", std::to_string(v));
                    else co_yield v;
                }
            });
        }
        return {};
    }
    /// Prints `x -> [x, x+1, x+2] with Err where mod 3 == 0` and so on.
    friend std::ostream& operator<<(std::ostream& os, const int_stream_fn& f) {
        switch (f.k) {
        case kind::empty: return os << "x -> empty";
        case kind::pure_affine: return os << "x -> pure(" << f.a << "*x + " << f.b << ")";
        case kind::run_with_errs:
            return os << "x -> from[x .. x+" << f.n - 1 << "] with Err where mod " << f.m << " == 0";
        case kind::generated:
            return os << "x -> generate[x .. x+" << f.n - 1 << "] with Err where mod " << f.m << " == 0";
        }
        return os;
    }
};

namespace detail {
/// `rc::gen::inRange(a, b)` at full size: RapidCheck scales `inRange` with the
/// generation size, which would make the early cases of a check pick only the
/// first member of a family. Shrinking still goes towards `a`.
inline rc::Gen<int> any_in(int a, int b) { return rc::gen::resize(100, rc::gen::inRange(a, b)); }
} // namespace detail

/// Arbitrary `int -> int` functions.
inline rc::Gen<int_fn> gen_int_fn() {
    return rc::gen::map(rc::gen::tuple(detail::any_in(0, 4), rc::gen::inRange(-7, 8), rc::gen::inRange(-100, 101)),
                        [](std::tuple<int, int, int> t) {
                            return int_fn{static_cast<int_fn::kind>(std::get<0>(t)), std::get<1>(t), std::get<2>(t)};
                        });
}

/// Arbitrary `int -> bool` predicates.
inline rc::Gen<int_predicate> gen_int_predicate() {
    return rc::gen::map(rc::gen::tuple(detail::any_in(0, 4), rc::gen::inRange(1, 6), rc::gen::inRange(0, 6)),
                        [](std::tuple<int, int, int> t) {
                            return int_predicate{static_cast<int_predicate::kind>(std::get<0>(t)), std::get<1>(t),
                                                 std::get<2>(t) % std::get<1>(t)};
                        });
}

/// Arbitrary `int -> result<int>` functions.
inline rc::Gen<int_result_fn> gen_int_result_fn() {
    return rc::gen::map(rc::gen::tuple(detail::any_in(0, 3), rc::gen::inRange(1, 6), rc::gen::inRange(-100, 101)),
                        [](std::tuple<int, int, int> t) {
                            return int_result_fn{static_cast<int_result_fn::kind>(std::get<0>(t)), std::get<1>(t),
                                                 std::get<2>(t)};
                        });
}

/// Arbitrary `int -> stream<int>` functions.
inline rc::Gen<int_stream_fn> gen_int_stream_fn() {
    return rc::gen::map(rc::gen::tuple(detail::any_in(0, 4), rc::gen::inRange(-7, 8), rc::gen::inRange(-100, 101),
                                       rc::gen::inRange(0, 5), rc::gen::inRange(1, 5)),
                        [](std::tuple<int, int, int, int, int> t) {
                            return int_stream_fn{static_cast<int_stream_fn::kind>(std::get<0>(t)), std::get<1>(t),
                                                 std::get<2>(t), std::get<3>(t), std::get<4>(t)};
                        });
}

} // namespace rill::testing

namespace rc {

/// `rc::gen::arbitrary<rill::testing::int_fn>()`.
template <>
struct Arbitrary<rill::testing::int_fn> {
    /// The generator.
    static Gen<rill::testing::int_fn> arbitrary() { return rill::testing::gen_int_fn(); }
};
/// `rc::gen::arbitrary<rill::testing::int_predicate>()`.
template <>
struct Arbitrary<rill::testing::int_predicate> {
    /// The generator.
    static Gen<rill::testing::int_predicate> arbitrary() { return rill::testing::gen_int_predicate(); }
};
/// `rc::gen::arbitrary<rill::testing::int_result_fn>()`.
template <>
struct Arbitrary<rill::testing::int_result_fn> {
    /// The generator.
    static Gen<rill::testing::int_result_fn> arbitrary() { return rill::testing::gen_int_result_fn(); }
};
/// `rc::gen::arbitrary<rill::testing::int_stream_fn>()`.
template <>
struct Arbitrary<rill::testing::int_stream_fn> {
    /// The generator.
    static Gen<rill::testing::int_stream_fn> arbitrary() { return rill::testing::gen_int_stream_fn(); }
};

} // namespace rc
