// Parameters are checked against the stage's declared schema before a stage ever sees them.
#include "plugins/param_values.hpp"

#include <lightbox/plugin.hpp>

#include <catch2/catch.hpp>

using namespace lbx::engine;

namespace {
const lbx_param_desc kParams[] = {
    lbx::sdk::param_int("quality", "85", 1, 100, "JPEG quality"),
    lbx::sdk::param_double("ratio", "0.5", 0, 1, "a ratio"),
    lbx::sdk::param_bool("fast", "true", "go fast"),
    lbx::sdk::param_string("name", "hello", "a name"),
    lbx::sdk::param_path("rules", "rules.toml", "a file"),
    lbx::sdk::param_int_list("sizes", "256,1024", 16, 8192, "sizes"),
};
lbx_stage_desc stage() {
    lbx_stage_desc s{};
    s.struct_size = sizeof s;
    s.id = "demo";
    s.params = kParams;
    s.param_count = 6;
    return s;
}
const ParamValue& find(const std::vector<ParamValue>& v, const std::string& name) {
    for (const auto& p : v)
        if (p.name == name) return p;
    FAIL("no parameter " << name);
    return v.front();
}
}  // namespace

TEST_CASE("defaults are parsed from their declared text", "[params]") {
    auto desc = stage();
    auto values = resolve_params(desc, {}, "/etc/lightbox");
    REQUIRE(values);
    CHECK(find(*values, "quality").int_value == 85);
    CHECK(find(*values, "ratio").double_value == Approx(0.5));
    CHECK(find(*values, "fast").bool_value);
    CHECK(find(*values, "name").string_value == "hello");
    CHECK(find(*values, "rules").string_value == "/etc/lightbox/rules.toml");
    CHECK(find(*values, "sizes").int_list == std::vector<int64_t>{256, 1024});
}

TEST_CASE("overrides replace defaults, absolute paths stay", "[params]") {
    auto desc = stage();
    auto values = resolve_params(desc, {{"quality", int64_t(70)}, {"ratio", int64_t(1)}, {"rules", std::string("/x/r.toml")}}, "/etc");
    REQUIRE(values);
    CHECK(find(*values, "quality").int_value == 70);
    CHECK(find(*values, "ratio").double_value == Approx(1.0));  // an integer is accepted for a double
    CHECK(find(*values, "rules").string_value == "/x/r.toml");
}

TEST_CASE("bad parameters are errors naming the stage, the parameter and the problem", "[params]") {
    auto desc = stage();
    auto check = [&](std::map<std::string, ParamInput> in, const std::string& message) {
        auto values = resolve_params(desc, in, "/");
        REQUIRE_FALSE(values);
        CHECK(values.error().message == message);
    };
    check({{"quality", int64_t(150)}}, "parameter 'quality' of stage 'demo': 150 is out of range 1..100");
    check({{"quality", std::string("high")}}, "parameter 'quality' of stage 'demo': expected an integer");
    check({{"sizes", std::vector<int64_t>{256, 5}}}, "parameter 'sizes' of stage 'demo': 5 is out of range 16..8192");
    check({{"fast", int64_t(1)}}, "parameter 'fast' of stage 'demo': expected true or false");
    check({{"colour", std::string("red")}},
          "parameter 'colour' of stage 'demo': unknown (known: quality, ratio, fast, name, rules, sizes)");
}

TEST_CASE("textual values parse like the command line writes them", "[params]") {
    auto v = parse_param_text(kParams[5], "128, 512", "/");
    REQUIRE(v);
    CHECK(v->int_list == std::vector<int64_t>{128, 512});
    CHECK(format_param_value(*v) == "128,512");
    CHECK_FALSE(parse_param_text(kParams[0], "12x", "/"));
    CHECK_FALSE(parse_param_text(kParams[2], "maybe", "/"));
    CHECK_FALSE(parse_param_text(kParams[1], "nan", "/"));
}
