// Maker notes Exiv2 0.27 leaves as bytes (Exif.Photo.MakerNote) although the camera's ISO or lens is in
// them: notes in the other byte order than their Exif, notes an editor moved without fixing their
// offsets, and Kodak's binary notes, which Exiv2 does not know.
#pragma once

#include <optional>

namespace Exiv2 {
class ExifData;
}

namespace lbx::plugins::exif {

// Decodes an undecoded maker note again with Exiv2 and adds what it finds (Exif.Canon.*, Exif.OlympusEq.*,
// ...) to `exif`, dropping the raw Exif.Photo.MakerNote it came from. Nothing changes when `exif` has no
// such note or Exiv2 cannot make sense of it either way. Never throws for malformed bytes.
void decode_stray_maker_note(Exiv2::ExifData& exif);

// The ISO a Kodak maker note records (the binary layouts exiftool calls Kodak "Main" and "Type3"); absent
// for other makes, other layouts and values of 0 or 65535 (unknown).
std::optional<double> kodak_iso(const Exiv2::ExifData& exif);

}  // namespace lbx::plugins::exif
