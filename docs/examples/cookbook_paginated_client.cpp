// Cookbook: a client for a paginated API (docs/cookbook/paginated_client.md).
// The server is simulated in-process so that the program is deterministic.
#include <rill/rill.hpp>

#include <iostream>
#include <map>
#include <string>
#include <utility>
#include <vector>

// [snippet:server]
// What the network gives back: a status and a body of `id;name;email` lines.
struct response {
    int status = 200;
    std::vector<std::string> body;
};

// A stand-in for the remote service: GET /users?page=N.
struct fake_server {
    std::map<std::size_t, response> pages{
        {0, {200, {"1;ada;ada@example.org", "2;brian;brian(at)example.org"}}},
        {1, {200, {"3;chen;chen@example.org", "4;;dee@example.org"}}},
        {2, {200, {"5;eve;eve@example.org"}}},
        {3, {200, {}}}, // an empty page: the listing is over
    };
    response get(std::size_t page) const {
        std::cout << "  GET /users?page=" << page << '\n';
        const auto it = pages.find(page);
        return it == pages.end() ? response{404, {}} : it->second;
    }
};
// [/snippet:server]

// [snippet:client]
struct user {
    int id = 0;
    std::string name;
    std::string email;
};

// One page of raw records, or the error of a failed request.
rill::result<std::vector<std::string>> fetch_page(const fake_server& server, std::size_t page) {
    response r = server.get(page);
    if (r.status != 200)
        return rill::err("HTTP_" + std::to_string(r.status), "GET /users?page=" + std::to_string(page));
    return std::move(r.body);
}

// One record, checked field by field.
rill::result<user> parse_user(const std::string& record) {
    const auto a = record.find(';');
    const auto b = record.find(';', a + 1);
    if (a == std::string::npos || b == std::string::npos) return rill::err("PARSE", "not id;name;email: " + record);
    user u{std::stoi(record.substr(0, a)), record.substr(a + 1, b - a - 1), record.substr(b + 1)};
    if (u.name.empty()) return rill::err("INVALID", "user " + std::to_string(u.id) + ": empty name");
    if (u.email.find('@') == std::string::npos)
        return rill::err("INVALID", "user " + std::to_string(u.id) + ": bad email " + u.email);
    return u;
}

// Every user of the listing, page after page, fetched only as they are needed.
auto users(const fake_server& server) {
    return rill::paginate([&server](std::size_t page) { return fetch_page(server, page); })
         | rill::named("fetch")
         | rill::try_map(parse_user)
         | rill::named("parse");
}
// [/snippet:client]

int main() {
    fake_server server;

    std::cout << "== built ==\n";
    // [snippet:built]
    auto all = users(server);
    std::cout << "nothing fetched yet\n";
    // [/snippet:built]

    std::cout << "== first ==\n";
    // [snippet:first]
    // The first user only: one request.
    for (const rill::result<user>& u : all | rill::take(1)) std::cout << u->name << '\n';
    // [/snippet:first]

    std::cout << "== all ==\n";
    // [snippet:all]
    // Every user: one request per page, up to the first empty page.
    auto [found, rejected] = rill::partition(all);
    for (const user& u : found) std::cout << u.id << ' ' << u.name << " <" << u.email << ">\n";
    for (const rill::err_info& e : rejected) std::cout << "rejected: " << e << '\n';
    // [/snippet:all]

    std::cout << "== outage ==\n";
    // [snippet:outage]
    // A failed page is an Err item, and ends the run: later pages cannot be reached.
    server.pages[1] = {503, {}};
    for (const rill::result<user>& u : all)
        if (u) std::cout << u->name << '\n';
        else std::cout << "error: " << u.error() << '\n';
    // [/snippet:outage]

    std::cout << "== strict ==\n";
    // [snippet:strict]
    // All or nothing: try_collect stops at the first Err, and fetches no further.
    server.pages[1] = {200, {"3;chen;chen@example.org"}};
    rill::result<std::vector<user>> everyone = rill::try_collect(all);
    if (!everyone) std::cout << "failed: " << everyone.error() << '\n';
    // [/snippet:strict]
}
