// The thumbnail resampler (see resample.hpp): box pre-reduction, then a separable filter in 14-bit fixed
// point, vertical pass into one row buffer and horizontal pass from it, one output row at a time so that
// the working set stays in cache.
//
// Used by the "thumbnail" stage:  lightbox-engine run --only decode,thumbnail photo.jpg
#include "resample.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#define LBX_THUMBNAIL_SSE2 1
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>  // AVX2 kernels, compiled for AVX2 alone and used only when the CPU has it
#define LBX_THUMBNAIL_AVX2 1
#endif

namespace lbx::plugins::thumbnail {

namespace {

constexpr int kPrecision = 14;                        // weights are fractions of 1 << 14
constexpr int32_t kOne = int32_t{1} << kPrecision;
constexpr int32_t kHalf = int32_t{1} << (kPrecision - 1);
constexpr double kPi = 3.14159265358979323846;

// A reduction of at least 2 * kGap along an axis first goes through a box filter of an integer factor,
// leaving between kGap and 2 * kGap for the real filter (libvips' and Pillow's "reducing gap").
constexpr double kGap = 2.0;

// Bytes after a row that the horizontal kernels may read (with weight 0): 3 pixels of tap padding
// past the end and the rest of a 16-byte load.
constexpr std::size_t kRowPadding = 32;

// Box factors up to this run as a filter on the SIMD kernels (a weight of 1 / 256 is still 64 in
// 14 bits); larger ones, from absurd aspect ratios, use exact integer sums.
constexpr uint32_t kMaxWeightedBox = 256;

// Column sums of the exact box are uint32: at most this many rows (x 255) fit.
constexpr uint32_t kMaxBoxRows = 16'000'000;

double sinc(double x) {
    if (x == 0.0) return 1.0;
    x *= kPi;
    return std::sin(x) / x;
}

double triangle_kernel(double x) {
    x = std::fabs(x);
    return x < 1.0 ? 1.0 - x : 0.0;
}

double catrom_kernel(double x) {  // Keys' cubic with a = -0.5
    constexpr double a = -0.5;
    x = std::fabs(x);
    if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
    if (x < 2.0) return ((a * x - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a;
    return 0.0;
}

double lanczos3_kernel(double x) { return (x > -3.0 && x < 3.0) ? sinc(x) * sinc(x / 3.0) : 0.0; }

// At a scale of k, exactly the k samples of one block (see make_contributions' window).
double box_kernel(double x) { return (x >= -0.5 && x < 0.5) ? 1.0 : 0.0; }

struct Kernel {
    double (*fn)(double);
    double support;  // half-width at scale 1
};

Kernel kernel_of(Filter filter) {
    switch (filter) {
        case Filter::triangle: return {&triangle_kernel, 1.0};
        case Filter::catrom: return {&catrom_kernel, 2.0};
        case Filter::lanczos3: break;
    }
    return {&lanczos3_kernel, 3.0};
}

constexpr Kernel kBox{&box_kernel, 0.5};

// For each output position, a window of `taps` consecutive input positions starting at first[i] and
// its fixed-point weights. Every window has the same number of taps, a multiple of 2 or 4 (zero
// weights pad the short ones), so the inner loops can take taps two or four at a time. A window may
// reach up to 3 positions past the input's end (only when the whole input is shorter than `taps`),
// always with weight 0 there.
struct Contributions {
    uint32_t taps = 0;
    std::vector<uint32_t> first;
    std::vector<int16_t> weights;  // out_count * taps

    const int16_t* weights_of(uint32_t i) const { return weights.data() + static_cast<std::size_t>(i) * taps; }
};

// Weights for mapping `in_count` samples that span `in_extent` units of their own size (less than
// in_count after a box step whose last block was partial, more for the box step itself) onto
// `out_count` samples. The kernel is widened by the reduction factor, so every input sample
// contributes to some output (no aliasing). Windows are clipped to the input and renormalised.
Contributions make_contributions(uint32_t in_count, double in_extent, uint32_t out_count, Kernel kernel,
                                 uint32_t tap_multiple) {
    const double scale = in_extent / out_count;
    const double filter_scale = std::max(scale, 1.0);
    const double support = kernel.support * filter_scale;

    std::vector<uint32_t> lo(out_count), hi(out_count);
    uint32_t widest = 1;
    for (uint32_t i = 0; i < out_count; ++i) {
        const double center = (i + 0.5) * scale;
        const double a = std::floor(center - support + 0.5);
        const double b = std::floor(center + support + 0.5);
        uint32_t l = a <= 0.0 ? 0u : static_cast<uint32_t>(std::min(a, double(in_count)));
        uint32_t h = b >= in_count ? in_count : (b <= 0.0 ? 0u : static_cast<uint32_t>(b));
        if (h <= l) {  // cannot happen with support >= 1; keep the nearest sample if it ever does
            l = std::min(static_cast<uint32_t>(center), in_count - 1);
            h = l + 1;
        }
        lo[i] = l;
        hi[i] = h;
        widest = std::max(widest, h - l);
    }

    Contributions c;
    c.taps = (widest + tap_multiple - 1) / tap_multiple * tap_multiple;
    c.first.resize(out_count);
    c.weights.assign(static_cast<std::size_t>(out_count) * c.taps, 0);
    std::vector<double> w(widest);
    for (uint32_t i = 0; i < out_count; ++i) {
        const double center = (i + 0.5) * scale;
        const uint32_t n = hi[i] - lo[i];
        double total = 0.0;
        for (uint32_t j = 0; j < n; ++j) {
            w[j] = kernel.fn((lo[i] + j + 0.5 - center) / filter_scale);
            total += w[j];
        }
        if (total == 0.0) {  // all weights zero: fall back to an even average of the window
            std::fill(w.begin(), w.begin() + n, 1.0);
            total = n;
        }
        // Quantise the running sum, not each weight: every weight is within 1 of its exact value, the
        // rounding errors are spread evenly, and the weights add up to exactly kOne.
        const uint32_t first = in_count >= c.taps ? std::min(lo[i], in_count - c.taps) : 0u;
        int16_t* out = c.weights.data() + static_cast<std::size_t>(i) * c.taps + (lo[i] - first);
        double running = 0.0;
        int64_t previous = 0;
        for (uint32_t j = 0; j < n; ++j) {
            running += w[j];
            const int64_t edge = j + 1 == n ? kOne : std::llround(running / total * kOne);
            out[j] = static_cast<int16_t>(edge - previous);
            previous = edge;
        }
        c.first[i] = first;
    }
    return c;
}

inline uint8_t clamp_pixel(int32_t fixed) {
    const int32_t v = fixed >> kPrecision;  // arithmetic shift: floor, as the SIMD paths do
    return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

inline int32_t load_pair(const int16_t* w) {  // two adjacent weights as one int32 (little end first)
    int32_t v;
    std::memcpy(&v, w, sizeof v);
    return v;
}

// ------------------------------------------------------------------------------------------ kernels
// Vertical: out[x] = sum_k w[k] * rows[k][x] for from <= x < n bytes (all channels alike); `taps` is
// even. (`from` lets a wide kernel hand its last bytes to a narrower one.)
// Horizontal: out pixel x = sum_k w[k] * in pixel (first[x] + k); `taps` is a multiple of 4 and `in`
// is readable up to 3 * (first + taps) + 16 bytes for every window (the caller pads it).
// Every variant computes exactly the same integers; the SIMD ones only do several at once.
using VerticalKernel = void (*)(const uint8_t* const* rows, const int16_t* w, uint32_t taps, uint8_t* out,
                                std::size_t from, std::size_t n);
using HorizontalKernel = void (*)(const uint8_t* in, const Contributions& c, uint8_t* out, uint32_t out_width);

[[maybe_unused]] void vertical_scalar(const uint8_t* const* rows, const int16_t* w, uint32_t taps, uint8_t* out,
                                      std::size_t from, std::size_t n) {
    for (std::size_t x = from; x < n; ++x) {
        int32_t s = kHalf;
        for (uint32_t k = 0; k < taps; ++k) s += w[k] * rows[k][x];
        out[x] = clamp_pixel(s);
    }
}

[[maybe_unused]] void horizontal_scalar(const uint8_t* in, const Contributions& c, uint8_t* out,
                                        uint32_t out_width) {
    for (uint32_t x = 0; x < out_width; ++x) {
        const uint8_t* p = in + static_cast<std::size_t>(c.first[x]) * 3;
        const int16_t* w = c.weights_of(x);
        int32_t r = kHalf, g = kHalf, b = kHalf;
        for (uint32_t k = 0; k < c.taps; ++k, p += 3) {
            r += w[k] * p[0];
            g += w[k] * p[1];
            b += w[k] * p[2];
        }
        uint8_t* o = out + static_cast<std::size_t>(x) * 3;
        o[0] = clamp_pixel(r);
        o[1] = clamp_pixel(g);
        o[2] = clamp_pixel(b);
    }
}

#if defined(LBX_THUMBNAIL_SSE2)
// Two taps per step with pmaddwd: the bytes of rows k and k+1 are interleaved into 16-bit pairs and
// multiplied by the pair (w[k], w[k+1]).
void vertical_sse2(const uint8_t* const* rows, const int16_t* w, uint32_t taps, uint8_t* out, std::size_t from,
                   std::size_t n) {
    const __m128i zero = _mm_setzero_si128();
    std::size_t x = from;
    for (; x + 16 <= n; x += 16) {
        __m128i a0 = _mm_set1_epi32(kHalf), a1 = a0, a2 = a0, a3 = a0;
        for (uint32_t k = 0; k < taps; k += 2) {
            const __m128i wp = _mm_set1_epi32(load_pair(w + k));
            const __m128i r0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows[k] + x));
            const __m128i r1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows[k + 1] + x));
            const __m128i lo = _mm_unpacklo_epi8(r0, r1);
            const __m128i hi = _mm_unpackhi_epi8(r0, r1);
            a0 = _mm_add_epi32(a0, _mm_madd_epi16(_mm_unpacklo_epi8(lo, zero), wp));
            a1 = _mm_add_epi32(a1, _mm_madd_epi16(_mm_unpackhi_epi8(lo, zero), wp));
            a2 = _mm_add_epi32(a2, _mm_madd_epi16(_mm_unpacklo_epi8(hi, zero), wp));
            a3 = _mm_add_epi32(a3, _mm_madd_epi16(_mm_unpackhi_epi8(hi, zero), wp));
        }
        a0 = _mm_srai_epi32(a0, kPrecision);
        a1 = _mm_srai_epi32(a1, kPrecision);
        a2 = _mm_srai_epi32(a2, kPrecision);
        a3 = _mm_srai_epi32(a3, kPrecision);
        const __m128i packed = _mm_packus_epi16(_mm_packs_epi32(a0, a1), _mm_packs_epi32(a2, a3));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + x), packed);
    }
    if (x < n) vertical_scalar(rows, w, taps, out, x, n);
}

// Two taps per step: pixels k and k+1 (4 bytes each, the 4th belongs to the next pixel and lands in
// a lane that is never stored) interleaved into r r g g b b x x and multiplied by (w[k], w[k+1]).
void horizontal_sse2(const uint8_t* in, const Contributions& c, uint8_t* out, uint32_t out_width) {
    const __m128i zero = _mm_setzero_si128();
    for (uint32_t x = 0; x < out_width; ++x) {
        const uint8_t* p = in + static_cast<std::size_t>(c.first[x]) * 3;
        const int16_t* w = c.weights_of(x);
        __m128i acc = _mm_set1_epi32(kHalf);
        for (uint32_t k = 0; k < c.taps; k += 2, p += 6) {
            int32_t pa, pb;
            std::memcpy(&pa, p, 4);
            std::memcpy(&pb, p + 3, 4);
            const __m128i ab =
                _mm_unpacklo_epi8(_mm_unpacklo_epi8(_mm_cvtsi32_si128(pa), _mm_cvtsi32_si128(pb)), zero);
            acc = _mm_add_epi32(acc, _mm_madd_epi16(ab, _mm_set1_epi32(load_pair(w + k))));
        }
        acc = _mm_srai_epi32(acc, kPrecision);
        acc = _mm_packus_epi16(_mm_packs_epi32(acc, acc), zero);
        const int32_t rgb = _mm_cvtsi128_si32(acc);
        std::memcpy(out + static_cast<std::size_t>(x) * 3, &rgb, 3);
    }
}
#endif

#if defined(LBX_THUMBNAIL_AVX2)
// The SSE2 vertical kernel on 32 bytes at a time (all operations stay within 128-bit lanes).
__attribute__((target("avx2"))) void vertical_avx2(const uint8_t* const* rows, const int16_t* w, uint32_t taps,
                                                   uint8_t* out, std::size_t from, std::size_t n) {
    const __m256i zero = _mm256_setzero_si256();
    std::size_t x = from;
    for (; x + 32 <= n; x += 32) {
        __m256i a0 = _mm256_set1_epi32(kHalf), a1 = a0, a2 = a0, a3 = a0;
        for (uint32_t k = 0; k < taps; k += 2) {
            const __m256i wp = _mm256_set1_epi32(load_pair(w + k));
            const __m256i r0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(rows[k] + x));
            const __m256i r1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(rows[k + 1] + x));
            const __m256i lo = _mm256_unpacklo_epi8(r0, r1);
            const __m256i hi = _mm256_unpackhi_epi8(r0, r1);
            a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(_mm256_unpacklo_epi8(lo, zero), wp));
            a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(_mm256_unpackhi_epi8(lo, zero), wp));
            a2 = _mm256_add_epi32(a2, _mm256_madd_epi16(_mm256_unpacklo_epi8(hi, zero), wp));
            a3 = _mm256_add_epi32(a3, _mm256_madd_epi16(_mm256_unpackhi_epi8(hi, zero), wp));
        }
        a0 = _mm256_srai_epi32(a0, kPrecision);
        a1 = _mm256_srai_epi32(a1, kPrecision);
        a2 = _mm256_srai_epi32(a2, kPrecision);
        a3 = _mm256_srai_epi32(a3, kPrecision);
        const __m256i packed = _mm256_packus_epi16(_mm256_packs_epi32(a0, a1), _mm256_packs_epi32(a2, a3));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + x), packed);
    }
    if (x < n) vertical_sse2(rows, w, taps, out, x, n);
}

// Four taps per step: one 16-byte load holds pixels k..k+3; pshufb spreads pixels k, k+1 over the low
// 128-bit lane and k+2, k+3 over the high one as zero-extended pairs r r g g b b 0 0, and one pmaddwd
// multiplies them by (w[k], w[k+1]) and (w[k+2], w[k+3]).
__attribute__((target("avx2"))) void horizontal_avx2(const uint8_t* in, const Contributions& c, uint8_t* out,
                                                     uint32_t out_width) {
    const __m256i spread = _mm256_setr_epi8(0, -1, 3, -1, 1, -1, 4, -1, 2, -1, 5, -1, -1, -1, -1, -1,  //
                                            6, -1, 9, -1, 7, -1, 10, -1, 8, -1, 11, -1, -1, -1, -1, -1);
    const __m256i pairs = _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1);  // (w0,w1) x4 | (w2,w3) x4
    for (uint32_t x = 0; x < out_width; ++x) {
        const uint8_t* p = in + static_cast<std::size_t>(c.first[x]) * 3;
        const int16_t* w = c.weights_of(x);
        __m256i acc = _mm256_setzero_si256();
        for (uint32_t k = 0; k < c.taps; k += 4, p += 12) {
            const __m256i px = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
            const __m256i wk = _mm256_permutevar8x32_epi32(
                _mm256_castsi128_si256(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(w + k))), pairs);
            acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_shuffle_epi8(px, spread), wk));
        }
        __m128i sum = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
        sum = _mm_srai_epi32(_mm_add_epi32(sum, _mm_set1_epi32(kHalf)), kPrecision);
        sum = _mm_packus_epi16(_mm_packs_epi32(sum, sum), sum);
        const int32_t rgb = _mm_cvtsi128_si32(sum);
        std::memcpy(out + static_cast<std::size_t>(x) * 3, &rgb, 3);
    }
}
#endif

struct Kernels {
    VerticalKernel vertical;
    HorizontalKernel horizontal;
    const char* name;
};

// The fastest kernels this CPU runs, chosen once (AVX2 when present, else SSE2 on x86-64).
const Kernels& best_kernels() {
    static const Kernels kernels = [] {
#if defined(LBX_THUMBNAIL_AVX2)
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx2")) return Kernels{&vertical_avx2, &horizontal_avx2, "avx2"};
#endif
#if defined(LBX_THUMBNAIL_SSE2)
        return Kernels{&vertical_sse2, &horizontal_sse2, "sse2"};
#else
        return Kernels{&vertical_scalar, &horizontal_scalar, "scalar"};
#endif
    }();
    return kernels;
}

// acc[i] += row[i] for i < n.
void accumulate_row(uint32_t* acc, const uint8_t* row, std::size_t n) {
    std::size_t i = 0;
#if defined(LBX_THUMBNAIL_SSE2)
    const __m128i zero = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + i));
        const __m128i lo = _mm_unpacklo_epi8(v, zero);
        const __m128i hi = _mm_unpackhi_epi8(v, zero);
        __m128i* a = reinterpret_cast<__m128i*>(acc + i);
        _mm_storeu_si128(a + 0, _mm_add_epi32(_mm_loadu_si128(a + 0), _mm_unpacklo_epi16(lo, zero)));
        _mm_storeu_si128(a + 1, _mm_add_epi32(_mm_loadu_si128(a + 1), _mm_unpackhi_epi16(lo, zero)));
        _mm_storeu_si128(a + 2, _mm_add_epi32(_mm_loadu_si128(a + 2), _mm_unpacklo_epi16(hi, zero)));
        _mm_storeu_si128(a + 3, _mm_add_epi32(_mm_loadu_si128(a + 3), _mm_unpackhi_epi16(hi, zero)));
    }
#endif
    for (; i < n; ++i) acc[i] += row[i];
}

// The integer box factor for a reduction from `in` to `out` samples: 1 (no box) below 2 * kGap.
uint32_t box_factor(uint32_t in, uint32_t out) {
    const double k = std::floor(double(in) / out / kGap);
    return k >= 2.0 ? static_cast<uint32_t>(std::min(k, double(in))) : 1u;
}

}  // namespace

std::optional<Filter> filter_from_name(std::string_view name) {
    if (name == "lanczos3") return Filter::lanczos3;
    if (name == "catrom") return Filter::catrom;
    if (name == "triangle") return Filter::triangle;
    return std::nullopt;
}

const char* filter_names() { return "lanczos3, catrom, triangle"; }

namespace {

// Both passes of `kernel`, one output row at a time: vertical into a padded row buffer, horizontal from
// it into the output. A pass whose axis keeps its size and extent is skipped.
RgbBuffer separable(const RgbView& in, uint32_t out_width, uint32_t out_height, Kernel kernel, double extent_x,
                    double extent_y) {
    const bool horizontal = !(in.width == out_width && extent_x == in.width);
    const bool vertical = !(in.height == out_height && extent_y == in.height);
    const Kernels& kernels = best_kernels();
    RgbBuffer out(out_width, out_height);
    const std::size_t row_bytes = static_cast<std::size_t>(in.width) * 3;
    std::vector<uint8_t> row(row_bytes + kRowPadding, 0);
    Contributions hc;
    if (horizontal) hc = make_contributions(in.width, extent_x, out_width, kernel, 4);
    Contributions vc;
    std::vector<const uint8_t*> rows;
    if (vertical) {
        vc = make_contributions(in.height, extent_y, out_height, kernel, 2);
        rows.resize(vc.taps);
    }
    for (uint32_t y = 0; y < out_height; ++y) {
        uint8_t* target = horizontal ? row.data() : out.row(y);
        if (vertical) {
            for (uint32_t k = 0; k < vc.taps; ++k) rows[k] = in.row(std::min(vc.first[y] + k, in.height - 1));
            kernels.vertical(rows.data(), vc.weights_of(y), vc.taps, target, 0, row_bytes);
        } else {
            std::memcpy(target, in.row(y), row_bytes);
        }
        if (horizontal) kernels.horizontal(row.data(), hc, out.row(y), out_width);
    }
    return out;
}

// Exact block averages with integer sums, for factors too large for 14-bit weights.
RgbBuffer box_reduce_exact(const RgbView& source, uint32_t kx, uint32_t ky, uint32_t out_w, uint32_t out_h) {
    RgbBuffer out(out_w, out_h);
    const std::size_t n = static_cast<std::size_t>(source.width) * 3;
    std::vector<uint32_t> acc(n);
    for (uint32_t oy = 0; oy < out_h; ++oy) {
        const uint32_t y0 = oy * ky;
        const uint32_t rows = std::min(ky, source.height - y0);
        std::fill(acc.begin(), acc.end(), 0u);
        for (uint32_t y = y0; y < y0 + rows; ++y) accumulate_row(acc.data(), source.row(y), n);
        const double full_inv = 1.0 / (double(kx) * rows);
        uint8_t* o = out.row(oy);
        for (uint32_t ox = 0; ox < out_w; ++ox, o += 3) {
            const uint32_t x0 = ox * kx;
            const uint32_t cols = std::min(kx, source.width - x0);
            uint64_t r = 0, g = 0, b = 0;
            const uint32_t* a = acc.data() + static_cast<std::size_t>(x0) * 3;
            for (uint32_t j = 0; j < cols; ++j, a += 3) {
                r += a[0];
                g += a[1];
                b += a[2];
            }
            const double inv = cols == kx ? full_inv : 1.0 / (double(cols) * rows);
            o[0] = static_cast<uint8_t>(double(r) * inv + 0.5);
            o[1] = static_cast<uint8_t>(double(g) * inv + 0.5);
            o[2] = static_cast<uint8_t>(double(b) * inv + 0.5);
        }
    }
    return out;
}

}  // namespace

RgbBuffer box_reduce(const RgbView& source, uint32_t kx, uint32_t ky) {
    kx = std::clamp(kx, 1u, source.width);
    ky = std::clamp(ky, 1u, std::min(source.height, kMaxBoxRows));
    const uint32_t out_w = (source.width - 1) / kx + 1;
    const uint32_t out_h = (source.height - 1) / ky + 1;
    if (kx > kMaxWeightedBox || ky > kMaxWeightedBox) return box_reduce_exact(source, kx, ky, out_w, out_h);
    // The box as a filter on the fast kernels: output i averages samples [i k, i k + k), clipped.
    return separable(source, out_w, out_h, kBox, double(out_w) * kx, double(out_h) * ky);
}

RgbBuffer resize(const RgbView& source, uint32_t out_width, uint32_t out_height, Filter filter) {
    // Step 1: whole blocks through a box filter when the reduction is large.
    const uint32_t kx = box_factor(source.width, out_width);
    const uint32_t ky = std::min(box_factor(source.height, out_height), kMaxBoxRows);
    if (kx == 1 && ky == 1) {
        return separable(source, out_width, out_height, kernel_of(filter), source.width, source.height);
    }
    const RgbBuffer reduced = box_reduce(source, kx, ky);
    // The reduced samples span the source in units of kx x ky: a partial last block spans less.
    return separable(reduced.view(), out_width, out_height, kernel_of(filter), double(source.width) / kx,
                     double(source.height) / ky);
}

}  // namespace lbx::plugins::thumbnail
