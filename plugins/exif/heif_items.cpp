// Reads a HEIF/AVIF's ISO-BMFF item structure (ISO/IEC 14496-12 8.11, 23008-12): meta > pitm names the
// primary item, meta > iprp > ipma associates items with the properties of meta > iprp > ipco (one of
// them the 'ispe' size), meta > iinf lists item types ('Exif') and meta > iloc says where each item's
// bytes are (in the file, or in meta > idat). Every read is bounds-checked against the file.
//
// Run it with:  lightbox-engine run --only metadata photo.heic
#include "heif_items.hpp"

#include <cstring>

namespace lbx::plugins::exif {

namespace {

using Bytes = std::span<const uint8_t>;

constexpr std::size_t kMaxExifItem = 64u << 20;  // an Exif item is a few KB; anything over 64 MB is bogus

// A cursor over a box body: reads big-endian integers, and fails (sticky) past the end.
class Reader {
public:
    explicit Reader(Bytes data) : data_(data) {}
    bool ok() const { return ok_; }
    std::size_t left() const { return ok_ ? data_.size() - pos_ : 0; }
    // An unsigned integer of `size` bytes (0, 1, 2, 4 or 8; 0 reads nothing and gives 0).
    uint64_t uint(std::size_t size) {
        if (!ok_ || size > 8 || data_.size() - pos_ < size) {
            ok_ = false;
            return 0;
        }
        uint64_t v = 0;
        for (std::size_t i = 0; i < size; ++i) v = (v << 8) | data_[pos_ + i];
        pos_ += size;
        return v;
    }
    uint32_t u8() { return static_cast<uint32_t>(uint(1)); }
    uint32_t u16() { return static_cast<uint32_t>(uint(2)); }
    uint32_t u32() { return static_cast<uint32_t>(uint(4)); }
    void skip(std::size_t n) {
        if (!ok_ || data_.size() - pos_ < n) {
            ok_ = false;
            return;
        }
        pos_ += n;
    }

private:
    Bytes data_;
    std::size_t pos_ = 0;
    bool ok_ = true;
};

struct Box {
    char type[4];
    Bytes body;
};

// Splits the next box off `data`; false at the end or on a box that does not fit.
bool next_box(Bytes& data, Box& box) {
    if (data.size() < 8) return false;
    Reader r(data);
    uint64_t size = r.u32();
    std::memcpy(box.type, data.data() + 4, 4);
    r.skip(4);
    std::size_t header = 8;
    if (size == 1) {
        size = r.uint(8);
        header = 16;
    } else if (size == 0) {
        size = data.size();  // to the end of the enclosing box
    }
    if (!r.ok() || size < header || size > data.size()) return false;
    box.body = data.subspan(header, static_cast<std::size_t>(size) - header);
    data = data.subspan(static_cast<std::size_t>(size));
    return true;
}

bool is(const Box& box, const char* type) { return std::memcmp(box.type, type, 4) == 0; }

// The first child box of `type`.
std::optional<Bytes> child(Bytes children, const char* type) {
    Box box;
    while (next_box(children, box)) {
        if (is(box, type)) return box.body;
    }
    return std::nullopt;
}

// The children of the top-level 'meta' box (a full box: its version and flags are skipped).
std::optional<Bytes> meta_children(Bytes file) {
    std::optional<Bytes> meta = child(file, "meta");
    if (!meta || meta->size() < 4) return std::nullopt;
    return meta->subspan(4);
}

std::optional<uint32_t> primary_item(Bytes pitm) {
    Reader r(pitm);
    const uint32_t version = r.u8();
    r.skip(3);
    const uint32_t id = version == 0 ? r.u16() : r.u32();
    return r.ok() ? std::optional<uint32_t>(id) : std::nullopt;
}

// The 1-based property indices associated with `item` in one 'ipma' box.
void associations(Bytes ipma, uint32_t item, std::vector<uint32_t>& out) {
    Reader r(ipma);
    const uint32_t version = r.u8();
    const bool wide_index = (r.uint(3) & 1) != 0;
    const uint32_t entries = r.u32();
    for (uint32_t e = 0; e < entries && r.ok(); ++e) {
        const uint32_t id = version < 1 ? r.u16() : r.u32();
        const uint32_t count = r.u8();
        for (uint32_t k = 0; k < count && r.ok(); ++k) {
            const uint32_t index = wide_index ? r.u16() & 0x7FFF : r.u8() & 0x7F;
            if (r.ok() && id == item) out.push_back(index);
        }
    }
}

// The id of the first item of type `type` in 'iinf' (item info entries of version 2 and 3 name a type).
std::optional<uint32_t> item_of_type(Bytes iinf, const char* type) {
    Reader r(iinf);
    const uint32_t version = r.u8();
    r.skip(3);
    r.skip(version == 0 ? 2 : 4);  // entry count: the boxes that follow are what counts
    if (!r.ok()) return std::nullopt;
    Bytes entries = iinf.subspan(iinf.size() - r.left());
    Box box;
    while (next_box(entries, box)) {
        if (!is(box, "infe")) continue;
        Reader e(box.body);
        const uint32_t infe_version = e.u8();
        e.skip(3);
        if (infe_version < 2) continue;
        const uint32_t id = infe_version == 2 ? e.u16() : e.u32();
        e.skip(2);  // protection index
        if (e.left() < 4 || !e.ok()) continue;
        if (std::memcmp(box.body.data() + (box.body.size() - e.left()), type, 4) == 0) return id;
    }
    return std::nullopt;
}

// The bytes of item `item` as 'iloc' places them: extents in the file (construction method 0) or in
// 'idat' (method 1), concatenated.
std::optional<std::vector<uint8_t>> item_bytes(Bytes file, Bytes iloc, std::optional<Bytes> idat, uint32_t item) {
    Reader r(iloc);
    const uint32_t version = r.u8();
    r.skip(3);
    if (version > 2) return std::nullopt;
    const uint32_t sizes = r.u8();
    const std::size_t offset_size = sizes >> 4;
    const std::size_t length_size = sizes & 0xF;
    const uint32_t sizes2 = r.u8();
    const std::size_t base_offset_size = sizes2 >> 4;
    const std::size_t index_size = version == 1 || version == 2 ? (sizes2 & 0xF) : 0;
    const uint32_t item_count = version < 2 ? r.u16() : r.u32();
    for (uint32_t i = 0; i < item_count && r.ok(); ++i) {
        const uint32_t id = version < 2 ? r.u16() : r.u32();
        const uint32_t method = version == 1 || version == 2 ? (r.u16() & 0xF) : 0;
        r.skip(2);  // data reference index
        const uint64_t base = r.uint(base_offset_size);
        const uint32_t extents = r.u16();
        std::vector<uint8_t> out;
        bool usable = id == item && (method == 0 || (method == 1 && idat));
        const Bytes source = method == 1 && idat ? *idat : file;
        for (uint32_t k = 0; k < extents && r.ok(); ++k) {
            r.uint(index_size);
            const uint64_t offset = r.uint(offset_size);
            uint64_t length = r.uint(length_size);
            if (!usable || !r.ok()) continue;
            const uint64_t start = base + offset;
            if (start < base || start > source.size()) return std::nullopt;
            if (length == 0) length = source.size() - start;  // "to the end"
            if (length > source.size() - start || out.size() + length > kMaxExifItem) return std::nullopt;
            out.insert(out.end(), source.begin() + static_cast<std::ptrdiff_t>(start),
                       source.begin() + static_cast<std::ptrdiff_t>(start + length));
        }
        if (id == item) return usable && r.ok() ? std::optional<std::vector<uint8_t>>(std::move(out)) : std::nullopt;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::pair<uint32_t, uint32_t>> heif_primary_size(std::span<const uint8_t> file) {
    std::optional<Bytes> meta = meta_children(file);
    if (!meta) return std::nullopt;
    std::optional<Bytes> pitm = child(*meta, "pitm");
    std::optional<Bytes> iprp = child(*meta, "iprp");
    if (!pitm || !iprp) return std::nullopt;
    std::optional<uint32_t> item = primary_item(*pitm);
    if (!item) return std::nullopt;

    std::optional<Bytes> ipco;
    std::vector<uint32_t> indices;
    Bytes rest = *iprp;
    Box box;
    while (next_box(rest, box)) {
        if (is(box, "ipco") && !ipco) ipco = box.body;
        if (is(box, "ipma")) associations(box.body, *item, indices);
    }
    if (!ipco) return std::nullopt;

    for (uint32_t wanted : indices) {
        Bytes properties = *ipco;
        for (uint32_t index = 1; next_box(properties, box); ++index) {
            if (index != wanted) continue;
            if (is(box, "ispe")) {
                Reader r(box.body);
                r.skip(4);
                const uint32_t w = r.u32();
                const uint32_t h = r.u32();
                if (r.ok() && w > 0 && h > 0) return std::pair{w, h};
            }
            break;
        }
    }
    return std::nullopt;
}

std::optional<std::vector<uint8_t>> heif_exif_tiff(std::span<const uint8_t> file) {
    std::optional<Bytes> meta = meta_children(file);
    if (!meta) return std::nullopt;
    std::optional<Bytes> iinf = child(*meta, "iinf");
    std::optional<Bytes> iloc = child(*meta, "iloc");
    if (!iinf || !iloc) return std::nullopt;
    std::optional<uint32_t> item = item_of_type(*iinf, "Exif");
    if (!item) return std::nullopt;
    std::optional<std::vector<uint8_t>> payload = item_bytes(file, *iloc, child(*meta, "idat"), *item);
    if (!payload || payload->size() < 4 + 8) return std::nullopt;

    // The payload starts with the offset of the TIFF header after these 4 bytes (usually 6, skipping
    // "Exif\0\0"); some writers get it wrong, so fall back to looking for the header in the first bytes.
    const std::vector<uint8_t>& p = *payload;
    auto tiff_at = [&](std::size_t at) {
        return at + 8 <= p.size() && ((p[at] == 'I' && p[at + 1] == 'I' && p[at + 2] == 0x2A && p[at + 3] == 0) ||
                                      (p[at] == 'M' && p[at + 1] == 'M' && p[at + 2] == 0 && p[at + 3] == 0x2A));
    };
    const uint64_t declared = 4 + ((uint64_t{p[0]} << 24) | (uint64_t{p[1]} << 16) | (uint64_t{p[2]} << 8) | p[3]);
    std::optional<std::size_t> start;
    if (declared < p.size() && tiff_at(static_cast<std::size_t>(declared))) start = static_cast<std::size_t>(declared);
    for (std::size_t at = 0; !start && at < 64 && at < p.size(); ++at) {
        if (tiff_at(at)) start = at;
    }
    if (!start) return std::nullopt;
    return std::vector<uint8_t>(p.begin() + static_cast<std::ptrdiff_t>(*start), p.end());
}

}  // namespace lbx::plugins::exif
