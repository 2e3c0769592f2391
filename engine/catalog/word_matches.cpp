#include "catalog/word_matches.hpp"

#include "catalog/text_match.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string_view>

namespace lbx::engine::catalog {
namespace {

void collect_words(const QueryNode& node, std::vector<std::string>& out) {
    switch (node.kind) {
        case QueryNode::Kind::term:
            if (node.term.field == Field::word && std::find(out.begin(), out.end(), node.term.value) == out.end())
                out.push_back(node.term.value);
            return;
        case QueryNode::Kind::negation:
            return;  // a photo is there because it lacks the word: nothing matched
        case QueryNode::Kind::all_of:
        case QueryNode::Kind::any_of:
            for (const auto& child : node.children) collect_words(*child, out);
            return;
    }
}

// The fields in the order they are listed; a field's name as the query language spells it.
constexpr std::array<std::string_view, 8> kFieldOrder{"tag", "label", "group", "person", "camera", "lens", "place", "path"};

std::size_t rank_of(const std::string& field) {
    return static_cast<std::size_t>(std::find(kFieldOrder.begin(), kFieldOrder.end(), field) - kFieldOrder.begin());
}

// One row per (photo, field, value) a word matches among the page's photos, with the tests of
// catalog_query.cpp's plain word: ?1 the word, ?2 its LIKE pattern, ?3 the page's hashes (a JSON array).
std::string match_sql() {
    const std::string page = "(SELECT value FROM json_each(?3))";
    return "SELECT hash, CASE WHEN category IN ('label', 'group') THEN category ELSE 'tag' END, name FROM auto_tags "
           "WHERE hash IN " + page + " AND name = ?1 COLLATE NOCASE AND category NOT IN " + kPlaceCategories +
           " UNION ALL SELECT hash, 'tag', name FROM user_tags WHERE hash IN " + page + " AND name = ?1 COLLATE NOCASE "
           "UNION ALL SELECT a.hash, 'person', n.name FROM persons n JOIN face_persons a ON a.person_id = n.id "
           "WHERE a.hash IN " + page + " AND n.name = ?1 COLLATE NOCASE "
           "UNION ALL SELECT p.hash, 'camera', trim(" + kCameraName + ") FROM photos p WHERE p.hash IN " + page +
           " AND " + kCameraText + " LIKE ?2 ESCAPE '\\' "
           "UNION ALL SELECT p.hash, 'lens', p.lens FROM photos p WHERE p.hash IN " + page + " AND p.lens LIKE ?2 ESCAPE '\\' "
           "UNION ALL SELECT t.hash, 'place', t.name FROM auto_tags t WHERE t.hash IN " + page + " AND t.category IN " +
           kPlaceCategories + " AND t.name LIKE ?2 ESCAPE '\\' "
           "UNION ALL SELECT f.hash, 'path', f.path FROM files f WHERE f.hash IN " + page +
           " AND f.status = 'ok' AND f.path LIKE ?2 ESCAPE '\\'";
}

}  // namespace

std::vector<std::string> plain_words(const QueryNode& root) {
    std::vector<std::string> out;
    collect_words(root, out);
    return out;
}

Expected<std::unordered_map<std::string, std::string>> describe_word_matches(Database& db, const std::vector<std::string>& words,
                                                                           const std::vector<std::string>& hashes) {
    std::unordered_map<std::string, std::string> described;
    if (words.empty() || hashes.empty()) return described;
    const std::string page = nlohmann::json(hashes).dump();
    auto stmt = db.prepare(match_sql());
    if (!stmt) return unexpected(stmt.error());
    // Per photo: field rank -> its values, each once (a place tag is said as a place only).
    std::map<std::string, std::map<std::size_t, std::set<std::string>>> found;
    for (const std::string& word : words) {
        stmt->bind({word, contains_pattern(word), page});
        for (;;) {
            auto row = stmt->step();
            if (!row) return unexpected(row.error());
            if (!*row) break;
            found[stmt->column_text(0)][rank_of(stmt->column_text(1))].insert(stmt->column_text(2));
        }
    }
    for (const auto& [hash, fields] : found) {
        std::string text;
        for (const auto& [rank, values] : fields) {
            if (rank >= kFieldOrder.size()) continue;
            for (const std::string& value : values) {
                if (!text.empty()) text += "; ";
                text += std::string(kFieldOrder[rank]) + ": " + value;
            }
        }
        described[hash] = std::move(text);
    }
    return described;
}

}  // namespace lbx::engine::catalog
