// Turning an RGB8 image upright from its EXIF orientation (1..8).
#pragma once

#include "pixels.hpp"

namespace lbx::plugins::thumbnail {

// The upright picture of `stored`, an image the camera recorded with EXIF orientation `orientation`:
//   1 as is            2 mirrored left-right      3 rotated 180          4 mirrored top-bottom
//   5 transposed       6 needs 90 clockwise       7 transversed          8 needs 90 counter-clockwise
// Orientations 5..8 swap width and height. Values outside 1..8 are taken as 1 (a plain copy).
RgbBuffer apply_orientation(const RgbView& stored, int orientation);

// Whether `orientation` swaps the axes (5..8).
inline bool swaps_axes(int orientation) { return orientation >= 5 && orientation <= 8; }

}  // namespace lbx::plugins::thumbnail
