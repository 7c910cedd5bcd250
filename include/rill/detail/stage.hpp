/// \file
/// The one stream type behind every single-upstream stage: an upstream
/// description plus the stage's arguments. A stage is a policy `Op` with
/// `value<T, Args...>` (its item type) and `cursor<C, Args...>` (its run).
#pragma once

#include <rill/concepts.hpp>
#include <rill/detail/stream_base.hpp>
#include <rill/pipe.hpp>

#include <tuple>
#include <type_traits>
#include <utility>

namespace rill::detail {

template <class Op, class Up, class... Args>
class stage_stream : public stream_base<stage_stream<Op, Up, Args...>> {
public:
    using value_type = typename Op::template value<value_t<Up>, Args...>;
    static constexpr bool one_shot = any_one_shot<Up>;

    // Tagged, so that it never competes with the copy constructor.
    template <class U, class... A>
    constexpr stage_stream(std::in_place_t, U&& up, A&&... args)
        : up_(std::forward<U>(up)), args_(std::forward<A>(args)...) {}

    template <class Self>
        requires opens<like_t<Self, Up>>
    static constexpr auto start(Self&& self) {
        using cursor = typename Op::template cursor<cursor_t<like_t<Self, Up>>, Args...>;
        return std::apply(
            [&](auto&... a) { return cursor(fwd_like<Self>(self.up_).open(), fwd_like<Self>(a)...); },
            self.args_);
    }

private:
    Up up_;
    std::tuple<Args...> args_;
};

/// Builds a stage stream, or a closure for `s | op(args...)`: the two call
/// forms every stage has. `Op::check` validates the arguments against the stream.
template <class Op>
struct stage_fn : stage_object {
    template <class S, class... A>
        requires any_stream<S>
    constexpr auto operator()(S&& s, A&&... args) const {
        // A failed check has reported itself: build nothing more, so the
        // check's message is the first error the user reads.
        if constexpr (Op::template check<value_t<S>, std::decay_t<A>...>())
            return stage_stream<Op, std::remove_cvref_t<S>, std::decay_t<A>...>(std::in_place, std::forward<S>(s),
                                                                                std::forward<A>(args)...);
    }
    template <class... A>
        requires(!any_stream<A> && ...)
    constexpr auto operator()(A&&... args) const {
        Op::template check_args<std::decay_t<A>...>();
        return make_closure<stage_fn>(std::forward<A>(args)...);
    }
};

/// The default checks: none. Stages inherit and hide what they need; `check`
/// static_asserts with a plain message and returns whether all held.
struct no_checks {
    template <class T, class... A>
    static constexpr bool check() { return true; }
    template <class... A>
    static constexpr void check_args() {}
};

} // namespace rill::detail
