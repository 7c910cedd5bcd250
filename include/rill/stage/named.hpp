/// \file
/// `named(label)`: gives the stages before it a name that error provenance shows.
#pragma once

#include <rill/detail/stage.hpp>

#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

struct named_stage : no_checks {
    template <class T, class L>
    using value = T;

    template <class C, class L>
    class cursor {
    public:
        using value_type = typename C::value_type;

        constexpr cursor(C up, std::string label) : up_(std::move(up)), label_(std::move(label)) {}

        [[gnu::always_inline]] std::optional<result<value_type>> next() { return detail::pull(*this); }

        template <class K>
        [[gnu::always_inline]] constexpr bool drain(K& sink) {
            struct adapter {
                cursor& self;
                K& down;
                [[gnu::always_inline]] constexpr bool ok(value_type&& x) { return down.ok(std::move(x)); }
                constexpr bool err(err_info&& e) {
                    self.label(e);
                    return down.err(std::move(e));
                }
            } a{*this, sink};
            return detail::drain(up_, a);
        }

    private:
        // Frames recorded since the previous `named` have no stage name yet.
        void label(err_info& e) const {
            e.trace.label(label_);
        }

        C up_;
        std::string label_;
    };
};

} // namespace detail

/// Names the stages since the previous `named` (or since the source):
/// `s | rill::try_map(parse) | rill::named("parse")` makes an error print
/// `... [at parse (try_map) #3]`. Ok items pass untouched.
struct named_fn : detail::stage_object {
    /// `named(s, label)`: the stream `s` with its stages named `label`.
    template <class S>
        requires any_stream<S>
    auto operator()(S&& s, std::string label) const {
        return detail::stage_fn<detail::named_stage>{}(std::forward<S>(s), std::move(label));
    }
    /// `named(label)`: the stage, for `s | named(label)`.
    auto operator()(std::string label) const {
        return detail::make_closure<named_fn>(std::move(label));
    }
};

/// See `named_fn`.
inline constexpr named_fn named{};

} // namespace rill
