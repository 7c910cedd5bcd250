/// \file
/// `try_map(f)`: `T -> result<U>` on Ok items; an Err returned by `f` becomes an
/// Err item stamped with the stage and the item's position.
#pragma once

#include <rill/detail/stage.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

struct try_map_stage : no_checks {
    template <class T, class F>
    using value = unwrap_result_t<std::invoke_result_t<F&, T&&>>;

    template <class T, class F>
    static constexpr bool check() {
        static_assert(std::is_invocable_v<F&, T&&>,
                      "rill::try_map: the function cannot be called with the stream's item type (it is called "
                      "with each Ok value as an rvalue T).");
        if constexpr (std::is_invocable_v<F&, T&&>)
            static_assert(is_result_v<std::invoke_result_t<F&, T&&>>,
                          "rill::try_map: the function must return rill::result<U>. Did you mean rill::map?");
        return [] {
            if constexpr (std::is_invocable_v<F&, T&&>) return is_result_v<std::invoke_result_t<F&, T&&>>;
            else return false;
        }();
    }
    template <class F>
    static constexpr void check_args() {
        static_assert(std::is_copy_constructible_v<F>, "rill::try_map: the function must be copyable.");
    }

    template <class C, class F>
    class cursor {
    public:
        using value_type = value<typename C::value_type, F>;

        template <class G>
        constexpr cursor(C up, G&& f) : up_(std::move(up)), f_(std::forward<G>(f)) {}

        [[gnu::always_inline]] std::optional<result<value_type>> next() { return detail::pull(*this); }

        template <class K>
        [[gnu::always_inline]] constexpr bool drain(K& sink) {
            // The position is counted in the adapter, where the inlined loop
            // keeps it in a register, and stored to the cursor's `index_` once,
            // by the adapter's destructor when the drain ends (returned, stopped
            // or thrown through), so a resumed run goes on from it. Never read
            // back during the loop: a sink's calls could alias the cursor.
            struct adapter {
                K& down;
                F& f;
                std::size_t index;
                std::size_t& home;
                [[gnu::always_inline]] constexpr bool ok(typename C::value_type&& x) {
                    const std::size_t i = index++;
                    auto r = std::invoke(f, std::move(x));
                    if (r.has_value()) [[likely]]
                        return down.ok(std::move(*r));
                    r.error().at("try_map", i);
                    return down.err(std::move(r.error()));
                }
                constexpr bool err(err_info&& e) {
                    ++index;
                    return down.err(std::move(e));
                }
                constexpr ~adapter() { home = index; }
            } a{sink, f_, index_, index_};
            return detail::drain(up_, a);
        }

    private:
        C up_;
        F f_;
        std::size_t index_ = 0;
    };
};

} // namespace detail

/// Applies a fallible `f: T -> result<U>` to every Ok item: the same items as
/// `and_then(lift(f))`, without building a one-item stream per item.
inline constexpr detail::stage_fn<detail::try_map_stage> try_map{};

} // namespace rill
