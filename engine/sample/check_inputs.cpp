#include "sample/check_inputs.hpp"

#include "sample/bad_files.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"

namespace lbx::sample {

namespace {

// A valid file of `format` when the sample encoders write it; empty otherwise.
std::vector<uint8_t> valid_file(const std::string& format, const RgbImage& image) {
    if (format == "jpeg") return encode_jpeg(image);
    if (format == "png") return encode_png(image);
    if (format == "tiff") return encode_tiff(image);
    if (format == "webp") return encode_webp(image);
    if (format == "heif") return encode_heic(image);
    return {};
}

}  // namespace

std::vector<CheckInput> inputs_for_format(const FormatSignature& format) {
    std::vector<uint8_t> signature(format.magic_offset, 0);
    signature.insert(signature.end(), format.magic.begin(), format.magic.end());
    auto with_signature = [&](std::vector<uint8_t> tail) {
        std::vector<uint8_t> out = signature;
        out.insert(out.end(), tail.begin(), tail.end());
        return out;
    };
    std::vector<CheckInput> in;
    in.push_back({"empty file", {}});
    in.push_back({"signature only", signature});
    in.push_back({"signature and 64 KiB of random bytes", with_signature(garbage_bytes(64 * 1024, 7))});
    in.push_back({"signature and 37 random bytes", with_signature(garbage_bytes(37, 11))});
    const std::vector<uint8_t> valid = valid_file(format.name, make_scene(640, 480, 3));
    if (!valid.empty()) {
        in.push_back({"valid 640x480 " + format.name, valid});
        in.push_back({"truncated at half", truncate_bytes(valid, valid.size() / 2)});
        in.push_back({"truncated after 100 bytes", truncate_bytes(valid, 100)});
        in.push_back({"wrong signature", with_wrong_magic(valid)});
    }
    if (format.name == "jpeg") in.push_back({"JPEG claiming 65000x65000", jpeg_claiming_size(65000, 65000)});
    if (format.name == "png") in.push_back({"PNG claiming 100000x100000", png_claiming_size(100000, 100000)});
    return in;
}

std::vector<CheckInput> image_inputs() {
    return {{"1x1 JPEG", encode_jpeg(make_solid(1, 1, {128, 128, 128}))},
            {"3x2000 JPEG", encode_jpeg(make_scene(3, 2000, 5))},
            {"grey 640x480 JPEG", encode_jpeg(make_solid(640, 480, {90, 90, 90}))},
            {"4000x3000 JPEG", encode_jpeg(make_scene(4000, 3000, 9))}};
}

}  // namespace lbx::sample
