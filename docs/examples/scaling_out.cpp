// Chapter 12, "Scaling out": consumer groups on Redis Streams with rill::redis.
// The example starts a private redis-server (docs/examples/redis_server.hpp).
#include <rill/redis.hpp>
#include <rill/rill.hpp>

#include "redis_server.hpp"

#include <iostream>
#include <string>
#include <vector>

namespace redis = rill::redis;

// [snippet:parse]
// The worker's function: one entry in, a result out.
struct order {
    long id;
    long cents;
};

rill::result<order> parse_order(const redis::entry& e) {
    const std::string* cents = e.find("cents");
    if (!cents) return rill::err("PARSE", "no cents");
    return order{std::stol(e.at("id")), std::stol(*cents)};
}
// [/snippet:parse]

int main() {
    docs::redis_server server;
    redis::endpoint where = server.endpoint();
    {
        // IDs given explicitly so that this page's output is the same on every run;
        // a producer normally lets the server choose them (xadd, below).
        redis::connection c(where);
        c.command({"XADD", "orders", "1-1", "id", "1", "cents", "500"});
        c.command({"XADD", "orders", "1-2", "id", "2"});
        c.command({"XADD", "orders", "1-3", "id", "3", "cents", "250"});
        c.command({"XADD", "orders", "1-4", "id", "4", "cents", "120"});
    }

    std::cout << "== consume ==\n";
    // [snippet:consume]
    redis::group_config cfg{
        .server = where,
        .stream = "orders",
        .group = "billing",
        .consumer = "worker-1",     // stable per worker: a restart re-reads its own pending entries
        .count = 100,               // entries per batch
        .claim_timeout = std::chrono::seconds(30),
        .max_deliveries = 5,
        .stop_when_drained = true,  // end when nothing is left (a batch job); omit for a service
    };
    redis::consume_stats stats;
    auto orders = redis::consume(cfg, parse_order, {.stats = &stats});
    for (const rill::result<order>& r : orders) {
        if (r) std::cout << "order " << r->id << ": " << r->cents << " cents\n";
        else std::cout << "dead-lettered: " << r.error() << '\n';
    }
    std::cout << "batches acknowledged: " << stats.batches << ", dead letters: " << stats.dead_lettered << '\n';
    // [/snippet:consume]

    std::cout << "== dead_letters ==\n";
    // [snippet:dead_letters]
    for (const auto& r : redis::range(where, "orders:dlq")) {
        const redis::entry& e = *r;
        std::cout << e.at("dlq:id") << " " << e.at("dlq:code") << " (" << e.at("dlq:message") << "), delivery "
                  << e.at("dlq:deliveries") << ", consumer " << e.at("dlq:consumer") << '\n';
    }
    // [/snippet:dead_letters]

    std::cout << "== early_stop ==\n";
    {
        redis::connection c(where);
        for (int i = 5; i <= 7; ++i) c.command({"XADD", "orders", "2-" + std::to_string(i), "id", std::to_string(i), "cents", "100"});
    }
    // [snippet:early_stop]
    // take(1) stops in the middle of a batch: the batch stays pending, nothing is acknowledged.
    auto first = rill::collect(redis::consume(cfg, parse_order) | rill::take(1));
    std::cout << "took " << first.size() << ", pending: " << redis::connection(where).command({"XPENDING", "orders", "billing"})->element[0]->integer << '\n';
    // The next session of the same consumer reads its pending entries again first, one at a time.
    rill::for_each(redis::consume(cfg, [](const redis::entry& e) { return e.id + " delivery " + std::to_string(e.deliveries); }),
                   [](const std::string& s) { std::cout << s << '\n'; });
    // [/snippet:early_stop]

    std::cout << "== forward ==\n";
    // [snippet:forward]
    // A producer: the Ok values of any rill stream, appended with pipelining.
    auto to_fields = [](const order& o) {
        return redis::fields{{"id", std::to_string(o.id)}, {"cents", std::to_string(o.cents)}};
    };
    redis::xadd(rill::of(order{10, 1000}, order{11, 1100}), {.server = where, .stream = "incoming"}, to_fields);

    // consume -> transform -> produce: the outputs of a batch and its acknowledgement in one MULTI/EXEC.
    redis::group_config in{.server = where, .stream = "incoming", .group = "tax", .consumer = "t-1",
                           .stop_when_drained = true};
    auto taxed = redis::forward(
        in, [](const redis::entry& e) -> rill::result<order> {
            auto o = parse_order(e);
            if (o) o->cents = o->cents * 120 / 100;
            return o;
        },
        {.server = where, .stream = "taxed"}, to_fields);
    std::cout << "forwarded " << rill::count(taxed) << '\n';
    for (const auto& r : redis::range(where, "taxed")) std::cout << "taxed " << r->at("id") << ": " << r->at("cents") << '\n';
    // [/snippet:forward]
}
