// A plugin compiled against the frozen API 1.0 header (plugin_api_1_0.h), as a third party built it
// before 1.1: its descriptors and the sinks it reads have the 1.0 sizes. A decode stage for a made-up
// format ("LBX10IMG", u32 LE width, u32 LE height, then nothing: grey pixels) and a tag stage. The
// tests prove a 1.1 host loads and runs it unchanged (tests/engine/plugin_services_test.cpp).
#include "plugin_api_1_0.h"

#include <cstring>

namespace {

uint32_t read_u32(const uint8_t* p) {
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

lbx_status decode(void*, const lbx_decode_request* request, const lbx_image_sink* sink, lbx_error* error) {
    const lbx_source& src = request->source;
    if (src.size < 16 || std::memcmp(src.data, "LBX10IMG", 8) != 0) {
        error->code = LBX_E_CORRUPT;
        std::strcpy(error->message, "not an lbx10 image");
        return LBX_E_CORRUPT;
    }
    const uint32_t width = read_u32(src.data + 8);
    const uint32_t height = read_u32(src.data + 12);
    lbx_status s = sink->set_source_size(sink->host, width, height, error);
    if (s != LBX_OK) return s;
    uint32_t stride = 0;
    uint8_t* pixels = sink->allocate(sink->host, width, height, LBX_PIXEL_RGB8, 0, &stride);
    if (pixels == nullptr) return LBX_E_NO_MEMORY;
    for (uint32_t y = 0; y < height; ++y) std::memset(pixels + std::size_t(y) * stride, 0x80, std::size_t(width) * 3);
    return LBX_OK;
}

lbx_status tag(void*, const lbx_tag_input* input, const lbx_tag_sink* sink, lbx_error*) {
    sink->add_tag(sink->host, input->image != nullptr ? "v1.0-pixels" : "v1.0", "test", 1.0);
    return LBX_OK;
}

const uint8_t kMagic[] = {'L', 'B', 'X', '1', '0', 'I', 'M', 'G'};
const lbx_format_desc kFormats[] = {
    {sizeof(lbx_format_desc), "lbx10", "image/x-lbx10", "lbx10", 0, kMagic, sizeof(kMagic)}};

lbx_stage_desc make_decoder() {
    lbx_stage_desc s{};
    s.struct_size = sizeof(lbx_stage_desc);  // 120: the 1.0 size, without read_metadata_block
    s.id = "v10-dec";
    s.kind = LBX_STAGE_DECODE;
    s.description = "API 1.0 decoder";
    s.formats = kFormats;
    s.format_count = 1;
    s.decode = &decode;
    return s;
}

lbx_stage_desc make_tagger() {
    lbx_stage_desc s{};
    s.struct_size = sizeof(lbx_stage_desc);
    s.id = "v10-tag";
    s.kind = LBX_STAGE_TAG;
    s.description = "API 1.0 tagger";
    s.tag = &tag;
    return s;
}

const lbx_stage_desc kDecoder = make_decoder();
const lbx_stage_desc kTagger = make_tagger();
const lbx_stage_desc* const kStages[] = {&kDecoder, &kTagger};

}  // namespace

extern "C" LBX_EXPORT const lbx_plugin_desc* lbx_plugin_describe(void) {
    static const lbx_plugin_desc desc = {sizeof(lbx_plugin_desc), LBX_PLUGIN_API_VERSION_MAJOR,
                                         LBX_PLUGIN_API_VERSION_MINOR, "org.lightbox.test.api10", "API 1.0",
                                         "1.0.0", "MIT", "built against the 1.0 header", kStages, 2};
    return &desc;
}
