// Test helpers for sources: an input-only range that can be traversed once,
// and runs pulled item by item with next() (rill::collect and rill_test::show
// may take a cursor's push protocol, drain(), instead: test both paths).
#pragma once

#include <rill/concepts.hpp>

#include <cstddef>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace rill_test {

/// An input-only range over first, first+1, ..., last-1 that can be traversed
/// once: its iterators share one read position, as an istream's do, so a
/// second `begin()` continues where the first traversal stopped. Copies share
/// the position too. `reads()` counts the elements read so far.
class input_numbers {
    struct state {
        int pos;
        int last;
        int reads = 0;
    };

public:
    input_numbers(int first, int last) : state_(std::make_shared<state>(state{first, last})) {}

    class iterator {
    public:
        using value_type = int;
        using difference_type = std::ptrdiff_t;
        using iterator_concept = std::input_iterator_tag;

        iterator() = default;
        explicit iterator(state* s) : s_(s) {}
        int operator*() const {
            ++s_->reads;
            return s_->pos;
        }
        iterator& operator++() {
            ++s_->pos;
            return *this;
        }
        void operator++(int) { ++*this; }
        friend bool operator==(const iterator& it, std::default_sentinel_t) { return it.s_->pos >= it.s_->last; }

    private:
        state* s_ = nullptr;
    };

    iterator begin() { return iterator(state_.get()); }
    std::default_sentinel_t end() { return {}; }

    int reads() const { return state_->reads; }

private:
    std::shared_ptr<state> state_;
};

/// All the items of one run, pulled one by one with `open()` and `next()`.
template <class S>
std::vector<rill::result<rill::value_t<S>>> pulled(S&& s) {
    std::vector<rill::result<rill::value_t<S>>> out;
    auto c = std::forward<S>(s).open();
    while (auto r = c.next()) out.push_back(std::move(*r));
    return out;
}

/// `show(s)` for a run pulled with `next()`: `"1 2 !PARSE 4"`.
template <class S>
std::string show_pulled(S&& s) {
    std::ostringstream os;
    bool first = true;
    for (auto& r : pulled(std::forward<S>(s))) {
        if (!first) os << ' ';
        first = false;
        if (r.has_value()) os << *r;
        else os << '!' << r.error().code;
    }
    return os.str();
}

/// A paginate fetch over fixed pages: page p is pages[p] (a negative page
/// number -k stands for a failed page with code "Pk"); past the last page, the
/// pages are empty. Every call appends the requested index to *requested.
inline auto fetch_pages(std::vector<std::vector<int>> pages, std::shared_ptr<std::vector<std::size_t>> requested) {
    return [pages = std::move(pages), requested](std::size_t p) -> rill::result<std::vector<int>> {
        requested->push_back(p);
        if (p >= pages.size()) return std::vector<int>{};
        if (pages[p].size() == 1 && pages[p][0] < 0) return rill::err("P" + std::to_string(-pages[p][0]), "page failed");
        return pages[p];
    };
}

} // namespace rill_test
