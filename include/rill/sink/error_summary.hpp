/// \file
/// `error_summary`: the Err items of a long run in bounded memory: how many
/// there were and the first few, as an error handler for `for_each` and
/// `partition`.
#pragma once

#include <rill/result.hpp>

#include <cstddef>
#include <utility>
#include <vector>

namespace rill {

/// An error handler that counts every Err item it is given and keeps the
/// first `limit` of them, in order: O(limit) memory however long the run.
///
///     auto summary = rill::for_each(records, store, rill::error_summary(10));
///     if (summary.count > 0) log(summary);   // "1234 errors, the first 10: ..."
class error_summary {
public:
    /// Keeps the first `limit` Err items (0: counts only).
    explicit error_summary(std::size_t limit = 10) : limit_(limit) {}

    /// Counts `e`, and keeps it while fewer than `limit` are kept.
    void operator()(err_info&& e) {
        ++count_;
        if (first_.size() < limit_) first_.push_back(std::move(e));
    }

    /// The number of Err items seen.
    std::size_t count() const noexcept { return count_; }
    /// The first `limit()` of them (all of them if there were fewer), in order.
    const std::vector<err_info>& first() const noexcept { return first_; }
    /// How many it keeps at most.
    std::size_t limit() const noexcept { return limit_; }
    /// Whether any Err item was seen.
    bool empty() const noexcept { return count_ == 0; }

    /// Prints `N errors` and the kept ones, e.g.
    /// `3 errors, the first 2: PARSE: bad [at try_map #1]; PARSE: bad [at try_map #4]`.
    template <class Traits>
    friend std::basic_ostream<char, Traits>& operator<<(std::basic_ostream<char, Traits>& os, const error_summary& s) {
        os << s.count_ << (s.count_ == 1 ? " error" : " errors");
        if (s.first_.empty()) return os;
        if (s.first_.size() < s.count_) os << ", the first " << s.first_.size();
        os << ": ";
        for (std::size_t i = 0; i < s.first_.size(); ++i) os << (i ? "; " : "") << s.first_[i];
        return os;
    }

private:
    std::size_t limit_;
    std::size_t count_ = 0;
    std::vector<err_info> first_;
};

} // namespace rill
