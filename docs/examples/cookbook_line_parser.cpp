// Cookbook: a file read line by line, each line parsed on its own
// (docs/cookbook/line_parser.md; chapter 7 shows read_lines).
#include <rill/rill.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>

// [snippet:read_lines]
// One line of a text file, with its 1-based line number.
struct line {
    std::size_t number = 0;
    std::string text;
};

// The lines of the file at `path`. Each run opens the file, reads it one line
// at a time as the consumer pulls, and closes it when the run ends, however
// it ends. A file that cannot be opened is the run's only item, an Err.
rill::stream<line> read_lines(std::string path) {
    return rill::using_resource(
        [path]() -> rill::result<std::ifstream> {
            std::ifstream in(path);
            if (!in) return rill::err("OPEN", "cannot open " + path);
            return in;
        },
        [name = std::filesystem::path(path).filename().string()](std::ifstream&, rill::exit_case how) {
            std::cout << "closed " << name << " (" << how << ")\n";
        },
        [](std::ifstream& in) {
            return rill::generate([&in]() -> rill::generator<line> {
                std::string text;
                std::size_t number = 0;
                while (std::getline(in, text)) {
                    line l{++number, std::move(text)}; // a named local: see the g++ 12 pitfall
                    co_yield l;
                }
            });
        });
}
// [/snippet:read_lines]

// [snippet:parser]
// A reading of `sensor,celsius`, parsed from one line.
struct reading {
    std::string sensor;
    double celsius = 0;
};

rill::result<reading> parse_reading(const line& l) {
    const auto where = "line " + std::to_string(l.number) + ": ";
    const auto comma = l.text.find(',');
    if (comma == std::string::npos) return rill::err("PARSE", where + "expected sensor,celsius");
    reading r{l.text.substr(0, comma), 0};
    const std::string value = l.text.substr(comma + 1);
    char* end = nullptr;
    r.celsius = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0') return rill::err("PARSE", where + "not a temperature: \"" + value + "\"");
    if (r.celsius < -90 || r.celsius > 60) return rill::err("RANGE", where + r.sensor + " reads " + value);
    return r;
}

bool is_data(const line& l) { return !l.text.empty() && l.text[0] != '#'; }
// [/snippet:parser]

int main() {
    const std::string path = (std::filesystem::temp_directory_path() / "rill_docs_readings.csv").string();
    {
        std::ofstream out(path);
        out << "# sensor,celsius\n"
               "kitchen,21.5\n"
               "garage,-3\n"
               "attic,hot\n"
               "\n"
               "cellar,12.25\n"
               "porch\n"
               "boiler,85\n"
               "hall,19\n";
    }

    // [snippet:pipeline]
    auto readings = read_lines(path)
                  | rill::filter(is_data)          // skip blank lines and comments
                  | rill::try_map(parse_reading)   // one Err per bad line, the rest go on
                  | rill::named("parse");
    // [/snippet:pipeline]

    std::cout << "== all ==\n";
    // [snippet:all]
    auto [good, bad] = rill::partition(readings);
    for (const reading& r : good) std::cout << r.sensor << ' ' << r.celsius << '\n';
    for (const rill::err_info& e : bad) std::cout << "rejected: " << e << '\n';
    // [/snippet:all]

    std::cout << "== first ==\n";
    // [snippet:first]
    // Only the first two readings: the file is closed as soon as they are read.
    for (const rill::result<reading>& r : readings | rill::take(2)) std::cout << r->sensor << '\n';
    // [/snippet:first]

    std::cout << "== missing ==\n";
    // [snippet:missing]
    for (const rill::result<line>& r : read_lines("/no/such/file.csv")) std::cout << r.error() << '\n';
    // [/snippet:missing]

    std::filesystem::remove(path);
}
