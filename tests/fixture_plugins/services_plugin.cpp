// A plugin using the API 1.1 host services through plugin.hpp, for tests/engine/plugin_services_test.cpp.
//   - decode stage "svc-dec" for a made-up format: "LBXSVC01", u32 LE width, height, exif_size, then
//     exif_size bytes of Exif (a TIFF structure) handed to the host with add_metadata_block; grey pixels.
//     It logs the threads hint and polls the stop check before each row.
//   - tag stage "svc-tag": logs a warning, tags "threads-<hint>", and returns cancelled when asked to stop.
#include <lightbox/plugin.hpp>

namespace {

using lbx::sdk::fail;
using lbx::sdk::ok;
using lbx::sdk::Status;

uint32_t read_u32(const uint8_t* p) {
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

class ServicesDecoder {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_DECODE;
    explicit ServicesDecoder(const lbx::sdk::Params&) {}

    Status decode(const lbx::sdk::DecodeRequest& request, lbx::sdk::ImageSink& sink) const {
        const auto bytes = request.source.bytes();
        if (bytes.size() < 20) return fail(LBX_E_TRUNCATED, "header ends at byte " + std::to_string(bytes.size()));
        const uint32_t width = read_u32(bytes.data() + 8);
        const uint32_t height = read_u32(bytes.data() + 12);
        const uint32_t exif_size = read_u32(bytes.data() + 16);
        if (exif_size > bytes.size() - 20) return fail(LBX_E_TRUNCATED, "exif block ends past the file");
        const lbx::sdk::Host host = sink.host();
        host.info("decoding " + std::to_string(width) + "x" + std::to_string(height) + ", threads hint " +
                  std::to_string(host.threads_hint()));
        if (Status s = sink.set_source_size(width, height); !s.ok()) return s;
        // A failed hand-over only loses the metadata: the pixels still count.
        if (exif_size > 0) (void)sink.add_metadata_block(LBX_METADATA_BLOCK_EXIF, bytes.subspan(20, exif_size));
        uint32_t stride = 0;
        uint8_t* pixels = sink.allocate(width, height, 0, stride);
        if (pixels == nullptr) return fail(LBX_E_NO_MEMORY, "no output buffer");
        for (uint32_t y = 0; y < height; ++y) {
            if (host.should_stop()) return fail(LBX_E_CANCELLED, "stopped at row " + std::to_string(y));
            std::memset(pixels + std::size_t(y) * stride, 0x80, std::size_t(width) * 3);
        }
        return ok();
    }
};

class ServicesTagger {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_TAG;
    explicit ServicesTagger(const lbx::sdk::Params&) {}

    Status tag(const lbx::sdk::TagInput&, lbx::sdk::TagSink& sink) const {
        const lbx::sdk::Host host = sink.host();
        if (host.should_stop()) return fail(LBX_E_CANCELLED, "stopped before tagging");
        host.warning("tagging with threads hint " + std::to_string(host.threads_hint()));
        sink.add("threads-" + std::to_string(host.threads_hint()), "test", 1.0);
        return ok();
    }
};

const lbx_format_desc kFormats[] = {lbx::sdk::format("lbxsvc", "image/x-lbxsvc", "lbxsvc", 0, "LBXSVC01")};
const lbx_stage_desc kDecoder =
    lbx::sdk::make_stage<ServicesDecoder>("svc-dec", "decoder using the host services", 0, kFormats, {});
const lbx_stage_desc kTagger = lbx::sdk::make_stage<ServicesTagger>("svc-tag", "tagger using the host services", 0, {}, {});

}  // namespace

LBX_PLUGIN("org.lightbox.test.services", "Host services", "0.1.0", "MIT", "a test plugin for API 1.1",
           &kDecoder, &kTagger)
