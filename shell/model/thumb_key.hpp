// A thumbnail as the shell asks for it: which photo, at which long-edge size (0 = the largest).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lbx::shell {

struct ThumbKey {
    std::string photo_id;
    uint32_t size = 0;
    friend bool operator==(const ThumbKey&, const ThumbKey&) = default;
};

struct ThumbKeyHash {
    std::size_t operator()(const ThumbKey& k) const { return std::hash<std::string>{}(k.photo_id) ^ (k.size * 0x9e3779b9u); }
};

// A thumbnail decoded to 8-bit RGB off the UI thread (the views make a bitmap of it).
struct DecodedThumbnail {
    uint32_t width = 0;
    uint32_t height = 0;
    std::vector<uint8_t> rgb;  // width * height * 3
};

// Decodes the bytes of a ThumbnailReply (JPEG); nullptr when they do not decode. Injected by the app
// (it uses wxImage) so that the model stays free of wx; runs on the engine session's thread.
using ThumbnailDecoder = std::function<std::shared_ptr<const DecodedThumbnail>(const std::string& mime, const std::vector<uint8_t>& bytes)>;

}  // namespace lbx::shell
