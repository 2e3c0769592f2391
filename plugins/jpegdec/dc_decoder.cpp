// The 1/8-scale fast path of "jpegdec": the pixels of a DC-only decode, without storing AC coefficients.
//
// Why our own code next to libjpeg-turbo: at 1/8 scale each 8x8 block becomes one pixel, its DC
// coefficient dequantised, so the IDCT is trivial and `perf` puts 87 % of a 12 MP thumbnail decode in
// libjpeg-turbo's Huffman decoder, which decodes every AC coefficient's value only for the scaled IDCT
// to ignore it (TurboJPEG 2.1 has no DC-only mode). Skipping an AC coefficient needs only the length of
// its code and of its extra bits, so one table look-up passes over several codes at once: 15.7 ms
// instead of 24.6 ms for a 12 MP photo of the benchmark corpus, with the same pixels. (The chroma of
// 4:2:0 is the exception: libjpeg scales it with a 2x2 IDCT, whose AC values are decoded here too.)
// Anything outside the common baseline case, and any irregularity, goes back to TurboJPEG (see
// dc_decoder.hpp), which stays the decoder of record.
//
// The entropy-coded data is first copied without its byte stuffing (FF 00 -> FF) and split at its
// restart markers, so the bit reader can load 8 bytes at a time without looking for markers.
#include "dc_decoder.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <vector>

namespace lbx::plugins::jpegdec {

namespace {

// Look-ups decode codes of up to this many bits in one step; longer ones (rare) take the slow path.
constexpr unsigned kLookupBits = 10;
// AC skipping looks at this many bits at once and passes over every whole code in them (two or three
// short ones, typically): the decode is a chain of dependent table look-ups, so fewer is faster.
constexpr unsigned kRunBits = 13;
constexpr unsigned kMaxSymbolsPerRun = 4;
// Zero bytes after the unstuffed data: the bit reader loads 8 bytes at a time, and a block of hostile
// data may run past the end of its segment by at most 64 codes of 31 bits before the check after it.
constexpr std::size_t kPadBytes = 512;

struct HuffmanTable {
    bool defined = false;
    // Canonical decoding (ITU T.81 F.2.2.3): for each code length, the largest code (-1: none) and the
    // offset from a code to its symbol's index in `symbols`.
    std::array<int32_t, 18> max_code{};
    std::array<int32_t, 17> symbol_offset{};
    std::array<uint8_t, 256> symbols{};
    // Indexed by the next kLookupBits bits. DC tables: code length | symbol << 8. AC tables, for
    // skipping: total bits (code + extra bits) | (zero run + 1, 0 for end of block) << 8. 0: the code is
    // longer than kLookupBits or invalid.
    std::array<uint16_t, 1u << kLookupBits> lookup{};
    // AC tables, for decoding values: code length | symbol << 8 (0 as above).
    std::array<uint16_t, 1u << kLookupBits> lookup_symbol{};
    // AC tables, indexed by the next kRunBits bits: the codes (with their extra bits) that start in
    // them, up to kMaxSymbolsPerRun and up to an end of block: their bits | the sum of their zero runs
    // + 1 << 5 (the end of block not counted) | 1 << 11 when they end with the end of block. 0: no code
    // ends in these bits.
    std::array<uint16_t, 1u << kRunBits> skip_run{};
};

// Builds the tables from a DHT segment's 16 counts and symbols; false when they do not form a code.
bool build_table(HuffmanTable& t, const uint8_t* counts, const uint8_t* symbols, std::size_t symbol_count, bool dc) {
    t = HuffmanTable{};
    std::copy(symbols, symbols + symbol_count, t.symbols.begin());
    int32_t code = 0;
    std::size_t index = 0;
    for (unsigned length = 1; length <= 16; ++length) {
        const unsigned n = counts[length - 1];
        t.max_code[length] = -1;
        if (n != 0) {
            t.symbol_offset[length] = static_cast<int32_t>(index) - code;
            for (unsigned i = 0; i < n; ++i, ++code, ++index) {
                if (code >= (1 << length)) return false;  // more codes than the length allows (libjpeg: a bogus table)
                if (length <= kLookupBits) {
                    const uint8_t symbol = t.symbols[index];
                    uint16_t entry = 0;
                    if (dc) {
                        if (symbol > 11) return false;  // an 8-bit DC difference has at most 11 bits
                        entry = static_cast<uint16_t>(length | (symbol << 8));
                    } else {
                        const unsigned run = symbol >> 4, size = symbol & 15;
                        const unsigned skip = size != 0 ? run + 1 : (run == 15 ? 16 : 0);
                        entry = static_cast<uint16_t>((length + size) | (skip << 8));
                    }
                    const unsigned shift = kLookupBits - length;
                    const unsigned first = static_cast<unsigned>(code) << shift;
                    for (unsigned j = 0; j < (1u << shift); ++j) {
                        t.lookup[first + j] = entry;
                        t.lookup_symbol[first + j] = static_cast<uint16_t>(length | (symbol << 8));
                    }
                }
            }
            t.max_code[length] = code - 1;
        }
        code <<= 1;
    }
    t.max_code[17] = INT32_MAX;  // a sentinel the slow path never reaches (it stops at 16 bits)
    t.defined = true;
    return true;
}

// Reads bits MSB first from unstuffed data followed by at least 8 readable bytes.
class BitReader {
public:
    explicit BitReader(const uint8_t* data) : start_(data), next_(data) { refill(); }

    // After this, at least 56 bits are buffered.
    void refill() {
        uint64_t v = 0;
        std::memcpy(&v, next_, 8);
        acc_ |= __builtin_bswap64(v) >> count_;
        next_ += (63 - count_) >> 3;
        count_ |= 56;
    }
    unsigned count() const { return count_; }
    uint32_t peek(unsigned n) const { return static_cast<uint32_t>(acc_ >> (64 - n)); }  // 1 <= n <= 32
    void consume(unsigned n) {
        acc_ <<= n;
        count_ -= n;
    }
    // How many bits have been consumed since the start.
    std::size_t position() const { return static_cast<std::size_t>(next_ - start_) * 8 - count_; }

private:
    const uint8_t* start_;
    const uint8_t* next_;
    uint64_t acc_ = 0;
    unsigned count_ = 0;
};

// A code longer than kLookupBits, from the next 16 bits: canonical decoding, length by length. Returns
// length << 8 | symbol, or -1 for no such code. Kept out of line and off the bit reader, so that the
// reader of the hot loops stays in registers.
[[gnu::noinline]] int decode_slow(uint32_t next16, const HuffmanTable& t) {
    const auto code16 = static_cast<int32_t>(next16);
    for (unsigned length = kLookupBits + 1; length <= 16; ++length) {
        const int32_t code = code16 >> (16 - length);
        if (code <= t.max_code[length])
            return static_cast<int>(length << 8) | t.symbols[static_cast<std::size_t>((t.symbol_offset[length] + code) & 0xFF)];
    }
    return -1;
}

// The code at the top of `next16` if it is at most `available` bits long: length << 8 | symbol; or -1.
int symbol_within(const HuffmanTable& t, uint32_t next16, unsigned available) {
    const uint16_t e = t.lookup_symbol[next16 >> (16 - kLookupBits)];
    const int r = e != 0 ? ((e & 0xFF) << 8) | (e >> 8) : decode_slow(next16, t);
    return r >= 0 && (static_cast<unsigned>(r) >> 8) <= available ? r : -1;
}

void build_skip_runs(HuffmanTable& t) {
    for (uint32_t bits = 0; bits < (1u << kRunBits); ++bits) {
        unsigned used = 0, skip = 0, symbols = 0;
        bool end_of_block = false;
        while (used < kRunBits && symbols < kMaxSymbolsPerRun) {
            const uint32_t next16 = ((bits << used) << (16 - kRunBits)) & 0xFFFF;
            const int r = symbol_within(t, next16, kRunBits - used);
            if (r < 0) break;
            const unsigned run = (static_cast<unsigned>(r) >> 4) & 15, size = static_cast<unsigned>(r) & 15;
            used += (static_cast<unsigned>(r) >> 8) + size;
            ++symbols;
            if (size == 0 && run != 15) {
                end_of_block = true;
                break;
            }
            skip += size != 0 ? run + 1 : 16;
        }
        if (symbols != 0) t.skip_run[bits] = static_cast<uint16_t>(used | (skip << 5) | (end_of_block ? 1u << 11 : 0u));
    }
}

// decode_slow's symbol, with its code consumed; -1 for no such code.
inline int decode_long_code(BitReader& bits, const HuffmanTable& t) {
    const int r = decode_slow(bits.peek(16), t);
    if (r < 0) return -1;
    bits.consume(static_cast<unsigned>(r) >> 8);
    return r & 0xFF;
}

// A block's DC difference into `dc`; false on a code the table does not have.
[[gnu::always_inline]] inline bool decode_block_dc(BitReader& bits, const HuffmanTable& dc_table, int32_t& dc) {
    bits.refill();
    unsigned size = 0;
    if (const uint16_t e = dc_table.lookup[bits.peek(kLookupBits)]; e != 0) {
        bits.consume(e & 0xFF);
        size = e >> 8;
    } else {
        const int symbol = decode_long_code(bits, dc_table);
        if (symbol < 0 || symbol > 11) return false;
        size = static_cast<unsigned>(symbol);
    }
    dc = 0;
    if (size != 0) {
        const int32_t v = static_cast<int32_t>(bits.peek(size));
        bits.consume(size);
        dc = v < (1 << (size - 1)) ? v - (1 << size) + 1 : v;  // HUFF_EXTEND
    }
    return true;
}

// One block whose AC coefficients are only skipped.
[[gnu::always_inline]] inline bool decode_block(BitReader& bits, const HuffmanTable& dc_table, const HuffmanTable& ac_table, int32_t& dc) {
    if (!decode_block_dc(bits, dc_table, dc)) return false;
    for (unsigned k = 1; k < 64;) {
        if (bits.count() < 31) bits.refill();  // a 16-bit code and 15 extra bits at most
        // Several codes at once when they all belong to this block: the block ends where k reaches 64.
        if (const uint16_t e = ac_table.skip_run[bits.peek(kRunBits)]; e != 0) {
            const unsigned skip = (e >> 5) & 63;
            const bool end_of_block = (e >> 11) != 0;
            if (end_of_block ? k + skip < 64 : k + skip <= 64) {
                bits.consume(e & 31);
                if (end_of_block) break;
                k += skip;
                continue;
            }
        }
        if (const uint16_t e = ac_table.lookup[bits.peek(kLookupBits)]; e != 0) {
            bits.consume(e & 0xFF);
            const unsigned skip = e >> 8;
            if (skip == 0) break;
            k += skip;
            continue;
        }
        const int symbol = decode_long_code(bits, ac_table);
        if (symbol < 0) return false;
        const unsigned run = static_cast<unsigned>(symbol) >> 4, extra = static_cast<unsigned>(symbol) & 15;
        if (extra != 0) {
            bits.consume(extra);
            k += run + 1;
        } else if (run == 15) {
            k += 16;
        } else {
            break;  // end of block
        }
    }
    return true;
}

// The zig-zag order of T.81 figure A.6: the natural (row-major) index of each coefficient in the stream.
constexpr std::array<uint8_t, 64> kNaturalOrder = {
    0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,  12, 19, 26, 33, 40, 48,
    41, 34, 27, 20, 13, 6,  7,  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
    30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

int32_t extend(int32_t v, unsigned size) { return v < (1 << (size - 1)) ? v - (1 << size) + 1 : v; }

// One block with its AC values, in natural order into `coef` (zeroed by the caller), for the blocks
// libjpeg scales with its 2x2 IDCT. Like libjpeg, a run past the last coefficient ends the block.
[[gnu::always_inline]] inline bool decode_block_values(BitReader& bits, const HuffmanTable& dc_table, const HuffmanTable& ac_table, int32_t& dc,
                         std::array<int32_t, 64>& coef) {
    if (!decode_block_dc(bits, dc_table, dc)) return false;
    for (unsigned k = 1; k < 64; ++k) {
        if (bits.count() < 31) bits.refill();
        int symbol = 0;
        if (const uint16_t e = ac_table.lookup_symbol[bits.peek(kLookupBits)]; e != 0) {
            bits.consume(e & 0xFF);
            symbol = e >> 8;
        } else if ((symbol = decode_long_code(bits, ac_table)) < 0) {
            return false;
        }
        const unsigned run = static_cast<unsigned>(symbol) >> 4, size = static_cast<unsigned>(symbol) & 15;
        if (size == 0) {
            if (run != 15) break;  // end of block
            k += 15;
            continue;
        }
        k += run;
        const int32_t value = extend(static_cast<int32_t>(bits.peek(size)), size);
        bits.consume(size);
        // libjpeg's jpeg_natural_order has 16 extra entries, all 63, for runs that overshoot.
        coef[k < 64 ? kNaturalOrder[k] : 63] = static_cast<int16_t>(value);  // a JCOEF, as in libjpeg
    }
    return true;
}

// libjpeg's jpeg_idct_2x2 (jidctred.c, CONST_BITS 13, PASS1_BITS 2): a 2x2 output block from the
// coefficients in rows and columns 0, 1, 3, 5 and 7. `q`: the quantisation table in natural order.
void idct_2x2(const std::array<int32_t, 64>& coef, const std::array<uint16_t, 64>& q,
              const std::array<uint8_t, 1024>& range_limit, uint8_t* out0, uint8_t* out1) {
    constexpr int64_t c7 = -5906, c5 = 6967, c3 = -10426, c1 = 29692;  // FIX(-0.72), FIX(0.85), FIX(-1.27), FIX(3.62)
    auto descale = [](int64_t x, int n) { return (x + (int64_t{1} << (n - 1))) >> n; };
    std::array<int64_t, 16> ws{};  // rows 0 and 1 of the work array, columns 0..7
    for (const int col : {0, 1, 3, 5, 7}) {
        auto z = [&](int row) { return int64_t{coef[row * 8 + col]} * q[row * 8 + col]; };
        if (coef[8 + col] == 0 && coef[24 + col] == 0 && coef[40 + col] == 0 && coef[56 + col] == 0) {
            ws[col] = ws[8 + col] = static_cast<int32_t>(static_cast<uint64_t>(z(0)) << 2);
            continue;
        }
        const int64_t tmp10 = static_cast<int64_t>(static_cast<uint64_t>(z(0)) << 15);
        const int64_t tmp0 = z(7) * c7 + z(5) * c5 + z(3) * c3 + z(1) * c1;
        ws[col] = static_cast<int32_t>(descale(tmp10 + tmp0, 13));
        ws[8 + col] = static_cast<int32_t>(descale(tmp10 - tmp0, 13));
    }
    uint8_t* outs[2] = {out0, out1};
    for (int row = 0; row < 2; ++row) {
        const int64_t* w = &ws[row * 8];
        const int64_t tmp10 = static_cast<int64_t>(static_cast<uint64_t>(w[0]) << 15);
        const int64_t tmp0 = w[7] * c7 + w[5] * c5 + w[3] * c3 + w[1] * c1;
        outs[row][0] = range_limit[static_cast<uint64_t>(descale(tmp10 + tmp0, 20)) & 1023];
        outs[row][1] = range_limit[static_cast<uint64_t>(descale(tmp10 - tmp0, 20)) & 1023];
    }
}

struct Component {
    uint8_t id = 0;
    unsigned h = 1, v = 1;  // sampling factors
    unsigned quant = 0;     // quantisation table index
    unsigned dc_table = 0, ac_table = 0;
    unsigned blocks_w = 0, blocks_h = 0;  // the block grid this component is decoded into
    // libjpeg's DCT_scaled_size at 1/8 (jdmaster.c): 2 for chroma subsampled in both directions, which
    // it scales up with a 2x2 IDCT instead of upsampling; 1 (one sample per block) otherwise.
    unsigned scale = 1;
    std::vector<uint8_t> pixels;  // (blocks_w * scale) x (blocks_h * scale) samples
};

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }

// libjpeg's range limit after the IDCT (jdmaster.c, prepare_range_limit_table), indexed by the
// descaled DC value & 1023: the same wrap-around for out-of-range values as TurboJPEG's output.
const std::array<uint8_t, 1024>& idct_range_limit() {
    static const std::array<uint8_t, 1024> table = [] {
        std::array<uint8_t, 1024> t{};
        for (int i = 0; i < 1024; ++i) {
            if (i < 128) t[i] = static_cast<uint8_t>(i + 128);
            else if (i < 512) t[i] = 255;
            else if (i < 896) t[i] = 0;
            else t[i] = static_cast<uint8_t>(i - 896);
        }
        return t;
    }();
    return table;
}

// libjpeg's YCbCr -> RGB tables (jdcolor.c, build_ycc_rgb_table): 16-bit fixed point.
struct YccTables {
    std::array<int, 256> cr_r{}, cb_b{};
    std::array<int32_t, 256> cr_g{}, cb_g{};
};
const YccTables& ycc_tables() {
    static const YccTables tables = [] {
        constexpr int kScaleBits = 16;
        constexpr int32_t kHalf = int32_t{1} << (kScaleBits - 1);
        auto fix = [](double x) { return static_cast<int32_t>(x * (1 << kScaleBits) + 0.5); };
        YccTables t;
        for (int i = 0; i < 256; ++i) {
            const int32_t x = i - 128;
            t.cr_r[i] = static_cast<int>((fix(1.40200) * x + kHalf) >> kScaleBits);
            t.cb_b[i] = static_cast<int>((fix(1.77200) * x + kHalf) >> kScaleBits);
            t.cr_g[i] = -fix(0.71414) * x;
            t.cb_g[i] = -fix(0.34414) * x + kHalf;
        }
        return t;
    }();
    return tables;
}

uint8_t clamp255(int v) { return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v)); }

// The header up to the first scan, and where the scan's entropy-coded data starts.
struct Frame {
    unsigned width = 0, height = 0;
    std::vector<Component> components;
    std::vector<unsigned> scan;  // indexes into components, in scan order
    std::array<std::array<uint16_t, 64>, 4> quant{};  // natural order
    std::array<bool, 4> quant_defined{};
    std::vector<HuffmanTable> dc_tables = std::vector<HuffmanTable>(4);  // 21 KB each: on the heap
    std::vector<HuffmanTable> ac_tables = std::vector<HuffmanTable>(4);
    unsigned restart_interval = 0;
    std::size_t data_start = 0;
};

// Parses the markers up to the first SOS. nullopt for anything the fast path does not handle.
std::optional<Frame> parse_header(std::span<const uint8_t> b) {
    Frame f;
    bool saw_frame = false, saw_jfif = false, saw_adobe = false;
    unsigned adobe_transform = 1;
    std::size_t pos = 2;  // after SOI
    for (;;) {
        if (pos + 4 > b.size() || b[pos] != 0xFF) return std::nullopt;
        while (pos < b.size() && b[pos] == 0xFF) ++pos;
        if (pos + 3 > b.size()) return std::nullopt;
        const uint8_t marker = b[pos++];
        const std::size_t length = be16(&b[pos]);
        if (length < 2 || pos + length > b.size()) return std::nullopt;
        const uint8_t* seg = &b[pos + 2];
        const std::size_t n = length - 2;
        switch (marker) {
            case 0xC0:
            case 0xC1: {  // baseline / extended sequential, Huffman
                if (saw_frame || n < 6 || seg[0] != 8) return std::nullopt;
                f.height = be16(seg + 1);
                f.width = be16(seg + 3);
                const unsigned count = seg[5];
                if (f.width == 0 || f.height == 0 || (count != 1 && count != 3) || n != 6 + 3 * count) return std::nullopt;
                for (unsigned i = 0; i < count; ++i) {
                    Component c;
                    c.id = seg[6 + 3 * i];
                    c.h = seg[7 + 3 * i] >> 4;
                    c.v = seg[7 + 3 * i] & 15;
                    c.quant = seg[8 + 3 * i];
                    if (c.quant > 3 || c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4) return std::nullopt;
                    for (const Component& other : f.components)
                        if (other.id == c.id) return std::nullopt;
                    f.components.push_back(std::move(c));
                }
                if (count == 3) {
                    const Component& y = f.components[0];
                    if (y.h > 2 || y.v > 2) return std::nullopt;
                    for (unsigned i = 1; i < 3; ++i)
                        if (f.components[i].h != 1 || f.components[i].v != 1) return std::nullopt;
                }
                saw_frame = true;
                break;
            }
            case 0xC2: case 0xC3: case 0xC5: case 0xC6: case 0xC7:  // progressive, lossless, hierarchical
            case 0xC9: case 0xCA: case 0xCB: case 0xCD: case 0xCE: case 0xCF:  // arithmetic coding
                return std::nullopt;
            case 0xC4: {  // DHT: one or more tables
                std::size_t at = 0;
                while (at < n) {
                    if (at + 17 > n) return std::nullopt;
                    const unsigned table_class = seg[at] >> 4, index = seg[at] & 15;
                    if (table_class > 1 || index > 3) return std::nullopt;
                    std::size_t symbol_count = 0;
                    for (unsigned i = 0; i < 16; ++i) symbol_count += seg[at + 1 + i];
                    if (symbol_count > 256 || at + 17 + symbol_count > n) return std::nullopt;
                    HuffmanTable& t = table_class == 0 ? f.dc_tables[index] : f.ac_tables[index];
                    if (!build_table(t, seg + at + 1, seg + at + 17, symbol_count, table_class == 0)) return std::nullopt;
                    if (table_class == 1) build_skip_runs(t);
                    at += 17 + symbol_count;
                }
                break;
            }
            case 0xDB: {  // DQT: one or more tables
                std::size_t at = 0;
                while (at < n) {
                    const unsigned precision = seg[at] >> 4, index = seg[at] & 15;
                    const std::size_t size = precision == 0 ? 64 : 128;
                    if (precision > 1 || index > 3 || at + 1 + size > n) return std::nullopt;
                    for (std::size_t i = 0; i < 64; ++i)
                        f.quant[index][kNaturalOrder[i]] = precision == 0 ? seg[at + 1 + i] : be16(seg + at + 1 + 2 * i);
                    f.quant_defined[index] = true;
                    at += 1 + size;
                }
                break;
            }
            case 0xDD:  // DRI
                if (n != 2) return std::nullopt;
                f.restart_interval = be16(seg);
                break;
            case 0xE0:  // APP0: JFIF says YCbCr (libjpeg's jdmarker.c examine_app0)
                if (n >= 14 && std::memcmp(seg, "JFIF", 5) == 0) saw_jfif = true;
                break;
            case 0xEE:  // APP14: Adobe's transform flag says RGB, YCbCr or YCCK
                if (n >= 12 && std::memcmp(seg, "Adobe", 5) == 0) {
                    saw_adobe = true;
                    adobe_transform = seg[11];
                }
                break;
            case 0xDA: {  // SOS
                if (!saw_frame || n < 1) return std::nullopt;
                const unsigned count = seg[0];
                if (count != f.components.size() || n != 4 + 2 * count) return std::nullopt;
                for (unsigned i = 0; i < count; ++i) {
                    const uint8_t id = seg[1 + 2 * i];
                    const unsigned tables = seg[2 + 2 * i];
                    auto it = std::find_if(f.components.begin(), f.components.end(),
                                           [id](const Component& c) { return c.id == id; });
                    if (it == f.components.end()) return std::nullopt;
                    const auto index = static_cast<unsigned>(it - f.components.begin());
                    if (std::find(f.scan.begin(), f.scan.end(), index) != f.scan.end()) return std::nullopt;
                    it->dc_table = tables >> 4;
                    it->ac_table = tables & 15;
                    if (it->dc_table > 3 || it->ac_table > 3 || !f.dc_tables[it->dc_table].defined ||
                        !f.ac_tables[it->ac_table].defined || !f.quant_defined[it->quant])
                        return std::nullopt;
                    f.scan.push_back(index);
                }
                const uint8_t* tail = seg + 1 + 2 * count;
                if (tail[0] != 0 || tail[1] != 63 || tail[2] != 0) return std::nullopt;  // Ss, Se, Ah/Al
                // libjpeg's colour space guess (jdapimin.c, default_decompress_parms): RGB is not YCbCr.
                if (count == 3) {
                    if (!saw_jfif && saw_adobe && adobe_transform == 0) return std::nullopt;
                    if (!saw_jfif && !saw_adobe && f.components[0].id == 'R' && f.components[1].id == 'G' &&
                        f.components[2].id == 'B')
                        return std::nullopt;
                }
                f.data_start = pos + length;
                return f;
            }
            case 0xD8: case 0xD9:  // SOI, EOI: not in a header
                return std::nullopt;
            default:  // APPn, COM, DNL...: skipped
                if (marker >= 0xD0 && marker <= 0xD7) return std::nullopt;
                break;
        }
        pos += length;
    }
}

// The entropy-coded data without byte stuffing, cut at the restart markers, ending with EOI.
struct Segments {
    std::vector<uint8_t> data;        // all segments one after the other, then kPadBytes zeros
    std::vector<std::size_t> starts;  // where each segment starts in `data`; one more: the end
};

std::optional<Segments> unstuff(std::span<const uint8_t> b, std::size_t from) {
    Segments s;
    s.data.reserve(b.size() - from + kPadBytes);
    s.starts.push_back(0);
    unsigned next_restart = 0;
    std::size_t at = from;
    for (;;) {
        const auto* hit = static_cast<const uint8_t*>(std::memchr(b.data() + at, 0xFF, b.size() - at));
        if (hit == nullptr) return std::nullopt;  // no EOI: the file ends inside the data
        const auto ff = static_cast<std::size_t>(hit - b.data());
        s.data.insert(s.data.end(), b.begin() + static_cast<std::ptrdiff_t>(at), b.begin() + static_cast<std::ptrdiff_t>(ff));
        if (ff + 1 >= b.size()) return std::nullopt;
        const uint8_t next = b[ff + 1];
        if (next == 0x00) {  // a stuffed FF
            s.data.push_back(0xFF);
            at = ff + 2;
        } else if (next == 0xFF) {  // a fill byte before a marker
            at = ff + 1;
        } else if (next >= 0xD0 && next <= 0xD7) {
            if (next != 0xD0 + next_restart) return std::nullopt;
            next_restart = (next_restart + 1) & 7;
            s.starts.push_back(s.data.size());
            at = ff + 2;
        } else if (next == 0xD9) {
            s.starts.push_back(s.data.size());
            s.data.resize(s.data.size() + kPadBytes, 0);
            return s;
        } else {
            return std::nullopt;  // another scan, DNL, ...: TurboJPEG's business
        }
    }
}

}  // namespace

bool decode_eighth_from_dc(std::span<const uint8_t> jpeg, int width, int height, uint8_t* out, std::size_t stride) {
    if (jpeg.size() < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) return false;
    // TurboJPEG, asked for ceil(size / 8), takes the largest scale that still fits it: at most 4x4
    // pixels, 1/4 gives the same size, so its pixels are not the DC means there.
    if (width <= 4 && height <= 4) return false;
    std::optional<Frame> frame = parse_header(jpeg);
    if (!frame || frame->width != static_cast<unsigned>(width) || frame->height != static_cast<unsigned>(height))
        return false;
    Frame& f = *frame;

    // The block grid: an interleaved scan covers whole MCUs; a single component's scan is not
    // interleaved and covers ceil(size / 8) blocks whatever its sampling factors say (T.81 A.2.2).
    const bool interleaved = f.components.size() > 1;
    const unsigned h_max = interleaved ? f.components[0].h : 1;
    const unsigned v_max = interleaved ? f.components[0].v : 1;
    const unsigned mcu_cols = (f.width + 8 * h_max - 1) / (8 * h_max);
    const unsigned mcu_rows = (f.height + 8 * v_max - 1) / (8 * v_max);
    for (Component& c : f.components) {
        if (!interleaved) c.h = c.v = 1;
        c.blocks_w = mcu_cols * c.h;
        c.blocks_h = mcu_rows * c.v;
        c.scale = h_max == 2 * c.h && v_max == 2 * c.v ? 2 : 1;
        c.pixels.resize(std::size_t(c.blocks_w) * c.blocks_h * c.scale * c.scale);
    }
    const std::size_t mcus = std::size_t(mcu_cols) * mcu_rows;
    const std::size_t interval = f.restart_interval != 0 ? f.restart_interval : mcus;

    std::optional<Segments> segments = unstuff(jpeg, f.data_start);
    if (!segments || segments->starts.size() - 1 != (mcus + interval - 1) / interval) return false;

    const std::array<uint8_t, 1024>& range_limit = idct_range_limit();
    std::array<int32_t, 64> coef{};  // the coefficients of a block scaled with the 2x2 IDCT
    std::size_t mcu = 0;
    for (std::size_t segment = 0; segment + 1 < segments->starts.size(); ++segment) {
        const std::size_t begin = segments->starts[segment], length = segments->starts[segment + 1] - begin;
        BitReader bits(segments->data.data() + begin);
        std::array<int32_t, 3> predictor{};  // DC predictions restart with each segment
        for (const std::size_t end = std::min(mcus, mcu + interval); mcu < end; ++mcu) {
            const auto mcu_x = static_cast<unsigned>(mcu % mcu_cols), mcu_y = static_cast<unsigned>(mcu / mcu_cols);
            for (std::size_t s = 0; s < f.scan.size(); ++s) {
                Component& c = f.components[f.scan[s]];
                const HuffmanTable& dc_table = f.dc_tables[c.dc_table];
                const HuffmanTable& ac_table = f.ac_tables[c.ac_table];
                const std::array<uint16_t, 64>& q = f.quant[c.quant];
                const std::size_t plane_w = std::size_t(c.blocks_w) * c.scale;
                for (unsigned by = 0; by < c.v; ++by) {
                    for (unsigned bx = 0; bx < c.h; ++bx) {
                        int32_t diff = 0;
                        if (c.scale == 1 ? !decode_block(bits, dc_table, ac_table, diff)
                                         : !decode_block_values(bits, dc_table, ac_table, diff, coef))
                            return false;
                        if (bits.position() > length * 8 + 64) return false;  // ran past its data
                        // libjpeg keeps the prediction in an int and the coefficient in a JCOEF (int16).
                        predictor[s] = static_cast<int32_t>(static_cast<uint32_t>(predictor[s]) + static_cast<uint32_t>(diff));
                        const int32_t dc = static_cast<int16_t>(predictor[s]);
                        const std::size_t x = mcu_x * c.h + bx, y = mcu_y * c.v + by;
                        if (c.scale == 1) {
                            const int32_t value = (dc * q[0] + 4) >> 3;  // jpeg_idct_1x1: DESCALE(dc * q, 3)
                            c.pixels[y * plane_w + x] = range_limit[static_cast<uint32_t>(value) & 1023];
                        } else {
                            coef[0] = dc;
                            uint8_t* top = &c.pixels[2 * y * plane_w + 2 * x];
                            idct_2x2(coef, q, range_limit, top, top + plane_w);
                            coef.fill(0);
                        }
                    }
                }
            }
        }
        if (bits.position() > length * 8) return false;  // the data ends before its last block
    }

    // Box upsampling of the chroma (what libjpeg does at 1/8, where fancy upsampling is off) and
    // libjpeg's colour conversion.
    const unsigned out_w = (f.width + 7) / 8, out_h = (f.height + 7) / 8;
    if (!interleaved) {
        const Component& y = f.components[0];
        for (unsigned row = 0; row < out_h; ++row) {
            const uint8_t* in = &y.pixels[std::size_t(row) * y.blocks_w];
            uint8_t* px = out + row * stride;
            for (unsigned x = 0; x < out_w; ++x, px += 3) px[0] = px[1] = px[2] = in[x];
        }
        return true;
    }
    const YccTables& t = ycc_tables();
    const Component& y = f.components[0];
    const Component& cb = f.components[1];
    const Component& cr = f.components[2];
    // Chroma samples per output pixel: 1 (4:4:4, or scaled by the 2x2 IDCT) or 1/2 (box upsampling).
    const unsigned step_x = h_max / cb.scale, step_y = v_max / cb.scale;
    const std::size_t chroma_w = std::size_t(cb.blocks_w) * cb.scale;
    for (unsigned row = 0; row < out_h; ++row) {
        const uint8_t* y_row = &y.pixels[std::size_t(row) * y.blocks_w];
        const uint8_t* cb_row = &cb.pixels[std::size_t(row / step_y) * chroma_w];
        const uint8_t* cr_row = &cr.pixels[std::size_t(row / step_y) * chroma_w];
        uint8_t* px = out + row * stride;
        for (unsigned x = 0; x < out_w; ++x, px += 3) {
            const int luma = y_row[x];
            const unsigned u = cb_row[x / step_x], v = cr_row[x / step_x];
            px[0] = clamp255(luma + t.cr_r[v]);
            px[1] = clamp255(luma + static_cast<int>((t.cb_g[u] + t.cr_g[v]) >> 16));
            px[2] = clamp255(luma + t.cb_b[u]);
        }
    }
    return true;
}

}  // namespace lbx::plugins::jpegdec
