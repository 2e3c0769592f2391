// The record of plugin libraries a load probe found sound (workers/probe_cache.hpp): a run skips the
// probe only while every library is recorded, unchanged, on an unchanged system.
#include "workers/probe_cache.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using lbx::engine::ProbeCache;

namespace {

void write_text(const std::filesystem::path& file, const std::string& text) { std::ofstream(file, std::ios::binary) << text; }

}  // namespace

TEST_CASE("a probe record holds while its libraries are unchanged, and not for a new, changed or unrecorded one", "[engine]") {
    lbx::test::TempDir dir;
    const auto a = dir / "liba.so", b = dir / "libb.so", c = dir / "libc.so";
    write_text(a, "a");
    write_text(b, "b");
    const ProbeCache cache(dir / "state" / "plugins-probed.json");
    CHECK_FALSE(cache.all_sound({a, b}));  // no record yet
    cache.record_sound({a, b});
    CHECK(std::filesystem::exists(cache.file()));
    CHECK(cache.all_sound({a, b}));
    CHECK(cache.all_sound({a}));
    CHECK(cache.all_sound({}));
    write_text(c, "c");
    CHECK_FALSE(cache.all_sound({a, b, c}));  // a new library: probed
    write_text(b, "changed, longer");
    CHECK_FALSE(cache.all_sound({a, b}));  // a changed one: probed
    std::filesystem::remove(a);
    CHECK_FALSE(cache.all_sound({a}));  // gone
    // A damaged record is no record.
    write_text(cache.file(), "{not json");
    CHECK_FALSE(cache.all_sound({}));
}
