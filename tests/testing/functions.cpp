// Tests of include/rill/testing/functions.hpp: the families of pure functions
// (int_fn, int_predicate, int_result_fn, int_stream_fn): what each member
// computes, that it agrees with how it prints and with its items(), the Err
// branches, and that the generators and rc::Arbitrary give every member.
#include <rill/testing/functions.hpp>

#include <rill/testing/check.hpp>

#include <rill/sink/collect.hpp>

#include <doctest/doctest.h>

#include <climits>
#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace rt = rill::testing;

namespace {

const rt::check_options quick{.cases = 200};

template <class F>
std::string print(const F& f) {
    std::ostringstream os;
    os << f;
    return os.str();
}

/// `a * x + b` modulo 2^32, computed in 64 bits (independently of the header's wrap_affine).
int wrapped(long long a, long long x, long long b) {
    return static_cast<int>(static_cast<std::int32_t>(static_cast<std::uint32_t>(static_cast<std::uint64_t>(a * x + b))));
}

/// `n` values of `gen`, drawn with a fixed seed at RapidCheck's nominal size.
template <class T>
std::vector<T> sample(const rc::Gen<T>& gen, int n, std::uint64_t seed = 2024) {
    rc::Random random(seed);
    std::vector<T> out;
    for (int i = 0; i < n; ++i) out.push_back(gen(random.split(), rc::kNominalSize).value());
    return out;
}

template <class F>
std::set<int> kinds(const std::vector<F>& fs) {
    std::set<int> out;
    for (const auto& f : fs) out.insert(static_cast<int>(f.k));
    return out;
}

std::vector<rill::result<int>> ok_or_inner(std::vector<int> vs, int m) {
    std::vector<rill::result<int>> out;
    for (int v : vs) {
        if (((v % m) + m) % m == 0) out.emplace_back(rill::err("INNER", std::to_string(v)));
        else out.emplace_back(v);
    }
    return out;
}

} // namespace

// --- int_fn ------------------------------------------------------------------

static_assert(rt::int_fn{rt::int_fn::kind::affine, 3, 1}(5) == 16);
static_assert(rt::int_fn{rt::int_fn::kind::negate, 0, 0}(9) == -9);

TEST_CASE("int_fn: each member computes what it prints") {
    using k = rt::int_fn::kind;
    const rt::int_fn affine{k::affine, 3, 1};
    CHECK(affine(5) == 16);
    CHECK(affine(-4) == -11);
    CHECK(print(affine) == "x -> 3*x + 1");

    const rt::int_fn xs{k::xor_shift, 2, 0};
    CHECK(xs(0b10110) == (0b10110 ^ 0b101));
    CHECK(print(xs) == "x -> x ^ (x >> 2)");
    // The shift is a mod 16, in the call and in the printed form.
    const rt::int_fn xs18{k::xor_shift, 18, 0};
    CHECK(xs18(1000) == (1000 ^ (1000 >> 2)));
    CHECK(print(xs18) == "x -> x ^ (x >> 2)");

    const rt::int_fn c{k::constant, -6, 99};
    CHECK(c(0) == -6);
    CHECK(c(12345) == -6);
    CHECK(print(c) == "x -> -6");

    const rt::int_fn neg{k::negate, 5, 5};
    CHECK(neg(7) == -7);
    CHECK(neg(-3) == 3);
    CHECK(print(neg) == "x -> -x");
}

TEST_CASE("int_fn: arithmetic wraps instead of overflowing") {
    using k = rt::int_fn::kind;
    CHECK(rt::int_fn{k::affine, 2, 0}(INT_MAX) == -2);
    CHECK(rt::int_fn{k::affine, 1, 1}(INT_MAX) == INT_MIN);
    CHECK(rt::int_fn{k::negate, 0, 0}(INT_MIN) == INT_MIN);
    CHECK(rt::int_fn{k::affine, -7, 100}(INT_MIN) == wrapped(-7, INT_MIN, 100));
}

TEST_CASE("int_fn: generated affine functions agree with their printed a and b") {
    const auto o = rt::check_property(
        "affine agrees with print",
        [](int x) {
            const auto f = *rt::gen_int_fn();
            if (f.k == rt::int_fn::kind::affine) {
                RC_ASSERT(print(f) == "x -> " + std::to_string(f.a) + "*x + " + std::to_string(f.b));
                RC_ASSERT(f(x) == wrapped(f.a, x, f.b));
            } else if (f.k == rt::int_fn::kind::constant) {
                RC_ASSERT(print(f) == "x -> " + std::to_string(f.a));
                RC_ASSERT(f(x) == f.a);
            } else if (f.k == rt::int_fn::kind::negate) {
                RC_ASSERT(f(x) == wrapped(-1, x, 0));
            } else {
                RC_ASSERT(f(x) == (x ^ (x >> (f.a & 15))));
            }
        },
        quick);
    CHECK_MESSAGE(o.ok, o.report);
}

// --- int_predicate -------------------------------------------------------------

TEST_CASE("int_predicate: each member computes what it prints, negative x included") {
    using k = rt::int_predicate::kind;
    const rt::int_predicate m3{k::mod_eq, 3, 1};
    CHECK(m3(4));
    CHECK(m3(-2)); // -2 mod 3 == 1
    CHECK_FALSE(m3(3));
    CHECK_FALSE(m3(-1)); // -1 mod 3 == 2
    CHECK(print(m3) == "x -> x mod 3 == 1");

    const rt::int_predicate less{k::less, 4, 0};
    CHECK(less(3));
    CHECK(less(-100));
    CHECK_FALSE(less(4));
    CHECK(print(less) == "x -> x < 4");

    CHECK(rt::int_predicate{k::always, 2, 0}(INT_MIN));
    CHECK(print(rt::int_predicate{k::always, 2, 0}) == "x -> true");
    CHECK_FALSE(rt::int_predicate{k::never, 2, 0}(0));
    CHECK(print(rt::int_predicate{k::never, 2, 0}) == "x -> false");
}

TEST_CASE("int_predicate: generated predicates have 1 <= m and 0 <= r < m, and keep x mod m == r") {
    const auto o = rt::check_property(
        "predicate parameters",
        [](int x) {
            const auto p = *rt::gen_int_predicate();
            RC_ASSERT(p.m >= 1);
            RC_ASSERT(p.r >= 0);
            RC_ASSERT(p.r < p.m);
            if (p.k == rt::int_predicate::kind::mod_eq) {
                RC_ASSERT(p(x) == (((x % p.m) + p.m) % p.m == p.r));
                RC_ASSERT(print(p) == "x -> x mod " + std::to_string(p.m) + " == " + std::to_string(p.r));
            }
        },
        quick);
    CHECK_MESSAGE(o.ok, o.report);
}

// --- int_result_fn -------------------------------------------------------------

TEST_CASE("int_result_fn: Ok of an affine map, Err on multiples, always Err") {
    using k = rt::int_result_fn::kind;
    const rt::int_result_fn ok{k::ok_affine, 2, 1};
    CHECK(ok(10) == rill::result<int>(21));
    CHECK(print(ok) == "x -> Ok(2*x + 1)");

    const rt::int_result_fn mult{k::err_if_multiple, 3, 5};
    CHECK(mult(4) == rill::result<int>(9));
    REQUIRE_FALSE(mult(6));
    CHECK(mult(6).error().code == "MULTIPLE");
    CHECK(mult(6).error().message == "6");
    REQUIRE_FALSE(mult(-9)); // a negative multiple too
    CHECK(mult(-9).error().message == "-9");
    CHECK(mult(0).error().code == "MULTIPLE");
    CHECK(print(mult) == "x -> x mod 3 == 0 ? Err(MULTIPLE) : Ok(x + 5)");

    const rt::int_result_fn always{k::always_err, 1, 0};
    REQUIRE_FALSE(always(1));
    CHECK(always(1).error().code == "ALWAYS");
    CHECK(print(always) == "x -> Err(ALWAYS)");
}

TEST_CASE("int_result_fn: a generated function is Err exactly where its printed form says") {
    const auto o = rt::check_property(
        "result fn Err branches",
        [](int x) {
            const auto f = *rt::gen_int_result_fn();
            RC_ASSERT(f.a >= 1);
            const auto r = f(x);
            switch (f.k) {
            case rt::int_result_fn::kind::ok_affine: RC_ASSERT((r == rill::result<int>(wrapped(f.a, x, f.b)))); break;
            case rt::int_result_fn::kind::err_if_multiple:
                if (x % f.a == 0) RC_ASSERT((r == rill::result<int>(rill::err("MULTIPLE", std::to_string(x)))));
                else RC_ASSERT((r == rill::result<int>(wrapped(1, x, f.b))));
                break;
            case rt::int_result_fn::kind::always_err: RC_ASSERT(!r.has_value()); break;
            }
        },
        quick);
    CHECK_MESSAGE(o.ok, o.report);
}

// --- int_stream_fn -------------------------------------------------------------

TEST_CASE("int_stream_fn: each member's stream has the items it prints") {
    using k = rt::int_stream_fn::kind;
    const rt::int_stream_fn empty{k::empty, 1, 0, 3, 2};
    CHECK(empty.items(5).empty());
    CHECK(rill::collect(empty(5)).empty());
    CHECK(print(empty) == "x -> empty");

    const rt::int_stream_fn pure{k::pure_affine, -2, 3, 1, 3};
    CHECK(pure.items(5) == std::vector<rill::result<int>>{-7});
    CHECK(rill::collect(pure(5)) == std::vector<rill::result<int>>{-7});
    CHECK(print(pure) == "x -> pure(-2*x + 3)");

    const rt::int_stream_fn run{k::run_with_errs, 1, 0, 4, 3};
    const auto want = ok_or_inner({5, 6, 7, 8}, 3); // 6 is a multiple of 3
    CHECK(run.items(5) == want);
    CHECK(rill::collect(run(5)) == want);
    CHECK(print(run) == "x -> from[x .. x+3] with Err where mod 3 == 0");

    const rt::int_stream_fn gen{k::generated, 1, 0, 4, 3};
    CHECK(gen.items(5) == want);
    CHECK(rill::collect(gen(5)) == want);
    CHECK(print(gen) == "x -> generate[x .. x+3] with Err where mod 3 == 0");

    // m == 1: every item is an Err; n == 0: no items.
    const rt::int_stream_fn all_err{k::run_with_errs, 1, 0, 2, 1};
    CHECK(rill::collect(all_err(-4)) == ok_or_inner({-4, -3}, 1));
    CHECK(rill::collect(rt::int_stream_fn{k::generated, 1, 0, 0, 2}(9)).empty());
}

TEST_CASE("int_stream_fn: a generated function's stream runs to its items(), twice alike") {
    const auto o = rt::check_property(
        "stream fn = items",
        [](int x) {
            const auto f = *rt::gen_int_stream_fn();
            RC_ASSERT(f.m >= 1);
            RC_ASSERT(f.n >= 0);
            const auto s = f(x);
            const auto first = rill::collect(s);
            RC_ASSERT((first == f.items(x)));
            RC_ASSERT((rill::collect(s) == first)); // the erased stream replays
            if (f.k == rt::int_stream_fn::kind::empty) RC_ASSERT(first.empty());
            if (f.k == rt::int_stream_fn::kind::pure_affine) RC_ASSERT((first == std::vector<rill::result<int>>{wrapped(f.a, x, f.b)}));
        },
        quick);
    CHECK_MESSAGE(o.ok, o.report);
}

// --- generators ----------------------------------------------------------------

TEST_CASE("the generators and rc::Arbitrary give every member of each family") {
    CHECK(kinds(sample(rt::gen_int_fn(), 200)) == std::set<int>{0, 1, 2, 3});
    CHECK(kinds(sample(rt::gen_int_predicate(), 200)) == std::set<int>{0, 1, 2, 3});
    CHECK(kinds(sample(rt::gen_int_result_fn(), 200)) == std::set<int>{0, 1, 2});
    CHECK(kinds(sample(rt::gen_int_stream_fn(), 200)) == std::set<int>{0, 1, 2, 3});

    CHECK(kinds(sample(rc::gen::arbitrary<rt::int_fn>(), 200)) == std::set<int>{0, 1, 2, 3});
    CHECK(kinds(sample(rc::gen::arbitrary<rt::int_predicate>(), 200)) == std::set<int>{0, 1, 2, 3});
    CHECK(kinds(sample(rc::gen::arbitrary<rt::int_result_fn>(), 200)) == std::set<int>{0, 1, 2});
    CHECK(kinds(sample(rc::gen::arbitrary<rt::int_stream_fn>(), 200)) == std::set<int>{0, 1, 2, 3});
}

TEST_CASE("generated stream functions give Err items, and generated functions vary") {
    bool saw_err = false;
    bool saw_ok = false;
    std::set<std::string> printed;
    for (const auto& f : sample(rt::gen_int_stream_fn(), 200)) {
        printed.insert(print(f));
        for (int x = 0; x < 4; ++x)
            for (const auto& r : f.items(x)) (r ? saw_ok : saw_err) = true;
    }
    CHECK(saw_err);
    CHECK(saw_ok);
    CHECK(printed.size() > 20);

    std::set<std::string> fns;
    for (const auto& f : sample(rc::gen::arbitrary<rt::int_fn>(), 100)) fns.insert(print(f));
    CHECK(fns.size() > 20);
}
