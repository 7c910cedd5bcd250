/// \file
/// `generator<T>`, a coroutine that yields items, and `generate(factory)`, the
/// replayable stream that calls `factory()` anew for every run.
///
/// g++ 12 miscompiles `co_yield` of a braced temporary or of a conditional
/// expression of class type (the temporary is destroyed twice). Yield errors
/// through a function call, `co_yield rill::err("CODE", "message")`, or a named
/// local; see docs/07-sources.md.
#pragma once

#include <rill/detail/stream_base.hpp>

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

template <class U>
inline constexpr bool is_result_or_unexpected = is_result_v<U>;
template <class E>
inline constexpr bool is_result_or_unexpected<tl::unexpected<E>> = true;

/// Memory reserved next to a run's copy of the factory, offered to the first
/// coroutine frame the factory creates on this thread, so that a run of
/// `generate` allocates once: closure and frame in one block.
struct frame_arena {
    void* memory = nullptr;
    std::size_t size = 0;
    std::size_t wanted = 0; // the size a frame asked for, when it did not fit
};

inline thread_local frame_arena* current_frame_arena = nullptr;

// Every frame starts with a header saying whether it lives in an arena (freed
// with its block) or on its own (freed here).
inline constexpr std::size_t frame_header = __STDCPP_DEFAULT_NEW_ALIGNMENT__;

inline void* allocate_frame(std::size_t n) {
    if (frame_arena* a = current_frame_arena) {
        current_frame_arena = nullptr; // only the first frame may use it
        if (n + frame_header <= a->size) {
            *static_cast<bool*>(a->memory) = true;
            return static_cast<std::byte*>(a->memory) + frame_header;
        }
        a->wanted = n + frame_header;
    }
    void* p = ::operator new(n + frame_header);
    *static_cast<bool*>(p) = false;
    return static_cast<std::byte*>(p) + frame_header;
}

inline void free_frame(void* frame) noexcept {
    void* p = static_cast<std::byte*>(frame) - frame_header;
    if (!*static_cast<bool*>(p)) ::operator delete(p);
}

} // namespace detail

/// A coroutine that produces the items of a run: `co_yield` a `T`, a
/// `result<T>` or `rill::err(code, message)`. Use it through `generate`.
template <class T>
class generator {
public:
    /// The type of the items' values (a run gives `result<value_type>` items).
    using value_type = T;

    class promise_type;

    /// What `co_yield` of an `err(...)`, a `result<T>` lvalue or anything else
    /// that is not a `T` waits on: the item made from the operand, kept in the
    /// coroutine frame until the coroutine resumes.
    class item_awaiter {
    public:
        /// Makes the item from the yielded operand.
        template <class U>
        explicit item_awaiter(U&& value) noexcept(std::is_nothrow_constructible_v<result<T>, U&&>)
            : item_(std::forward<U>(value)) {}
        /// Always suspends: the consumer takes the item.
        bool await_ready() const noexcept { return false; }
        /// Shows the item to the consumer.
        void await_suspend(std::coroutine_handle<promise_type> h) noexcept { h.promise().show(item_); }
        /// Nothing to give back to the coroutine.
        void await_resume() const noexcept {}

    private:
        result<T> item_;
    };

    /// How the consumer takes the item the coroutine is suspended at.
    enum class held : unsigned char {
        result_to_move, ///< a `result<T>` (a `co_yield` rvalue, or an `item_awaiter`'s)
        value_to_move,  ///< a `T` rvalue: an Ok item, moved out
        value_to_copy,  ///< a `T` lvalue of the coroutine: an Ok item, copied (the variable keeps its value)
    };

    /// The coroutine's promise; used by the compiler, not by users.
    ///
    /// A yielded item is not copied into the promise: the promise points at it
    /// where it lives while the coroutine is suspended at its `co_yield` (the
    /// operand itself, or an `item_awaiter` in the frame), and the consumer
    /// takes it from there: one move (or, for an lvalue `T`, one copy) per item.
    class promise_type {
    public:
        /// The exception that escaped the coroutine, rethrown to the consumer.
        std::exception_ptr error;

        /// The generator that owns this coroutine.
        generator get_return_object() noexcept {
            return generator(std::coroutine_handle<promise_type>::from_promise(*this));
        }
        /// Suspends at the start: the coroutine runs only when the first item is pulled.
        std::suspend_always initial_suspend() const noexcept { return {}; }
        /// Suspends at the end, so that the generator destroys the frame.
        std::suspend_always final_suspend() const noexcept { return {}; }

        /// Yields a `T` rvalue where it is: a temporary of the `co_yield` lives
        /// until the coroutine resumes, and an xvalue (`co_yield std::move(x)`)
        /// gives its value up as it would to a copy.
        std::suspend_always yield_value(T&& value) noexcept {
            at_ = std::addressof(value);
            held_ = held::value_to_move;
            return {};
        }
        /// Yields a copy of a `T` lvalue, made by the consumer.
        std::suspend_always yield_value(const T& value) noexcept
            requires std::is_copy_constructible_v<T>
        {
            at_ = const_cast<void*>(static_cast<const void*>(std::addressof(value)));
            held_ = held::value_to_copy;
            return {};
        }
        /// Yields a `result<T>` rvalue where it is, as `yield_value(T&&)` does.
        template <class R>
            requires std::is_same_v<R, result<T>>
        std::suspend_always yield_value(R&& value) noexcept {
            show(value);
            return {};
        }
        /// Yields an `err(...)`, a `result<T>` lvalue (copied) or anything else
        /// a `result<T>` can be made from and that does not convert to a `T`.
        template <class U>
            requires(!std::is_same_v<U, result<T>> &&
                     (detail::is_result_or_unexpected<std::remove_cvref_t<U>> || !std::is_convertible_v<U &&, T>) &&
                     std::is_constructible_v<result<T>, U &&>)
        item_awaiter yield_value(U&& value) noexcept(std::is_nothrow_constructible_v<result<T>, U&&>) {
            return item_awaiter(std::forward<U>(value));
        }
        /// Refuses `co_await` in the body: a rill generator is resumed by a
        /// synchronous pull, and nothing would resume a body suspended at an
        /// await (the run would crash or hang). (`co_yield` does not go
        /// through here.)
        template <class A>
        std::suspend_never await_transform(A&&) noexcept {
            static_assert(detail::dependent_false<A>,
                          "rill::generator: co_await is not allowed in a rill::generator. Its body runs inside a "
                          "synchronous pull and nothing resumes it after an await. Do the waiting outside the "
                          "generator: block on the result in the body (e.g. future.get()), fetch pages with "
                          "rill::paginate, or run the asynchronous producer elsewhere and receive its items "
                          "through a rill::channel.");
            return {};
        }

        /// The end of the coroutine: the run's end.
        void return_void() const noexcept {}
        /// Keeps an exception that escapes the coroutine, for the consumer.
        void unhandled_exception() noexcept { error = std::current_exception(); }

        /// Allocates the frame, in the run's block when it fits.
        static void* operator new(std::size_t n) { return detail::allocate_frame(n); }
        /// Frees a frame allocated by `operator new`.
        static void operator delete(void* p) noexcept { detail::free_frame(p); }

        /// Points at a `result<T>` item (the coroutine is about to suspend).
        void show(result<T>& item) noexcept {
            at_ = std::addressof(item);
            held_ = held::result_to_move;
        }

        /// Hands the item the coroutine is suspended at to `sink.ok(T&&)` or,
        /// stamped with its position `index`, to `sink.err(err_info&&)`.
        template <class K>
        bool give(K& sink, std::size_t index) {
            if (held_ == held::value_to_move) [[likely]]
                return sink.ok(std::move(*static_cast<T*>(at_)));
            if constexpr (std::is_copy_constructible_v<T>) {
                if (held_ == held::value_to_copy) return sink.ok(T(*static_cast<const T*>(at_)));
            }
            result<T>& item = *static_cast<result<T>*>(at_);
            if (item.has_value()) [[likely]]
                return sink.ok(std::move(*item));
            detail::stamp(item, "generate", index);
            return sink.err(std::move(item.error()));
        }

        /// The item the coroutine is suspended at, as `next()` gives it (stamped
        /// with its position `index` when it is an Err). Every return is a
        /// prvalue, built in the caller's slot: one move (or copy) of the item.
        std::optional<result<T>> take(std::size_t index) {
            if (held_ == held::value_to_move) [[likely]]
                return std::optional<result<T>>(std::in_place, tl::in_place, std::move(*static_cast<T*>(at_)));
            if constexpr (std::is_copy_constructible_v<T>) {
                if (held_ == held::value_to_copy)
                    return std::optional<result<T>>(std::in_place, tl::in_place, *static_cast<const T*>(at_));
            }
            result<T>& item = *static_cast<result<T>*>(at_);
            if (!item.has_value()) [[unlikely]]
                detail::stamp(item, "generate", index);
            return std::optional<result<T>>(std::in_place, std::move(item));
        }

    private:
        void* at_ = nullptr;
        held held_ = held::result_to_move;
    };

    /// The coroutine handle a generator owns.
    using handle = std::coroutine_handle<promise_type>;

    /// Takes over the coroutine of `o`.
    generator(generator&& o) noexcept : h_(std::exchange(o.h_, {})) {}
    /// Takes over the coroutine of `o`; the old one is destroyed.
    generator& operator=(generator o) noexcept {
        std::swap(h_, o.h_);
        return *this;
    }
    ~generator() {
        if (h_) h_.destroy();
    }

    /// Gives up ownership of the frame.
    handle release() noexcept { return std::exchange(h_, {}); }

    /// Resumes the coroutine, which must not be done: true when it suspended
    /// at a `co_yield` (its item is `h.promise()`'s until the next resume),
    /// false when it has returned. An exception it let escape is rethrown here.
    static bool advance(handle h) {
        h.resume();
        if (h.done()) [[unlikely]] {
            if (auto& e = h.promise().error) std::rethrow_exception(std::exchange(e, nullptr));
            return false;
        }
        return true;
    }

private:
    explicit generator(handle h) noexcept : h_(h) {}
    handle h_;
};

namespace detail {
template <class G>
struct generator_value;
template <class T>
struct generator_value<generator<T>> {
    using type = T;
};
} // namespace detail

/// A replayable stream whose every run calls a copy of `factory` to make a new
/// `generator<T>`. The run owns that copy at a stable address, so a coroutine
/// lambda's captures (`[&]` or `[x]`) stay valid for the whole run.
template <class F>
class generate_stream : public stream_base<generate_stream<F>> {
    using gen = std::invoke_result_t<F&>;

public:
    /// The type of the items' values (a run gives `result<value_type>` items).
    using value_type = typename detail::generator_value<gen>::type;

    /// Holds the description; made by the matching function object, not directly.
    explicit generate_stream(F f) : f_(std::move(f)) {}

    /// A run of the stream: `next()` gives its items; destroying it ends the run and releases what it holds.
    class cursor {
        static_assert(alignof(F) <= detail::frame_header, "rill::generate: over-aligned factories are not supported");
        static constexpr std::size_t closure_bytes =
            (sizeof(F) + detail::frame_header - 1) / detail::frame_header * detail::frame_header;
        // The frame size the last run needed: the next run reserves it up front.
        static inline std::atomic<std::size_t> frame_hint{0};

    public:
        /// The type of the items' values.
        using value_type = generate_stream::value_type;

        /// Starts the run's state; called by `start`.
        template <class G>
            requires std::is_constructible_v<F, G&&> // never a hijacked copy or conversion
        explicit cursor(G&& f) {
            const std::size_t reserve = frame_hint.load(std::memory_order_relaxed);
            block_ = ::operator new(closure_bytes + reserve);
            try {
                fn_ = ::new (block_) F(std::forward<G>(f));
            } catch (...) {
                ::operator delete(block_);
                throw;
            }
            detail::frame_arena arena{static_cast<std::byte*>(block_) + closure_bytes, reserve, 0};
            detail::current_frame_arena = &arena;
            struct clear_arena {
                ~clear_arena() { detail::current_frame_arena = nullptr; }
            } guard;
            try {
                h_ = std::invoke(*fn_).release();
            } catch (...) {
                fn_->~F();
                ::operator delete(block_);
                throw;
            }
            if (arena.wanted) frame_hint.store(arena.wanted, std::memory_order_relaxed);
        }

        /// Moves the run to a new cursor.
        cursor(cursor&& o) noexcept
            : block_(std::exchange(o.block_, nullptr)), fn_(std::exchange(o.fn_, nullptr)),
              h_(std::exchange(o.h_, {})), index_(o.index_) {}
        /// Moves the run to this cursor.
        cursor& operator=(cursor o) noexcept {
            std::swap(block_, o.block_);
            std::swap(fn_, o.fn_);
            std::swap(h_, o.h_);
            std::swap(index_, o.index_);
            return *this;
        }
        ~cursor() {
            if (h_) h_.destroy(); // the frame first: it refers to the closure
            if (fn_) fn_->~F();
            if (block_) ::operator delete(block_);
        }

        /// The next item of the run, or `std::nullopt` at its end.
        std::optional<result<value_type>> next() {
            if (!h_ || h_.done() || !gen::advance(h_)) return std::nullopt;
            return h_.promise().take(index_++);
        }

        /// The push protocol: hands the remaining items to `sink` until it stops (see `detail::drain`).
        template <class K>
        bool drain(K& sink) {
            if (!h_ || h_.done()) return true;
            while (gen::advance(h_)) {
                if (!h_.promise().give(sink, index_++)) return false;
            }
            return true;
        }

    private:
        void* block_ = nullptr;
        F* fn_ = nullptr;
        typename gen::handle h_{};
        std::size_t index_ = 0;
    };

    /// Opens a run: what `open()` and `begin()` call.
    template <class Self>
    static cursor start(Self&& self) {
        return cursor(detail::fwd_like<Self>(self.f_));
    }

private:
    F f_;
};

/// A replayable stream from a coroutine factory: `factory()` is called anew for
/// every run and must return a `generator<T>`.
template <class F>
auto generate(F factory) {
    using G = std::invoke_result_t<F&>;
    static_assert(requires { typename detail::generator_value<G>::type; },
                  "rill::generate: the factory must return a rill::generator<T> (a coroutine that "
                  "co_yields T, result<T> or rill::err(...)).");
    static_assert(std::is_copy_constructible_v<F>, "rill::generate: the factory must be copyable.");
    return generate_stream<F>(std::move(factory));
}

} // namespace rill
