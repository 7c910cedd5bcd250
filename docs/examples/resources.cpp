// The examples of docs/06-resources.md: using_resource, exit_case, release order.
#include "print.hpp"

#include <rill/rill.hpp>

#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

// [snippet:handle]
// A resource that reports its life: `opener(name)` makes an acquire function,
// `closer` is an explicit release that is told how the run ended.
struct handle {
    std::string name;
};

auto opener(std::string name) {
    return [name] {
        std::cout << "open " << name << '\n';
        return handle{name};
    };
}

void closer(handle& h, rill::exit_case how) {
    std::cout << "close " << h.name << " (" << how << ")\n";
}
// [/snippet:handle]

// [snippet:raii]
// With two arguments, the resource's destructor releases it. The resource is
// moved from acquire's return value into the run, so a moved-from resource
// must release nothing: std::unique_ptr guarantees it.
struct connection {
    explicit connection(std::string n) : name(std::move(n)) { std::cout << "connect " << name << '\n'; }
    ~connection() { std::cout << "disconnect " << name << '\n'; }
    std::vector<int> query() const { return {1, 2, 3}; }
    std::string name;
};
// [/snippet:raii]

int main() {
    std::cout << "== raii ==\n";
    {
        // [snippet:raii_use]
        auto rows = rill::using_resource(
            [] { return std::make_unique<connection>("db"); },
            [](std::unique_ptr<connection>& c) { return rill::from(c->query()); });
        std::cout << "built\n"; // nothing acquired yet
        for (const auto& r : rows) std::cout << "row " << *r << '\n';
        // [/snippet:raii_use]
    }

    std::cout << "== completed ==\n";
    {
        // [snippet:completed]
        auto s = rill::using_resource(opener("log"), closer, [](handle&) { return rill::of(1, 2); });
        std::vector<int> seen;
        rill::for_each(s, [&](int x) { seen.push_back(x); }); // released when the inner stream ends
        std::cout << "after the run: " << seen.size() << " items\n";
        // [/snippet:completed]
    }

    std::cout << "== stopped_early ==\n";
    {
        // [snippet:stopped_early]
        auto s = rill::using_resource(opener("log"), closer, [](handle&) { return rill::iota(1); });
        for (const auto& r : s | rill::take(2)) // take releases upstream as soon as
            std::cout << "got " << *r << '\n';    // it has pulled its n-th item

        for (const auto& r : s) {
            std::cout << "got " << *r << '\n';
            break; // leaving the loop destroys the run
        }
        // [/snippet:stopped_early]
    }

    std::cout << "== failed ==\n";
    {
        // [snippet:failed]
        auto s = rill::using_resource(opener("log"), closer, [](handle&) {
            return rill::iota(1, 5) | rill::map([](int x) {
                       if (x == 3) throw std::runtime_error("no 3s");
                       return x;
                   });
        });
        try {
            rill::for_each(s, [](int x) { std::cout << "got " << x << '\n'; });
        } catch (const std::exception& e) {
            std::cout << "caught: " << e.what() << '\n'; // released before we get here
        }
        // [/snippet:failed]
    }

    std::cout << "== order ==\n";
    {
        // [snippet:order]
        auto s = rill::using_resource(opener("db"), closer, [](handle&) {
            return rill::using_resource(opener("tx"), closer, [](handle&) { return rill::of(1); });
        });
        for (const auto& r : s) std::cout << "got " << *r << '\n';
        // released in reverse order of acquisition: tx, then db
        // [/snippet:order]
    }

    std::cout << "== per_item ==\n";
    {
        // [snippet:per_item]
        const std::map<std::string, std::vector<std::string>> disk{{"a.txt", {"a1", "a2"}}, {"b.txt", {"b1"}}};

        // One resource per Ok item: each file is closed before the next is opened.
        auto read_lines = [&disk](std::string path) {
            return rill::using_resource(opener(path), closer, [&disk](handle& f) { return rill::from(disk.at(f.name)); });
        };
        auto lines = rill::of(std::string("a.txt"), std::string("b.txt")) | rill::and_then(read_lines);
        rill::for_each(lines, [](std::string line) { std::cout << "  " << line << '\n'; });
        // [/snippet:per_item]
    }

    std::cout << "== acquire_fails ==\n";
    {
        // [snippet:acquire_fails]
        auto connect = []() -> rill::result<handle> { return rill::err("CONNECT", "db is down"); };
        auto s = rill::using_resource(connect, closer, [](handle&) { return rill::of(1, 2); });
        print(s); // the Err is the run's only item; nothing to release
        // [/snippet:acquire_fails]
    }

    std::cout << "== consumer_throws ==\n";
    {
        // [snippet:consumer_throws]
        auto s = rill::using_resource(opener("log"), closer, [](handle&) { return rill::of(1, 2); });
        try {
            for (const auto& r : s)
                if (*r == 1) throw std::runtime_error("consumer gave up");
        } catch (const std::exception& e) {
            std::cout << "caught: " << e.what() << '\n';
        }
        // [/snippet:consumer_throws]
    }
}
