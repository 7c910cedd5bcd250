// The rill showcase: an order-processing pipeline.
//
// Raw order records arrive from a paginated source as strings. They are parsed
// at the edge into typed orders (a std::variant), routed by type into a ledger
// that lives exactly as long as each run, and summarised. A malformed or
// rejected record becomes an Err item in its position: it never stops the
// stream, and it reports where it came from.
//
// Build and run: ./scripts/showcase
#include <rill/rill.hpp>

#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// --- the typed orders -----------------------------------------------------------

struct purchase {
    long id;
    std::string sku;
    long qty;
    long unit_cents;
};
struct refund {
    long id;
    long of; // the purchase it refunds
    long cents;
};
struct renewal {
    long id;
    std::string plan;
    long months;
    long cents;
};
using order = std::variant<purchase, refund, renewal>;

/// What the ledger wrote for one order: a signed amount.
struct posting {
    std::string kind;
    long id;
    long cents;
};

template <class... F>
struct overloaded : F... {
    using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

/// 1250 -> "12.50"; with `sign`, "+12.50" (a negative amount always shows its "-").
std::string money(long cents, bool sign = false) {
    std::ostringstream os;
    if (cents < 0) os << '-';
    else if (sign) os << '+';
    os << std::labs(cents) / 100 << '.' << std::setw(2) << std::setfill('0') << std::labs(cents) % 100;
    return os.str();
}

// --- the source: three pages of records, then an empty page ---------------------

rill::result<std::vector<std::string>> fetch_page(std::size_t page) {
    static const std::vector<std::vector<std::string>> pages = {
        {"purchase id=1001 sku=BOOK-7 qty=2 unit_cents=1250",
         "refund id=1002 of=990 cents=500",
         "renewal id=1003 plan=pro months=12 cents=9900",
         "purchase id=1004 sku=MUG-2 qty=two unit_cents=800"},
        {"purchase id=1005 sku=PEN-1 qty=10 unit_cents=150",
         "gift id=1006 sku=BOOK-7",
         "refund id=1007 of=1001 cents=1250",
         "renewal id=1008 plan=basic months=1"},
        {"purchase id=1009 sku=BOOK-7 qty=1 unit_cents=1250",
         "refund id=1010 of=1005 cents=2000",
         "renewal id=1011 plan=basic months=1 cents=900",
         "purchase id=1012 sku=LAMP-3 qty=1 unit_cents=4500"},
    };
    std::vector<std::string> records = page < pages.size() ? pages[page] : std::vector<std::string>{};
    std::cout << "fetched page " << page << " (" << records.size() << " records)\n";
    return records;
}

// --- parsing at the edge: string -> result<order> --------------------------------

/// The fields of one record, `kind key=value ...`. The first missing or
/// malformed field becomes the record's error.
class fields {
public:
    explicit fields(std::string_view line) {
        std::istringstream words{std::string(line)};
        words >> kind_;
        for (std::string word; words >> word;) {
            const auto eq = word.find('=');
            if (eq != std::string::npos) values_[word.substr(0, eq)] = word.substr(eq + 1);
        }
    }

    const std::string& kind() const { return kind_; }

    std::string text(const std::string& key) {
        const std::string* v = find(key);
        return v ? *v : std::string();
    }

    long number(const std::string& key) {
        const std::string* v = find(key);
        if (!v) return 0;
        long n = 0;
        const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
        if (ec != std::errc() || end != v->data() + v->size())
            fail("PARSE", "field '" + key + "' is not a number: \"" + *v + "\"");
        return n;
    }

    /// The order, or the first problem met while reading its fields.
    rill::result<order> finish(order o) const {
        if (error_) return rill::err(*error_);
        return o;
    }

private:
    const std::string* find(const std::string& key) {
        const auto it = values_.find(key);
        if (it != values_.end()) return &it->second;
        fail("PARSE", "missing field '" + key + "'");
        return nullptr;
    }
    void fail(std::string code, std::string message) {
        if (!error_) error_ = rill::err_info{std::move(code), std::move(message)};
    }

    std::string kind_;
    std::map<std::string, std::string> values_;
    std::optional<rill::err_info> error_;
};

// [snippet:parse]
rill::result<order> parse_order(const std::string& line) {
    fields f(line);
    // Braced initialisers evaluate left to right: the first bad field is reported.
    if (f.kind() == "purchase")
        return f.finish(purchase{f.number("id"), f.text("sku"), f.number("qty"), f.number("unit_cents")});
    if (f.kind() == "refund")
        return f.finish(refund{f.number("id"), f.number("of"), f.number("cents")});
    if (f.kind() == "renewal")
        return f.finish(renewal{f.number("id"), f.text("plan"), f.number("months"), f.number("cents")});
    return rill::err("UNKNOWN_KIND", "record kind \"" + f.kind() + "\" is not purchase, refund or renewal");
}
// [/snippet:parse]

// --- the per-run resource: a ledger that routes each order by its type ----------

class ledger {
public:
    // [snippet:route]
    rill::result<posting> post(const order& o) {
        return std::visit(
            overloaded{
                [&](const purchase& p) -> rill::result<posting> {
                    purchased_[p.id] = p.qty * p.unit_cents;
                    return write({"purchase", p.id, p.qty * p.unit_cents});
                },
                [&](const refund& r) -> rill::result<posting> {
                    const auto it = purchased_.find(r.of);
                    if (it == purchased_.end())
                        return rill::err("UNKNOWN_ORDER", "refund " + std::to_string(r.id) + ": field 'of' names order " +
                                                              std::to_string(r.of) + ", not in this ledger");
                    if (r.cents > it->second)
                        return rill::err("OVER_REFUND", "refund " + std::to_string(r.id) + ": field 'cents' (" +
                                                            money(r.cents) + ") exceeds order " +
                                                            std::to_string(r.of) + " (" + money(it->second) + ")");
                    return write({"refund", r.id, -r.cents});
                },
                [&](const renewal& s) -> rill::result<posting> { return write({"renewal", s.id, s.cents}); },
            },
            o);
    }
    // [/snippet:route]

private:
    posting write(posting p) {
        std::cout << "  posted " << p.kind << ' ' << p.id << ' ' << money(p.cents, true) << '\n';
        return p;
    }

    std::map<long, long> purchased_; // purchase id -> amount, for checking refunds
};

// --- the pipeline: a description, nothing runs until it is consumed -------------

// [snippet:pipeline]
rill::stream<posting> post_orders() {
    auto orders = rill::paginate(fetch_page)         // lazily, one page at a time
                | rill::try_map(parse_order)         // string -> result<order>
                | rill::named("parse");

    return rill::using_resource(
        [] {
            std::cout << "ledger opened\n";
            return ledger{};
        },
        [](ledger&, rill::exit_case how) { std::cout << "ledger closed (" << how << ")\n"; },
        [orders](ledger& book) {
            return orders
                 | rill::try_map([&book](order&& o) { return book.post(o); })
                 | rill::named("post");
        });
}
// [/snippet:pipeline]

struct tally {
    int orders = 0;
    long cents = 0;
};

// [snippet:main]
int main() {
    const rill::stream<posting> postings = post_orders();
    std::cout << "pipeline built, nothing fetched yet\n\n";

    std::cout << "== run 1: every order ==\n";
    std::map<std::string, tally> by_kind;
    const std::vector<rill::err_info> rejected = rill::for_each(postings, [&](posting p) {
        tally& t = by_kind[p.kind];
        ++t.orders;
        t.cents += p.cents;
    });

    long net = 0;
    std::cout << "\nprocessed:\n";
    for (const auto& [kind, t] : by_kind) {
        std::cout << "  " << std::left << std::setw(9) << kind << std::right << std::setw(2) << t.orders << "  "
                  << std::setw(8) << money(t.cents, true) << '\n';
        net += t.cents;
    }
    std::cout << "  " << std::left << std::setw(13) << "net" << std::right << std::setw(8) << money(net, true) << '\n';
    std::cout << "rejected (" << rejected.size() << "):\n";
    for (const rill::err_info& e : rejected) std::cout << "  " << e << '\n';

    std::cout << "\n== run 2: the first three items only ==\n";
    const auto [posted, failed] = rill::partition(postings | rill::take(3));
    std::cout << posted.size() << " posted, " << failed.size() << " rejected\n";
}
// [/snippet:main]
