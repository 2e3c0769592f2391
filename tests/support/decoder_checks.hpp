// Shared by the decoder tests: a decode stage of the built plugins to call, colours sampled from a
// decoded image (exact pixels, or window means against a tolerance), the marker scene of
// make_marked_scene found in place, and the negative corpus every decoder must refuse cleanly (zero
// bytes, truncations, wrong magic, garbage).
#pragma once

#include "core/expected.hpp"
#include "plugins/stage_io.hpp"
#include "sample/rgb_image.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lbx::test {

// A decode stage of the built plugins fed bytes as `format`: `decode(bytes, min_long_edge, limits)`.
// The stage is created on the first call (inside a test case, so a failure fails that test) and shared
// by every later call with the same stage id, from any thread.
class StageDecoder {
public:
    StageDecoder(std::string stage_id, std::string format)
        : stage_id_(std::move(stage_id)), format_(std::move(format)) {}
    engine::Expected<engine::Image> operator()(const std::vector<uint8_t>& bytes, uint32_t min_long_edge = 0,
                                               engine::DecodeLimits limits = {}) const;

private:
    std::string stage_id_, format_;
};

// ------------------------------------------------------------------------------------------ pixels

// The exact pixel at (x, y).
sample::Rgb pixel(const engine::Image& img, uint32_t x, uint32_t y);

bool same(sample::Rgb a, sample::Rgb b);

// Mean colour of the (2r+1)^2 window around (x, y) of packed RGB8 rows, clamped at the edges.
sample::Rgb mean_at(const uint8_t* pixels, uint32_t stride, uint32_t w, uint32_t h, uint32_t x, uint32_t y, int r = 2);

// mean_at at the fractions (fx, fy) of the width and height.
sample::Rgb decoded_at(const engine::Image& img, double fx, double fy);
sample::Rgb original_at(const sample::RgbImage& img, double fx, double fy);

// Each channel of `got` within `tolerance` of `want`.
void check_close(sample::Rgb got, sample::Rgb want, int tolerance);

// The marker scene upright: the red top-left block, the blue bottom-right block, and the sky at the
// top middle as in `original` (and blue, not a grey fill).
void check_marked_scene(const engine::Image& img, const sample::RgbImage& original, int tolerance);

// A full-size decode: `width` x `height`, the stored size the same, and these LBX_IMAGE_* flags.
void check_full_size(const engine::Image& img, uint32_t width, uint32_t height, uint32_t flags);

// A lossless decode of the marker scene: packed rows holding exactly its pixels, with the red block at
// a tenth of the way in, the blue block at nine tenths and the sky at the top middle.
void check_lossless_scene(const engine::Image& img, const sample::RgbImage& scene);

// ------------------------------------------------------------------------------------------ errors

// The decode failed with `code`, and with exactly `message` when one is given.
void check_fails(const engine::Expected<engine::Image>& r, std::string_view code, std::string_view message = {});

// Every cut of `good` to one of `keeps` bytes fails with code "truncated" in domain "decode", and a
// message starting with `message_prefix` when one is given.
void check_truncations_fail(const StageDecoder& decode, const std::vector<uint8_t>& good,
                            const std::vector<std::size_t>& keeps, std::string_view message_prefix = {});

// Random bytes (seeds 1..20, base_size + seed * step bytes) fail with "unsupported"; once `sign` has
// given them the format's signature, they fail with one of `signed_codes`.
void check_garbage_fails(const StageDecoder& decode, std::size_t base_size, std::size_t step,
                         const std::function<void(std::vector<uint8_t>& junk, uint32_t seed)>& sign,
                         const std::vector<std::string>& signed_codes);

}  // namespace lbx::test
