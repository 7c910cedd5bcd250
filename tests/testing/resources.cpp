// <rill/testing/resources.hpp>: the probe (its logging resources and what it
// says about a log, the throw-injecting wrapper, failed acquires, the building
// freeze, counted items) and check_resource_safety on a user's own pipelines:
// correct ones pass, leaky ones fail with a report naming the problem. (That
// it catches broken operators: broken_operators.cpp.) The look-ahead mode:
// a pipeline that works ahead of its consumer fails the default mode and
// passes the look-ahead mode, which still catches leaks and double releases.
// The cases of the "threads" suite run par_map and buffer; CI runs them
// under ThreadSanitizer (rill_tests_testing_threads, see link.cmake).
#include <rill/testing/resources.hpp>

#include <rill/testing/generators.hpp>

#include <rill/concurrent/buffer.hpp>
#include <rill/concurrent/par_map.hpp>
#include <rill/detail/stream_base.hpp>
#include <rill/sink/collect.hpp>
#include <rill/source/generate.hpp>
#include <rill/source/iota.hpp>
#include <rill/stage/and_then.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/using_resource.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace rt = rill::testing;

namespace {

const rt::check_options few{.cases = 100};

bool mentions(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// A user's hand-written stream that takes a handle from the probe when a run
/// starts and parks it in a pool the stream owns, never giving it back: the
/// handle is released only when the stream itself is destroyed.
class pooled_stream : public rill::stream_base<pooled_stream> {
public:
    using value_type = int;
    pooled_stream(rt::probe p, int n) : p_(std::move(p)), n_(n), pool_(std::make_shared<std::vector<rt::tracked_resource>>()) {}

    class cursor {
    public:
        using value_type = int;
        cursor(rt::probe p, int n, std::shared_ptr<std::vector<rt::tracked_resource>> pool)
            : p_(std::move(p)), n_(n), pool_(std::move(pool)) {}
        std::optional<rill::result<int>> next() {
            if (!started_) {
                started_ = true;
                auto handle = p_.acquire("handle")();
                if (!handle) return rill::result<int>(rill::err(handle.error()));
                pool_->push_back(std::move(*handle)); // the bug: never released by the run
            }
            if (i_ >= n_) return std::nullopt;
            return rill::result<int>(i_++);
        }

    private:
        rt::probe p_;
        int n_;
        std::shared_ptr<std::vector<rt::tracked_resource>> pool_;
        bool started_ = false;
        int i_ = 0;
    };

    template <class Self>
    static cursor start(Self&& self) {
        return cursor(self.p_, self.n_, self.pool_);
    }

private:
    rt::probe p_;
    int n_;
    std::shared_ptr<std::vector<rt::tracked_resource>> pool_;
};

/// A user's operator that looks ahead on the consumer's own thread, so that
/// what it does is the same every time: each next() first fills a window of
/// `n` items from upstream; an exception upstream throws while filling is kept
/// in its position (as par_map and buffer keep theirs) and rethrown when the
/// consumer reaches it, so a consumer that stops before never sees it.
template <class S>
class prefetch_stream : public rill::stream_base<prefetch_stream<S>> {
public:
    using value_type = rill::value_t<S>;
    prefetch_stream(S s, std::size_t n) : s_(std::move(s)), n_(n) {}

    template <class C>
    class cursor {
    public:
        using value_type = typename C::value_type;
        cursor(C up, std::size_t n) : up_(std::move(up)), n_(n) {}
        std::optional<rill::result<value_type>> next() {
            while (!ended_ && window_.size() < n_) {
                try {
                    auto r = up_->next();
                    if (!r) {
                        ended_ = true;
                        up_.reset(); // released as soon as upstream ends
                        break;
                    }
                    window_.push_back(entry{std::move(*r), nullptr});
                } catch (...) {
                    window_.push_back(entry{std::nullopt, std::current_exception()});
                    ended_ = true;
                    up_.reset();
                }
            }
            if (window_.empty()) return std::nullopt;
            entry e = std::move(window_.front());
            window_.pop_front();
            if (e.ex) std::rethrow_exception(e.ex);
            return std::move(e.item);
        }

    private:
        struct entry {
            std::optional<rill::result<value_type>> item;
            std::exception_ptr ex;
        };
        std::optional<C> up_;
        std::size_t n_;
        std::deque<entry> window_;
        bool ended_ = false;
    };

    template <class Self>
    static auto start(Self&& self) {
        return cursor<rill::cursor_t<const S&>>(self.s_.open(), self.n_);
    }

private:
    S s_;
    std::size_t n_;
};

template <class S>
prefetch_stream<S> prefetch(S s, std::size_t n) {
    return {std::move(s), n};
}

/// A user's release function that releases twice.
auto release_twice() {
    return [](rt::tracked_resource& r, rill::exit_case) noexcept {
        r.release();
        r.release();
    };
}

/// Shared by the threads a leaky stream leaves running: they wait for `go`, then leave.
struct leaked_threads {
    std::atomic<bool> go{false};
    std::atomic<int> started{0};
    std::atomic<int> finished{0};
};

/// A user's hand-written stream whose run starts a thread and detaches it
/// rather than joining it when the run ends: the thread outlives the run.
class detaching_stream : public rill::stream_base<detaching_stream> {
public:
    using value_type = int;
    explicit detaching_stream(std::shared_ptr<leaked_threads> t) : t_(std::move(t)) {}

    class cursor {
    public:
        using value_type = int;
        explicit cursor(std::shared_ptr<leaked_threads> t) : t_(std::move(t)) {
            ++t_->started;
            thread_ = std::thread([t = t_] {
                while (!t->go.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
                ++t->finished;
            });
        }
        cursor(cursor&&) = default;
        ~cursor() {
            if (thread_.joinable()) thread_.detach(); // the bug
        }
        std::optional<rill::result<int>> next() {
            if (i_ >= 3) return std::nullopt;
            return rill::result<int>(i_++);
        }

    private:
        std::shared_ptr<leaked_threads> t_;
        std::thread thread_;
        int i_ = 0;
    };

    template <class Self>
    static cursor start(Self&& self) {
        return cursor(self.t_);
    }

private:
    std::shared_ptr<leaked_threads> t_;
};

const rt::resource_options looking_ahead{.look_ahead = true};

} // namespace

// --- the probe's logging resources ----------------------------------------------------

TEST_CASE("the probe logs each acquire and release, in order, with its name and acquisition number") {
    const rt::probe p;
    CHECK(p.log().empty());
    {
        auto file = p.acquire("file")();
        REQUIRE(file.has_value());
        CHECK(file->name() == "file");
        CHECK(file->id() == 1);
        CHECK(p.log_text() == " +file#1");
        auto db = p.acquire("db")();
        REQUIRE(db.has_value());
        CHECK(db->id() == 2);
        const auto release = rt::probe::release();
        release(*db, rill::exit_case::completed);
        release(*file, rill::exit_case::stopped_early);
        CHECK(p.log_text() == " +file#1 +db#2 -db#2 -file#1");
    } // released by release(): the destructors log nothing more
    CHECK(p.log_text() == " +file#1 +db#2 -db#2 -file#1");
    REQUIRE(p.log().size() == 4);
    CHECK(p.log()[0].acquire);
    CHECK(p.log()[0].id == 1);
    CHECK(p.log()[0].name == "file");
    CHECK_FALSE(p.log()[2].acquire);
    CHECK(p.log()[2].id == 2);
    CHECK(p.log()[2].name == "db");
    CHECK(p.log_problems().empty());
    CHECK(p.calls() == 2); // each acquire is a guarded call
}

TEST_CASE("a tracked resource is released by its destructor when release() was not called; a move logs nothing") {
    const rt::probe p;
    {
        auto r = p.acquire("a")();
        REQUIRE(r.has_value());
        rt::tracked_resource moved(std::move(*r));
        CHECK(moved.name() == "a");
        CHECK(moved.id() == 1);
        CHECK(p.log_text() == " +a#1");
    }
    CHECK(p.log_text() == " +a#1 -a#1"); // once: the moved-from resource owns nothing
    CHECK(p.log_problems().empty());
}

TEST_CASE("copies of a probe share one log, one call count and one item count") {
    const rt::probe p;
    const rt::probe copy = p; // NOLINT(performance-unnecessary-copy-initialization): the point
    {
        auto r = copy.acquire("shared")();
        const auto item = copy.item(1);
        CHECK(p.live_items() == 1);
    }
    CHECK(p.log_text() == " +shared#1 -shared#1");
    CHECK(p.calls() == 1);
    CHECK(p.live_items() == 0);
    CHECK(p.state() == copy.state());
    CHECK(rt::probe().state() != p.state()); // a fresh probe has its own
}

TEST_CASE("log_problems names each way a log can be wrong") {
    SUBCASE("released twice") {
        const rt::probe p;
        auto r = p.acquire("a")();
        r->release();
        r->release();
        CHECK(mentions(p.log_problems(), "a#1 released 2 times"));
    }
    SUBCASE("released out of order") {
        const rt::probe p;
        auto a = p.acquire("a")();
        auto b = p.acquire("b")();
        a->release();
        b->release();
        CHECK(p.log_text() == " +a#1 +b#2 -a#1 -b#2");
        CHECK(mentions(p.log_problems(), "a#1 released out of order"));
        CHECK_FALSE(mentions(p.log_problems(), "b#2 released out of order"));
    }
    SUBCASE("never released") {
        const rt::probe p;
        auto a = p.acquire("a")();
        auto b = p.acquire("b")();
        b->release();
        CHECK(p.log_problems() == "#1 never released; ");
    }
    SUBCASE("released but never acquired") {
        const rt::probe p;
        p.state()->log.push_back({false, 7, "ghost"});
        CHECK(mentions(p.log_problems(), "released ghost#7 that was never acquired"));
    }
    SUBCASE("a correct nesting has no problem") {
        const rt::probe p;
        {
            auto a = p.acquire("a")();
            {
                auto b = p.acquire("b")();
                auto c = p.acquire("c")();
            }
            auto d = p.acquire("d")();
        }
        CHECK(p.log_text() == " +a#1 +b#2 +c#3 -c#3 -b#2 +d#4 -d#4 -a#1");
        CHECK(p.log_problems().empty());
    }
}

TEST_CASE("fail_acquire_at makes the n-th acquire attempt an Err, which logs nothing and still counts") {
    const rt::probe p;
    p.fail_acquire_at(2);
    auto first = p.acquire("first")();
    auto second = p.acquire("second")();
    auto third = p.acquire("third")();
    REQUIRE(first.has_value());
    REQUIRE_FALSE(second.has_value());
    CHECK(second.error().code == "ACQUIRE");
    CHECK(second.error().message == "second");
    REQUIRE(third.has_value());
    CHECK(third->id() == 3);
    CHECK(p.log_text() == " +first#1 +third#3");
    CHECK(p.calls() == 3);

    // Through using_resource: the failed acquire is the run's only item, and nothing is released.
    const rt::probe q;
    q.fail_acquire_at(1);
    const auto s = rill::using_resource(q.acquire("r"), rt::probe::release(), [](rt::tracked_resource&) { return rill::iota(0, 3); });
    const auto items = rill::collect(s);
    REQUIRE(items.size() == 1);
    REQUIRE_FALSE(items[0].has_value());
    CHECK(items[0].error().code == "ACQUIRE");
    CHECK(q.log().empty());
    CHECK(q.log_problems().empty());
}

// --- the throw-injecting wrapper ------------------------------------------------------

TEST_CASE("guard(f) passes results through and throws injected_failure exactly at the chosen call") {
    const rt::probe p;
    p.throw_at(3);
    const auto times_ten = p.guard([](int x) { return x * 10; });
    CHECK(times_ten(1) == 10);
    CHECK(times_ten(2) == 20);
    CHECK(p.throws() == 0); // not before
    std::optional<std::size_t> threw_at;
    try {
        (void)times_ten(3);
    } catch (const rt::injected_failure& e) {
        threw_at = e.at_call;
        CHECK(std::string(e.what()) == "injected failure at call 3");
    }
    CHECK(threw_at == std::optional<std::size_t>(3));
    CHECK(p.throws() == 1);
    CHECK(times_ten(4) == 40); // once only
    CHECK(p.throws() == 1);
    CHECK(p.calls() == 4);
}

TEST_CASE("guard(f) never throws without throw_at, and guarded calls and acquires share one count") {
    const rt::probe p;
    const auto id = p.guard([](int x) { return x; });
    for (int i = 0; i < 50; ++i) CHECK_NOTHROW((void)id(i));
    CHECK(p.throws() == 0);
    CHECK(p.calls() == 50);

    const rt::probe q;
    q.throw_at(2);
    CHECK(q.guard([] { return 1; })() == 1);
    CHECK_THROWS_AS((void)q.acquire("r")(), rt::injected_failure); // the acquire is call 2
    CHECK(q.log().empty());                                         // it threw before acquiring
    CHECK(q.throws() == 1);
}

TEST_CASE("guard(f) forwards several arguments, move-only arguments and returned references") {
    const rt::probe p;
    CHECK(p.guard([](int a, int b, int c) { return a * 100 + b * 10 + c; })(1, 2, 3) == 123);
    CHECK(p.guard([](std::unique_ptr<int> x) { return *x + 1; })(std::make_unique<int>(41)) == 42);
    int target = 0;
    int& ref = p.guard([&target]() -> int& { return target; })();
    ref = 7;
    CHECK(target == 7);
    CHECK(p.calls() == 3);
}

TEST_CASE("a guarded function in a pipeline throws into the consumer at the chosen item") {
    const rt::probe p;
    p.throw_at(3);
    const auto s = rill::iota(0, 5) | rill::map(p.guard([](int x) { return x + 100; }));
    auto c = s.open();
    CHECK(c.next() == std::optional<rill::result<int>>(100));
    CHECK(c.next() == std::optional<rill::result<int>>(101));
    CHECK_THROWS_AS((void)c.next(), rt::injected_failure);
    CHECK(p.throws() == 1);
}

TEST_CASE("guarded calls made while building(true) are counted as calls made while building") {
    const rt::probe p;
    const auto f = p.guard([](int x) { return x; });
    (void)f(0);
    p.building(true);
    (void)f(1);
    (void)p.acquire("eager")();
    p.building(false);
    (void)f(2);
    CHECK(p.calls_while_building() == 2);
    CHECK(p.calls() == 4);
}

// --- counted items ----------------------------------------------------------------------

TEST_CASE("counted items count live instances: up on construction, copy and move, down on destruction") {
    const rt::probe p;
    CHECK(p.live_items() == 0);
    {
        auto a = p.item(5);
        CHECK(p.live_items() == 1);
        CHECK(a.value() == 5);
        {
            const auto b = a; // NOLINT(performance-unnecessary-copy-initialization): the point
            CHECK(p.live_items() == 2);
            const auto c = std::move(a);
            CHECK(p.live_items() == 3); // the moved-from item is still alive
            CHECK(b == c);
            auto d = p.item(9);
            d = b; // assignment changes the value, not the count
            CHECK(d.value() == 5);
            CHECK(p.live_items() == 4);
        }
        CHECK(p.live_items() == 1);
        std::ostringstream os;
        os << p.item(std::string("x"));
        CHECK(os.str() == "counted(x)");
        CHECK(p.live_items() == 1);
    }
    CHECK(p.live_items() == 0);
}

TEST_CASE("counted items made by a pipeline are all gone after a run, complete or stopped early") {
    const rt::probe p;
    const auto s = rill::iota(0, 6) | rill::map(p.guard([p](int x) { return p.item(x); }));
    {
        const auto items = rill::collect(s);
        REQUIRE(items.size() == 6);
        CHECK(items[5]->value() == 5);
        CHECK(p.live_items() == 6); // held by the vector
    }
    CHECK(p.live_items() == 0);
    CHECK(rill::collect(rill::take(s, 2)).size() == 2);
    CHECK(p.live_items() == 0);
    {
        auto c = s.open();
        const auto first = c.next();
        REQUIRE(first.has_value());
        CHECK(p.live_items() >= 1);
    } // the run is abandoned mid-way
    CHECK(p.live_items() == 0);
}

// --- check_resource_safety on a user's pipelines ------------------------------------------

TEST_CASE("check_resource_safety passes a correct pipeline built with using_resource and names its property") {
    const auto r = rt::check_resource_safety(
        [](rt::probe& p) {
            return rill::using_resource(p.acquire("file"), rt::probe::release(),
                                        [](rt::tracked_resource&) { return rill::iota(0, 5); }) |
                   rill::map(p.guard([](int x) { return x * 2; }));
        },
        few);
    CHECK_MESSAGE(r, r.report);
    REQUIRE(r.outcomes.size() == 1);
    CHECK(r.outcomes[0].name == "resource safety under early stop, exceptions and failed acquires");
    CHECK(r.report.empty());
}

TEST_CASE("check_resource_safety passes nested resources, destructor-released resources and counted items") {
    const auto r = rt::check_resource_safety(
        [](rt::probe& p) {
            // An outer resource (two-argument form: the destructor releases), and
            // per item an inner one (explicit release) around guarded, counted items.
            return rill::using_resource(p.acquire("outer"),
                                        [p](rt::tracked_resource&) {
                                            return rill::iota(0, 3) | rill::and_then([p](int x) {
                                                       return rill::using_resource(
                                                           p.acquire("inner"), rt::probe::release(),
                                                           [p, x](rt::tracked_resource&) {
                                                               return rill::iota(0, x + 1) |
                                                                      rill::map(p.guard([p](int y) { return p.item(y); }));
                                                           });
                                                   });
                                        });
        },
        few);
    CHECK_MESSAGE(r, r.report);
}

TEST_CASE("check_resource_safety with a parameter builds the pipeline twice per case, for the given number of cases") {
    auto built = std::make_shared<int>(0);
    auto sizes = std::make_shared<std::vector<int>>();
    const auto r = rt::check_resource_safety(
        rc::gen::inRange(0, 6),
        [built, sizes](rt::probe& p, int n) {
            ++*built;
            sizes->push_back(n);
            return rill::using_resource(p.acquire("r"), rt::probe::release(),
                                        [n](rt::tracked_resource&) { return rill::iota(0, n); }) |
                   rill::map(p.guard([p](int x) { return p.item(x); }));
        },
        {.cases = 15});
    CHECK_MESSAGE(r, r.report);
    CHECK(*built == 2 * 15); // a clean run, then the run under test
    for (int n : *sizes) CHECK((n >= 0 && n < 6));
}

TEST_CASE("check_resource_safety fails a resource kept alive by a captured shared_ptr, naming it") {
    const auto r = rt::check_resource_safety(
        [](rt::probe& p) {
            auto acquire = [a = p.acquire("conn")]() -> rill::result<std::shared_ptr<rt::tracked_resource>> {
                auto got = a();
                if (!got) return rill::err(got.error());
                return std::make_shared<rt::tracked_resource>(std::move(*got));
            };
            // The bug: a "connection cache" the stream captures keeps every connection alive.
            auto cache = std::make_shared<std::vector<std::shared_ptr<rt::tracked_resource>>>();
            return rill::using_resource(acquire, [cache](std::shared_ptr<rt::tracked_resource>& conn) {
                cache->push_back(conn);
                return rill::iota(0, 3);
            });
        },
        few);
    CHECK_FALSE(r);
    CHECK(r.failed("resource safety"));
    CHECK(mentions(r.report, "#1 never released"));
    CHECK(mentions(r.report, "+conn#1"));
    MESSAGE("what a user sees:\n" << r.report);
}

TEST_CASE("check_resource_safety fails a hand-written stream that never releases what it acquires") {
    const auto r = rt::check_resource_safety([](rt::probe& p) { return pooled_stream(p, 3); }, few);
    CHECK_FALSE(r);
    CHECK(mentions(r.report, "never released"));
    CHECK(mentions(r.report, "+handle#1"));
}

TEST_CASE("check_resource_safety fails counted items kept alive after the run") {
    // The bug: the user's function keeps a copy of every item in a store that outlives the stream.
    auto store = std::make_shared<std::vector<rt::counted<int>>>();
    const auto r = rt::check_resource_safety(
        [store](rt::probe& p) {
            return rill::iota(0, 4) | rill::map(p.guard([p, store](int x) {
                       auto item = p.item(x);
                       store->push_back(item);
                       return item;
                   }));
        },
        few);
    CHECK_FALSE(r);
    CHECK(mentions(r.report, "counted item(s) still alive after the run"));
    CHECK_FALSE(store->empty());
}

TEST_CASE("check_resource_safety fails a pipeline that calls the user's function while it is built") {
    const auto r = rt::check_resource_safety(
        [](rt::probe& p) {
            const auto f = p.guard([](int x) { return x + 1; });
            const int start = f(0); // the bug: eager work when the pipeline is built
            return rill::iota(start, start + 3) | rill::map(f);
        },
        few);
    CHECK_FALSE(r);
    CHECK(mentions(r.report, "building the pipeline ran 1 guarded calls"));
}

TEST_CASE("check_resource_safety fails a user's release function that releases twice") {
    const auto r = rt::check_resource_safety(
        [](rt::probe& p) {
            return rill::using_resource(p.acquire("r"), release_twice(), [](rt::tracked_resource&) { return rill::iota(0, 3); });
        },
        few);
    CHECK_FALSE(r);
    CHECK(mentions(r.report, "r#1 released 2 times"));
}

// --- pipelines that look ahead --------------------------------------------------------------

TEST_CASE("a look-ahead operator drops an exception thrown ahead of a consumer that stops early") {
    // What the look-ahead mode is for, shown without the checker.
    const rt::probe p;
    p.throw_at(3);
    const auto s = prefetch(rill::iota(0, 10) | rill::map(p.guard([](int x) { return x; })), 4);
    {
        auto c = s.open();
        CHECK(c.next() == std::optional<rill::result<int>>(0)); // items 0 .. 2 were asked for: the third threw
        CHECK(p.throws() == 1);
    } // stopped before reaching it
    CHECK(p.throws() == 1);
    p.throw_at(0);
    CHECK(rill::collect(s).size() == 10);
}

TEST_CASE("in the default mode check_resource_safety fails a pipeline that looks ahead: an exception is dropped") {
    const auto r = rt::check_resource_safety(
        [](rt::probe& p) {
            return prefetch(rill::using_resource(p.acquire("file"), rt::probe::release(),
                                                 [](rt::tracked_resource&) { return rill::iota(0, 12); }) |
                                rill::map(p.guard([](int x) { return x + 1; })),
                            4);
        },
        rt::check_options{.cases = 300});
    CHECK_FALSE(r);
    CHECK_MESSAGE(mentions(r.report, "1 injected exception(s) thrown, 0 reached the consumer"), r.report);
}

TEST_CASE("with look_ahead check_resource_safety passes the same pipeline, and names the mode") {
    const auto r = rt::check_resource_safety(
        [](rt::probe& p) {
            return prefetch(rill::using_resource(p.acquire("file"), rt::probe::release(),
                                                 [](rt::tracked_resource&) { return rill::iota(0, 12); }) |
                                rill::map(p.guard([](int x) { return x + 1; })),
                            4);
        },
        rt::check_options{.cases = 300}, looking_ahead);
    CHECK_MESSAGE(r, r.report);
    REQUIRE(r.outcomes.size() == 1);
    CHECK(r.outcomes[0].name == "resource safety under early stop, exceptions and failed acquires (looking ahead)");
}

TEST_CASE("with look_ahead an exception must still reach a consumer that runs to the end") {
    // A look-ahead operator that drops every exception thrown while it fills its
    // window, reached or not: wrong in either mode.
    const auto r = rt::check_resource_safety(
        [](rt::probe& p) {
            auto up = rill::iota(0, 12) | rill::map(p.guard([](int x) { return x; }));
            return rill::generate([up]() -> rill::generator<int> {
                try {
                    for (auto&& item : up) co_yield item;
                } catch (const rt::injected_failure&) {
                } // the bug
            });
        },
        rt::check_options{.cases = 300}, looking_ahead);
    CHECK_FALSE(r);
    CHECK_MESSAGE(mentions(r.report, "which ran to the end: it reaches every item"), r.report);
}

TEST_CASE("with look_ahead check_resource_safety still fails leaks and double releases") {
    const auto never = rt::check_resource_safety([](rt::probe& p) { return prefetch(pooled_stream(p, 5), 3); }, few, looking_ahead);
    CHECK_FALSE(never);
    CHECK(mentions(never.report, "never released"));

    const auto twice = rt::check_resource_safety(
        [](rt::probe& p) {
            return prefetch(rill::using_resource(p.acquire("r"), release_twice(),
                                                 [](rt::tracked_resource&) { return rill::iota(0, 5); }),
                            2);
        },
        few, looking_ahead);
    CHECK_FALSE(twice);
    CHECK(mentions(twice.report, "r#1 released 2 times"));
}

TEST_CASE("per-thread release order: a release on the acquiring thread must be of its last resource still held") {
    const rt::probe p;
    auto outer = p.acquire("outer")();
    std::optional<rill::result<rt::tracked_resource>> other;
    std::thread([&] { other.emplace(p.acquire("other")()); }).join(); // acquired on a second thread
    auto inner = p.acquire("inner")();
    outer->release(); // before inner, on the thread that acquired both: out of order in either mode
    other.reset();    // released on this thread, acquired on the other: checked for exactly-once only
    inner->release();
    CHECK(p.log_text() == " +outer#1@t1 +other#2@t2 +inner#3@t1 -outer#1@t1 -other#2@t1 -inner#3@t1");
    CHECK(mentions(p.log_problems(rt::release_order::per_thread), "outer#1 released out of order (not the last one acquired on its thread"));
    CHECK_FALSE(mentions(p.log_problems(rt::release_order::per_thread), "other#2"));
    CHECK(mentions(p.log_problems(), "outer#1 released out of order"));
    CHECK(mentions(p.log_problems(), "other#2 released out of order")); // one stack: inner#3 was still held

    const rt::probe q;
    auto a = q.acquire("a")();
    auto b = q.acquire("b")();
    b->release();
    b->release();
    CHECK(mentions(q.log_problems(rt::release_order::per_thread), "b#2 released 2 times"));
    CHECK(q.log_problems(rt::release_order::per_thread).find("#1 never released") != std::string::npos);
}

// --- the same under threads: par_map and buffer (CI runs these under ThreadSanitizer) ---------

TEST_SUITE("threads") {

TEST_CASE("threads: the probe counts, logs and throws exactly once from several par_map workers at once") {
    for (const bool ordered : {true, false}) {
        CAPTURE(ordered);
        const rt::probe p;
        const auto work = [p](int x) {
            auto conn = p.acquire("conn")(); // a resource per call, on the worker's thread
            const auto item = p.item(x);
            return conn.has_value() ? item.value() * 2 : -1;
        };
        const auto s = rill::iota(0, 300) | rill::par_map(p.guard(work), {.workers = 4, .ordered = ordered});
        const auto items = rill::collect(s);
        REQUIRE(items.size() == 300);
        std::multiset<int> got;
        for (const auto& r : items) got.insert(*r);
        for (int i = 0; i < 300; ++i) CHECK(got.count(2 * i) == 1);
        CHECK(p.calls() == 600); // 300 guarded calls and 300 acquires
        CHECK(p.acquisitions() == 300);
        CHECK(p.running_calls() == 0);
        CHECK(p.live_items() == 0);
        const auto log = p.log();
        CHECK(log.size() == 600);
        std::set<std::size_t> ids;
        for (const auto& e : log)
            if (e.acquire) ids.insert(e.id);
        CHECK(ids.size() == 300); // every acquisition number once
        CHECK(p.log_problems(rt::release_order::per_thread).empty());

        const rt::probe q;
        q.throw_at(150);
        const auto t = rill::iota(0, 300) | rill::par_map(q.guard([](int x) { return x; }), {.workers = 4, .ordered = ordered});
        CHECK_THROWS_AS((void)rill::collect(t), rt::injected_failure);
        CHECK(q.throws() == 1);
        CHECK(q.running_calls() == 0);
    }
}

TEST_CASE("threads: with look_ahead check_resource_safety passes par_map pipelines, run after run") {
    const rt::check_options options{.cases = 150};
    for (const bool ordered : {true, false}) {
        CAPTURE(ordered);
        // A resource upstream (acquired by whichever thread pulls), guarded work
        // on the workers, a resource per item downstream on the consumer's thread.
        const auto r = rt::check_resource_safety(
            rt::gen_stream_shape<int>(),
            [ordered](rt::probe& p, const rt::stream_shape<int>& shape) {
                return rill::using_resource(p.acquire("file"), rt::probe::release(),
                                            [shape](rt::tracked_resource&) { return shape.build(); }) |
                       rill::par_map(p.guard([p](int x) { return p.item(x); }), {.workers = 3, .ordered = ordered}) |
                       rill::and_then([p](const rt::counted<int>& c) {
                           return rill::using_resource(p.acquire("row"), rt::probe::release(),
                                                       [v = c.value()](rt::tracked_resource&) { return rill::iota(v, v + 1); });
                       });
            },
            options, looking_ahead);
        CHECK_MESSAGE(r, r.report);
    }
}

TEST_CASE("threads: with look_ahead check_resource_safety passes buffer pipelines, run after run") {
    const auto r = rt::check_resource_safety(
        rt::gen_stream_shape<int>(),
        [](rt::probe& p, const rt::stream_shape<int>& shape) {
            // Upstream of the buffer runs on its producer thread, resources and all.
            auto up = rill::using_resource(p.acquire("file"), rt::probe::release(), [p, shape](rt::tracked_resource&) {
                return shape.build() | rill::map(p.guard([](int x) { return x ^ 5; }));
            });
            return std::move(up) | rill::buffer(4) | rill::map(p.guard([](int x) { return x + 1; }));
        },
        rt::check_options{.cases = 150}, looking_ahead);
    CHECK_MESSAGE(r, r.report);
}

TEST_CASE("threads: with look_ahead check_resource_safety still fails par_map and buffer pipelines that leak or release twice") {
    const auto never = rt::check_resource_safety(
        [](rt::probe& p) { return pooled_stream(p, 6) | rill::par_map(p.guard([](int x) { return x; }), {.workers = 3}); }, few,
        looking_ahead);
    CHECK_FALSE(never);
    CHECK(mentions(never.report, "never released"));

    const auto twice = rt::check_resource_safety(
        [](rt::probe& p) {
            return rill::using_resource(p.acquire("r"), release_twice(), [](rt::tracked_resource&) { return rill::iota(0, 6); }) |
                   rill::buffer(2);
        },
        few, looking_ahead);
    CHECK_FALSE(twice);
    CHECK(mentions(twice.report, "r#1 released 2 times"));
}

TEST_CASE("threads: check_resource_safety fails a run that leaves a thread running") {
    auto threads = std::make_shared<leaked_threads>();
    const auto r = rt::check_resource_safety([threads](rt::probe&) { return detaching_stream(threads); }, {.cases = 3}, looking_ahead);
    threads->go = true;
    while (threads->finished.load() != threads->started.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    CHECK_FALSE(r);
    CHECK_MESSAGE(mentions(r.report, "thread(s) started by the run still running once it is over"), r.report);
}

} // TEST_SUITE("threads")
