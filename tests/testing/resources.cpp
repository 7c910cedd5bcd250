// <rill/testing/resources.hpp>: the probe (its logging resources and what it
// says about a log, the throw-injecting wrapper, failed acquires, the building
// freeze, counted items) and check_resource_safety on a user's own pipelines:
// correct ones pass, leaky ones fail with a report naming the problem. (That
// it catches broken operators: broken_operators.cpp.)
#include <rill/testing/resources.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/iota.hpp>
#include <rill/stage/and_then.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/using_resource.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
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
