#include "catalog/sql_dialect.hpp"

#include "catalog/schema_definition.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>
#include <vector>

namespace lbx::engine::catalog {
namespace {

struct Token {
    enum Kind { word, param, literal, space, punct } kind;
    std::string text;
};

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool is(const Token& t, std::string_view keyword) {
    if (t.kind != Token::word || t.text.size() != keyword.size()) return false;
    for (std::size_t i = 0; i < keyword.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(t.text[i])) != std::toupper(static_cast<unsigned char>(keyword[i])))
            return false;
    return true;
}

// Words, numbered parameters, literals ('...' and "..." kept whole, doubled quotes inside), runs of
// blanks, and single punctuation characters.
std::vector<Token> tokenize(std::string_view sql) {
    std::vector<Token> tokens;
    int largest_param = 0;
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        std::size_t j = i + 1;
        if (c == '\'' || c == '"') {
            while (j < sql.size()) {
                if (sql[j] == c && (j + 1 >= sql.size() || sql[j + 1] != c)) break;
                j += sql[j] == c ? 2 : 1;
            }
            j = std::min(j + 1, sql.size());
            tokens.push_back({Token::literal, std::string(sql.substr(i, j - i))});
        } else if (c == '?') {
            while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
            const int number = j > i + 1 ? std::stoi(std::string(sql.substr(i + 1, j - i - 1))) : largest_param + 1;
            largest_param = std::max(largest_param, number);
            tokens.push_back({Token::param, "$" + std::to_string(number)});
        } else if (word_char(c)) {
            while (j < sql.size() && word_char(sql[j])) ++j;
            tokens.push_back({Token::word, std::string(sql.substr(i, j - i))});
        } else if (std::isspace(static_cast<unsigned char>(c))) {
            while (j < sql.size() && std::isspace(static_cast<unsigned char>(sql[j]))) ++j;
            tokens.push_back({Token::space, std::string(sql.substr(i, j - i))});
        } else {
            tokens.push_back({Token::punct, std::string(1, c)});
        }
        i = j;
    }
    return tokens;
}

class Rewriter {
public:
    explicit Rewriter(std::vector<Token> tokens) : t_(std::move(tokens)) {}

    std::string run() {
        std::string out;
        std::string conflict;  // the ON CONFLICT clause the statement being rewritten ends with
        std::size_t i = 0;
        while (i < t_.size()) {
            if (t_[i].kind == Token::punct && t_[i].text == ";") {
                out += std::exchange(conflict, "") + ";";
                ++i;
                continue;
            }
            if (is(t_[i], "INSERT")) {
                const std::size_t or_at = next(i), how_at = next(or_at), into_at = next(how_at);
                if (or_at < t_.size() && is(t_[or_at], "OR") && how_at < t_.size() && into_at < t_.size() &&
                    is(t_[into_at], "INTO") && (is(t_[how_at], "REPLACE") || is(t_[how_at], "IGNORE"))) {
                    conflict = is(t_[how_at], "IGNORE") ? std::string(" ON CONFLICT DO NOTHING") : upsert(next(into_at));
                    out += "INSERT INTO";
                    i = into_at + 1;
                    continue;
                }
            }
            if (is(t_[i], "INDEXED")) {  // INDEXED BY name: SQLite's index hint; PostgreSQL plans alone
                const std::size_t by = next(i), index = next(by);
                if (by < t_.size() && is(t_[by], "BY") && index < t_.size()) {
                    i = index + 1;
                    continue;
                }
            }
            if (is(t_[i], "LIKE")) {
                out += "ILIKE";
                ++i;
                continue;
            }
            if (t_[i].kind == Token::word) {
                const std::size_t open = next(i);
                if (open < t_.size() && t_[open].text == "(" && t_[open].kind == Token::punct) {
                    if (auto call = function(i, open)) {
                        out += *call;
                        i = close_of(open) + 1;
                        continue;
                    }
                }
            }
            out += t_[i].text;
            ++i;
        }
        return out + conflict;
    }

private:
    // The index of the next token that is not blank.
    std::size_t next(std::size_t i) const {
        ++i;
        while (i < t_.size() && t_[i].kind == Token::space) ++i;
        return i;
    }

    std::size_t close_of(std::size_t open) const {
        int depth = 0;
        for (std::size_t i = open; i < t_.size(); ++i) {
            if (t_[i].kind != Token::punct) continue;
            if (t_[i].text == "(") ++depth;
            if (t_[i].text == ")" && --depth == 0) return i;
        }
        return t_.size() - 1;
    }

    // The arguments of the call whose '(' is at `open`, split at its top-level commas (token ranges).
    std::vector<std::pair<std::size_t, std::size_t>> arguments(std::size_t open) const {
        std::vector<std::pair<std::size_t, std::size_t>> args;
        const std::size_t close = close_of(open);
        std::size_t from = open + 1;
        int depth = 0;
        for (std::size_t i = open + 1; i < close; ++i) {
            if (t_[i].kind != Token::punct) continue;
            if (t_[i].text == "(") ++depth;
            if (t_[i].text == ")") --depth;
            if (t_[i].text == "," && depth == 0) {
                args.emplace_back(from, i);
                from = i + 1;
            }
        }
        args.emplace_back(from, close);
        return args;
    }

    std::string render(std::size_t from, std::size_t to) const {
        return Rewriter(std::vector<Token>(t_.begin() + static_cast<std::ptrdiff_t>(from),
                                           t_.begin() + static_cast<std::ptrdiff_t>(to)))
            .run();
    }

    std::optional<std::string> function(std::size_t name, std::size_t open) const {
        const auto args = arguments(open);
        if (is(t_[name], "json_each") && args.size() == 1)
            return "json_array_elements_text(CAST(" + render(args[0].first, args[0].second) + " AS json))";
        if ((is(t_[name], "min") || is(t_[name], "max")) && args.size() >= 2) {
            std::string call = is(t_[name], "min") ? "LEAST(" : "GREATEST(";
            for (std::size_t a = 0; a < args.size(); ++a)
                call += (a ? "," : "") + render(args[a].first, args[a].second);
            return call + ")";
        }
        if (is(t_[name], "instr") && args.size() == 2)
            return "strpos(" + render(args[0].first, args[0].second) + "," + render(args[1].first, args[1].second) + ")";
        if (is(t_[name], "CAST") && args.size() == 1) {
            // CAST(e AS INTEGER): the last top-level AS and the type after it.
            const std::size_t close = close_of(open);
            std::size_t as = close;
            int depth = 0;
            for (std::size_t i = open + 1; i < close; ++i) {
                if (t_[i].kind == Token::punct && t_[i].text == "(") ++depth;
                if (t_[i].kind == Token::punct && t_[i].text == ")") --depth;
                if (depth == 0 && is(t_[i], "AS")) as = i;
            }
            const std::size_t type = as < close ? next(as) : close;
            if (type < close && is(t_[type], "INTEGER") && next(type) == close)
                return "CAST(trunc(" + render(open + 1, as) + ") AS BIGINT)";
        }
        return std::nullopt;
    }

    // ON CONFLICT (key) DO UPDATE SET c = EXCLUDED.c for the columns listed after the table at `table`.
    std::string upsert(std::size_t table) const {
        const std::string name = table < t_.size() ? t_[table].text : std::string();
        const auto& tables = schema_tables();
        const auto found = std::find_if(tables.begin(), tables.end(), [&](const auto& d) { return d.name == name; });
        // A table the schema does not define: a key PostgreSQL rejects with the table named, never a guess.
        const std::string key = found != tables.end() ? std::string(found->primary_key) : "key_of_unknown_table_" + name;
        std::vector<std::string> key_columns;
        for (std::size_t from = 0; from <= key.size();) {
            std::size_t comma = key.find(',', from);
            if (comma == std::string::npos) comma = key.size();
            std::string column = key.substr(from, comma - from);
            column.erase(0, column.find_first_not_of(' '));
            column.erase(column.find_last_not_of(' ') + 1);
            key_columns.push_back(column);
            from = comma + 1;
        }
        std::string set;
        const std::size_t open = next(table);
        if (open < t_.size() && t_[open].text == "(") {
            for (const auto& [from, to] : arguments(open)) {
                std::string column;
                for (std::size_t i = from; i < to; ++i)
                    if (t_[i].kind == Token::word) column = t_[i].text;
                if (column.empty() || std::find(key_columns.begin(), key_columns.end(), column) != key_columns.end()) continue;
                set += (set.empty() ? "" : ", ") + column + " = EXCLUDED." + column;
            }
        }
        if (set.empty()) return " ON CONFLICT (" + key + ") DO NOTHING";
        return " ON CONFLICT (" + key + ") DO UPDATE SET " + set;
    }

    std::vector<Token> t_;
};

}  // namespace

std::string postgres_sql(std::string_view sqlite_sql) { return Rewriter(tokenize(sqlite_sql)).run(); }

}  // namespace lbx::engine::catalog
