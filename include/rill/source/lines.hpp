/// \file
/// `lines(path)` and `lines(istream)`: the lines of a text file as a stream of
/// `std::string`, read in large blocks into storage the run reuses.
///
/// Items are `std::string` values (without the newline, and a carriage return before it dropped),
/// so a line never dangles: `collect` keeps real strings. A run reads into one
/// string it keeps for the run and hands that string down as an rvalue; a
/// stage or sink that only reads it (a function taking `std::string_view` or
/// `const std::string&`, as `try_map(parse)` typically does) leaves its
/// capacity to the run, and the next line is copied into the same storage: no
/// allocation per line. A consumer that keeps the line (`collect`, a function
/// taking `std::string` by value, a range-for's current item) moves it out and
/// so pays the one allocation per line (longer than the small-string buffer)
/// that owning it costs. See chapter 7 of the docs (docs/07-sources.md).
#pragma once

#include <rill/detail/stream_base.hpp>

#include <cerrno>
#include <concepts>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

/// Closes a `std::FILE*` (the run's file handle).
struct file_closer {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

/// Drops one carriage return at the end of a line (CRLF files).
inline void drop_cr(std::string& line) noexcept {
    if (!line.empty() && line.back() == '\r') line.pop_back();
}

[[gnu::cold]] inline err_info io_error(const char* code, std::string what, int error_number, std::size_t index) {
    if (error_number != 0) {
        what += ": ";
        what += std::generic_category().message(error_number);
    }
    err_info e{code, std::move(what)};
    e.at("lines", index);
    return e;
}

/// What a line cursor `D` gives, written once: `next()` and `drain()` over
/// `D::read_line()`, which reads the next line into `line_` (true) or ends,
/// leaving an Err in `error_` when the end is a failure.
template <class D>
class line_cursor {
public:
    /// The type of the items' values.
    using value_type = std::string;

    /// The next line, an Err for an input that cannot be opened or read, or `std::nullopt` at the end.
    std::optional<result<std::string>> next() {
        if (self().read_line()) [[likely]]
            return ok<std::string>(line_);
        if (error_) [[unlikely]]
            return fail<std::string>(take_error());
        return std::nullopt;
    }

    /// Pushes the rest of the run's lines into `sink`: the push protocol beside `next()`.
    template <class K>
    bool drain(K& sink) {
        while (self().read_line()) {
            if (!sink.ok(std::move(line_))) return false;
        }
        if (error_) [[unlikely]]
            return sink.err(take_error());
        return true;
    }

protected:
    std::string line_{};              // the line read last, reused from line to line
    std::optional<err_info> error_{}; // why the run ended, when it failed

private:
    D& self() noexcept { return static_cast<D&>(*this); }
    err_info take_error() {
        err_info e = std::move(*error_);
        error_.reset();
        return e;
    }
};

} // namespace detail

/// The stream of the lines of the file at a path, made by `rill::lines(path)`.
///
/// Each run opens the file when its first item is pulled (building the stream
/// does nothing), reads it in blocks of `block_size` bytes and closes it
/// exactly once: as soon as the last line is read, or when the run stops
/// early, fails, or an exception passes through (the cursor's destructor).
/// A file that cannot be opened is the run's only item, an Err with code
/// `"io.open"`; a read that fails is an Err with code `"io.read"` in the
/// position of the line that could not be read, and ends the run. Both
/// messages name the path and the system's reason. The item at position `i`
/// is line `i + 1`: error provenance (`err_frame::index`) downstream gives
/// the line number less one, as long as no stage before it drops items.
class lines_stream : public stream_base<lines_stream> {
public:
    /// The type of the items' values (a run gives `result<std::string>` items).
    using value_type = std::string;
    /// Bytes read from the file at a time: the run's one buffer.
    static constexpr std::size_t block_size = std::size_t{64} * 1024;

    /// Holds the description; made by `rill::lines(path)`.
    explicit lines_stream(std::string path) : path_(std::move(path)) {}

    /// The path the stream reads, as given.
    const std::string& path() const noexcept { return path_; }

    /// A run of the stream: `next()` gives its items; destroying it closes the file if it is open.
    class cursor : public detail::line_cursor<cursor> {
        friend class detail::line_cursor<cursor>; // calls read_line

    public:

        /// Starts the run's state; called by `start`. Opens nothing yet.
        explicit cursor(std::string path) : path_(std::move(path)) {}


    private:
        enum class phase : unsigned char { unopened, reading, done };

        // The next line into `line_`: true when there is one; false at the end
        // or on an error (then `error_` holds it). The file is closed as soon
        // as the run has nothing more to read from it.
        bool read_line() {
            if (phase_ != phase::reading) [[unlikely]] {
                if (phase_ == phase::done || !open()) return false;
            }
            const char* const at = block_.get() + pos_;
            const std::size_t left = end_ - pos_;
            if (const void* nl = std::memchr(at, '\n', left)) [[likely]] {
                const auto n = static_cast<std::size_t>(static_cast<const char*>(nl) - at);
                line_.assign(at, n);
                pos_ += n + 1;
                detail::drop_cr(line_);
                ++index_;
                return true;
            }
            return read_spanning_line(at, left);
        }

        // A line that does not end in the current block: its start is kept in
        // `line_` while blocks are read until its '\n' or the end of the file.
        bool read_spanning_line(const char* at, std::size_t left) {
            line_.assign(at, left);
            bool partial = left != 0;
            for (;;) {
                if (!refill()) {
                    if (error_ || !partial) return false;
                    // The last line, without a '\n'.
                    detail::drop_cr(line_);
                    ++index_;
                    return true;
                }
                const char* const b = block_.get();
                if (const void* nl = std::memchr(b, '\n', end_)) {
                    const auto n = static_cast<std::size_t>(static_cast<const char*>(nl) - b);
                    line_.append(b, n);
                    pos_ = n + 1;
                    detail::drop_cr(line_);
                    ++index_;
                    return true;
                }
                line_.append(b, end_);
                pos_ = end_;
                partial = true;
            }
        }

        // Reads the next block; false at the end of the file or on an error,
        // and the file is closed then.
        bool refill() {
            pos_ = end_ = 0;
            if (eof_) {
                finish();
                return false;
            }
            const std::size_t got = std::fread(block_.get(), 1, block_size, file_.get());
            if (got < block_size) {
                if (std::ferror(file_.get())) [[unlikely]] {
                    const int e = errno;
                    error_ = detail::io_error("io.read", "cannot read " + path_, e, index_);
                    finish();
                    return false;
                }
                eof_ = true;
            }
            end_ = got;
            if (got == 0) {
                finish();
                return false;
            }
            return true;
        }

        bool open() {
            phase_ = phase::done; // unless the file opens
            errno = 0;
            std::FILE* f = std::fopen(path_.c_str(), "rb");
            if (f == nullptr) [[unlikely]] {
                const int e = errno;
                error_ = detail::io_error("io.open", "cannot open " + path_, e, 0);
                return false;
            }
            file_.reset(f);
            std::setvbuf(f, nullptr, _IONBF, 0); // reads go straight into the run's block
            block_.reset(new char[block_size]);
            phase_ = phase::reading;
            return refill();
        }

        void finish() noexcept {
            file_.reset();
            phase_ = phase::done;
        }

        std::string path_;
        std::unique_ptr<std::FILE, detail::file_closer> file_{};
        std::unique_ptr<char[]> block_{};
        std::size_t pos_ = 0;   // the next unread byte of the block
        std::size_t end_ = 0;   // the bytes in the block
        std::size_t index_ = 0; // the lines given so far: the next item's position
        phase phase_ = phase::unopened;
        bool eof_ = false;
    };

    /// Opens a run: what `open()` and `begin()` call. The file is opened at the first pull.
    template <class Self>
    static cursor start(Self&& self) {
        return cursor(detail::fwd_like<Self>(self.path_));
    }

private:
    std::string path_;
};

/// The stream of the lines read from an `std::istream` the caller owns, made
/// by `rill::lines(in)`.
///
/// A run reads with `std::getline` from where the stream stands and leaves
/// the stream positioned after the last line it gave: rill neither opens,
/// rewinds nor closes it. So the stream is one-shot (`one_shot`: it is not a
/// `replayable_stream`, cannot be erased to `stream<T>`, and `retry` refuses
/// it): a second run starts where the first stopped, unless the caller
/// rewinds the istream in between. The istream must outlive every run. A
/// stream already failed before the run (`fail()` without `eof()`: say, an
/// `std::ifstream` that did not open) gives one Err, code `"io.open"`; a read
/// that sets `badbit` gives an Err with code `"io.read"` and ends the run.
class istream_lines_stream : public stream_base<istream_lines_stream> {
public:
    /// The type of the items' values (a run gives `result<std::string>` items).
    using value_type = std::string;
    /// A run consumes the caller's istream: runs are not repeatable.
    static constexpr bool one_shot = true;

    /// Holds the description; made by `rill::lines(in)`.
    explicit istream_lines_stream(std::istream& in) noexcept : in_(&in) {}

    /// The istream the runs read.
    std::istream& stream() const noexcept { return *in_; }

    /// A run of the stream: `next()` gives its items.
    class cursor : public detail::line_cursor<cursor> {
        friend class detail::line_cursor<cursor>; // calls read_line

    public:

        /// Starts the run's state; called by `start`. Reads nothing yet.
        explicit cursor(std::istream* in) noexcept : in_(in) {}


    private:
        bool read_line() {
            if (done_) return false;
            if (!started_) [[unlikely]] {
                started_ = true;
                if (in_->bad() || (in_->fail() && !in_->eof())) {
                    done_ = true;
                    error_ = detail::io_error("io.open", "the input stream is in a failed state before the run", 0, 0);
                    return false;
                }
            }
            if (std::getline(*in_, line_)) [[likely]] {
                detail::drop_cr(line_);
                ++index_;
                return true;
            }
            done_ = true;
            if (in_->bad()) [[unlikely]]
                error_ = detail::io_error("io.read", "cannot read the input stream", 0, index_);
            return false;
        }

        std::istream* in_;
        std::size_t index_ = 0;
        bool started_ = false;
        bool done_ = false;
    };

    /// Opens a run: what `open()` and `begin()` call.
    template <class Self>
    static cursor start(Self&& self) noexcept {
        return cursor(&self.stream());
    }

private:
    std::istream* in_;
};

/// The lines of the file at `path` (a `const char*`, `std::string` or
/// `std::string_view`), one `std::string` item per line; each run opens the
/// file anew. See `lines_stream`.
inline lines_stream lines(std::string_view path) { return lines_stream(std::string(path)); }

/// The lines of the file at a `std::filesystem::path` (or any path type with
/// `.string()`), without `<rill/source/lines.hpp>` including `<filesystem>`.
template <class Path>
    requires requires(const Path& p) {
        { p.string() } -> std::convertible_to<std::string>;
        typename Path::value_type;
    }
lines_stream lines(const Path& path) {
    return lines_stream(path.string());
}

/// The lines read from `in`, which the caller owns and which must outlive the
/// runs; one-shot unless the caller rewinds `in`. See `istream_lines_stream`.
inline istream_lines_stream lines(std::istream& in) noexcept { return istream_lines_stream(in); }

/// READ THIS IF YOUR COMPILE BREAKS HERE: `rill::lines` refers to the istream
/// it is given, so a temporary stream would be gone before the first line is
/// read. Keep the stream in a variable, or pass a path to `rill::lines(path)`.
template <class IStream>
    requires std::derived_from<IStream, std::istream> && (!std::is_lvalue_reference_v<IStream>)
istream_lines_stream lines(IStream&& in) = delete;

} // namespace rill
