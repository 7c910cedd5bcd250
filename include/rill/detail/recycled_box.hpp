/// \file
/// `recycled_box<R>`: one `R` at a stable heap address, whose memory comes from
/// (and goes back to) a one-block cache per thread and type. A program that runs
/// `using_resource` in a loop allocates for its first run only.
#pragma once

#include <cstddef>
#include <new>
#include <utility>

namespace rill::detail {

template <class R>
class recycled_box {
public:
    recycled_box() = default;
    recycled_box(recycled_box&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    recycled_box& operator=(recycled_box&&) = delete;
    ~recycled_box() { reset(); }

    /// Makes the `R` (there must be none).
    template <class... A>
    R& emplace(A&&... args) {
        void* block = take();
        try {
            p_ = ::new (block) R(std::forward<A>(args)...);
        } catch (...) {
            give(block);
            throw;
        }
        return *p_;
    }

    /// Destroys the `R`, if any, and keeps its memory for the next box on this thread.
    void reset() noexcept {
        if (p_ == nullptr) return;
        p_->~R();
        give(std::exchange(p_, nullptr));
    }

    explicit operator bool() const noexcept { return p_ != nullptr; }
    R& operator*() const noexcept { return *p_; }

private:
    static constexpr std::align_val_t align{alignof(R)};

    // The cached block is a plain pointer: a thread_local of trivial type costs
    // one %fs-relative load, where one with a destructor is checked for its
    // first use on every access. The block is freed at thread exit by a
    // `reclaimer`, set up by the allocation that first fills the cache.
    static inline thread_local void* spare_ = nullptr;
    // This thread has a reclaimer. A box can be released on another thread
    // than the one that allocated it (par_map pulls upstream on a worker and
    // releases it on the consumer's thread when the run stops): a thread without
    // a reclaimer does not keep the block, or it would leak at thread exit.
    static inline thread_local bool reclaims_ = false;

    struct reclaimer {
        ~reclaimer() {
            if (void* b = std::exchange(spare_, nullptr)) ::operator delete(b, align);
        }
    };

    static void* take() {
        if (void* b = spare_) [[likely]] {
            spare_ = nullptr;
            return b;
        }
        return allocate();
    }
    [[gnu::noinline]] static void* allocate() {
        thread_local reclaimer r; // registered once per thread, on its first allocation
        (void)r;
        reclaims_ = true;
        return ::operator new(sizeof(R), align);
    }
    static void give(void* b) noexcept {
        if (spare_ == nullptr && reclaims_) [[likely]] spare_ = b;
        else ::operator delete(b, align);
    }

    R* p_ = nullptr;
};

} // namespace rill::detail
