/// \file
/// `take_while(p)`: Ok items while `p(item)` holds; the run ends at the first Ok
/// item that fails `p` (it is not emitted). Err items pass through and do not end it.
#pragma once

#include <rill/detail/stage.hpp>

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

struct take_while_stage : no_checks {
    template <class T, class P>
    using value = T;

    template <class T, class P>
    static constexpr bool check() {
        static_assert(std::is_invocable_r_v<bool, P&, const T&>,
                      "rill::take_while: the predicate must be callable with a const T& and return bool.");
        return std::is_invocable_r_v<bool, P&, const T&>;
    }

    template <class C, class P>
    class cursor {
    public:
        using value_type = typename C::value_type;

        template <class G>
        constexpr cursor(C up, G&& p) : up_(std::in_place, std::move(up)), p_(std::forward<G>(p)) {}

        constexpr std::optional<result<value_type>> next() {
            if (!up_) return std::nullopt;
            auto r = up_->next();
            if (!r || (r->has_value() && !std::invoke(p_, std::as_const(**r)))) {
                up_.reset(); // the run is over: release upstream now
                return std::nullopt;
            }
            return r;
        }

        template <class K>
        [[gnu::always_inline]] constexpr bool drain(K& sink) {
            if (!up_) return true;
            struct adapter : forward_errors<K> {
                P& p;
                bool over = false; // an Ok item failed the predicate
                [[gnu::always_inline]] constexpr bool ok(value_type&& x) {
                    if (!std::invoke(p, std::as_const(x))) {
                        over = true;
                        return false;
                    }
                    return this->down.ok(std::move(x));
                }
            } a{{sink}, p_};
            const bool ended = detail::drain(*up_, a);
            if (!ended && !a.over) return false; // the sink stopped
            up_.reset(); // the run is over: release upstream now
            return true;
        }

    private:
        std::optional<C> up_;
        P p_;
    };
};

} // namespace detail

/// Ok items while `p` holds; Err items pass and do not end the run.
inline constexpr detail::stage_fn<detail::take_while_stage> take_while{};

} // namespace rill
