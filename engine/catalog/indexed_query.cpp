#include "catalog/indexed_query.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

namespace lbx::engine::catalog {
namespace {

bool is_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// A query tree with its names looked up once: a term is a key id to find in a photo's keys, or a range
// of taken_at texts.
struct Test {
    enum class Kind { key, never, taken, all_of, any_of, negation } kind = Kind::never;
    uint32_t key = 0;
    TakenRange range;
    std::vector<Test> children;
};

Test compile(const FacetIndex& index, const QueryNode& node) {
    Test test;
    switch (node.kind) {
        case QueryNode::Kind::term: {
            const Term& t = node.term;
            if (t.field == Field::year || t.field == Field::date) {
                test.kind = Test::Kind::taken;
                test.range = taken_range(t);
                return test;
            }
            const char kind = t.field == Field::label ? 'l' : t.field == Field::group ? 'g' : 't';
            // A name no photo has never matches (Kind::never).
            if (const auto id = index.key_id(FacetIndex::match_key(kind, t.value))) {
                test.kind = Test::Kind::key;
                test.key = *id;
            }
            return test;
        }
        case QueryNode::Kind::negation: test.kind = Test::Kind::negation; break;
        case QueryNode::Kind::all_of: test.kind = Test::Kind::all_of; break;
        case QueryNode::Kind::any_of: test.kind = Test::Kind::any_of; break;
    }
    for (const QueryNodePtr& child : node.children) test.children.push_back(compile(index, *child));
    return test;
}

// The SQL's truth: a comparison with a missing date is NULL, and a negation wraps its operand in
// coalesce(..., false), so NULL counts as false wherever it meets a NOT and at the top; AND and OR keep
// their answer when NULL is read as false there, so a two-valued test gives the same matches.
bool passes(const Test& test, const FacetIndex::Listing& photo) {
    switch (test.kind) {
        case Test::Kind::key: return std::binary_search(photo.keys.begin(), photo.keys.end(), test.key);
        case Test::Kind::never: return false;
        case Test::Kind::taken:
            if (!photo.taken_at) return false;
            if (test.range.at_least && *photo.taken_at < *test.range.at_least) return false;
            if (test.range.below && !(*photo.taken_at < *test.range.below)) return false;
            return true;
        case Test::Kind::negation: return !passes(test.children.front(), photo);
        case Test::Kind::all_of:
            return std::all_of(test.children.begin(), test.children.end(), [&](const Test& c) { return passes(c, photo); });
        case Test::Kind::any_of:
            return std::any_of(test.children.begin(), test.children.end(), [&](const Test& c) { return passes(c, photo); });
    }
    return false;
}

}  // namespace

bool indexable(const QueryNode* root) {
    if (root == nullptr) return true;
    if (root->kind != QueryNode::Kind::term)
        return std::all_of(root->children.begin(), root->children.end(), [](const QueryNodePtr& c) { return indexable(c.get()); });
    const Term& t = root->term;
    switch (t.field) {
        case Field::tag:
        case Field::label:
        case Field::group: return is_ascii(t.value);
        case Field::year:
        case Field::date: return true;
        default: return false;
    }
}

std::vector<uint32_t> indexed_matches(const FacetIndex& index, const QueryNode* root) {
    std::optional<Test> test;
    if (root != nullptr) test = compile(index, *root);
    std::vector<uint32_t> photos;
    const auto size = static_cast<uint32_t>(index.size());
    for (uint32_t photo = 0; photo < size; ++photo) {
        const FacetIndex::Listing listing = index.listing(photo);
        if (listing.path.empty()) continue;  // no live file: the SQL's `f.status = 'ok'`
        if (!test || passes(*test, listing)) photos.push_back(photo);
    }
    return photos;
}

void order_matches(const FacetIndex& index, std::vector<uint32_t>& photos, SortOrder sort, bool descending) {
    // The keys side by side, so that sorting reads them without going back to the index.
    struct Keyed {
        std::optional<std::string_view> text;  // taken_at, or the path when sorted by path
        int64_t number = 0;                    // added_at
        std::string_view path;
        uint32_t photo = 0;
    };
    std::vector<Keyed> keyed;
    keyed.reserve(photos.size());
    for (const uint32_t photo : photos) {
        const FacetIndex::Listing l = index.listing(photo);
        keyed.push_back({sort == SortOrder::taken ? l.taken_at : sort == SortOrder::path ? std::optional(l.path) : std::nullopt,
                         l.added_at, l.path, photo});
    }
    const auto before = [&](const Keyed& a, const Keyed& b) {
        if (sort == SortOrder::added) {
            if (a.number != b.number) return descending ? a.number > b.number : a.number < b.number;
        } else {
            if (a.text.has_value() != b.text.has_value()) return a.text.has_value();  // NULLS LAST
            if (a.text && *a.text != *b.text) return descending ? *a.text > *b.text : *a.text < *b.text;
        }
        return a.path < b.path;
    };
    std::sort(keyed.begin(), keyed.end(), before);
    for (std::size_t i = 0; i < keyed.size(); ++i) photos[i] = keyed[i].photo;
}

}  // namespace lbx::engine::catalog
