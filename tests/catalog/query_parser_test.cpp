// The query language's parser: the tree it builds, and errors that point at the right position.
#include "catalog/query_parser.hpp"

#include <catch2/catch.hpp>

using namespace lbx::engine::catalog;

namespace {

const QueryNode& parsed(const std::string& text, std::optional<QueryNodePtr>& keep) {
    auto result = parse_query(text);
    if (auto* error = std::get_if<QueryError>(&result)) FAIL(describe(*error, text));
    keep = std::move(std::get<std::optional<QueryNodePtr>>(result));
    REQUIRE(keep);
    return **keep;
}

QueryError error_of(const std::string& text) {
    auto result = parse_query(text);
    const auto* error = std::get_if<QueryError>(&result);
    INFO("query: " << text);
    REQUIRE(error != nullptr);
    return *error;
}

}  // namespace

TEST_CASE("an empty query parses to nothing", "[catalog][query]") {
    for (const char* text : {"", "   ", "\t"}) {
        auto result = parse_query(text);
        REQUIRE(std::holds_alternative<std::optional<QueryNodePtr>>(result));
        CHECK_FALSE(std::get<std::optional<QueryNodePtr>>(result).has_value());
    }
}

TEST_CASE("words, fields, quotes, AND, OR, negation and parentheses", "[catalog][query]") {
    std::optional<QueryNodePtr> keep;
    const QueryNode& word = parsed("beach", keep);
    CHECK(word.kind == QueryNode::Kind::term);
    CHECK(word.term.field == Field::word);
    CHECK(word.term.value == "beach");

    const QueryNode& phrase = parsed("camera:\"EOS R6\"", keep);
    CHECK(phrase.term.field == Field::camera);
    CHECK(phrase.term.value == "EOS R6");

    const QueryNode& both = parsed("beach AND year:2019", keep);
    REQUIRE(both.kind == QueryNode::Kind::all_of);
    REQUIRE(both.children.size() == 2);
    CHECK(both.children[1]->term.field == Field::year);

    // OR binds looser than AND: a b OR c = (a AND b) OR c
    const QueryNode& either = parsed("a b OR c", keep);
    REQUIRE(either.kind == QueryNode::Kind::any_of);
    REQUIRE(either.children.size() == 2);
    CHECK(either.children[0]->kind == QueryNode::Kind::all_of);
    CHECK(either.children[1]->term.value == "c");

    const QueryNode& grouped = parsed("(beach OR lake) -tag:blurry", keep);
    REQUIRE(grouped.kind == QueryNode::Kind::all_of);
    CHECK(grouped.children[0]->kind == QueryNode::Kind::any_of);
    REQUIRE(grouped.children[1]->kind == QueryNode::Kind::negation);
    CHECK(grouped.children[1]->children[0]->term.field == Field::tag);
    CHECK(grouped.children[1]->children[0]->term.value == "blurry");

    const QueryNode& negated_group = parsed("-(a OR b)", keep);
    CHECK(negated_group.kind == QueryNode::Kind::negation);
}

TEST_CASE("comparisons and ranges of numbers and dates", "[catalog][query]") {
    std::optional<QueryNodePtr> keep;
    const QueryNode& iso = parsed("iso:>1600", keep);
    CHECK(iso.term.field == Field::iso);
    CHECK(iso.term.compare == Compare::greater);
    CHECK(iso.term.value == "1600");
    CHECK(parsed("f:<=2.8", keep).term.compare == Compare::less_equal);
    const QueryNode& range = parsed("date:2019-05..2019-08", keep);
    CHECK(range.term.compare == Compare::range);
    CHECK(range.term.value == "2019-05");
    CHECK(range.term.high == "2019-08");
    CHECK(parsed("year:2018..2020", keep).term.high == "2020");
    CHECK(parsed("failed:", keep).term.field == Field::failed);
    CHECK(parsed("has:gps", keep).term.value == "gps");
}

TEST_CASE("bad queries are refused with the position of the problem", "[catalog][query]") {
    CHECK(error_of("tag:a (b").position == 8);
    CHECK(error_of("tag:a (b").message.find("expected ')'") != std::string::npos);
    CHECK(error_of("a b)").position == 3);
    CHECK(error_of("a b)").message == "unbalanced ')'");
    CHECK(error_of("cam:pixel").message.find("unknown field 'cam'") != std::string::npos);
    CHECK(error_of("beach iso:").position == 10);
    CHECK(error_of("iso:>abc").message.find("not a number") != std::string::npos);
    CHECK(error_of("date:2019-5").message.find("not a date") != std::string::npos);
    CHECK(error_of("date:2019..").message.find("both ends") != std::string::npos);
    CHECK(error_of("has:pets").message.find("unknown 'has:pets'") != std::string::npos);
    CHECK(error_of("a OR").message.find("'OR' needs a term") != std::string::npos);
    CHECK(error_of("AND a").message.find("'AND' needs a term") != std::string::npos);
    CHECK(error_of("()").message == "empty parentheses");
    CHECK(error_of("\"open").message == "unterminated quote");
    CHECK(error_of("\"open").position == 0);
    const std::string text = "tag:a (b";
    const std::string shown = describe(error_of(text), text);
    CHECK(shown.find("position 9") != std::string::npos);
    CHECK(shown.find("\n  tag:a (b\n          ^") != std::string::npos);
}

TEST_CASE("deep nesting and too many terms are positioned errors, never a crash", "[catalog][query]") {
    // 20 000 nested parentheses used to overflow the parser's stack.
    const std::string deep = std::string(20000, '(') + "a" + std::string(20000, ')');
    const QueryError nested = error_of(deep);
    CHECK(nested.position == kMaxQueryDepth);  // the first '(' past the limit
    CHECK(nested.message == "parentheses nested too deeply (the limit is 5 levels)");
    const std::string shown = describe(nested, deep);
    CHECK(shown.size() < 300);                           // a window of the text, not the 40 000 characters
    CHECK(shown.find("\n  ((((") != std::string::npos);  // the error is near the start: no cut there
    CHECK(shown.find("(((...\n") != std::string::npos);  // the rest is cut

    std::string many;
    for (std::size_t i = 0; i <= kMaxQueryTerms; ++i) many += "w" + std::to_string(i) + " ";
    const QueryError terms = error_of(many);
    CHECK(terms.message == "too many terms (the limit is 256)");
    CHECK(many.substr(terms.position, 5) == "w256 ");

    // At the limits, a query still parses.
    std::optional<QueryNodePtr> keep;
    const std::string deepest = std::string(kMaxQueryDepth, '(') + "a" + std::string(kMaxQueryDepth, ')');
    CHECK(parsed(deepest, keep).kind == QueryNode::Kind::term);
    std::string most;
    for (std::size_t i = 0; i + 1 < kMaxQueryTerms; ++i) most += "-w" + std::to_string(i) + (i % 2 ? " OR " : " ");
    CHECK(parsed(most + "x", keep).kind == QueryNode::Kind::any_of);
}

TEST_CASE("within: and near: parse their coordinates", "[catalog][query]") {
    std::optional<QueryNodePtr> keep;
    const Term& box = parsed("within:45.5,-1.25,50,8", keep).term;
    CHECK(box.field == Field::within);
    CHECK(box.numbers == std::vector<double>{45.5, -1.25, 50, 8});
    // West east of east: the box crosses the 180th meridian, which is allowed.
    CHECK(parsed("within:-20,170,-10,-170", keep).term.numbers == std::vector<double>{-20, 170, -10, -170});
    CHECK(parsed("near:48.85,2.35", keep).term.numbers == std::vector<double>{48.85, 2.35, kNearDefaultKm});
    CHECK(parsed("near:48.85,2.35,12.5", keep).term.numbers == std::vector<double>{48.85, 2.35, 12.5});
    CHECK(parsed("-near:0,0,1", keep).kind == QueryNode::Kind::negation);
}

TEST_CASE("bad within: and near: values point at the number at fault", "[catalog][query]") {
    CHECK(error_of("within:").message == "'within:' needs a value");
    CHECK(error_of("within:1,2,3").message == "expected 4 numbers, not 3 (within:SOUTH,WEST,NORTH,EAST)");
    CHECK(error_of("within:1,2,3").position == 7);
    CHECK(error_of("a within:1,x,3,4").message == "'x' is not a number (within:SOUTH,WEST,NORTH,EAST)");
    CHECK(error_of("a within:1,x,3,4").position == 11);
    CHECK(error_of("within:1,,3,4").message == "expected a number (within:SOUTH,WEST,NORTH,EAST)");
    CHECK(error_of("within:91,0,92,1").message == "latitude 91 is out of range (-90..90)");
    CHECK(error_of("within:0,0,1,181").message == "longitude 181 is out of range (-180..180)");
    CHECK(error_of("within:0,0,1,181").position == 13);
    CHECK(error_of("within:10,0,5,1").message == "the south edge 10 is north of the north edge 5 (within:SOUTH,WEST,NORTH,EAST)");
    CHECK(error_of("within:nan,0,1,1").message.find("'nan' is not a number") != std::string::npos);
    CHECK(error_of("near:1").message == "expected 2 or 3 numbers, not 1 (near:LAT,LON or near:LAT,LON,KM)");
    CHECK(error_of("near:1,2,3,4").message.find("not 4") != std::string::npos);
    CHECK(error_of("near:0,0,0").message == "radius 0 km is out of range (above 0, at most 500)");
    CHECK(error_of("near:0,0,0").position == 9);
    CHECK(error_of("near:0,0,501").message.find("out of range") != std::string::npos);
    CHECK(error_of("-near:0,200").message == "longitude 200 is out of range (-180..180)");
    CHECK(error_of("-near:0,200").position == 8);
}

TEST_CASE("impossible dates, empty ranges and numbers that are not finite are refused where they stand", "[catalog][query]") {
    // Each was accepted before and silently matched nothing (or everything).
    CHECK(error_of("date:2019-13").message == "'date:2019-13': month 13 is not 1-12");
    CHECK(error_of("a date:2019-13").position == 7);
    CHECK(error_of("date:2019-00-01").message == "'date:2019-00-01': month 0 is not 1-12");
    CHECK(error_of("date:2019-02-30").message == "'date:2019-02-30': day 30 is not 1-28 (February 2019)");
    CHECK(error_of("date:2019-04-31").message == "'date:2019-04-31': day 31 is not 1-30 (April 2019)");
    CHECK(error_of("date:2019-01-00").message == "'date:2019-01-00': day 0 is not 1-31 (January 2019)");
    CHECK(error_of("date:1900-02-29").message.find("day 29 is not 1-28") != std::string::npos);  // not a leap year
    std::optional<QueryNodePtr> keep;
    CHECK(parsed("date:2020-02-29", keep).term.value == "2020-02-29");  // a leap day
    CHECK(parsed("date:2000-02-29", keep).term.value == "2000-02-29");
    // The bad end of a range, after a comparison: the caret points at it.
    CHECK(error_of("date:2019-01..2019-14").message == "'date:2019-01..2019-14': month 14 is not 1-12");
    CHECK(error_of("date:2019-01..2019-14").position == 14);
    CHECK(error_of("date:>=2019-02-30").position == 7);

    CHECK(error_of("year:2019..2018").message == "'year:2019..2018': the range is empty (2019 is after 2018)");
    CHECK(error_of("x year:2019..2018").position == 7);
    CHECK(error_of("date:2019-06..2019-05").message.find("the range is empty") != std::string::npos);
    CHECK(error_of("iso:800..100").message.find("the range is empty (800 is after 100)") != std::string::npos);
    CHECK(parsed("date:2019-05..2019-05-31", keep).term.high == "2019-05-31");  // a month and its last day
    CHECK(parsed("date:2019..2019-01", keep).term.compare == Compare::range);
    CHECK(parsed("year:2019..2019", keep).term.high == "2019");

    CHECK(error_of("focal:nan").message == "'nan' is not a number");
    CHECK(error_of("focal:nan").position == 6);
    CHECK(error_of("f:<inf").message == "'inf' is not a number");
    CHECK(error_of("f:<inf").position == 3);
    CHECK(error_of("iso:0x10").message == "'0x10' is not a number");
    CHECK(error_of("year:2019.5").message == "'2019.5' is not a whole number");
    CHECK(parsed("f:<2.8", keep).term.value == "2.8");
}
