/// \file
/// The error value `err_info`, `result<T>` and `err()`.
#pragma once

#include <rill/fwd.hpp>

#include <tl/expected.hpp>

#include <cstddef>
#include <iosfwd>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rill {

/// One step of an error's provenance: which operator produced or relabelled it,
/// the stage name a pipeline gave that operator (see `named`), and the index of
/// the item at that operator in its run.
struct err_frame {
    std::string op;     ///< the operator, e.g. "try_map"
    std::string stage;  ///< the user's name for the stage; empty until `named` labels it
    std::size_t index = 0; ///< the item's position in the operator's run (0-based)

    /// Frames are equal when their operator, stage and index are.
    friend bool operator==(const err_frame&, const err_frame&) = default;
};

/// The name of an operator as `err_info::at` records it: a string literal. The
/// first frame of a trace keeps only a pointer to it (no copy, no allocation),
/// so it must live as long as the program: a `std::string` does not convert.
class op_name {
public:
    /// From a string literal, e.g. `e.at("parse", i)`.
    template <std::size_t N>
    consteval op_name(const char (&name)[N]) noexcept : name_(name) {}
    /// The name, NUL-terminated.
    constexpr const char* c_str() const noexcept { return name_; }

private:
    const char* name_;
};

namespace detail {
/// What a trace keeps beyond its first frame's operator and index: the first
/// frame's stage name and the frames after it. Allocated only when needed.
struct trace_rest {
    std::string stage0;
    std::vector<err_frame> more;
};
} // namespace detail

/// The provenance of an Err item: its frames, innermost (first recorded) first.
///
/// A sequence of `err_frame`s (`size()`, `operator[]`, `front()`, `back()`, a
/// range-for), given by value (const: a frame is changed through `set_stage`
/// and `label`, not through a copy). The first frame an operator records with
/// `err_info::at` is stored inline, as a pointer to its operator's name and an
/// index: the usual Err item, stamped once, costs no allocation for its
/// provenance. A stage name (`named`) or a second frame allocates one block.
/// The size of a `std::vector`: an `err_info` is no larger for it.
class err_trace {
public:
    /// Gives the frames by value (a frame is built from the inline fields).
    class iterator {
    public:
        using value_type = err_frame;                       ///< a frame
        using reference = const err_frame;                  ///< a frame, by value
        using difference_type = std::ptrdiff_t;             ///< a distance in frames
        using iterator_category = std::input_iterator_tag;  ///< by value: an input iterator for C++17
        using iterator_concept = std::forward_iterator_tag; ///< a forward iterator for C++20

        iterator() = default;
        /// The frame here, by value.
        const err_frame operator*() const { return (*trace_)[i_]; }
        /// Moves to the next frame.
        iterator& operator++() noexcept {
            ++i_;
            return *this;
        }
        /// Moves to the next frame; returns where it was.
        iterator operator++(int) noexcept {
            iterator old = *this;
            ++i_;
            return old;
        }
        /// Iterators over one trace are equal at the same frame.
        friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.i_ == b.i_; }

    private:
        friend class err_trace;
        iterator(const err_trace* t, std::size_t i) noexcept : trace_(t), i_(i) {}
        const err_trace* trace_ = nullptr;
        std::size_t i_ = 0;
    };

    err_trace() noexcept = default;
    /// A deep copy: the copy owns its own frames.
    err_trace(const err_trace& o)
        : op0_(o.op0_), index0_(o.index0_), rest_(o.rest_ ? clone(*o.rest_) : nullptr) {}
    /// Takes `o`'s frames; `o` is left empty.
    err_trace(err_trace&& o) noexcept
        : op0_(std::exchange(o.op0_, nullptr)), index0_(o.index0_), rest_(std::exchange(o.rest_, nullptr)) {}
    /// Replaces the frames by a deep copy of `o`'s.
    err_trace& operator=(const err_trace& o) {
        if (this != &o) *this = err_trace(o);
        return *this;
    }
    /// Replaces the frames by `o`'s; `o` is left empty.
    err_trace& operator=(err_trace&& o) noexcept {
        if (this != &o) {
            if (rest_) [[unlikely]]
                destroy(rest_);
            op0_ = std::exchange(o.op0_, nullptr);
            index0_ = o.index0_;
            rest_ = std::exchange(o.rest_, nullptr);
        }
        return *this;
    }
    ~err_trace() {
        if (rest_) [[unlikely]]
            destroy(rest_);
    }

    /// The number of frames.
    std::size_t size() const noexcept { return (op0_ ? 1 : 0) + (rest_ ? rest_->more.size() : 0); }
    /// Whether no operator recorded a frame.
    bool empty() const noexcept { return size() == 0; }

    /// Frame `i` (0: the innermost); `i < size()`.
    const err_frame operator[](std::size_t i) const {
        if (op0_) {
            if (i == 0) return err_frame{op0_, rest_ ? rest_->stage0 : std::string(), index0_};
            --i;
        }
        return rest_->more[i];
    }
    /// Frame `i`, or `std::out_of_range` past the end.
    const err_frame at(std::size_t i) const {
        if (i >= size()) throw std::out_of_range("rill::err_trace::at: no frame " + std::to_string(i));
        return (*this)[i];
    }
    /// The innermost frame; the trace is not empty.
    const err_frame front() const { return (*this)[0]; }
    /// The outermost (last recorded) frame; the trace is not empty.
    const err_frame back() const { return (*this)[size() - 1]; }

    /// The innermost frame's position.
    iterator begin() const noexcept { return iterator(this, 0); }
    /// Past the outermost frame.
    iterator end() const noexcept { return iterator(this, size()); }

    /// Records a frame for operator `op` at `index`: inline when it is the first.
    void record(op_name op, std::size_t index) {
        if (!op0_ && !rest_) [[likely]] {
            op0_ = op.c_str();
            index0_ = index;
        } else {
            more().push_back(err_frame{op.c_str(), std::string(), index});
        }
    }
    /// Appends a frame.
    void push_back(err_frame f) { more().push_back(std::move(f)); }
    /// Gives frame `i` the stage name `stage`; `i < size()`.
    void set_stage(std::size_t i, std::string stage) {
        if (op0_) {
            if (i == 0) {
                rest().stage0 = std::move(stage);
                return;
            }
            --i;
        }
        rest_->more[i].stage = std::move(stage);
    }
    /// Gives every frame without a stage name the name `stage` (what `named` does).
    void label(std::string_view stage) {
        if (op0_ && (!rest_ || rest_->stage0.empty())) rest().stage0 = std::string(stage);
        if (rest_)
            for (auto& f : rest_->more)
                if (f.stage.empty()) f.stage = std::string(stage);
    }

private:
    detail::trace_rest& rest() {
        if (!rest_) rest_ = new detail::trace_rest();
        return *rest_;
    }
    std::vector<err_frame>& more() { return rest().more; }

    const char* op0_ = nullptr; // the first frame's operator (a literal), when `record` made it
    std::size_t index0_ = 0;
    detail::trace_rest* rest_ = nullptr; // owned; null until a stage name or a second frame

    // Out of line and cold: the Ok path destroys and moves results whose
    // error it never touches, and a compiler that sees the frames' destructor
    // inline in every one inlines the pipeline's loop less.
    [[gnu::noinline, gnu::cold]] static detail::trace_rest* clone(const detail::trace_rest& r) {
        return new detail::trace_rest(r);
    }
    [[gnu::noinline, gnu::cold]] static void destroy(detail::trace_rest* r) noexcept { delete r; }
};

/// The error carried by an Err item.
///
/// Equality compares `code` and `message` only: `trace` is diagnostic
/// provenance, so two pipelines that fail the same way compare equal even when
/// their stages differ (which the laws rely on).
struct err_info {
    std::string code;     ///< a short machine-readable category, e.g. "PARSE"
    std::string message;  ///< what went wrong, for humans
    err_trace trace{};    ///< provenance, innermost (first recorded) first

    /// Compares `code` and `message`; the provenance is not compared.
    friend bool operator==(const err_info& a, const err_info& b) {
        return a.code == b.code && a.message == b.message;
    }

    /// Appends a provenance frame for operator `op` (a string literal) at the
    /// item's `index`; used by operators on the Err path only. The first frame
    /// costs no allocation.
    err_info& at(op_name op, std::size_t index) & {
        trace.record(op, index);
        return *this;
    }

    /// Prints `code: message` followed by the provenance, e.g.
    /// `PARSE: not a number [at parse (try_map) #3]`. (A template, so that
    /// `<rill/result.hpp>` needs only `<iosfwd>`: the program that prints
    /// includes `<ostream>` or `<iostream>`.)
    template <class Traits>
    friend std::basic_ostream<char, Traits>& operator<<(std::basic_ostream<char, Traits>& os, const err_info& e) {
        os << e.code << ": " << e.message;
        if (!e.trace.empty()) {
            os << " [at ";
            bool first = true;
            for (const err_frame& f : e.trace) {
                if (!first) os << ", via ";
                first = false;
                if (f.stage.empty()) os << f.op;
                else os << f.stage << " (" << f.op << ")";
                os << " #" << f.index;
            }
            os << "]";
        }
        return os;
    }
};

/// An item of a stream: a `T` or an `err_info`.
template <class T>
using result = tl::expected<T, err_info>;

/// Makes an error to return or `co_yield`: `result<int> r = rill::err("PARSE", "not a number");`
inline tl::unexpected<err_info> err(std::string code, std::string message) {
    return tl::unexpected<err_info>(err_info{std::move(code), std::move(message)});
}

/// Wraps an existing `err_info` as an error value.
inline tl::unexpected<err_info> err(err_info e) {
    return tl::unexpected<err_info>(std::move(e));
}

namespace detail {
template <class T> struct is_result : std::false_type {};
template <class T> struct is_result<tl::expected<T, err_info>> : std::true_type {};
template <class T> struct result_value { using type = T; };
template <class T> struct result_value<tl::expected<T, err_info>> { using type = T; };

/// Records provenance on an Err item (the Ok path never calls this).
template <class T>
[[gnu::cold]] void stamp(result<T>& r, op_name op, std::size_t index) {
    r.error().at(op, index);
}
} // namespace detail

/// True for `result<T>` of any `T`.
template <class T>
inline constexpr bool is_result_v = detail::is_result<std::remove_cvref_t<T>>::value;

/// `T` for `result<T>`, `T` itself otherwise.
template <class T>
using unwrap_result_t = typename detail::result_value<std::remove_cvref_t<T>>::type;

} // namespace rill
