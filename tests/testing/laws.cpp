// <rill/testing/laws.hpp>: every law checker passes on rill's own operators and
// says which properties it checked; the options (cases, seed, size) are
// honoured; the checkers run over a user's own stream generators, functions and
// value types; and the helpers a user writes their own laws with (drained,
// pulled, assert_same_runs, assert_items, counting_stream, pure_fn) do what
// they say. (That the checkers catch broken operators: broken_operators.cpp.)
#include <rill/testing/laws.hpp>

#include <rill/testing/functions.hpp>
#include <rill/testing/generators.hpp>

#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace rt = rill::testing;

namespace {

// Few cases: these tests show that the checkers run and report, not hunt bugs.
const rt::check_options few{.cases = 25};

auto shapes() { return rt::gen_stream_shape<int>(); }

std::vector<std::string> names(const rt::check_result& r) {
    std::vector<std::string> out;
    for (const auto& o : r.outcomes) out.push_back(o.name);
    return out;
}

/// An operator that counts its calls in a shared counter and forwards to `Op`.
template <class Op>
struct counting_op {
    std::shared_ptr<int> calls;
    Op op{};
    template <class... A>
    auto operator()(A&&... a) const {
        ++*calls;
        return op(std::forward<A>(a)...);
    }
};

std::vector<rill::result<int>> ints(std::initializer_list<int> vs) {
    std::vector<rill::result<int>> out;
    for (int v : vs) {
        if (v >= 0) out.emplace_back(v);
        else out.emplace_back(rill::err("E" + std::to_string(-v), "item"));
    }
    return out;
}

/// A user's own stream: n, n-1, ..., 1, with an Err in place of every
/// multiple of `err_every` (0: none). Replayable: each run counts down afresh.
class countdown : public rill::stream_base<countdown> {
public:
    using value_type = int;
    countdown(int n, int err_every) : n_(n), err_every_(err_every) {}

    class cursor {
    public:
        using value_type = int;
        cursor(int n, int err_every) : n_(n), err_every_(err_every) {}
        std::optional<rill::result<int>> next() {
            if (n_ <= 0) return std::nullopt;
            const int v = n_--;
            if (err_every_ > 0 && v % err_every_ == 0) return rill::result<int>(rill::err("DIV", std::to_string(v)));
            return rill::result<int>(v);
        }

    private:
        int n_;
        int err_every_;
    };

    template <class Self>
    static cursor start(Self&& self) {
        return cursor(self.n_, self.err_every_);
    }

private:
    int n_;
    int err_every_;
};

rc::Gen<countdown> gen_countdown() {
    return rc::gen::map(rc::gen::tuple(rc::gen::inRange(0, 30), rc::gen::inRange(0, 5)),
                        [](std::tuple<int, int> t) { return countdown(std::get<0>(t), std::get<1>(t)); });
}

/// A user's `int -> stream` function: x repeated `times` times, then an Err when `err_after`.
struct repeat_fn {
    int times = 1;
    bool err_after = false;
    std::shared_ptr<int> calls = std::make_shared<int>(0);
    auto operator()(int x) const {
        ++*calls;
        std::vector<rill::result<int>> out(static_cast<std::size_t>(times), rill::result<int>(x));
        if (err_after) out.emplace_back(rill::err("REPEAT", std::to_string(x)));
        return rill::from(std::move(out));
    }
    friend std::ostream& operator<<(std::ostream& os, const repeat_fn& f) {
        return os << "x -> " << f.times << " times x" << (f.err_after ? ", Err" : "");
    }
};

/// A user's `int -> stream` function with a templated (not erased) pipeline.
struct below_fn {
    int step = 1;
    auto operator()(int x) const {
        return rill::iota(0, rt::detail::mod(x, 5)) | rill::map([s = step](int i) { return i * s; });
    }
    friend std::ostream& operator<<(std::ostream& os, const below_fn& f) { return os << "x -> [0 .. x mod 5) * " << f.step; }
};

/// A stream whose runs share one counter: the second run goes on where the first stopped.
class shared_counter : public rill::stream_base<shared_counter> {
public:
    using value_type = int;
    explicit shared_counter(int n) : n_(n), next_(std::make_shared<int>(0)) {}

    class cursor {
    public:
        using value_type = int;
        cursor(int n, std::shared_ptr<int> next) : left_(n), next_(std::move(next)) {}
        std::optional<rill::result<int>> next() {
            if (left_-- <= 0) return std::nullopt;
            return rill::result<int>((*next_)++);
        }

    private:
        int left_;
        std::shared_ptr<int> next_;
    };

    template <class Self>
    static cursor start(Self&& self) {
        return cursor(self.n_, self.next_);
    }

private:
    int n_;
    std::shared_ptr<int> next_;
};

/// A stream whose runs share one read position, reset by `open()`: one run at
/// a time is right, two interleaved runs steal each other's items.
class shared_position : public rill::stream_base<shared_position> {
public:
    using value_type = int;
    explicit shared_position(std::vector<int> xs) : xs_(std::make_shared<std::vector<int>>(std::move(xs))), pos_(std::make_shared<std::size_t>(0)) {}

    class cursor {
    public:
        using value_type = int;
        cursor(std::shared_ptr<std::vector<int>> xs, std::shared_ptr<std::size_t> pos) : xs_(std::move(xs)), pos_(std::move(pos)) {
            *pos_ = 0;
        }
        std::optional<rill::result<int>> next() {
            if (*pos_ >= xs_->size()) return std::nullopt;
            return rill::result<int>((*xs_)[(*pos_)++]);
        }

    private:
        std::shared_ptr<std::vector<int>> xs_;
        std::shared_ptr<std::size_t> pos_;
    };

    template <class Self>
    static cursor start(Self&& self) {
        return cursor(self.xs_, self.pos_);
    }

private:
    std::shared_ptr<std::vector<int>> xs_;
    std::shared_ptr<std::size_t> pos_;
};

/// Sets an environment variable for the life of the object, then restores it.
class scoped_env {
public:
    scoped_env(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        ::setenv(name, value, 1);
    }
    scoped_env(const scoped_env&) = delete;
    scoped_env& operator=(const scoped_env&) = delete;
    ~scoped_env() {
        if (old_) ::setenv(name_, old_->c_str(), 1);
        else ::unsetenv(name_);
    }

private:
    const char* name_;
    std::optional<std::string> old_;
};

} // namespace

// --- each checker passes on rill's own operators and names what it checked ----------

TEST_CASE("check_functor_identity passes on rill::map and names its law") {
    const auto r = rt::check_functor_identity(shapes(), few);
    CHECK_MESSAGE(r, r.report);
    CHECK(r.report.empty());
    CHECK(names(r) == std::vector<std::string>{"functor identity: s | map(id) == s"});
    CHECK(r.outcomes.at(0).ok);
    std::ostringstream os;
    os << r;
    CHECK(os.str() == "ok: 1 property held");
}

TEST_CASE("check_functor_composition passes on rill::map and names its law") {
    const auto r = rt::check_functor_composition(shapes(), rt::gen_int_fn(), rt::gen_int_fn(), few);
    CHECK_MESSAGE(r, r.report);
    CHECK(names(r) == std::vector<std::string>{"functor composition: s | map(f) | map(g) == s | map(g . f)"});
}

TEST_CASE("check_map_is_and_then_pure passes on rill::map and rill::and_then and names its law") {
    const auto r = rt::check_map_is_and_then_pure(shapes(), rt::gen_int_fn(), few);
    CHECK_MESSAGE(r, r.report);
    CHECK(names(r) == std::vector<std::string>{"map(f) == and_then(pure . f)"});
}

TEST_CASE("check_functor_laws runs identity, composition and map-as-and_then, in that order") {
    const auto r = rt::check_functor_laws(shapes(), rt::gen_int_fn(), rt::gen_int_fn(), few);
    CHECK_MESSAGE(r, r.report);
    REQUIRE(r.outcomes.size() == 3);
    CHECK(r.outcomes[0].name.find("functor identity") == 0);
    CHECK(r.outcomes[1].name.find("functor composition") == 0);
    CHECK(r.outcomes[2].name == "map(f) == and_then(pure . f)");
    for (const auto& o : r.outcomes) CHECK_MESSAGE(o.ok, o.name);
    std::ostringstream os;
    os << r;
    CHECK(os.str() == "ok: 3 properties held");
}

TEST_CASE("check_left_identity, check_right_identity and check_associativity pass on rill::and_then") {
    const auto left = rt::check_left_identity(rc::gen::arbitrary<int>(), rt::gen_int_stream_fn(), few);
    CHECK_MESSAGE(left, left.report);
    CHECK(names(left) == std::vector<std::string>{"left identity: pure(x) | and_then(f) == f(x)"});

    const auto right = rt::check_right_identity(shapes(), few);
    CHECK_MESSAGE(right, right.report);
    CHECK(names(right) == std::vector<std::string>{"right identity: s | and_then(pure) == s"});

    const auto assoc = rt::check_associativity(shapes(), rt::gen_int_stream_fn(), rt::gen_int_stream_fn(), few);
    CHECK_MESSAGE(assoc, assoc.report);
    CHECK(names(assoc) ==
          std::vector<std::string>{"associativity: s | and_then(f) | and_then(g) == s | and_then(x -> f(x) | and_then(g))"});
}

TEST_CASE("check_monad_laws runs left identity, right identity and associativity, in that order") {
    const auto r = rt::check_monad_laws(shapes(), rt::gen_int_stream_fn(), rt::gen_int_stream_fn(), few);
    CHECK_MESSAGE(r, r.report);
    REQUIRE(r.outcomes.size() == 3);
    CHECK(r.outcomes[0].name.find("left identity") == 0);
    CHECK(r.outcomes[1].name.find("right identity") == 0);
    CHECK(r.outcomes[2].name.find("associativity") == 0);
}

TEST_CASE("check_try_map_is_and_then_lift passes on rill::try_map and names its law") {
    const auto r = rt::check_try_map_is_and_then_lift(shapes(), rt::gen_int_result_fn(), few);
    CHECK_MESSAGE(r, r.report);
    CHECK(names(r) == std::vector<std::string>{"try_map(f) == and_then(lift(f))"});
}

TEST_CASE("check_filter_fusion passes on rill::filter and names its law") {
    const auto r = rt::check_filter_fusion(shapes(), rt::gen_int_predicate(), rt::gen_int_predicate(), few);
    CHECK_MESSAGE(r, r.report);
    CHECK(names(r) == std::vector<std::string>{"filter fusion: s | filter(p) | filter(q) == s | filter(p && q)"});
}

TEST_CASE("check_take_drop passes on rill::take and rill::drop and names both its properties") {
    const auto r = rt::check_take_drop(shapes(), few);
    CHECK_MESSAGE(r, r.report);
    CHECK(names(r) == std::vector<std::string>{"concat(s | take(n), s | drop(n)) == s", "take(n) pulls at most n items from upstream"});
}

TEST_CASE("check_replayability passes on generated rill streams and names both its properties") {
    const auto r = rt::check_replayability(shapes(), few);
    CHECK_MESSAGE(r, r.report);
    CHECK(names(r) == std::vector<std::string>{"replayability: two runs are equal",
                                               "replayability: interleaved runs do not disturb each other"});
    // Erased streams from rc::gen::arbitrary too (the generated value is the stream itself).
    const auto erased = rt::check_replayability(rc::gen::arbitrary<rill::stream<int>>(), few);
    CHECK_MESSAGE(erased, erased.report);
}

// --- options ------------------------------------------------------------------------

TEST_CASE("the case count of the options is the number of cases each property runs") {
    for (int cases : {1, 7, 23}) {
        CAPTURE(cases);
        auto calls = std::make_shared<int>(0);
        const auto r = rt::check_functor_identity(shapes(), {.cases = cases}, counting_op<rt::op_t<decltype(rill::map)>>{calls});
        CHECK_MESSAGE(r, r.report);
        CHECK(*calls == cases);
    }
    // A checker of several properties runs each of them that many times.
    auto binds = std::make_shared<int>(0);
    const auto r = rt::check_right_identity(shapes(), {.cases = 9}, counting_op<rt::op_t<decltype(rill::and_then)>>{binds});
    CHECK_MESSAGE(r, r.report);
    CHECK(*binds == 9);
    auto takes = std::make_shared<int>(0);
    const auto td = rt::check_take_drop(shapes(), {.cases = 5}, counting_op<rt::op_t<decltype(rill::take)>>{takes});
    CHECK_MESSAGE(td, td.report);
    CHECK(*takes == 5 * 2 + 5 * 2); // per case: take twice in the first property, twice in the second
}

TEST_CASE("an explicit case count wins over RILL_PROPERTY_CASES, which sets the default") {
    const scoped_env env("RILL_PROPERTY_CASES", "3");
    auto calls = std::make_shared<int>(0);
    const auto map_op = counting_op<rt::op_t<decltype(rill::map)>>{calls};
    CHECK(rt::check_functor_identity(shapes(), {.cases = 11}, map_op));
    CHECK(*calls == 11);
    const char* rc_params = std::getenv("RC_PARAMS");
    if (rc_params != nullptr && std::string(rc_params).find("max_success") != std::string::npos) return; // RC_PARAMS decides
    *calls = 0;
    CHECK(rt::check_functor_identity(shapes(), {}, map_op));
    CHECK(*calls == 3);
}

TEST_CASE("the seed of the options makes a check repeatable, and a different seed draws other streams") {
    auto run = [](std::uint64_t seed) {
        auto drawn = std::make_shared<std::vector<std::vector<rill::result<int>>>>();
        const auto gen = rc::gen::map(rt::gen_items<int>(), [drawn](std::vector<rill::result<int>> xs) {
            drawn->push_back(xs);
            return rill::from(std::move(xs));
        });
        const auto r = rt::check_functor_identity(gen, {.cases = 20, .seed = seed});
        CHECK_MESSAGE(r, r.report);
        return *drawn;
    };
    const auto first = run(12345);
    CHECK(first.size() >= 20);
    CHECK(run(12345) == first);
    CHECK(run(54321) != first);
}

TEST_CASE("the max_size of the options bounds the generated streams") {
    auto longest = [](int max_size) {
        auto most = std::make_shared<std::size_t>(0);
        const auto gen = rc::gen::map(rt::gen_items<int>(), [most](std::vector<rill::result<int>> xs) {
            *most = std::max(*most, xs.size());
            return rill::from(std::move(xs));
        });
        const auto r = rt::check_functor_identity(gen, {.cases = 60, .max_size = max_size});
        CHECK_MESSAGE(r, r.report);
        return *most;
    };
    CHECK(longest(4) <= 4);
    CHECK(longest(60) > 4);
}

// --- user-supplied generators, functions, value types and streams ------------------

TEST_CASE("check_monad_laws over a user's stream generator and functions") {
    // Streams: templated pipelines (not erased), drawn by the user's generator.
    auto drawn = std::make_shared<int>(0);
    const auto gen_stream = rc::gen::map(rc::gen::tuple(rc::gen::inRange(-5, 5), rc::gen::inRange(0, 8)),
                                         [drawn](std::tuple<int, int> t) {
                                             ++*drawn;
                                             const int lo = std::get<0>(t);
                                             return rill::iota(lo, lo + std::get<1>(t)) |
                                                    rill::try_map([](int x) -> rill::result<int> {
                                                        if (x % 3 == 0) return rill::err("THREE", std::to_string(x));
                                                        return x;
                                                    });
                                         });
    repeat_fn prototype;
    const auto calls = prototype.calls;
    const auto gen_f = rc::gen::map(rc::gen::tuple(rc::gen::inRange(0, 3), rc::gen::arbitrary<bool>()),
                                    [calls](std::tuple<int, bool> t) { return repeat_fn{std::get<0>(t), std::get<1>(t), calls}; });
    const auto gen_g = rc::gen::map(rc::gen::inRange(1, 4), [](int step) { return below_fn{step}; });

    const auto r = rt::check_monad_laws(gen_stream, gen_f, gen_g, few);
    CHECK_MESSAGE(r, r.report);
    CHECK(r.outcomes.size() == 3);
    CHECK(*drawn >= 2 * few.cases); // right identity and associativity draw streams
    CHECK(*calls > 0);              // the user's f was applied
}

TEST_CASE("check_monad_laws over streams of a user's value type (std::string)") {
    const auto words = rc::gen::container<std::string>(rc::gen::inRange('a', 'e'));
    const auto split = [](const std::string& w) {
        std::vector<rill::result<std::string>> out;
        for (char c : w) out.emplace_back(std::string(1, c));
        if (w.empty()) out.emplace_back(rill::err("EMPTY", "no letters"));
        return rill::from(std::move(out));
    };
    const auto twice = [](const std::string& w) { return rill::from(std::vector<rill::result<std::string>>{w, w + w}); };
    const auto r = rt::check_monad_laws(rt::gen_stream_shape<std::string>(words, 2), rc::gen::just(split), rc::gen::just(twice),
                                        {.cases = 20});
    CHECK_MESSAGE(r, r.report);
    const auto f = rt::check_functor_laws(rt::gen_stream_shape<std::string>(words, 2),
                                          rc::gen::just([](const std::string& w) { return w + "!"; }),
                                          rc::gen::just([](const std::string& w) { return std::to_string(w.size()) + w; }), {.cases = 20});
    CHECK_MESSAGE(f, f.report);
}

TEST_CASE("every checker runs over a user's hand-written stream type") {
    const auto gen = gen_countdown();
    auto check = [](const rt::check_result& r, std::size_t properties) {
        CHECK_MESSAGE(r, r.report);
        CHECK(r.outcomes.size() == properties);
    };
    check(rt::check_functor_laws(gen, rt::gen_int_fn(), rt::gen_int_fn(), few), 3);
    check(rt::check_monad_laws(gen, rt::gen_int_stream_fn(), rt::gen_int_stream_fn(), few), 3);
    check(rt::check_try_map_is_and_then_lift(gen, rt::gen_int_result_fn(), few), 1);
    check(rt::check_filter_fusion(gen, rt::gen_int_predicate(), rt::gen_int_predicate(), few), 1);
    check(rt::check_take_drop(gen, few), 2);
    check(rt::check_replayability(gen, few), 2);
}

TEST_CASE("check_replayability names the property a user's non-replayable stream breaks") {
    // Runs that share a counter: the second run differs from the first.
    const auto counter = rt::check_replayability(rc::gen::map(rc::gen::inRange(1, 6), [](int n) { return shared_counter(n); }), few);
    CHECK_FALSE(counter);
    CHECK(counter.failed("two runs are equal"));
    CHECK(counter.report.find("a second run differs from the first") != std::string::npos);

    // Runs that share a read position: each run alone is right, interleaved they are not.
    const auto position = rt::check_replayability(
        rc::gen::map(rc::gen::nonEmpty(rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 100))),
                     [](std::vector<int> xs) { return shared_position(std::move(xs)); }),
        few);
    CHECK_FALSE(position);
    CHECK_FALSE(position.failed("two runs are equal"));
    CHECK(position.failed("interleaved runs do not disturb each other"));
    CHECK(position.report.find("interleaved run") != std::string::npos);
}

// --- the helpers for a user's own laws ------------------------------------------------

TEST_CASE("drained and pulled give the items of one run, pushed and pulled") {
    const auto items = ints({1, -2, 3});
    const auto s = rill::from(items);
    CHECK(rt::drained(s) == items);
    CHECK(rt::pulled(s) == items);
    CHECK(rt::pulled(rill::empty<int>()).empty());
    // A user's stream too, with the Err item where it is.
    const auto down = rt::pulled(countdown(3, 2));
    REQUIRE(down.size() == 3);
    CHECK(*down[0] == 3);
    CHECK(down[1].error().code == "DIV");
    CHECK(*down[2] == 1);
    CHECK(rt::drained(countdown(3, 2)) == down);
}

TEST_CASE("pure_fn is rill::pure as a function object, and op_t names an operator's type") {
    CHECK(rt::drained(rt::pure_fn{}(7)) == ints({7}));
    CHECK(rt::pulled(rt::pure_fn{}(std::string("x"))) == std::vector<rill::result<std::string>>{std::string("x")});
    static_assert(std::is_same_v<rt::op_t<decltype(rill::map)>, std::remove_cvref_t<decltype(rill::map)>>);
    static_assert(std::is_same_v<rt::op_t<const int&>, int>);
}

TEST_CASE("counting_stream counts every item its runs deliver, Ok and Err, and what take pulls") {
    auto count = std::make_shared<std::size_t>(0);
    const rt::counting_stream<decltype(rill::from(ints({})))> counted(rill::from(ints({1, -2, 3, 4, -5})), count);
    CHECK(rt::pulled(counted) == ints({1, -2, 3, 4, -5}));
    CHECK(*count == 5);
    *count = 0;
    CHECK(rt::drained(counted) == ints({1, -2, 3, 4, -5}));
    CHECK(*count == 5);
    *count = 0;
    CHECK(rt::pulled(rill::take(counted, 2)) == ints({1, -2}));
    CHECK(*count == 2);
    *count = 0;
    CHECK(rt::drained(rill::take(counted, 0)).empty());
    CHECK(*count == 0);
}

TEST_CASE("assert_same_runs and assert_items hold a user's property, and fail it with both sides shown") {
    const auto same = rt::check_property("equal runs", [] {
        const auto xs = *rt::gen_items<int>();
        rt::assert_same_runs("from(xs) != its erased copy", rill::from(xs), rill::stream<int>(rill::from(xs)));
        rt::assert_items("from(xs) is not xs", rill::from(xs), xs);
    }, few);
    CHECK_MESSAGE(same.ok, same.report);
    CHECK(same.name == "equal runs");

    const auto differ = rt::check_property("appending changes the run", [] {
        auto xs = *rt::gen_items<int>();
        const auto before = rill::from(std::vector(xs)); // a copy: from(lvalue) refers to it
        xs.emplace_back(42);
        rt::assert_same_runs("the runs differ", before, rill::from(xs));
    }, few);
    CHECK_FALSE(differ.ok);
    CHECK(differ.report.find("property 'appending changes the run' FAILED") != std::string::npos);
    CHECK(differ.report.find("the runs differ") != std::string::npos);
    CHECK(differ.report.find("left:  [] (0 items)") != std::string::npos); // shrunk to the empty stream
    CHECK_MESSAGE(differ.report.find("right: [Ok(42)] (1 item)") != std::string::npos, differ.report);

    const auto wrong = rt::check_property("wrong expectation", [] {
        rt::assert_items("not what was expected", rill::from(ints({1, 2})), ints({1, 3}));
    }, few);
    CHECK_FALSE(wrong.ok);
    CHECK(wrong.report.find("not what was expected") != std::string::npos);
    CHECK(wrong.report.find("got:      [Ok(1), Ok(2)] (2 items)") != std::string::npos);
    CHECK(wrong.report.find("expected: [Ok(1), Ok(3)] (2 items)") != std::string::npos);
}
