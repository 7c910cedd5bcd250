// Cookbook: a file read line by line, each line parsed on its own
// (docs/cookbook/line_parser.md; chapter 7 describes rill::lines).
#include <rill/rill.hpp>

#include <cstdlib>
#include <filesystem>
#include <cstddef>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>

// [snippet:parser]
// A line of the file with its position (its line number less one), as
// rill::enumerate pairs them.
using numbered_line = std::pair<std::size_t, std::string>;

// A reading of `sensor,celsius`, parsed from one line.
struct reading {
    std::string sensor;
    double celsius = 0;
};

rill::result<reading> parse_reading(const numbered_line& l) {
    const auto& [position, text] = l;
    const auto where = "line " + std::to_string(position + 1) + ": ";
    const auto comma = text.find(',');
    if (comma == std::string::npos) return rill::err("PARSE", where + "expected sensor,celsius");
    reading r{text.substr(0, comma), 0};
    const std::string value = text.substr(comma + 1);
    char* end = nullptr;
    r.celsius = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0') return rill::err("PARSE", where + "not a temperature: \"" + value + "\"");
    if (r.celsius < -90 || r.celsius > 60) return rill::err("RANGE", where + r.sensor + " reads " + value);
    return r;
}

bool is_data(const numbered_line& l) { return !l.second.empty() && l.second[0] != '#'; }
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
    auto readings = rill::lines(path)              // opened per run, closed when the run ends
                  | rill::enumerate()              // (position, text): position = line number - 1
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
    for (const rill::result<std::string>& r : rill::lines("/no/such/file.csv")) std::cout << r.error() << '\n';
    // [/snippet:missing]

    std::filesystem::remove(path);
}
