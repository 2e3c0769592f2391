// Pins the plugin ABI (GStreamer's gstabi.c idea): sizes and offsets of the v1 structs may only grow at
// the end. The first case holds the 1.0 layout (where a struct grew in 1.1, its 1.0 size is now the
// offset of the first appended field); the second the fields 1.1 appended. If this test fails, you changed the binary interface: append fields instead, and bump
// LBX_PLUGIN_API_VERSION_MINOR.
#include <lightbox/plugin.hpp>
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
    CHECK(offsetof(lbx_image_sink, services) == 32);  // 1.0 size: 32
    CHECK(offsetof(lbx_metadata_sink, services) == 40);  // 1.0 size: 40
    CHECK(sizeof(lbx_metadata_view) == 40);
    CHECK(offsetof(lbx_tag_input, metadata) == 24);
    CHECK(sizeof(lbx_thumbnail_input) == 56);
    CHECK(offsetof(lbx_thumbnail_sink, services) == 24);  // 1.0 size: 24
    CHECK(offsetof(lbx_stage_desc, read_metadata_block) == 120);  // 1.0 size: 120
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

TEST_CASE("plugin API 1.1 only appends: the 1.0 fields keep their offsets", "[abi]") {
    CHECK(LBX_PLUGIN_API_VERSION_MINOR >= 1);
    // Host services, new in 1.1.
    CHECK(sizeof(lbx_host_services) == 40);
    CHECK(offsetof(lbx_host_services, host) == 8);
    CHECK(offsetof(lbx_host_services, log) == 16);
    CHECK(offsetof(lbx_host_services, should_stop) == 24);
    CHECK(offsetof(lbx_host_services, threads_hint) == 32);
    CHECK(sizeof(lbx_metadata_block) == 32);
    CHECK(offsetof(lbx_metadata_block, kind) == 8);
    CHECK(offsetof(lbx_metadata_block, data) == 16);
    CHECK(offsetof(lbx_metadata_block, size) == 24);
    CHECK(LBX_LOG_ERROR == 1);
    CHECK(LBX_LOG_DEBUG == 4);
    // Sinks: `services` appended right after the 1.0 end (the old sizeof).
    CHECK(offsetof(lbx_image_sink, allocate) == 24);
    CHECK(offsetof(lbx_image_sink, services) == 32);
    CHECK(offsetof(lbx_image_sink, add_metadata_block) == 40);
    CHECK(sizeof(lbx_image_sink) == 48);
    CHECK(offsetof(lbx_metadata_sink, services) == 40);
    CHECK(offsetof(lbx_metadata_sink, set_printed) == 48);  // 1.1 size: 48
    CHECK(offsetof(lbx_tag_sink, services) == 24);
    CHECK(offsetof(lbx_thumbnail_sink, services) == 24);
    CHECK(sizeof(lbx_thumbnail_sink) == 32);
    // The stage descriptor: read_metadata_block after thumbnail, at the 1.0 size.
    CHECK(offsetof(lbx_stage_desc, read_metadata_block) == 120);
    // Unchanged in 1.1.
    CHECK(sizeof(lbx_plugin_desc) == 64);
    CHECK(sizeof(lbx_decode_request) == 56);
    CHECK(offsetof(lbx_tag_input, metadata) == 24);
    CHECK(sizeof(lbx_thumbnail_input) == 56);
}

TEST_CASE("plugin API 1.2 only appends: regions, the tag input's orientation and regions, models", "[abi]") {
    CHECK(LBX_PLUGIN_API_VERSION_MINOR >= 2);
    // The 1.1 ends are where the 1.2 fields start.
    CHECK(offsetof(lbx_tag_sink, add_region) == 32);
    CHECK(offsetof(lbx_tag_sink, set_embedding) == 40);
    CHECK(sizeof(lbx_tag_sink) == 48);
    CHECK(offsetof(lbx_tag_input, orientation) == 32);
    CHECK(offsetof(lbx_tag_input, regions) == 40);
    CHECK(offsetof(lbx_tag_input, region_count) == 48);
    CHECK(offsetof(lbx_stage_desc, models) == 128);
    CHECK(offsetof(lbx_stage_desc, model_count) == 136);
    CHECK(sizeof(lbx_model_desc) == 48);
    CHECK(offsetof(lbx_region, confidence) == 24);
    CHECK(offsetof(lbx_region, embedding_model) == 104);
    CHECK(sizeof(lbx_region) == 120);
}

TEST_CASE("plugin API 1.3 only appends: the metadata sink's printed values", "[abi]") {
    CHECK(offsetof(lbx_metadata_sink, set_printed) == 48);  // the 1.1 end
    // A 1.1-sized sink (an older host) has no set_printed: a plugin must not call it.
    lbx_metadata_sink old{};
    old.struct_size = 48;
    CHECK_FALSE(LBX_HAS_FIELD(&old, lbx_metadata_sink, set_printed));
    old.struct_size = sizeof(lbx_metadata_sink);
    CHECK(LBX_HAS_FIELD(&old, lbx_metadata_sink, set_printed));
}

TEST_CASE("plugin API 1.4 only appends: the metadata sink's flags", "[abi]") {
    CHECK(LBX_PLUGIN_API_VERSION_MINOR == 4);
    CHECK(offsetof(lbx_metadata_sink, flags) == 56);  // the 1.3 end
    CHECK(sizeof(lbx_metadata_sink) == 64);
    CHECK(LBX_METADATA_SUMMARY_ONLY == 1u);
    // A 1.3-sized sink (an older host) has no flags: the SDK then says the host wants the entries.
    lbx_metadata_sink old{};
    old.struct_size = 56;
    old.flags = LBX_METADATA_SUMMARY_ONLY;  // beyond its size: never read
    CHECK_FALSE(LBX_HAS_FIELD(&old, lbx_metadata_sink, flags));
    CHECK(lbx::sdk::MetadataSink(&old).wants_entries());
    old.struct_size = sizeof(lbx_metadata_sink);
    CHECK_FALSE(lbx::sdk::MetadataSink(&old).wants_entries());
    old.flags = 0;
    CHECK(lbx::sdk::MetadataSink(&old).wants_entries());
}

TEST_CASE("LBX_HAS_FIELD tells a 1.0-sized struct from a 1.1 one", "[abi]") {
    lbx_image_sink sink{};
    sink.struct_size = offsetof(lbx_image_sink, services);  // what a 1.0 host would hand
    CHECK_FALSE(LBX_HAS_FIELD(&sink, lbx_image_sink, services));
    CHECK_FALSE(LBX_HAS_FIELD(&sink, lbx_image_sink, add_metadata_block));
    CHECK(LBX_HAS_FIELD(&sink, lbx_image_sink, allocate));
    sink.struct_size = sizeof(lbx_image_sink);
    CHECK(LBX_HAS_FIELD(&sink, lbx_image_sink, add_metadata_block));
    const lbx_image_sink* none = nullptr;
    CHECK_FALSE(LBX_HAS_FIELD(none, lbx_image_sink, services));
}
