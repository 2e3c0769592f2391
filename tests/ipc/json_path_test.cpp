// Paths in JSON output: base64 of the exact bytes when a path is not UTF-8, and reading it back
// (lightbox-engine catalog import reads what run --json wrote).
#include <lightbox/ipc/json_path.hpp>

#include <catch2/catch.hpp>

using namespace lbx;

TEST_CASE("base64 of any bytes reads back to the same bytes, text that is not base64 is refused", "[ipc]") {
    for (const std::string& bytes : {std::string(), std::string("a"), std::string("ab"), std::string("abc"),
                                    std::string("/photos/caf\xe9.jpg"), std::string("\x00\xff\x10", 3)}) {
        const std::string encoded = ipc::base64(bytes);
        CHECK(encoded.size() % 4 == 0);
        CHECK(ipc::from_base64(encoded) == bytes);
    }
    CHECK(ipc::base64("caf\xe9") == "Y2Fm6Q==");
    CHECK_FALSE(ipc::from_base64("abc"));        // not a multiple of four
    CHECK_FALSE(ipc::from_base64("ab!d"));       // not a digit
    CHECK_FALSE(ipc::from_base64("a=bc"));       // padding in the middle
    CHECK_FALSE(ipc::from_base64("ab==abcd"));   // padding before the end
}
