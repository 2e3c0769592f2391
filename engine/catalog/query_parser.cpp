#include "catalog/query_parser.hpp"

#include "pipeline/perceptual_hash.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string_view>

namespace lbx::engine::catalog {
namespace {

struct Token {
    enum class Kind { word, quoted, open, close, end } kind = Kind::end;
    std::string text;
    std::size_t position = 0;
    bool negated = false;  // a '-' right before it
};

struct FieldName {
    std::string_view name;
    Field field;
};
constexpr std::array kFields{
    FieldName{"tag", Field::tag},       FieldName{"camera", Field::camera}, FieldName{"lens", Field::lens},
    FieldName{"place", Field::place},   FieldName{"year", Field::year},     FieldName{"date", Field::date},
    FieldName{"iso", Field::iso},       FieldName{"focal", Field::focal},   FieldName{"f", Field::aperture},
    FieldName{"has", Field::has},       FieldName{"failed", Field::failed}, FieldName{"path", Field::path},
    FieldName{"label", Field::label},   FieldName{"group", Field::group},   FieldName{"faces", Field::faces},
    FieldName{"person", Field::person}, FieldName{"within", Field::within}, FieldName{"near", Field::near}, FieldName{"similar", Field::similar},
};

class Parser {
public:
    explicit Parser(const std::string& text) : text_(text) {}

    std::variant<std::optional<QueryNodePtr>, QueryError> run() {
        if (auto error = tokenize()) return *error;
        if (tokens_.size() == 1) return std::optional<QueryNodePtr>{};  // only the end token
        auto node = parse_or();
        if (!node) return error_;
        if (peek().kind != Token::Kind::end) {
            return QueryError{peek().position, peek().kind == Token::Kind::close ? "unbalanced ')'" : "unexpected text"};
        }
        return std::optional<QueryNodePtr>{std::move(node)};
    }

private:
    std::optional<QueryError> tokenize() {
        std::size_t i = 0;
        while (i < text_.size()) {
            const char c = text_[i];
            if (std::isspace(static_cast<unsigned char>(c))) {
                ++i;
                continue;
            }
            Token token;
            token.position = i;
            if (c == '-' && i + 1 < text_.size() && !std::isspace(static_cast<unsigned char>(text_[i + 1]))) {
                token.negated = true;
                ++i;
            }
            if (i < text_.size() && text_[i] == '(') {
                token.kind = Token::Kind::open;
                ++i;
            } else if (i < text_.size() && text_[i] == ')') {
                if (token.negated) return QueryError{token.position, "'-' needs a term after it"};
                token.kind = Token::Kind::close;
                ++i;
            } else if (i < text_.size() && text_[i] == '"') {
                const std::size_t close = text_.find('"', i + 1);
                if (close == std::string::npos) return QueryError{i, "unterminated quote"};
                token.kind = Token::Kind::quoted;
                token.text = text_.substr(i + 1, close - i - 1);
                i = close + 1;
            } else {
                // A word runs to a blank or a parenthesis; `field:"quoted value"` keeps its quotes inside.
                token.kind = Token::Kind::word;
                while (i < text_.size() && !std::isspace(static_cast<unsigned char>(text_[i])) && text_[i] != '(' &&
                       text_[i] != ')') {
                    if (text_[i] == '"') {
                        const std::size_t close = text_.find('"', i + 1);
                        if (close == std::string::npos) return QueryError{i, "unterminated quote"};
                        token.text += text_.substr(i + 1, close - i - 1);
                        i = close + 1;
                    } else {
                        token.text += text_[i++];
                    }
                }
            }
            tokens_.push_back(std::move(token));
        }
        tokens_.push_back(Token{Token::Kind::end, {}, text_.size(), false});
        return std::nullopt;
    }

    const Token& peek() const { return tokens_[next_]; }
    bool is_keyword(const Token& t, std::string_view word) const {
        return t.kind == Token::Kind::word && !t.negated && t.text == word;
    }

    QueryNodePtr fail(std::size_t position, std::string message) {
        error_ = QueryError{position, std::move(message)};
        return nullptr;
    }

    QueryNodePtr combine(QueryNode::Kind kind, std::vector<QueryNodePtr> nodes) {
        if (nodes.size() == 1) return std::move(nodes.front());
        auto node = std::make_unique<QueryNode>();
        node->kind = kind;
        node->children = std::move(nodes);
        return node;
    }

    QueryNodePtr parse_or() {
        std::vector<QueryNodePtr> alternatives;
        auto first = parse_and();
        if (!first) return nullptr;
        alternatives.push_back(std::move(first));
        while (is_keyword(peek(), "OR")) {
            const std::size_t at = peek().position;
            ++next_;
            if (peek().kind == Token::Kind::end || peek().kind == Token::Kind::close) return fail(at, "'OR' needs a term on both sides");
            auto more = parse_and();
            if (!more) return nullptr;
            alternatives.push_back(std::move(more));
        }
        return combine(QueryNode::Kind::any_of, std::move(alternatives));
    }

    QueryNodePtr parse_and() {
        std::vector<QueryNodePtr> all;
        for (;;) {
            const Token& t = peek();
            if (t.kind == Token::Kind::end || t.kind == Token::Kind::close || is_keyword(t, "OR")) break;
            if (is_keyword(t, "AND")) {
                const std::size_t at = t.position;
                ++next_;
                if (all.empty() || peek().kind == Token::Kind::end || peek().kind == Token::Kind::close ||
                    is_keyword(peek(), "OR")) {
                    return fail(at, "'AND' needs a term on both sides");
                }
                continue;
            }
            auto node = parse_unary();
            if (!node) return nullptr;
            all.push_back(std::move(node));
        }
        if (all.empty()) {
            return fail(peek().position, peek().kind == Token::Kind::close ? "empty parentheses" : "expected a term");
        }
        return combine(QueryNode::Kind::all_of, std::move(all));
    }

    QueryNodePtr parse_unary() {
        const Token token = peek();
        ++next_;
        QueryNodePtr node;
        if (token.kind != Token::Kind::open && ++terms_ > kMaxQueryTerms)
            return fail(token.position, "too many terms (the limit is " + std::to_string(kMaxQueryTerms) + ")");
        if (token.kind == Token::Kind::open) {
            // The parser recurses per level (and SQLite limits expression depth): a bound keeps a
            // hostile query from overflowing the stack, of this process or of the service.
            if (++depth_ > kMaxQueryDepth)
                return fail(token.position, "parentheses nested too deeply (the limit is " + std::to_string(kMaxQueryDepth) + " levels)");
            node = parse_or();
            --depth_;
            if (!node) return nullptr;
            if (peek().kind != Token::Kind::close) return fail(peek().position, "expected ')' to close the '(' at position " + std::to_string(token.position + 1));
            ++next_;
        } else if (token.kind == Token::Kind::quoted) {
            node = std::make_unique<QueryNode>();
            node->term = Term{Field::word, Compare::equal, token.text, {}, token.position};
        } else {
            node = term_of(token);
            if (!node) return nullptr;
        }
        if (!token.negated) return node;
        auto negation = std::make_unique<QueryNode>();
        negation->kind = QueryNode::Kind::negation;
        negation->children.push_back(std::move(node));
        return negation;
    }

    QueryNodePtr term_of(const Token& token) {
        auto node = std::make_unique<QueryNode>();
        Term& term = node->term;
        term.position = token.position;
        const std::size_t colon = token.text.find(':');
        if (colon == std::string::npos) {
            term.value = token.text;
            return node;
        }
        const std::string name = token.text.substr(0, colon);
        std::string value = token.text.substr(colon + 1);
        bool known = false;
        for (const FieldName& f : kFields) {
            if (f.name == name) {
                term.field = f.field;
                known = true;
            }
        }
        if (!known) {
            std::string names;
            for (const FieldName& f : kFields) names += (names.empty() ? "" : ", ") + std::string(f.name);
            return fail(token.position, "unknown field '" + name + "' (known: " + names + ")");
        }
        const std::size_t value_at = token.position + (token.negated ? 1 : 0) + colon + 1;
        if (value.empty() && term.field != Field::failed) return fail(value_at, "'" + name + ":' needs a value");

        const bool numeric = term.field == Field::iso || term.field == Field::focal || term.field == Field::aperture ||
                             term.field == Field::year || term.field == Field::faces;
        if (numeric || term.field == Field::date) {
            static constexpr std::pair<std::string_view, Compare> kOps[] = {
                {">=", Compare::greater_equal}, {"<=", Compare::less_equal}, {">", Compare::greater},
                {"<", Compare::less},           {"=", Compare::equal}};
            const std::string written = name + ":" + value;  // the term as written, for messages
            std::size_t op_size = 0;
            for (const auto& [op, compare] : kOps) {
                if (value.starts_with(op)) {
                    term.compare = compare;
                    value.erase(0, op.size());
                    op_size = op.size();
                    break;
                }
            }
            std::size_t high_at = value_at;
            if (const auto dots = value.find(".."); dots != std::string::npos && term.compare == Compare::equal) {
                term.compare = Compare::range;
                term.high = value.substr(dots + 2);
                high_at = value_at + dots + 2;
                value.erase(dots);
                if (value.empty() || term.high.empty()) return fail(value_at, "a range needs both ends: LOW..HIGH");
            }
            // Each end is checked where it stands, so the caret points at the bad one.
            const bool whole = term.field == Field::year || term.field == Field::iso || term.field == Field::faces;
            for (const auto& [v, at] : {std::pair{&value, value_at + op_size}, std::pair{&term.high, high_at}}) {
                if (v->empty()) continue;
                if (numeric && !valid_number(*v)) return fail(at, "'" + *v + "' is not a number");
                if (whole && !valid_whole_number(*v)) return fail(at, "'" + *v + "' is not a whole number");
                if (term.field == Field::date && !valid_date(*v)) {
                    return fail(at, "'" + *v + "' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
                }
                if (term.field == Field::date) {
                    if (std::string why = impossible_date(*v); !why.empty()) return fail(at, "'" + written + "': " + why);
                }
            }
            if (value.empty()) return fail(value_at, "'" + name + ":' needs a value after the comparison");
            // A range whose low end is past its high end matches nothing: surely a slip, said as such.
            if (term.compare == Compare::range) {
                const bool empty = term.field == Field::date
                                       ? date_bound(value, false) > date_bound(term.high, true)
                                       : std::strtod(value.c_str(), nullptr) > std::strtod(term.high.c_str(), nullptr);
                if (empty)
                    return fail(value_at, "'" + written + "': the range is empty (" + value + " is after " + term.high + ")");
            }
        }
        if (term.field == Field::has && value != "gps" && value != "tags" && value != "usertags" && value != "thumbnail" &&
            value != "faces" && value != "objects") {
            return fail(value_at, "unknown 'has:" + value + "' (known: gps, tags, usertags, thumbnail, faces, objects)");
        }
        if (term.field == Field::within || term.field == Field::near) {
            if (auto error = coordinates_of(term, value, value_at)) {
                error_ = std::move(*error);
                return nullptr;
            }
        }
        if (term.field == Field::similar) {
            // similar:HASH or similar:PHOTO_ID, then ~DISTANCE (default kDefaultSimilarDistance).
            int distance = kDefaultSimilarDistance;
            if (const auto tilde = value.find('~'); tilde != std::string::npos) {
                const std::string digits = value.substr(tilde + 1);
                value.erase(tilde);
                if (digits.empty() || digits.size() > 2 ||
                    !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
                    std::stoi(digits) > kMaxSimilarDistance) {
                    return fail(value_at, "'~" + digits + "' is not a distance (0.." + std::to_string(kMaxSimilarDistance) + " bits)");
                }
                distance = std::stoi(digits);
            }
            if (!parse_perceptual_hash(value) && !is_photo_id(value))
                return fail(value_at, "'" + value + "' is neither a perceptual hash (16 hex digits) nor a photo id (32 hex digits)");
            term.high = std::to_string(distance);
        }
        term.value = std::move(value);
        return node;
    }

    // `within:S,W,N,E` and `near:LAT,LON[,KM]`: numbers separated by commas, each checked for its range;
    // an error points at the number at fault.
    static std::optional<QueryError> coordinates_of(Term& term, const std::string& value, std::size_t value_at) {
        const bool within = term.field == Field::within;
        const std::string shape = within ? "within:SOUTH,WEST,NORTH,EAST" : "near:LAT,LON or near:LAT,LON,KM";
        std::vector<std::string> parts;
        std::size_t from = 0;
        for (;;) {
            const std::size_t comma = value.find(',', from);
            const std::string part = value.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
            if (!valid_number(part)) {
                return QueryError{value_at + from, part.empty() ? "expected a number (" + shape + ")"
                                                                : "'" + part + "' is not a number (" + shape + ")"};
            }
            const double number = std::strtod(part.c_str(), nullptr);
            if (!std::isfinite(number)) return QueryError{value_at + from, "'" + part + "' is not a number (" + shape + ")"};
            const std::size_t index = term.numbers.size();
            const bool latitude = within ? index % 2 == 0 : index == 0;
            const bool longitude = within ? index % 2 == 1 : index == 1;
            if (latitude && (number < -90 || number > 90))
                return QueryError{value_at + from, "latitude " + part + " is out of range (-90..90)"};
            if (longitude && (number < -180 || number > 180))
                return QueryError{value_at + from, "longitude " + part + " is out of range (-180..180)"};
            if (!within && index == 2 && (!(number > 0) || number > kNearMaxKm)) {
                return QueryError{value_at + from, "radius " + part + " km is out of range (above 0, at most " +
                                                       std::to_string(static_cast<int>(kNearMaxKm)) + ")"};
            }
            term.numbers.push_back(number);
            parts.push_back(part);
            if (comma == std::string::npos) break;
            from = comma + 1;
        }
        const std::size_t count = term.numbers.size();
        if (within ? count != 4 : count < 2 || count > 3) {
            return QueryError{value_at, "expected " + std::string(within ? "4" : "2 or 3") + " numbers, not " + std::to_string(count) + " (" +
                                            shape + ")"};
        }
        if (within && term.numbers[0] > term.numbers[2]) {
            return QueryError{value_at, "the south edge " + parts[0] + " is north of the north edge " + parts[2] + " (" + shape + ")"};
        }
        if (!within && count == 2) term.numbers.push_back(kNearDefaultKm);
        return std::nullopt;
    }

    static bool is_photo_id(const std::string& v) {
        return v.size() == 32 && std::all_of(v.begin(), v.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
    }

    // A finite decimal number: strtod alone would also take "nan", "inf" and hex ("0x1p3").
    static bool valid_number(const std::string& v) {
        if (v.empty()) return false;
        if (!std::all_of(v.begin(), v.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            }))
            return false;
        char* end = nullptr;
        const double number = std::strtod(v.c_str(), &end);
        return end == v.c_str() + v.size() && std::isfinite(number);
    }

    static bool valid_whole_number(const std::string& v) {
        const std::size_t first = v[0] == '-' || v[0] == '+' ? 1 : 0;
        return v.size() > first && v.size() <= 18 &&
               std::all_of(v.begin() + static_cast<std::ptrdiff_t>(first), v.end(), [](char c) { return c >= '0' && c <= '9'; });
    }

    // For a date of the right shape: why no calendar has it ("month 13 is not 1-12"), or empty.
    static std::string impossible_date(const std::string& v) {
        static constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                                  "July",    "August",   "September", "October", "November", "December"};
        if (v.size() < 7) return {};
        const int year = std::stoi(v.substr(0, 4));
        const int month = std::stoi(v.substr(5, 2));
        if (month < 1 || month > 12) return "month " + std::to_string(month) + " is not 1-12";
        if (v.size() < 10) return {};
        const int day = std::stoi(v.substr(8, 2));
        const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        const int days = month == 2 && leap ? 29 : kDays[month - 1];
        if (day < 1 || day > days) {
            return "day " + std::to_string(day) + " is not 1-" + std::to_string(days) + " (" + kMonths[month - 1] + " " +
                   v.substr(0, 4) + ")";
        }
        return {};
    }

    // The first (or last) day a YYYY, YYYY-MM or YYYY-MM-DD covers, as comparable text.
    static std::string date_bound(const std::string& v, bool last) {
        if (v.size() == 4) return v + (last ? "-12-31" : "-01-01");
        if (v.size() == 7) return v + (last ? "-31" : "-01");
        return v;
    }

    static bool valid_date(const std::string& v) {
        static constexpr std::string_view kShape = "dddd-dd-dd";
        if (v.size() != 4 && v.size() != 7 && v.size() != 10) return false;
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (kShape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(v[i])) : v[i] != '-') return false;
        }
        return true;
    }

    const std::string& text_;
    std::vector<Token> tokens_;
    std::size_t next_ = 0;
    std::size_t depth_ = 0;  // parentheses open around the token being parsed
    std::size_t terms_ = 0;
    QueryError error_;
};

}  // namespace

std::variant<std::optional<QueryNodePtr>, QueryError> parse_query(const std::string& text) { return Parser(text).run(); }

TakenRange taken_range(const Term& t) {
    // Past the last ISO 8601 text that starts with a prefix: every character of a date ('0'-'9', '-',
    // 'T', ':', '.', '+', 'Z') sorts before '~'.
    const auto after_prefix = [](const std::string& prefix) { return prefix + "~"; };
    std::string low = t.value, high = t.compare == Compare::range ? t.high : t.value;
    if (t.field == Field::year) {
        low = std::to_string(std::atoi(low.c_str()));
        high = std::to_string(std::atoi(high.c_str()));
    }
    switch (t.compare) {
        case Compare::equal:
        case Compare::range: return {low, after_prefix(high)};
        case Compare::less: return {std::nullopt, low};
        case Compare::greater_equal: return {low, std::nullopt};
        case Compare::less_equal: return {std::nullopt, after_prefix(low)};  // the whole period named counts
        case Compare::greater: return {after_prefix(low), std::nullopt};
    }
    return {};
}

std::string describe(const QueryError& error, const std::string& text) {
    // A window of the text around the error, so a huge query is not echoed back whole.
    constexpr std::size_t kContext = 40;
    const std::size_t at = std::min(error.position, text.size());
    const std::size_t from = at > kContext ? at - kContext : 0;
    const std::size_t to = std::min(text.size(), at + kContext);
    const std::string before = from > 0 ? "..." : "";
    const std::string after = to < text.size() ? "..." : "";
    return "query error at position " + std::to_string(error.position + 1) + ": " + error.message + "\n  " + before +
           text.substr(from, to - from) + after + "\n  " + std::string(before.size() + at - from, ' ') + "^";
}

}  // namespace lbx::engine::catalog
