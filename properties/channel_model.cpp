// A model-based test of rill::channel<T> with RapidCheck's state commands: a
// deque with a capacity and a closed flag is the model; every command runs on
// the real channel and checks it against the model. Commands that would block
// in the model run only when they cannot block, except BlockedSend, which
// blocks a sender on a full channel on purpose and frees it by a receive.
#include "support/doctest_rapidcheck.hpp"

#include <rill/concurrent/channel.hpp>
#include <rill/sink/collect.hpp>

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <cstddef>
#include <deque>
#include <optional>
#include <ostream>
#include <thread>
#include <vector>

namespace {

struct model {
    std::deque<int> items;
    std::size_t capacity = 1;
    bool closed = false;
    bool full() const { return items.size() == capacity; }
};

using sut = rill::channel<int>;
using command = rc::state::Command<model, sut>;

struct try_send : command {
    int v = *rc::gen::arbitrary<int>();
    void apply(model& m) const override {
        if (!m.closed && !m.full()) m.items.push_back(v);
    }
    void run(const model& m, sut& ch) const override { RC_ASSERT(ch.try_send(v) == (!m.closed && !m.full())); }
    void show(std::ostream& os) const override { os << "try_send(" << v << ")"; }
};

struct send : command {
    int v = *rc::gen::arbitrary<int>();
    void checkPreconditions(const model& m) const override { RC_PRE(m.closed || !m.full()); }
    void apply(model& m) const override {
        if (!m.closed) m.items.push_back(v);
    }
    void run(const model& m, sut& ch) const override { RC_ASSERT(ch.send(v) == !m.closed); }
    void show(std::ostream& os) const override { os << "send(" << v << ")"; }
};

// A sender blocks on the full channel; a receive makes room; the send completes.
struct blocked_send : command {
    int v = *rc::gen::arbitrary<int>();
    void checkPreconditions(const model& m) const override { RC_PRE(!m.closed && m.full()); }
    void apply(model& m) const override {
        m.items.pop_front();
        m.items.push_back(v);
    }
    void run(const model& m, sut& ch) const override {
        bool sent = false;
        std::thread sender([&] { sent = ch.send(v); });
        const std::optional<int> got = ch.receive();
        sender.join();
        RC_ASSERT(sent);
        RC_ASSERT(got == std::optional<int>(m.items.front()));
    }
    void show(std::ostream& os) const override { os << "blocked_send(" << v << ")"; }
};

struct try_receive : command {
    void apply(model& m) const override {
        if (!m.items.empty()) m.items.pop_front();
    }
    void run(const model& m, sut& ch) const override {
        const std::optional<int> expected = m.items.empty() ? std::nullopt : std::optional<int>(m.items.front());
        RC_ASSERT(ch.try_receive() == expected);
    }
    void show(std::ostream& os) const override { os << "try_receive"; }
};

struct receive : command {
    void checkPreconditions(const model& m) const override { RC_PRE(m.closed || !m.items.empty()); }
    void apply(model& m) const override {
        if (!m.items.empty()) m.items.pop_front();
    }
    void run(const model& m, sut& ch) const override {
        const std::optional<int> expected = m.items.empty() ? std::nullopt : std::optional<int>(m.items.front());
        RC_ASSERT(ch.receive() == expected);
    }
    void show(std::ostream& os) const override { os << "receive"; }
};

struct close_channel : command {
    void apply(model& m) const override { m.closed = true; }
    void run(const model&, sut& ch) const override {
        ch.close();
        RC_ASSERT(ch.closed());
    }
    void show(std::ostream& os) const override { os << "close"; }
};

struct observe : command {
    void run(const model& m, sut& ch) const override {
        RC_ASSERT(ch.size() == m.items.size());
        RC_ASSERT(ch.closed() == m.closed);
        RC_ASSERT(ch.capacity() == m.capacity);
    }
    void show(std::ostream& os) const override { os << "observe"; }
};

// Once closed, the stream gives exactly what is left, in order, and ends.
struct drain_stream : command {
    void checkPreconditions(const model& m) const override { RC_PRE(m.closed); }
    void apply(model& m) const override { m.items.clear(); }
    void run(const model& m, sut& ch) const override {
        std::vector<int> got;
        for (auto& r : rill::collect(ch.stream())) got.push_back(r.value());
        RC_ASSERT(got == std::vector<int>(m.items.begin(), m.items.end()));
    }
    void show(std::ostream& os) const override { os << "drain_stream"; }
};

} // namespace

TEST_CASE("channel behaves as a bounded FIFO queue with close, command by command") {
    rill_prop("channel follows its model", [] {
        const auto capacity = static_cast<std::size_t>(*rc::gen::inRange(1, 6));
        model m;
        m.capacity = capacity;
        sut ch(capacity);
        rc::state::check(m, ch,
                         rc::state::gen::execOneOfWithArgs<try_send, send, blocked_send, try_receive, receive, close_channel,
                                                           observe, drain_stream>());
    });
}
