// Peer: the bare C++20 coroutine generator a user would write without a
// library (cppcoro's design, minimal): one frame allocation per run, one
// resume per item, the yielded value read through a pointer.
#pragma once

#include <coroutine>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

namespace peers {

template <class T>
class generator {
public:
    struct promise_type {
        const T* current = nullptr;
        std::exception_ptr error;

        generator get_return_object() noexcept {
            return generator(std::coroutine_handle<promise_type>::from_promise(*this));
        }
        std::suspend_always initial_suspend() const noexcept { return {}; }
        std::suspend_always final_suspend() const noexcept { return {}; }
        // The operand of co_yield lives until the coroutine resumes.
        std::suspend_always yield_value(const T& v) noexcept {
            current = std::addressof(v);
            return {};
        }
        void return_void() const noexcept {}
        void unhandled_exception() noexcept { error = std::current_exception(); }
    };

    generator(generator&& o) noexcept : h_(std::exchange(o.h_, {})) {}
    generator& operator=(generator&&) = delete;
    ~generator() {
        if (h_) h_.destroy();
    }

    /// Resumes; false at the end. The value is `value()` until the next call.
    bool next() {
        h_.resume();
        if (h_.done()) {
            if (h_.promise().error) std::rethrow_exception(h_.promise().error);
            return false;
        }
        return true;
    }
    const T& value() const { return *h_.promise().current; }

    struct sentinel {};
    class iterator {
    public:
        explicit iterator(generator* g) : g_(g) {}
        const T& operator*() const { return g_->value(); }
        iterator& operator++() {
            if (!g_->next()) g_ = nullptr;
            return *this;
        }
        friend bool operator==(const iterator& it, sentinel) noexcept { return it.g_ == nullptr; }

    private:
        generator* g_;
    };
    iterator begin() {
        iterator it(this);
        return ++it;
    }
    sentinel end() const noexcept { return {}; }

private:
    explicit generator(std::coroutine_handle<promise_type> h) noexcept : h_(h) {}
    std::coroutine_handle<promise_type> h_;
};

} // namespace peers
