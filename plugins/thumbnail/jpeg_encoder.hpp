// JPEG encoding of thumbnails with TurboJPEG (2.x API): RGB8 in, baseline 4:2:0 JPEG out.
#pragma once

#include "pixels.hpp"

#include <lightbox/plugin.hpp>

#include <cstdint>
#include <memory>
#include <span>

namespace lbx::plugins::thumbnail {

// One TurboJPEG compressor, used for every size of one photo, and the last JPEG it made.
//
// A TurboJPEG handle must not be used by two threads at once, and stage instances are shared by all
// worker threads, so the stage makes one encoder per call on its own stack: no locking, no state
// between photos, nothing left behind in a thread when the host's pool ends. Creating a handle costs a
// few microseconds, far below one encode.
class JpegEncoder {
public:
    JpegEncoder();  // throws lbx::sdk::Error(LBX_E_NO_MEMORY) when TurboJPEG cannot make a handle

    // Encodes `image` at `quality` (1..100). On success `bytes` views the JPEG, valid until the next
    // encode() or the encoder's end.
    lbx::sdk::Status encode(const RgbView& image, int quality, std::span<const uint8_t>& bytes);

private:
    struct HandleDeleter {
        void operator()(void* handle) const;
    };
    struct BufferDeleter {
        void operator()(unsigned char* buffer) const;
    };

    std::unique_ptr<void, HandleDeleter> handle_;
    std::unique_ptr<unsigned char, BufferDeleter> buffer_;  // the last JPEG, allocated by TurboJPEG
};

}  // namespace lbx::plugins::thumbnail
