/// \file
/// `stream<T>`: the type-erased stream. Any replayable rill stream of `result<T>`
/// converts to it; a run whose cursor fits `stream<T>::inline_size` bytes lives
/// inside the erased cursor (no allocation), a larger one costs one allocation;
/// per item one indirect call (into the consumer's sink when drained, a virtual
/// `next()` when pulled).
#pragma once

#include <rill/detail/stream_base.hpp>

#include <cstddef>
#include <memory>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {

/// A stream of `result<T>` whose pipeline type is hidden: for function
/// signatures, containers of streams, and `and_then` functions that return
/// different pipelines. A regular type: copies share the (immutable)
/// description; a default-constructed `stream<T>` has no items.
template <class T>
class stream : public stream_base<stream<T>> {
    // The consumer's sink, erased: the erased run drains its whole pipeline in
    // its own loop and calls through these pointers once per item.
    struct erased_sink {
        void* self;
        bool (*ok)(void*, T&&);
        bool (*err)(void*, err_info&&);
    };
    struct run_base {
        virtual ~run_base() = default;
        virtual std::optional<result<T>> next() = 0;
        virtual bool drain(const erased_sink& k) = 0;
        // Moves an inline run into `buffer` (another cursor's) and returns it there.
        virtual run_base* move_to(void* buffer) noexcept = 0;
    };

    template <class C>
    struct run final : run_base {
        explicit run(C c) : cursor(std::move(c)) {}
        std::optional<result<T>> next() override { return cursor.next(); }
        bool drain(const erased_sink& k) override {
            struct adapter {
                const erased_sink& k;
                bool ok(T&& x) { return k.ok(k.self, std::move(x)); }
                bool err(err_info&& e) { return k.err(k.self, std::move(e)); }
            } a{k};
            return detail::drain(cursor, a);
        }
        run_base* move_to(void* buffer) noexcept override {
            if constexpr (std::is_nothrow_move_constructible_v<C>) return ::new (buffer) run(std::move(cursor));
            else return nullptr; // never inline: see `fits_inline`
        }
        C cursor;
    };

public:
    /// The bytes a run's state may take to live inside the erased cursor
    /// (`sizeof` the pipeline's cursor plus a vtable pointer); a larger run, or
    /// one whose cursor may throw when moved, is allocated on the heap.
    static constexpr std::size_t inline_size = 128;

private:
    template <class C>
    static constexpr bool fits_inline = sizeof(run<C>) <= inline_size &&
        alignof(run<C>) <= alignof(std::max_align_t) && std::is_nothrow_move_constructible_v<C>;

    struct description_base {
        virtual ~description_base() = default;
        // Starts a run in `buffer` when it fits (returns it, `in_buffer` set), else on the heap.
        virtual run_base* open(void* buffer, bool& in_buffer) const = 0;
    };

    template <class S>
    struct description final : description_base {
        explicit description(S s) : stream(std::move(s)) {}
        run_base* open(void* buffer, bool& in_buffer) const override {
            using C = cursor_t<const S&>;
            in_buffer = fits_inline<C>;
            if constexpr (fits_inline<C>) return ::new (buffer) run<C>(stream.open());
            else return new run<C>(stream.open());
        }
        S stream;
    };

public:
    /// The type of the items' values (a run gives `result<value_type>` items).
    using value_type = T;

    /// A run of an erased stream: its run's state inline when it fits
    /// `inline_size`, else on the heap.
    class cursor {
    public:
        /// The type of the items' values.
        using value_type = T;
        cursor() = default;
        /// Starts a run of `d`; called by `start`.
        explicit cursor(const description_base& d) { run_ = d.open(&buffer_, inline_); }
        /// Takes over `o`'s run: an inline run is moved into this cursor's buffer.
        cursor(cursor&& o) noexcept : inline_(o.inline_) {
            if (!o.run_) return;
            if (inline_) {
                run_ = o.run_->move_to(&buffer_);
                o.reset();
            } else {
                run_ = std::exchange(o.run_, nullptr);
            }
        }
        cursor& operator=(cursor&&) = delete;
        ~cursor() { reset(); }

        /// The next item of the run, or `std::nullopt` at its end.
        std::optional<result<T>> next() { return run_ ? run_->next() : std::nullopt; }

        /// The push protocol (see `detail::drain`), through one indirect call per item.
        template <class K>
        bool drain(K& sink) {
            if (!run_) return true;
            const erased_sink k{&sink, [](void* s, T&& x) { return static_cast<K*>(s)->ok(std::move(x)); },
                                [](void* s, err_info&& e) { return static_cast<K*>(s)->err(std::move(e)); }};
            return run_->drain(k);
        }

    private:
        void reset() noexcept {
            if (!run_) return;
            if (inline_) run_->~run_base();
            else delete run_;
            run_ = nullptr;
        }

        alignas(std::max_align_t) std::byte buffer_[inline_size];
        run_base* run_ = nullptr;
        bool inline_ = false;
    };

    /// The stream with no items.
    stream() = default;

    /// Erases any replayable stream of `result<T>`.
    template <class S>
        requires(!std::is_same_v<std::remove_cvref_t<S>, stream> && stream_of<S, T>)
    stream(S&& s) // NOLINT: implicit, like std::function
        : description_(make(std::forward<S>(s))) {}

    /// Opens a run: what `open()` and `begin()` call.
    template <class Self>
    static cursor start(Self&& self) {
        return self.description_ ? cursor(*self.description_) : cursor();
    }

private:
    template <class S>
    static std::shared_ptr<const description_base> make(S&& s) {
        static_assert(replayable_stream<S>,
                      "rill::stream<T>: only a replayable stream can be erased (a stream<T> may be run many "
                      "times); this one is one-shot.");
        return std::make_shared<const description<std::remove_cvref_t<S>>>(std::forward<S>(s));
    }

    std::shared_ptr<const description_base> description_;
};

} // namespace rill
