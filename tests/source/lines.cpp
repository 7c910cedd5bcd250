// Tests of include/rill/source/lines.hpp: lines(path) and lines(istream).
#include <rill/source/lines.hpp>
#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/sink/for_each.hpp>
#include <rill/stage/enumerate.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/named.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/try_map.hpp>
#include <rill/stream.hpp>

#include <doctest/doctest.h>

#include <unistd.h>

#include <charconv>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace fs = std::filesystem;

namespace {

/// A fresh directory for one test's files, removed with everything in it.
struct temp_dir {
    fs::path path;
    temp_dir() {
        static int serial = 0;
        path = fs::temp_directory_path() /
               ("rill_lines_test_" + std::to_string(::getpid()) + "_" + std::to_string(serial++));
        fs::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    /// Writes `content` byte for byte to the file `name` and returns its path.
    fs::path write(const std::string& name, const std::string& content) const {
        const fs::path p = path / name;
        std::ofstream out(p, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        return p;
    }
};

/// The open file descriptors of this process.
std::size_t open_files() {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/fd")) ++n;
    return n;
}

std::vector<std::string> values(const std::vector<rill::result<std::string>>& items) {
    std::vector<std::string> out;
    for (const auto& r : items) {
        REQUIRE(r.has_value());
        out.push_back(*r);
    }
    return out;
}

/// The lines of one run, through each protocol: the push one (`collect`),
/// `next()` and a range-for. They must agree.
std::vector<std::string> read_all(const rill::lines_stream& s) {
    const auto pushed = values(rill::collect(s));
    std::vector<std::string> pulled;
    auto c = s.open();
    while (auto r = c.next()) {
        REQUIRE(r->has_value());
        pulled.push_back(**r);
    }
    std::vector<std::string> looped;
    for (auto&& r : s) {
        REQUIRE(r.has_value());
        looped.push_back(*r);
    }
    CHECK(pulled == pushed);
    CHECK(looped == pushed);
    return pushed;
}

using strings = std::vector<std::string>;

rill::result<int> parse_int(std::string_view s) {
    int v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size())
        return rill::err("PARSE", "not a number: \"" + std::string(s) + "\"");
    return v;
}

} // namespace

static_assert(std::is_same_v<rill::value_t<rill::lines_stream>, std::string>);
static_assert(std::is_same_v<rill::value_t<rill::istream_lines_stream>, std::string>);
static_assert(rill::replayable_stream<rill::lines_stream>);
static_assert(!rill::replayable_stream<rill::istream_lines_stream>, "a caller's istream is consumed by a run");
static_assert(std::is_same_v<decltype(rill::lines(fs::path("x"))), rill::lines_stream>);
static_assert(std::is_same_v<decltype(rill::lines(std::string_view("x"))), rill::lines_stream>);
static_assert(std::is_same_v<decltype(rill::lines("x")), rill::lines_stream>);
static_assert(std::is_same_v<decltype(rill::lines(std::declval<std::ifstream&>())), rill::istream_lines_stream>);
template <class T>
concept reads_lines_of = requires(T&& t) { rill::lines(std::forward<T>(t)); };
static_assert(reads_lines_of<std::istringstream&>);
static_assert(!reads_lines_of<std::istringstream>, "a temporary istream would dangle");
static_assert(!reads_lines_of<std::ifstream&&>);

TEST_CASE("lines splits a file on '\\n', drops a '\\r' before it and keeps a last line without '\\n'") {
    const temp_dir dir;
    const std::vector<std::pair<std::string, strings>> cases = {
        {"", {}},
        {"a", {"a"}},
        {"a\n", {"a"}},
        {"a\nbc", {"a", "bc"}},
        {"a\nbc\n", {"a", "bc"}},
        {"\n", {""}},
        {"\n\n", {"", ""}},
        {"a\n\n\nb\n", {"a", "", "", "b"}},
        {"a\r\nb\r\n", {"a", "b"}},
        {"a\r\nb", {"a", "b"}},
        {"\r\n\r\n", {"", ""}},
        {"a\rb\n", {"a\rb"}},      // only a '\r' at the end of a line is dropped
        {"a\r\r\n", {"a\r"}},      // one '\r', not every one
        {"last\r", {"last"}},      // the last line too
        {"tab\tand space \n", {"tab\tand space "}},
    };
    int i = 0;
    for (const auto& c : cases) {
        const std::string& content = c.first; // a plain reference: clang 14 cannot capture a structured binding
        CAPTURE(content);
        const auto p = dir.write("case" + std::to_string(i++), content);
        CHECK(read_all(rill::lines(p)) == c.second);
    }
}

TEST_CASE("lines joins a line that spans read blocks, wherever the block boundary falls") {
    const temp_dir dir;
    constexpr std::size_t block = rill::lines_stream::block_size;
    const std::string longer(3 * block + 17, 'x');
    CHECK(read_all(rill::lines(dir.write("long", "a\n" + longer + "\nb\n"))) == strings{"a", longer, "b"});
    CHECK(read_all(rill::lines(dir.write("long_last", longer))) == strings{longer});

    // The '\n' as the last byte of a block, then as the first byte of the next one.
    const std::string fill(block - 1, 'f');
    CHECK(read_all(rill::lines(dir.write("nl_last", fill + "\nnext\n"))) == strings{fill, "next"});
    CHECK(read_all(rill::lines(dir.write("nl_first", fill + "g\nnext"))) == strings{fill + "g", "next"});
    // A CRLF split across two blocks.
    CHECK(read_all(rill::lines(dir.write("crlf_split", fill + "\r\nnext\r\n"))) == strings{fill, "next"});
    // A file of exactly one block, and one of many short lines over several blocks.
    CHECK(read_all(rill::lines(dir.write("one_block", std::string(block - 1, 'z') + "\n"))) ==
          strings{std::string(block - 1, 'z')});
    std::string many;
    strings expected;
    for (int k = 0; k < 50'000; ++k) {
        expected.push_back(std::to_string(k * 7919) + (k % 3 == 0 ? "" : ",with a tail"));
        many += expected.back() + (k % 5 == 0 ? "\r\n" : "\n");
    }
    CHECK(read_all(rill::lines(dir.write("many", many))) == expected);
}

TEST_CASE("collect of lines keeps every line: items are strings, not views into the run's buffer") {
    const temp_dir dir;
    const auto p = dir.write("f", "the first line, longer than a small string\nsecond line, also long enough\n");
    const auto items = rill::collect(rill::lines(p));
    REQUIRE(items.size() == 2);
    CHECK(*items[0] == "the first line, longer than a small string");
    CHECK(*items[1] == "second line, also long enough");
}

TEST_CASE("a missing file is the run's only item: an io.open Err naming the path and the reason") {
    const temp_dir dir;
    const fs::path p = dir.path / "no_such_file.txt";
    const auto items = rill::collect(rill::lines(p));
    REQUIRE(items.size() == 1);
    REQUIRE(!items[0].has_value());
    const rill::err_info& e = items[0].error();
    CHECK(e.code == "io.open");
    CHECK(e.message.find(p.string()) != std::string::npos);
    CHECK(e.message.find(std::generic_category().message(ENOENT)) != std::string::npos);
    REQUIRE(e.trace.size() == 1);
    CHECK(e.trace[0] == rill::err_frame{"lines", "", 0});

    auto c = rill::lines(p).open();
    auto first = c.next();
    REQUIRE(first);
    CHECK(!first->has_value());
    CHECK(first->error().code == "io.open");
    CHECK(!c.next());
}

TEST_CASE("a directory opens but cannot be read: an io.read Err naming the path and the reason") {
    const temp_dir dir;
    const auto items = rill::collect(rill::lines(dir.path));
    REQUIRE(items.size() == 1);
    REQUIRE(!items[0].has_value());
    CHECK(items[0].error().code == "io.read");
    CHECK(items[0].error().message.find(dir.path.string()) != std::string::npos);
    CHECK(items[0].error().message.find(std::generic_category().message(EISDIR)) != std::string::npos);
}

TEST_CASE("a file without read permission is an io.open Err") {
    if (::geteuid() == 0) {
        MESSAGE("skipped: running as root, permissions do not stop reading");
        return;
    }
    const temp_dir dir;
    const auto p = dir.write("secret", "x\n");
    fs::permissions(p, fs::perms::none);
    const auto items = rill::collect(rill::lines(p));
    REQUIRE(items.size() == 1);
    CHECK(items[0].error().code == "io.open");
    CHECK(items[0].error().message.find(std::generic_category().message(EACCES)) != std::string::npos);
}

TEST_CASE("building a lines stream opens nothing: each run opens the file at its first pull") {
    const temp_dir dir;
    const fs::path p = dir.path / "later.txt";
    const auto s = rill::lines(p); // the file does not exist yet
    const std::size_t before = open_files();
    auto c = s.open();
    CHECK(open_files() == before); // opening a run does not open the file either
    dir.write("later.txt", "1\n2\n");
    auto first = c.next();
    REQUIRE(first);
    CHECK(**first == "1");
    CHECK(open_files() == before + 1); // the file is open while the run reads it
    auto second = c.next();
    REQUIRE(second);
    CHECK(**second == "2");
    CHECK(!c.next());
    CHECK(open_files() == before); // closed as soon as the last line is read, the cursor still alive
}

TEST_CASE("two runs of lines give the same lines, and each run reads the file as it is then") {
    const temp_dir dir;
    const auto p = dir.write("f", "a\nb\nc\n");
    const auto s = rill::lines(p);
    CHECK(read_all(s) == read_all(s));
    CHECK(read_all(s) == strings{"a", "b", "c"});
    dir.write("f", "d\n");
    CHECK(read_all(s) == strings{"d"});
}

TEST_CASE("stopping a run early closes the file, exactly when the cursor goes") {
    const temp_dir dir;
    const auto p = dir.write("f", "1\n2\n3\n4\n");
    const std::size_t before = open_files();
    CHECK(values(rill::collect(rill::lines(p) | rill::take(2))) == strings{"1", "2"});
    CHECK(open_files() == before);
    for (auto&& r : rill::lines(p)) {
        CHECK(open_files() == before + 1);
        if (*r == "2") break;
    }
    CHECK(open_files() == before);
    {
        auto c = rill::lines(p).open();
        (void)c.next();
        CHECK(open_files() == before + 1);
    }
    CHECK(open_files() == before);
}

TEST_CASE("an exception from a downstream function closes the file and propagates") {
    const temp_dir dir;
    const auto p = dir.write("f", "1\n2\n3\n");
    const auto throwing = rill::lines(p) | rill::map([](const std::string& line) {
                              if (line == "2") throw std::runtime_error("boom");
                              return line;
                          });
    const std::size_t before = open_files();
    CHECK_THROWS_WITH_AS(rill::collect(throwing), "boom", std::runtime_error);
    CHECK(open_files() == before);
    CHECK_THROWS_AS(
        [&] {
            for (auto&& r : throwing) (void)r;
        }(),
        std::runtime_error);
    CHECK(open_files() == before);
    CHECK_THROWS_AS(
        [&] {
            auto c = throwing.open();
            while (c.next()) {
            }
        }(),
        std::runtime_error);
    CHECK(open_files() == before);
}

TEST_CASE("an Err from try_map downstream carries the item's position: the line number less one") {
    const temp_dir dir;
    const auto p = dir.write("numbers", "10\n20\nthirty\n40\n\n");
    const auto s = rill::lines(p) | rill::try_map(parse_int) | rill::named("parse");
    const auto items = rill::collect(s);
    REQUIRE(items.size() == 5);
    CHECK(*items[0] == 10);
    CHECK(*items[3] == 40);
    REQUIRE(!items[2].has_value());
    REQUIRE(items[2].error().trace.size() == 1);
    CHECK(items[2].error().trace[0] == rill::err_frame{"try_map", "parse", 2}); // line 3
    REQUIRE(!items[4].has_value());
    CHECK(items[4].error().trace[0].index == 4); // line 5, the empty one
    std::ostringstream printed;
    printed << items[2].error();
    CHECK(printed.str() == "PARSE: not a number: \"thirty\" [at parse (try_map) #2]");

    // enumerate gives the same positions to the Ok path.
    std::vector<std::size_t> positions;
    (void)rill::for_each(rill::lines(p) | rill::enumerate(),
                         [&](const std::pair<std::size_t, std::string>& x) { positions.push_back(x.first); });
    CHECK(positions == std::vector<std::size_t>{0, 1, 2, 3, 4});
}

TEST_CASE("lines erases to stream<std::string> and replays through it") {
    const temp_dir dir;
    const auto p = dir.write("f", "x\ny\n");
    const rill::stream<std::string> s = rill::lines(p);
    CHECK(values(rill::collect(s)) == strings{"x", "y"});
    CHECK(values(rill::collect(s)) == strings{"x", "y"});
}

TEST_CASE("lines(istream) reads the caller's stream from where it stands, and leaves it open") {
    std::istringstream in("a\r\nb\n\nc");
    const auto s = rill::lines(in);
    CHECK(values(rill::collect(s)) == strings{"a", "b", "", "c"});
    CHECK(rill::collect(s).empty()); // one-shot: the stream is consumed

    in.clear();
    in.seekg(0); // the caller rewinds: the next run starts over
    CHECK(rill::count(s) == 4);

    std::istringstream partial("1\n2\n3\n4\n");
    CHECK(values(rill::collect(rill::lines(partial) | rill::take(2))) == strings{"1", "2"});
    std::string rest;
    std::getline(partial, rest);
    CHECK(rest == "3"); // getline reads no further than the lines it gave

    const temp_dir dir;
    std::ifstream file(dir.write("f", "p\nq\n"));
    CHECK(values(rill::collect(rill::lines(file))) == strings{"p", "q"});
    CHECK(file.is_open()); // not closed by rill
}

TEST_CASE("lines(istream) of a stream that failed before the run is one io.open Err") {
    std::ifstream missing("/no/such/dir/file.txt");
    const auto items = rill::collect(rill::lines(missing));
    REQUIRE(items.size() == 1);
    CHECK(items[0].error().code == "io.open");
}

namespace {
/// A streambuf that gives `good` and then fails to read (throws from underflow).
struct failing_buf : std::streambuf {
    std::string good;
    bool given = false;
    explicit failing_buf(std::string g) : good(std::move(g)) {}
    int_type underflow() override {
        if (given) throw std::runtime_error("device error");
        given = true;
        setg(good.data(), good.data(), good.data() + good.size());
        return traits_type::to_int_type(good[0]);
    }
};
} // namespace

TEST_CASE("lines(istream): a read that fails is an io.read Err in the position of the line, and ends the run") {
    failing_buf buf("one\ntwo\nthr");
    std::istream in(&buf);
    const auto items = rill::collect(rill::lines(in));
    REQUIRE(items.size() == 3);
    CHECK(*items[0] == "one");
    CHECK(*items[1] == "two");
    REQUIRE(!items[2].has_value());
    CHECK(items[2].error().code == "io.read");
    CHECK(items[2].error().trace[0] == rill::err_frame{"lines", "", 2});
}
