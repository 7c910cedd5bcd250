// Test helpers: item types with the awkward properties rill must support.
#pragma once

#include <memory>
#include <ostream>

namespace rill_test {

/// Move-only, not default constructible.
struct move_only {
    explicit move_only(int v) : value(std::make_unique<int>(v)) {}
    std::unique_ptr<int> value;
    int get() const { return *value; }
    friend bool operator==(const move_only& a, const move_only& b) { return a.get() == b.get(); }
    friend std::ostream& operator<<(std::ostream& os, const move_only& m) { return os << "move_only(" << m.get() << ")"; }
};

/// Copyable, not default constructible.
struct no_default {
    explicit no_default(int v) : value(v) {}
    int value;
    friend bool operator==(const no_default&, const no_default&) = default;
    friend std::ostream& operator<<(std::ostream& os, const no_default& n) { return os << "no_default(" << n.value << ")"; }
};

/// Counts live instances (constructions minus destructions) in a counter the
/// test owns, to prove a run leaves no object behind.
struct counted_item {
    counted_item(int v, std::shared_ptr<long> live) : value(v), live_(std::move(live)) { ++*live_; }
    counted_item(const counted_item& o) : value(o.value), live_(o.live_) { ++*live_; }
    counted_item(counted_item&& o) noexcept : value(o.value), live_(o.live_) { ++*live_; }
    counted_item& operator=(const counted_item&) = default;
    ~counted_item() { --*live_; }
    int value;

private:
    std::shared_ptr<long> live_;
};

} // namespace rill_test
