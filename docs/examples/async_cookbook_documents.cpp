// Cookbook: an async document pipeline (docs/cookbook/async_document_pipeline.md).
// Every wait is on the virtual clock: the run takes no real time.
#include "print.hpp"

#include <rill/async.hpp>
#include <rill/async/testing/virtual_time.hpp>
#include <rill/rill.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <iostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
namespace async = rill::async;
namespace vt = rill::async::testing;

vt::virtual_clock clk; // every wait below is on the virtual clock

// [snippet:types]
struct doc {
    std::string id;
    std::string text;
};

struct chunk {
    std::string id; // "doc#n"
    std::string text;
};

// What the embedding model returns for a chunk (a real one has hundreds of dimensions).
struct embedding {
    std::string id;
    std::vector<int> vector;
};

std::ostream& operator<<(std::ostream& os, const embedding& e) {
    os << e.id << " [";
    for (std::size_t i = 0; i < e.vector.size(); ++i) os << (i ? ", " : "") << e.vector[i];
    return os << ']';
}
// [/snippet:types]

// [snippet:corpus]
// The input: an archive opened and closed with awaited calls; the close is
// told how the run ended. Its documents are read one at a time.
auto corpus(std::vector<doc> docs) {
    auto open = [docs]() -> asio::awaitable<std::vector<doc>> {
        co_await async::sleep_for(10ms, clk);
        std::cout << "open corpus (" << docs.size() << " documents)\n";
        co_return docs;
    };
    auto close = [](std::vector<doc>&, rill::exit_case how) -> asio::awaitable<void> {
        co_await async::sleep_for(10ms, clk);
        std::cout << "close corpus (" << how << ")\n";
    };
    return async::using_resource(open, close, [](std::vector<doc>& archive) {
        return async::from(archive); // the archive stays put until it is released
    });
}
// [/snippet:corpus]

// [snippet:steps]
// Awaitable steps that may fail per item: the Err takes the item's place and
// the stream goes on.
asio::awaitable<rill::result<doc>> clean(doc d) {
    co_await async::sleep_for(1ms, clk);
    std::string text;
    for (char c : d.text)
        if (std::isalpha(static_cast<unsigned char>(c)) || c == ' ' || c == '.')
            text += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (text.find_first_not_of(" .") == std::string::npos) co_return rill::err("EMPTY", d.id + ": no text left");
    co_return doc{d.id, text};
}

// A document's sentences, each a chunk: a stream of its own.
auto chunks(const doc& d) {
    std::vector<chunk> out;
    std::size_t start = 0;
    for (std::size_t dot; (dot = d.text.find('.', start)) != std::string::npos; start = dot + 1) {
        auto s = d.text.substr(start, dot - start);
        s.erase(0, s.find_first_not_of(' '));
        if (!s.empty()) out.push_back({d.id + "#" + std::to_string(out.size()), s});
    }
    return async::from(std::move(out));
}

asio::awaitable<rill::result<embedding>> embed(chunk c) {
    co_await async::sleep_for(5ms, clk); // the model server
    if (c.text.size() > 40) co_return rill::err("TOO_LONG", c.id + ": " + std::to_string(c.text.size()) + " characters");
    const auto words = std::count(c.text.begin(), c.text.end(), ' ') + 1;
    co_return embedding{c.id, {static_cast<int>(words), static_cast<int>(c.text.size())}};
}
// [/snippet:steps]

std::vector<doc> documents() {
    return {{"a", "Streams are lazy. Runs are fresh."},
            {"b", "  ***  "},
            {"c", "Errors are items. This sentence is far too long for the model server."},
            {"d", "Close what you open."}};
}

int main() {
    std::cout << "== pipeline ==\n";
    {
        // [snippet:pipeline]
        auto embedded = corpus(documents())
                      | async::try_map(clean) | async::named("clean")
                      | async::and_then(chunks)                       // each document's chunks, in turn
                      | async::try_map(embed) | async::named("embed");
        auto [vectors, errors] = vt::run_virtual(async::partition(embedded));
        for (const auto& v : vectors) std::cout << "ok   " << v << '\n';
        for (const auto& e : errors) std::cout << "err  " << e << '\n';
        // [/snippet:pipeline]
    }
    std::cout << "== comprehension ==\n";
    {
        // [snippet:comprehension]
        // [c.id async for d in corpus if ok(d) and d.id != "a" async for c in chunks(d)]
        auto ids = corpus(documents())
                 | async::try_map(clean)
                 | async::filter([](const doc& d) { return d.id != "a"; })
                 | async::and_then(chunks)
                 | async::map([](const chunk& c) { return c.id; });
        print(vt::run_virtual(async::collect(ids)));
        // [/snippet:comprehension]
    }
    std::cout << "== early ==\n";
    {
        // [snippet:early]
        auto first = corpus(documents()) | async::take(1) // closed as soon as one document is read
                   | async::map([](const doc& d) { return d.id; });
        print(vt::run_virtual(async::collect(first)));
        // [/snippet:early]
    }
    std::cout << "== failed ==\n";
    {
        // [snippet:failed]
        auto buggy = corpus(documents()) | async::map([](doc d) {
                         if (d.id == "c") throw std::runtime_error("bug in the indexer");
                         return d.id;
                     });
        try {
            vt::run_virtual(async::collect(buggy));
        } catch (const std::exception& e) {
            std::cout << "caught: " << e.what() << '\n'; // after the corpus was closed
        }
        // [/snippet:failed]
    }
}
