// sdk_docs/protocol.md is the contract: its tables must name every request, reply and event at its wire
// index, and every status, so the page cannot drift from ipc/.
#include "ipc/message_samples.hpp"
#include "support/test_files.hpp"

#include "lightbox/ipc/status.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace lbx;

namespace {

std::string protocol_page() {
    const auto bytes = test::read_file(std::string(LIGHTBOX_TEST_SOURCE_DIR) + "/sdk_docs/protocol.md");
    return std::string(bytes.begin(), bytes.end());
}

}  // namespace

TEST_CASE("protocol.md lists every message at its wire index", "[ipc]") {
    const std::string page = protocol_page();
    REQUIRE_FALSE(page.empty());
    for (const ipc::Request& request : test::sample_requests()) {
        const std::string row = "| " + std::to_string(request.index()) + " | `" + std::string(ipc::name_of(request)) + "` |";
        INFO(row);
        CHECK(page.find(row) != std::string::npos);
    }
    for (const ipc::Reply& reply : test::sample_replies()) {
        const std::string entry = std::to_string(reply.index()) + " `" + std::string(ipc::name_of(reply)) + "`";
        INFO(entry);
        CHECK(page.find(entry) != std::string::npos);
    }
    for (const ipc::Event& event : test::sample_events()) {
        const std::string row = "| " + std::to_string(event.index()) + " | `" + std::string(ipc::name_of(event)) + "` |";
        INFO(row);
        CHECK(page.find(row) != std::string::npos);
    }
}

TEST_CASE("protocol.md documents every status", "[ipc]") {
    const std::string page = protocol_page();
    for (ipc::Status status : ipc::kAllStatuses) {
        const std::string row = "| `" + std::string(ipc::to_string(status)) + "` |";
        INFO(row);
        CHECK(page.find(row) != std::string::npos);
    }
}
