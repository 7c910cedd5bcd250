/// \file
/// `partition(s)`: the Ok values and the errors of a run, each in order.
/// `partition(s, on_err)`: the Ok values, each Err item handed to `on_err`.
#pragma once

#include <rill/concepts.hpp>
#include <rill/pipe.hpp>

#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

namespace rill {
namespace detail {
struct partition_fn : sink_object {
    template <class S>
        requires any_stream<S>
    std::pair<std::vector<value_t<S>>, std::vector<err_info>> operator()(S&& s) const {
        std::vector<err_info> errors;
        auto values = (*this)(std::forward<S>(s), [&](err_info&& e) { errors.push_back(std::move(e)); }).first;
        return {std::move(values), std::move(errors)};
    }
    template <class S, class E>
        requires any_stream<S>
    std::pair<std::vector<value_t<S>>, E> operator()(S&& s, E on_err) const {
        static_assert(std::is_invocable_v<E&, err_info&&>,
                      "rill::partition: the error handler must be callable with each Err item's err_info (an "
                      "rvalue rill::err_info), e.g. rill::error_summary(10).");
        using T = value_t<S>;
        std::vector<T> values;
        if constexpr (std::is_invocable_v<E&, err_info&&>) {
            struct sink {
                std::vector<T>& values;
                E& on_err;
                bool ok(T&& x) {
                    values.push_back(std::move(x));
                    return true;
                }
                bool err(err_info&& e) {
                    std::invoke(on_err, std::move(e));
                    return true;
                }
            } k{values, on_err};
            auto c = std::forward<S>(s).open();
            drain(c, k);
        }
        return {std::move(values), std::move(on_err)};
    }
    constexpr auto operator()() const { return make_closure<partition_fn>(); }
    template <class E>
        requires(!any_stream<E>)
    constexpr auto operator()(E on_err) const {
        return make_closure<partition_fn>(std::move(on_err));
    }
};
} // namespace detail

/// Runs the stream to its end and splits its items.
///
/// * `partition(s)` gives `{Ok values, errors}`, each in order.
/// * `partition(s, on_err)` gives `{Ok values, on_err}`, calling
///   `on_err(err_info&&)` for each Err item: with `rill::error_summary(k)`,
///   the errors take O(k) memory however many there are.
inline constexpr detail::partition_fn partition{};

} // namespace rill
