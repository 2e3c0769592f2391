// JPEG output of the "thumbnail" stage: TurboJPEG's tjCompress2, baseline, 4:2:0 chroma subsampling,
// accurate integer DCT, at the stage's "quality".
//
// Used by:  lightbox-engine run --only decode,thumbnail photo.jpg
#include "jpeg_encoder.hpp"

#include <turbojpeg.h>

#include <string>

namespace lbx::plugins::thumbnail {

void JpegEncoder::HandleDeleter::operator()(void* handle) const { tjDestroy(handle); }

void JpegEncoder::BufferDeleter::operator()(unsigned char* buffer) const { tjFree(buffer); }

JpegEncoder::JpegEncoder() : handle_(tjInitCompress()) {
    if (!handle_) throw lbx::sdk::Error(LBX_E_NO_MEMORY, "cannot start the JPEG encoder (TurboJPEG)");
}

lbx::sdk::Status JpegEncoder::encode(const RgbView& image, int quality, std::span<const uint8_t>& bytes) {
    const std::string size = std::to_string(image.width) + "x" + std::to_string(image.height);
    if (image.width > 65535 || image.height > 65535) {
        return lbx::sdk::fail(LBX_E_TOO_LARGE, "a " + size + " thumbnail is over JPEG's 65535-pixel limit");
    }
    // TurboJPEG allocates the output and grows it as needed (cheap next to the encode); the previous
    // size's buffer is freed first. Reusing one buffer across calls relies on details of
    // TurboJPEG's destination manager that changed between releases, so it is not done.
    buffer_.reset();
    unsigned char* buffer = nullptr;
    unsigned long length = 0;  // NOLINT(google-runtime-int): TurboJPEG's type
    const int rc = tjCompress2(handle_.get(), image.pixels, static_cast<int>(image.width),
                               static_cast<int>(image.stride), static_cast<int>(image.height), TJPF_RGB,
                               &buffer, &length, TJSAMP_420, quality, 0);
    buffer_.reset(buffer);
    if (rc != 0) {
        buffer_.reset();
        return lbx::sdk::fail(LBX_E_INTERNAL,
                              "cannot encode a " + size + " JPEG thumbnail: " + tjGetErrorStr2(handle_.get()));
    }
    bytes = std::span<const uint8_t>(buffer_.get(), length);
    return lbx::sdk::ok();
}

}  // namespace lbx::plugins::thumbnail
