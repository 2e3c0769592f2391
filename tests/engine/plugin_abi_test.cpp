// Pins the plugin ABI (GStreamer's gstabi.c idea): sizes and offsets of the v1 structs may only grow at
// the end. If this test fails, you changed the binary interface: append fields instead, and bump
// LBX_PLUGIN_API_VERSION_MINOR.
#include <lightbox/plugin_api.h>

#include <catch2/catch.hpp>

#include <cstddef>

TEST_CASE("plugin API v1 struct layouts are pinned (x86-64 / aarch64 LP64)", "[abi]") {
    CHECK(LBX_PLUGIN_API_VERSION_MAJOR == 1);
    CHECK(sizeof(lbx_error) == 520);
    CHECK(sizeof(lbx_param_desc) == 56);
    CHECK(offsetof(lbx_param_desc, description) == 48);
    CHECK(sizeof(lbx_format_desc) == 56);
    CHECK(offsetof(lbx_format_desc, magic_size) == 48);
    CHECK(sizeof(lbx_param_value) == 64);
    CHECK(sizeof(lbx_source) == 40);
    CHECK(sizeof(lbx_image) == 48);
    CHECK(offsetof(lbx_image, flags) == 40);
    CHECK(sizeof(lbx_decode_request) == 56);
    CHECK(sizeof(lbx_image_sink) == 32);
    CHECK(sizeof(lbx_metadata_sink) == 40);
    CHECK(sizeof(lbx_metadata_view) == 40);
    CHECK(sizeof(lbx_tag_input) == 32);
    CHECK(sizeof(lbx_thumbnail_input) == 56);
    CHECK(sizeof(lbx_thumbnail_sink) == 24);
    CHECK(sizeof(lbx_stage_desc) == 120);
    CHECK(offsetof(lbx_stage_desc, create) == 72);
    CHECK(offsetof(lbx_stage_desc, thumbnail) == 112);
    CHECK(sizeof(lbx_plugin_desc) == 64);
    CHECK(offsetof(lbx_plugin_desc, api_major) == 4);
    CHECK(offsetof(lbx_plugin_desc, api_minor) == 6);
    CHECK(offsetof(lbx_plugin_desc, stages) == 48);
    // Status codes are part of the ABI.
    CHECK(LBX_E_UNSUPPORTED == 1);
    CHECK(LBX_E_CANCELLED == 9);
    CHECK(LBX_STAGE_THUMBNAIL == 4);
    CHECK(LBX_PARAM_INT_LIST == 6);
}
