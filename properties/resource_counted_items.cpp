// No live objects: items that count their constructions and destructions are
// all destroyed once the run and the stream are gone, whatever stopped the run
// (end, take, a consumer that stops pulling, an injected exception).
#include "support/doctest_rapidcheck.hpp"
#include "support/generators.hpp"

using namespace rill_properties;
using item = rt::counted<int>;

TEST_CASE("counted items through from, map, filter, and_then and a resource leave nothing alive") {
    RILL_CHECK_LAWS(rt::check_resource_safety(result_ints(), [](rt::probe& p, const std::vector<rill::result<int>>& xs) {
        std::vector<rill::result<item>> items;
        for (const auto& r : xs) {
            if (r) items.emplace_back(p.item(*r));
            else items.emplace_back(rill::err(r.error()));
        }
        auto s = rill::using_resource(p.acquire("src"), p.release(),
                                      [items](rt::tracked_resource&) { return rill::from(items); });
        return std::move(s) | rill::map(p.guard([p](const item& x) { return p.item(x.value() ^ 2); })) |
               rill::filter(p.guard([](const item& x) { return x.value() % 4 != 1; })) |
               rill::and_then(p.guard([p](const item& x) { return rill::of(x, p.item(x.value() ^ 1)); }));
    }));
}

TEST_CASE("counted items yielded by a coroutine leave nothing alive") {
    RILL_CHECK_LAWS(rt::check_resource_safety(result_ints(), [](rt::probe& p, const std::vector<rill::result<int>>& xs) {
        return rill::generate([p, xs]() -> rill::generator<item> {
                   for (const auto& r : xs) {
                       if (!r) {
                           co_yield rill::err(r.error());
                           continue;
                       }
                       auto x = p.item(*r);
                       co_yield x;
                   }
               }) |
               rill::try_map(p.guard([](item x) { return rill::result<item>(std::move(x)); }));
    }));
}
