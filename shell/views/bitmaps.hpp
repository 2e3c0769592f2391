// Colours of the shell and the pixel work the views need: decoding a thumbnail's JPEG (on the engine
// session's thread, with wxImage, which is not tied to the UI thread) and fixture pictures for the gallery.
#pragma once

#include "model/thumb_key.hpp"

#include <wx/bitmap.h>
#include <wx/colour.h>

namespace lbx::shell::theme {

inline const wxColour kBackground(0x26, 0x28, 0x2b);
inline const wxColour kCellFrame(0x3c, 0x78, 0xd8);    // every grid cell; GUI tests count these frames
inline const wxColour kFocusFrame(0xff, 0xa5, 0x00);
inline const wxColour kSelection(0x8a, 0xb4, 0xf8);   // chosen cells beyond the focused one (Ctrl/Shift)
inline const wxColour kPlaceholder(0x44, 0x47, 0x4c);
inline const wxColour kCaption(0xd0, 0xd0, 0xd0);
inline const wxColour kError(0xc0, 0x20, 0x20);

}  // namespace lbx::shell::theme

namespace lbx::shell {

// JPEG (or PNG) bytes to RGB; nullptr when they do not decode.
std::shared_ptr<const DecodedThumbnail> decode_thumbnail(const std::string& mime, const std::vector<uint8_t>& bytes);

// A made-up picture (sky, sea, sand, a sun) for the gallery's fixture photos.
wxBitmap fixture_picture(int seed, int width, int height);

}  // namespace lbx::shell
