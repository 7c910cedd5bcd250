/// \file
/// `merge(a, b, ...)`: runs the streams concurrently, one thread each, and
/// interleaves their items in the order they arrive.
#pragma once

#include <rill/concurrent/detail/worker.hpp>
#include <rill/detail/stream_base.hpp>
#include <rill/pipe.hpp>
#include <rill/run_stop.hpp>

#include <array>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>

namespace rill {

/// The items of all the streams, as they arrive.
///
/// * Each stream runs on its own thread; a side that has an item waits while
///   `N` items (N = number of streams) are queued for the consumer, so the
///   run holds at most N queued items plus one in each side's hand.
/// * Items of one stream keep their relative order; Err items are items.
/// * A side's run is released on its own thread as soon as it ends.
/// * The run ends when every side has ended. An exception from a side reaches
///   the consumer in arrival order, after every side has been stopped and joined.
template <class... S>
class merge_stream : public stream_base<merge_stream<S...>> {
public:
    /// The item type (the same for every stream).
    using value_type = value_t<std::tuple_element_t<0, std::tuple<S...>>>;
    /// One-shot if any of the streams is.
    static constexpr bool one_shot = detail::any_one_shot<S...>;

    /// Holds the description; made by `rill::merge`, not directly.
    template <class... A>
    explicit merge_stream(std::in_place_t, A&&... a) : parts_(std::forward<A>(a)...) {}

    /// A run: one thread per stream; destroying it stops and joins them all.
    template <class... C>
    class cursor {
        static constexpr std::size_t n = sizeof...(C);

    public:
        /// The item type.
        using value_type = merge_stream::value_type;

        /// Starts one thread per stream.
        explicit cursor(C... c) : s_(std::make_unique<state>(std::move(c)...)) {
            try {
                start(std::index_sequence_for<C...>{});
            } catch (...) {
                s_->stop();
                throw;
            }
        }
        /// Moves the run (its threads keep running).
        cursor(cursor&&) = default;
        /// Stops and joins every side; their runs are released.
        ~cursor() {
            if (s_) s_->stop();
        }

        /// The next item to arrive from any side; empty once every side has ended.
        std::optional<result<value_type>> next() {
            if (!s_ || done_) return std::nullopt;
            std::unique_lock lock(s_->m);
            // A stop of the consumer's run (see rill/run_stop.hpp) ends it too.
            const bool ready = detail::wait_unless_stopped(lock, s_->consumer_cv, [&] { return !s_->queue.empty() || s_->live == 0; });
            if (!ready || s_->queue.empty()) {
                lock.unlock();
                done_ = true;
                s_->stop();
                return std::nullopt;
            }
            item it = std::move(s_->queue.front());
            s_->queue.pop_front();
            lock.unlock();
            s_->producer_cv.notify_one();
            if (it.ex) {
                done_ = true;
                s_->stop();
                std::rethrow_exception(it.ex);
            }
            return std::move(it.r);
        }

    private:
        struct item {
            std::optional<result<value_type>> r;
            std::exception_ptr ex;
        };

        struct state {
            explicit state(C... c) : ups(std::optional<C>(std::move(c))...) {}

            template <std::size_t I>
            void run(std::stop_token st) {
                auto& up = std::get<I>(ups);
                item last;
                try {
                    while (!st.stop_requested()) {
                        auto r = up->next();
                        if (!r) break;
                        std::unique_lock lock(m);
                        producer_cv.wait(lock, [&] { return queue.size() < n || st.stop_requested(); });
                        if (st.stop_requested()) break;
                        queue.push_back(item{std::move(r), nullptr});
                        lock.unlock();
                        consumer_cv.notify_one();
                    }
                } catch (...) {
                    last.ex = std::current_exception();
                }
                up.reset(); // this side's resources go as soon as it ends
                {
                    std::lock_guard g(m);
                    if (last.ex) queue.push_back(std::move(last));
                    --live;
                }
                consumer_cv.notify_one();
            }

            void stop() noexcept {
                for (auto& t : threads) t.request_stop();
                { std::lock_guard g(m); }
                producer_cv.notify_all();
                for (auto& t : threads)
                    if (t.joinable()) t.join();
            }

            std::tuple<std::optional<C>...> ups; // side I is touched by thread I only
            std::mutex m;
            std::condition_variable consumer_cv;
            std::condition_variable producer_cv;
            std::deque<item> queue;
            std::size_t live = n;
            std::array<std::jthread, n> threads;
        };

        template <std::size_t... I>
        void start(std::index_sequence<I...>) {
            state* s = s_.get();
            ((s->threads[I] = std::jthread([s](std::stop_token st) {
                  detail::stop_scope scope(st); // a wait inside side I wakes when the run stops
                  s->template run<I>(st);
              })),
             ...);
        }

        std::unique_ptr<state> s_;
        bool done_ = false;
    };

    /// Opens a run: what `open()` and `begin()` call.
    template <class Self>
        requires(detail::opens<detail::like_t<Self, S>> && ...)
    static auto start(Self&& self) {
        return std::apply(
            [](auto&... p) { return cursor<cursor_t<detail::like_t<Self, S>>...>{detail::fwd_like<Self>(p).open()...}; },
            self.parts_);
    }

private:
    std::tuple<S...> parts_;
};

namespace detail {
struct merge_fn {
    template <class... S>
    auto operator()(S&&... s) const {
        static_assert(sizeof...(S) >= 1, "rill::merge: give it at least one stream.");
        static_assert((any_stream<S> && ...), "rill::merge: every argument must be a rill stream.");
        if constexpr ((any_stream<S> && ...)) {
            using T = value_t<std::tuple_element_t<0, std::tuple<S...>>>;
            static_assert((std::is_same_v<value_t<S>, T> && ...),
                          "rill::merge: every stream must have the same item type.");
            return merge_stream<std::remove_cvref_t<S>...>(std::in_place, std::forward<S>(s)...);
        }
    }
};
struct merge_with_fn {
    template <class... S>
        requires(sizeof...(S) >= 1 && (any_stream<S> && ...))
    auto operator()(S&&... s) const {
        return make_closure<merge_fn>(std::forward<S>(s)...);
    }
};
} // namespace detail

/// The items of all the streams, interleaved as they arrive: `rill::merge(a, b, c)`.
inline constexpr detail::merge_fn merge{};

/// The pipe form of `merge`: `a | rill::merge_with(b, c)` is `rill::merge(a, b, c)`.
inline constexpr detail::merge_with_fn merge_with{};

} // namespace rill
