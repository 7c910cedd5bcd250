// Cookbook: clean, chunk and embed documents, each failing on its own
// (docs/cookbook/document_pipeline.md).
#include <rill/rill.hpp>

#include <cctype>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

// [snippet:types]
struct document {
    std::string id;
    std::string text;
};

struct text_chunk {
    std::string doc_id;
    std::size_t part = 0;
    std::string text;
};

struct embedding {
    std::string doc_id;
    std::size_t part = 0;
    std::vector<double> vec;
};
// [/snippet:types]

// [snippet:clean]
// Collapses runs of whitespace and lower-cases; a document with no words left is an Err.
rill::result<document> clean(document d) {
    std::istringstream in(d.text);
    std::string word, out;
    while (in >> word) {
        for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out += (out.empty() ? "" : " ") + word;
    }
    if (out.empty()) return rill::err("EMPTY", "document " + d.id + " has no text");
    return document{std::move(d.id), std::move(out)};
}
// [/snippet:clean]

// [snippet:chunk]
// A document's chunks of at most `words` words each, as a stream (for and_then).
auto chunks_of(std::size_t words) {
    return [words](document d) {
        std::vector<text_chunk> parts;
        std::istringstream in(d.text);
        std::string word;
        std::size_t n = 0;
        while (in >> word) {
            if (n++ % words == 0) parts.push_back({d.id, parts.size(), word});
            else parts.back().text += " " + word;
        }
        return rill::from(std::move(parts)); // the stream owns the vector
    };
}
// [/snippet:chunk]

// [snippet:model]
// A stand-in for an embedding model: loading it is costly, so a run loads it
// once; it refuses chunks with a word longer than it can handle.
struct model {
    std::string name;

    rill::result<embedding> embed(const text_chunk& c) const {
        std::istringstream in(c.text);
        std::string word;
        while (in >> word)
            if (word.size() > 12)
                return rill::err("TOKEN", c.doc_id + " part " + std::to_string(c.part) + ": \"" + word + "\" is too long");
        double vowels = 0;
        for (char ch : c.text) vowels += std::string("aeiou").find(ch) != std::string::npos;
        return embedding{c.doc_id, c.part, {static_cast<double>(c.text.size()), vowels / c.text.size()}};
    }
};
// [/snippet:model]

// [snippet:pipeline]
auto embed_all(rill::stream<document> docs) {
    return rill::using_resource(
        [] {
            std::cout << "model loaded\n";
            return model{"tiny"};
        },
        [](model&, rill::exit_case how) { std::cout << "model unloaded (" << how << ")\n"; },
        [docs](model& m) {
            return docs
                 | rill::try_map(clean)          | rill::named("clean")
                 | rill::and_then(chunks_of(4))  | rill::named("chunk")
                 | rill::try_map([&m](text_chunk c) { return m.embed(c); })
                 | rill::named("embed");
        });
}
// [/snippet:pipeline]

// [snippet:whole]
// All or nothing per document: a document is indexed only if every chunk embeds.
auto embed_whole(rill::stream<document> docs) {
    return rill::using_resource([] { return model{"tiny"}; }, [docs](model& m) {
        auto embed_document = [&m](const document& d) {
            auto vectors = chunks_of(4)(d) | rill::try_map([&m](text_chunk c) { return m.embed(c); });
            return rill::of(rill::try_collect(vectors)); // one item: all the vectors, or the first Err
        };
        return docs | rill::try_map(clean) | rill::and_then(embed_document);
    });
}
// [/snippet:whole]

int main() {
    // [snippet:input]
    std::vector<document> docs{
        {"intro", "Streams  of RESULTS keep going\n when one item fails, and say where."},
        {"blank", "   \n\t  "},
        {"long", "A pneumonoultramicroscopic word breaks the model"},
        {"short", "A tiny doc of six words"},
    };
    // [/snippet:input]

    std::cout << "== run ==\n";
    // [snippet:run]
    auto [vectors, failures] = rill::partition(embed_all(rill::from(docs)));
    std::cout << std::fixed << std::setprecision(2);
    for (const embedding& e : vectors)
        std::cout << e.doc_id << '#' << e.part << " [" << e.vec[0] << ", " << e.vec[1] << "]\n";
    for (const rill::err_info& e : failures) std::cout << "failed: " << e << '\n';
    // [/snippet:run]

    std::cout << "== whole ==\n";
    // [snippet:whole_run]
    for (const auto& r : embed_whole(rill::from(docs)))
        if (r) std::cout << r->front().doc_id << ": indexed, " << r->size() << " parts\n";
        else std::cout << "failed: " << r.error() << '\n';
    // [/snippet:whole_run]
}
