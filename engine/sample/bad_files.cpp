#include "sample/bad_files.hpp"

#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace lbx::sample {

namespace {

// CRC-32 as PNG chunks use it (ISO 3309, reflected 0xEDB88320): written out here so the sample library
// needs no zlib link of its own.
uint32_t crc32(const uint8_t* data, std::size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < n; ++i) {
        c ^= data[i];
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

uint32_t adler32(const std::vector<uint8_t>& data) {
    uint32_t a = 1, b = 0;
    for (uint8_t byte : data) {
        a = (a + byte) % 65521u;
        b = (b + a) % 65521u;
    }
    return (b << 16) | a;
}

void put_be32(std::vector<uint8_t>& out, uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(v >> s));
}

void put_png_chunk(std::vector<uint8_t>& out, const char* type, const std::vector<uint8_t>& data) {
    put_be32(out, static_cast<uint32_t>(data.size()));
    std::vector<uint8_t> typed(type, type + 4);
    typed.insert(typed.end(), data.begin(), data.end());
    out.insert(out.end(), typed.begin(), typed.end());
    put_be32(out, crc32(typed.data(), typed.size()));
}

}  // namespace

std::vector<uint8_t> truncate_bytes(const std::vector<uint8_t>& bytes, std::size_t keep) {
    return {bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(std::min(keep, bytes.size()))};
}

std::vector<uint8_t> jpeg_claiming_size(uint32_t width, uint32_t height) {
    if (width == 0 || height == 0 || width > 65535 || height > 65535) {
        throw std::runtime_error("a JPEG cannot claim " + std::to_string(width) + "x" + std::to_string(height) +
                                 ": each side must be 1..65535");
    }
    std::vector<uint8_t> jpeg = encode_jpeg(make_scene(16, 16, 1), 80);
    // Walk the marker segments after SOI up to the frame header (SOF0, baseline):
    // FF C0, length (2), precision (1), height (2), width (2).
    std::size_t pos = 2;
    while (pos + 9 <= jpeg.size() && jpeg[pos] == 0xFF) {
        const uint8_t marker = jpeg[pos + 1];
        const std::size_t length = (std::size_t(jpeg[pos + 2]) << 8) | jpeg[pos + 3];
        if (marker == 0xC0) {
            jpeg[pos + 5] = static_cast<uint8_t>(height >> 8);
            jpeg[pos + 6] = static_cast<uint8_t>(height);
            jpeg[pos + 7] = static_cast<uint8_t>(width >> 8);
            jpeg[pos + 8] = static_cast<uint8_t>(width);
            return jpeg;
        }
        pos += 2 + length;
    }
    throw std::runtime_error("no SOF0 marker in the JPEG made by encode_jpeg");
}

std::vector<uint8_t> png_claiming_size(uint32_t width, uint32_t height) {
    std::vector<uint8_t> out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    std::vector<uint8_t> ihdr;
    put_be32(ihdr, width);
    put_be32(ihdr, height);
    ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});  // 8-bit, RGB, deflate, adaptive filtering, no interlace
    put_png_chunk(out, "IHDR", ihdr);

    // A zlib stream with one stored (uncompressed) deflate block of 64 zero bytes.
    const std::vector<uint8_t> raw(64, 0);
    std::vector<uint8_t> idat = {0x78, 0x01, 0x01, static_cast<uint8_t>(raw.size()), 0x00,
                                 static_cast<uint8_t>(~raw.size()), 0xFF};
    idat.insert(idat.end(), raw.begin(), raw.end());
    put_be32(idat, adler32(raw));
    put_png_chunk(out, "IDAT", idat);
    put_png_chunk(out, "IEND", {});
    return out;
}

std::vector<uint8_t> garbage_bytes(std::size_t n, uint32_t seed) {
    std::vector<uint8_t> out(n);
    uint64_t state = 0x9E3779B97F4A7C15ull ^ seed;
    for (auto& byte : out) {  // splitmix64
        state += 0x9E3779B97F4A7C15ull;
        uint64_t z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        byte = static_cast<uint8_t>(z ^ (z >> 31));
    }
    return out;
}

std::vector<uint8_t> with_wrong_magic(std::vector<uint8_t> bytes) {
    static constexpr char kMagic[] = "NOT-AN-IMAGE";
    for (std::size_t i = 0; i < bytes.size() && i < sizeof(kMagic) - 1; ++i) bytes[i] = static_cast<uint8_t>(kMagic[i]);
    return bytes;
}

}  // namespace lbx::sample
