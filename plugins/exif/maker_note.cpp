// Maker notes Exiv2 0.27 leaves undecoded, and the ISO and lens names they hold.
//
// Run it with:  lightbox-engine run --only metadata Canon_EOS_REBEL_T3i.jpg   (lens: EF-S18-55mm f/3.5-5.6 IS II)
//
// Why: Exiv2 reads a maker note in the byte order of the Exif around it. Cameras write Canon and Olympus
// notes little-endian; an editor that rewrote the Exif big-endian kept the note's bytes as they were, so
// Exiv2 finds 9472 entries where there are 37 and keeps the note as an opaque Exif.Photo.MakerNote. Some
// editors also moved the note without fixing the offsets in it (exiftool: "Adjusted MakerNotes base by
// -164"). Here the note is handed to Exiv2 again inside a minimal TIFF of the other byte order, placed where
// its offsets point, so that Exiv2's own tables decode it (lens names, ISO, everything the photo view's
// maker-note table shows). Kodak's notes are binary records Exiv2 has no table for: only their ISO is
// read, at the offsets exiftool's Kodak.pm documents.
#include "maker_note.hpp"

#include <exiv2/exif.hpp>
#include <exiv2/tags.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace lbx::plugins::exif {

namespace {

constexpr const char* kMakerNoteKey = "Exif.Photo.MakerNote";

// The note's bytes as Exiv2 kept them (an undefined value copies out unchanged whatever the byte order).
std::vector<uint8_t> maker_note_bytes(const Exiv2::ExifData& exif) {
    auto it = exif.findKey(Exiv2::ExifKey(kMakerNoteKey));
    if (it == exif.end() || it->typeId() != Exiv2::undefined || it->size() <= 0) return {};
    std::vector<uint8_t> bytes(static_cast<std::size_t>(it->size()));
    it->copy(bytes.data(), Exiv2::littleEndian);
    return bytes;
}

std::string make_of(const Exiv2::ExifData& exif) {
    auto it = exif.findKey(Exiv2::ExifKey("Exif.Image.Make"));
    return it == exif.end() ? std::string() : it->toString();
}

bool starts_with(const std::vector<uint8_t>& b, std::size_t offset, const char* text) {
    const std::size_t n = std::strlen(text);
    return b.size() >= offset + n && std::memcmp(b.data() + offset, text, n) == 0;
}

uint16_t read16(const uint8_t* p, bool little) {
    return little ? static_cast<uint16_t>(p[0] | p[1] << 8) : static_cast<uint16_t>(p[0] << 8 | p[1]);
}

uint32_t read32(const uint8_t* p, bool little) {
    return little ? static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
                        static_cast<uint32_t>(p[3]) << 24
                  : static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 | static_cast<uint32_t>(p[2]) << 8 |
                        static_cast<uint32_t>(p[3]);
}

void write16(std::vector<uint8_t>& b, std::size_t at, uint32_t v, bool little) {
    b[at + (little ? 0 : 1)] = static_cast<uint8_t>(v);
    b[at + (little ? 1 : 0)] = static_cast<uint8_t>(v >> 8);
}

void write32(std::vector<uint8_t>& b, std::size_t at, uint32_t v, bool little) {
    for (std::size_t i = 0; i < 4; ++i) b[at + (little ? i : 3 - i)] = static_cast<uint8_t>(v >> (8 * i));
}

// Where the note must sit in the TIFF for its offsets to land on its data. A note that is an IFD from its
// first byte (Canon) keeps its values right behind its entries: when the smallest offset its entries hold
// is not that place, the note was moved by that much (exiftool's FixBase does the same). Notes with a
// header (Olympus "OLYMPUS\0II", Nikon's own TIFF) count from their own start, so their place is free.
uint32_t note_position(const std::vector<uint8_t>& note, uint32_t original_offset, bool little) {
    static constexpr uint32_t kTypeSize[] = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4};
    if (note.size() < 2) return original_offset;
    const uint32_t entries = read16(note.data(), little);
    if (entries == 0 || entries > 512 || note.size() < 2 + 12u * entries) return original_offset;
    uint64_t smallest = UINT64_MAX;
    for (uint32_t i = 0; i < entries; ++i) {
        const uint8_t* e = note.data() + 2 + 12 * i;
        const uint16_t type = read16(e + 2, little);
        if (type == 0 || type > 13) return original_offset;  // not an IFD after all
        const uint64_t size = uint64_t{kTypeSize[type]} * read32(e + 4, little);
        if (size > 4) smallest = std::min<uint64_t>(smallest, read32(e + 8, little));
    }
    if (smallest == UINT64_MAX) return original_offset;
    const int64_t expected = int64_t{original_offset} + 2 + 12 * int64_t{entries} + 4;  // entries, then the next-IFD link
    const int64_t moved = int64_t{original_offset} + (static_cast<int64_t>(smallest) - expected);
    return moved >= 64 && moved < (1 << 24) ? static_cast<uint32_t>(moved) : original_offset;
}

// A TIFF holding only IFD0 (Make), an Exif IFD (the maker note) and the note at `position`: what Exiv2
// needs to pick the note's table by make and decode it in `little` byte order.
std::vector<uint8_t> tiff_around(const std::vector<uint8_t>& note, const std::string& make, uint32_t position, bool little) {
    const std::size_t make_at = 38;  // header 8, IFD0 with 2 entries and its link 30
    const std::size_t exif_ifd = (make_at + make.size() + 2) & ~std::size_t{1};
    const std::size_t note_at = std::max<std::size_t>(position, exif_ifd + 18);
    std::vector<uint8_t> tiff(note_at + note.size(), 0);
    tiff[0] = tiff[1] = little ? 'I' : 'M';
    write16(tiff, 2, 42, little);
    write32(tiff, 4, 8, little);
    write16(tiff, 8, 2, little);
    write16(tiff, 10, 0x010f, little);  // Make, ASCII
    write16(tiff, 12, 2, little);
    write32(tiff, 14, static_cast<uint32_t>(make.size() + 1), little);
    write32(tiff, 18, static_cast<uint32_t>(make_at), little);
    write16(tiff, 22, 0x8769, little);  // the Exif IFD
    write16(tiff, 24, 4, little);
    write32(tiff, 26, 1, little);
    write32(tiff, 30, static_cast<uint32_t>(exif_ifd), little);
    std::memcpy(tiff.data() + make_at, make.data(), make.size());
    write16(tiff, exif_ifd, 1, little);
    write16(tiff, exif_ifd + 2, 0x927c, little);  // MakerNote, undefined
    write16(tiff, exif_ifd + 4, 7, little);
    write32(tiff, exif_ifd + 6, static_cast<uint32_t>(note.size()), little);
    write32(tiff, exif_ifd + 10, static_cast<uint32_t>(note_at), little);
    std::memcpy(tiff.data() + note_at, note.data(), note.size());
    return tiff;
}

bool is_maker_datum(const Exiv2::Exifdatum& d) {
    return Exiv2::ExifTags::isMakerGroup(d.groupName()) && d.groupName() != "MakerNote";
}

}  // namespace

void decode_stray_maker_note(Exiv2::ExifData& exif) {
    const std::vector<uint8_t> note = maker_note_bytes(exif);
    const std::string make = make_of(exif);
    if (note.size() < 8 || note.size() > (1u << 20) || make.empty()) return;
    if (std::any_of(exif.begin(), exif.end(), is_maker_datum)) return;  // Exiv2 decoded one already
    auto offset_it = exif.findKey(Exiv2::ExifKey("Exif.MakerNote.Offset"));
    const long original = offset_it == exif.end() ? 0 : offset_it->toLong();
    const uint32_t offset = original > 0 && original < (1 << 24) ? static_cast<uint32_t>(original) : 0;

    for (const bool little : {true, false}) {
        try {
            const std::vector<uint8_t> tiff = tiff_around(note, make, note_position(note, offset, little), little);
            Exiv2::ExifData decoded;
            Exiv2::ExifParser::decode(decoded, tiff.data(), static_cast<uint32_t>(tiff.size()));
            if (std::none_of(decoded.begin(), decoded.end(), is_maker_datum)) continue;
            exif.erase(exif.findKey(Exiv2::ExifKey(kMakerNoteKey)));
            for (const Exiv2::Exifdatum& d : decoded) {
                if (is_maker_datum(d)) exif.add(d);
            }
            return;
        } catch (const std::exception&) {
            // Exiv2 gave up on this byte order: try the other one, else leave the note as it was.
        }
    }
}

std::optional<double> kodak_iso(const Exiv2::ExifData& exif) {
    std::string make = make_of(exif);
    std::transform(make.begin(), make.end(), make.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (make.rfind("EASTMAN KODAK", 0) != 0) return std::nullopt;
    const std::vector<uint8_t> note = maker_note_bytes(exif);
    std::optional<uint16_t> iso;
    if (starts_with(note, 0, "KDK")) {
        // "Main": a record after an 8-byte header, big-endian behind "KDK INFO", little-endian otherwise.
        if (note.size() >= 8 + 0x62) iso = read16(note.data() + 8 + 0x60, !starts_with(note, 0, "KDK INFO"));
    } else if (note.size() >= 0x50 && note[12] == 0x07 && !starts_with(note, 0, "MM") && !starts_with(note, 0, "II") &&
               !starts_with(note, 0, "AOC")) {
        // "Type3" (DC240, DC3400...): big-endian, recognised by the high byte of the year at 12.
        iso = read16(note.data() + 0x4e, false);
    }
    if (!iso || *iso == 0 || *iso == 0xFFFF) return std::nullopt;
    return static_cast<double>(*iso);
}

}  // namespace lbx::plugins::exif
