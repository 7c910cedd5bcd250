// The checkers of <rill/async/testing.hpp> can fail: each deliberately broken
// async operator below is caught by the public checker meant for it, and
// rill::async's real operator passes the same checker.
#include <rill/async/testing.hpp>

#include "support.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace at = rill::async::testing;
namespace rt = rill::testing;
namespace async = rill::async;

namespace {

// Enough cases to find each bug every time, few enough to keep this suite quick.
const rt::check_options quick{.cases = 200};

/// Ends the run after its first Err item (a stage some broken operators use).
template <class S>
class until_first_err {
public:
    using value_type = async::value_t<S>;
    explicit until_first_err(S s) : s_(std::move(s)) {}

    template <class C>
    class cursor {
    public:
        using value_type = typename C::value_type;
        explicit cursor(C c) : c_(std::move(c)) {}
        asio::awaitable<async::item<value_type>> next() {
            if (done_) co_return std::nullopt;
            auto r = co_await c_.next();
            if (r && !r->has_value()) done_ = true; // the bug, for and_then below
            co_return r;
        }
        asio::awaitable<void> close(rill::exit_case how = rill::exit_case::stopped_early) {
            return async::detail::close_with(c_, how);
        }

    private:
        C c_;
        bool done_ = false;
    };

    auto open() const { return cursor<async::cursor_t<const S&>>(s_.open()); }

private:
    S s_;
};

/// An and_then that stops the run at the first Err item.
struct and_then_stopping_at_first_err {
    template <class S, class F>
    auto operator()(const S& s, F f) const {
        return async::and_then(until_first_err<S>(s), std::move(f));
    }
};

/// Skips Err items (a stage for the broken map below).
template <class S>
class without_errs {
public:
    using value_type = async::value_t<S>;
    explicit without_errs(S s) : s_(std::move(s)) {}

    template <class C>
    class cursor {
    public:
        using value_type = typename C::value_type;
        explicit cursor(C c) : c_(std::move(c)) {}
        asio::awaitable<async::item<value_type>> next() {
            for (;;) {
                auto r = co_await c_.next();
                if (!r || r->has_value()) co_return r;
                // the bug: an Err item is dropped
            }
        }
        asio::awaitable<void> close(rill::exit_case how = rill::exit_case::stopped_early) {
            return async::detail::close_with(c_, how);
        }

    private:
        C c_;
    };

    auto open() const { return cursor<async::cursor_t<const S&>>(s_.open()); }

private:
    S s_;
};

/// A map that drops Err items instead of passing them.
struct map_dropping_errs {
    template <class S, class F>
    auto operator()(const S& s, F f) const {
        return async::map(without_errs<S>(s), std::move(f));
    }
};

/// The two bugs of the hand-made using_resource below.
enum class bug {
    /// Releases at the end of the inner stream and again when the run is
    /// closed (it keeps the resource after releasing it).
    releases_twice,
    /// When a cancellation goes through next(), takes the run for gone: its
    /// close() then neither releases the resource nor closes the inner run.
    forgets_on_cancel,
};

/// A hand-made using_resource with one of the bugs above. A forgotten
/// resource stays with the description and is released when it is destroyed.
template <class Acq, class Rel, class Use>
class broken_using_resource {
    using inner = std::invoke_result_t<Use&, at::tracked_resource&>;
    using inner_cursor = async::cursor_t<inner&&>;
    using forgotten_t = std::vector<std::unique_ptr<at::tracked_resource>>;

public:
    using value_type = async::value_t<inner>;
    broken_using_resource(bug b, Acq a, Rel r, Use u)
        : bug_(b), acquire_(std::move(a)), release_(std::move(r)), use_(std::move(u)),
          forgotten_(std::make_shared<forgotten_t>()) {}

    class cursor {
    public:
        using value_type = broken_using_resource::value_type;
        cursor(bug b, Acq a, Rel r, Use u, std::shared_ptr<forgotten_t> f)
            : bug_(b), acquire_(std::move(a)), release_(std::move(r)), use_(std::move(u)), forgotten_(std::move(f)) {}

        asio::awaitable<async::item<value_type>> next() {
            if (!started_) {
                started_ = true;
                rill::result<at::tracked_resource> got = co_await at::detail::await_call(acquire_);
                if (!got) {
                    async::item<value_type> failed(std::in_place, rill::err(got.error()));
                    co_return failed;
                }
                res_ = std::make_unique<at::tracked_resource>(std::move(*got));
                inner s = use_(*res_);
                inner_.emplace(std::move(s).open());
            }
            if (!inner_) co_return std::nullopt;
            std::optional<async::item<value_type>> r;
            try {
                r.emplace(co_await inner_->next());
            } catch (const std::system_error&) {
                cancelled_ = true; // the run is taken for gone
                throw;
            }
            if (*r) co_return std::move(*r);
            co_await inner_->close();
            inner_.reset();
            co_await at::detail::await_call(release_, *res_, rill::exit_case::completed);
            if (bug_ != bug::releases_twice) res_.reset(); // releases_twice keeps it
            co_return std::nullopt;
        }

        asio::awaitable<void> close(rill::exit_case how = rill::exit_case::stopped_early) {
            if (bug_ == bug::forgets_on_cancel && cancelled_) {
                if (res_) forgotten_->push_back(std::move(res_)); // not released: the bug
                co_return;
            }
            if (inner_) {
                co_await async::detail::close_with(*inner_, how);
                inner_.reset();
            }
            if (res_) {
                co_await at::detail::await_call(release_, *res_, how);
                res_.reset();
            }
        }

    private:
        bug bug_;
        Acq acquire_;
        Rel release_;
        Use use_;
        std::shared_ptr<forgotten_t> forgotten_;
        bool started_ = false;
        bool cancelled_ = false;
        std::unique_ptr<at::tracked_resource> res_{};
        std::optional<inner_cursor> inner_{};
    };

    cursor open() const { return cursor(bug_, acquire_, release_, use_, forgotten_); }

private:
    bug bug_;
    Acq acquire_;
    Rel release_;
    Use use_;
    std::shared_ptr<forgotten_t> forgotten_;
};

/// A pipeline for the resource checker: a resource around a shape, by `using_resource_op`.
template <class UsingResource>
auto resource_pipeline(UsingResource using_resource_op) {
    return [using_resource_op](at::probe& p, const at::stream_shape<int>& shape) {
        return using_resource_op(at::acquire_async(p, "r"), at::release_async(),
                                 [shape](at::tracked_resource&) { return shape.build(); });
    };
}

/// The same with a wait before each Ok item of the shape, where a cancellation can strike.
template <class UsingResource>
auto waiting_resource_pipeline(UsingResource using_resource_op) {
    return [using_resource_op](at::probe& p, const at::stream_shape<int>& shape) {
        return using_resource_op(at::acquire_async(p, "r"), at::release_async(), [shape](at::tracked_resource&) {
            return shape.build() | async::map(at::awaited([](int x) { return x; }));
        });
    };
}

/// `using_resource_op` for a hand-made using_resource with `b`.
auto broken(bug b) {
    return [b](auto acquire, auto release, auto use) {
        return broken_using_resource<decltype(acquire), decltype(release), decltype(use)>(b, acquire, release, use);
    };
}

/// A source whose runs share a counter: the second run does not replay the first.
auto sharing_between_runs() {
    auto n = std::make_shared<int>(0);
    return async::generate<int>([n](async::yielder<int>& out) -> asio::awaitable<void> {
        for (int i = 0; i < 3; ++i)
            if (!co_await out(++*n)) co_return;
    });
}

/// A source whose runs share their position (reset at the start of each run):
/// runs one after the other are equal, runs at once disturb each other.
auto sharing_a_position() {
    auto pos = std::make_shared<int>(0);
    return async::generate<int>([pos](async::yielder<int>& out) -> asio::awaitable<void> {
        *pos = 0;
        while (*pos < 4) {
            co_await at::zero_wait();
            const int v = (*pos)++;
            if (!co_await out(v)) co_return;
        }
    });
}

auto shapes() { return at::gen_stream_shape<int>(); }
auto stream_fns() { return at::gen_from(rt::gen_int_stream_fn()); }
auto awaited_stream_fns() { return at::gen_awaited(at::gen_from(rt::gen_int_stream_fn())); }

/// The inner stream of the resource pipelines: a sync shape, with a wait
/// (where a cancellation can strike) before each Ok item.
auto waiting(const rt::stream_shape<int>& shape) {
    return async::from(shape.build()) | async::map(at::awaited([](int x) { return x; }));
}

} // namespace

TEST_CASE("the real async::and_then passes the monad laws, plain and awaitable functions") {
    const auto plain = at::check_monad_laws(shapes(), stream_fns(), at::gen_generated(rt::gen_int_stream_fn()), quick);
    CHECK_MESSAGE(plain, plain.report);
    CHECK(plain.outcomes.size() == 3);
    const auto awaitable = at::check_monad_laws(shapes(), awaited_stream_fns(), awaited_stream_fns(), quick);
    CHECK_MESSAGE(awaitable, awaitable.report);
}

TEST_CASE("an async and_then that stops at the first Err breaks right identity and associativity") {
    const auto r = at::check_monad_laws(shapes(), stream_fns(), awaited_stream_fns(), quick, and_then_stopping_at_first_err{});
    CHECK_FALSE(r);
    CHECK(r.failed("right identity"));
    CHECK(r.failed("associativity"));
    CHECK(r.report.find("seed") != std::string::npos);
    CHECK(r.report.find("Falsifiable") != std::string::npos);
    CHECK(r.report.find("Err(") != std::string::npos);
    MESSAGE("what a user sees:\n" << r.report);
}

TEST_CASE("the real async::map passes the functor laws, plain and awaitable functions") {
    const auto plain = at::check_functor_laws(shapes(), rt::gen_int_fn(), rt::gen_int_fn(), quick);
    CHECK_MESSAGE(plain, plain.report);
    const auto awaitable = at::check_functor_laws(shapes(), at::gen_awaited(rt::gen_int_fn()), rt::gen_int_fn(), quick);
    CHECK_MESSAGE(awaitable, awaitable.report);
    CHECK(awaitable.outcomes.size() == 3);
}

TEST_CASE("an async map that drops Err items breaks the functor identity") {
    const auto r = at::check_functor_laws(shapes(), at::gen_awaited(rt::gen_int_fn()), rt::gen_int_fn(), quick,
                                          map_dropping_errs{});
    CHECK_FALSE(r);
    CHECK(r.failed("functor identity"));
    CHECK(r.failed("map(f) == and_then(pure . f)"));
}

TEST_CASE("the real async::try_map is and_then . lift, plain and awaitable functions") {
    const auto plain = at::check_try_map_is_and_then_lift(shapes(), rt::gen_int_result_fn(), quick);
    CHECK_MESSAGE(plain, plain.report);
    const auto awaitable = at::check_try_map_is_and_then_lift(shapes(), at::gen_awaited(rt::gen_int_result_fn()), quick);
    CHECK_MESSAGE(awaitable, awaitable.report);
}

TEST_CASE("generated async shapes replay, in turn and at once on one io_context") {
    const auto r = at::check_replayability(shapes(), quick);
    CHECK_MESSAGE(r, r.report);
    CHECK(r.outcomes.size() == 3);
}

TEST_CASE("a source whose runs share state is caught; one sharing its position only when runs overlap") {
    const auto counter = at::check_replayability(rc::gen::just(sharing_between_runs()), quick);
    CHECK(counter.failed("two runs are equal"));
    const auto position = at::check_replayability(rc::gen::just(sharing_a_position()), quick);
    CHECK_FALSE(position.failed("two runs are equal"));
    CHECK(position.failed("in turn"));
    CHECK(position.failed("concurrent runs"));
}

TEST_CASE("the real async::using_resource passes the resource-safety check, with cancellation") {
    const auto r = at::check_resource_safety(shapes(), resource_pipeline(async::using_resource), quick);
    CHECK_MESSAGE(r, r.report);
    const auto waiting_inside = at::check_resource_safety(shapes(), waiting_resource_pipeline(async::using_resource), quick);
    CHECK_MESSAGE(waiting_inside, waiting_inside.report);
    const auto plain = at::check_resource_safety(
        rt::gen_stream_shape<int>(),
        [](at::probe& p, const rt::stream_shape<int>& shape) {
            return async::using_resource(p.acquire("r"), p.release(),
                                         [shape](at::tracked_resource&) { return waiting(shape); });
        },
        quick);
    CHECK_MESSAGE(plain, plain.report);
}

TEST_CASE("a using_resource that does not release when its consumer is cancelled is caught") {
    const auto r = at::check_resource_safety(shapes(), waiting_resource_pipeline(broken(bug::forgets_on_cancel)),
                                             rt::check_options{.cases = 400});
    CHECK_FALSE(r);
    CHECK(r.report.find("never released") != std::string::npos);
    CHECK(r.report.find("cancelled before event-loop step") != std::string::npos);
    // Without cancellation the same operator passes: only the cancellation shows the bug.
    const auto uncancelled = at::check_resource_safety(shapes(), waiting_resource_pipeline(broken(bug::forgets_on_cancel)), quick,
                                                       at::resource_options{.cancellation = false});
    CHECK_MESSAGE(uncancelled, uncancelled.report);
    MESSAGE("what a user sees:\n" << r.report);
}

TEST_CASE("a using_resource that releases twice is caught") {
    const auto r = at::check_resource_safety(shapes(), resource_pipeline(broken(bug::releases_twice)), quick);
    CHECK_FALSE(r);
    CHECK(r.report.find("released 2 times") != std::string::npos);
}
