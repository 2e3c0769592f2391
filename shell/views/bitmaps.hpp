// Colours of the shell and the pixel work the views need: decoding a thumbnail's JPEG (on the engine
// session's thread, with wxImage, which is not tied to the UI thread) and fixture pictures for the gallery.
#pragma once

#include "model/thumb_key.hpp"

#include <wx/bitmap.h>
#include <wx/colour.h>

#include <vector>

namespace lbx::shell::theme {

inline const wxColour kBackground(0x26, 0x28, 0x2b);
inline const wxColour kCellFrame(0x3c, 0x78, 0xd8);    // every grid cell; GUI tests count these frames
inline const wxColour kFocusFrame(0xff, 0xa5, 0x00);
inline const wxColour kSelection(0x8a, 0xb4, 0xf8);   // chosen cells beyond the focused one (Ctrl/Shift)
inline const wxColour kPlaceholder(0x44, 0x47, 0x4c);
inline const wxColour kHeadingRule(0x7a, 0x5c, 0xc8);  // the line under a grid date heading; GUI tests find them by it
inline const wxColour kCaption(0xd0, 0xd0, 0xd0);
inline const wxColour kError(0xc0, 0x20, 0x20);
inline const wxColour kPersonFrame(0x2e, 0x9e, 0x6a);  // every People cell; GUI tests count these frames
inline const wxColour kFaceBox(0xff, 0xd4, 0x00);      // boxes over the photo: faces
inline const wxColour kObjectBox(0x00, 0xc8, 0xff);    // and objects (GUI tests count both)
inline const wxColour kBoxShade(0x14, 0x14, 0x14);     // the dark edge around a box and behind its caption

}  // namespace lbx::shell::theme

class wxGraphicsContext;

namespace lbx::shell {

// Draws `bitmap` turned clockwise `turns` quarter turns (the user's rotation, model/rotation.hpp) so that
// the turned picture fills x, y, width, height. Cairo turns it as it draws: no copy of the pixels, and the
// thumbnail cache keeps one bitmap per thumbnail whatever the rotation.
void draw_turned(wxGraphicsContext& gc, const wxBitmap& bitmap, double x, double y, double width, double height, uint32_t turns);

// JPEG (or PNG) bytes to RGB; nullptr when they do not decode.
std::shared_ptr<const DecodedThumbnail> decode_thumbnail(const std::string& mime, const std::vector<uint8_t>& bytes);

// A made-up picture (sky, sea, sand, a sun) for the gallery's fixture photos.
wxBitmap fixture_picture(int seed, int width, int height);
// The same with a made-up face (or a dog, or an umbrella) in each of `regions`' boxes (fractions).
struct FixtureFigure { bool face; double x, y, width, height; };
wxBitmap fixture_picture(int seed, int width, int height, const std::vector<FixtureFigure>& figures);

}  // namespace lbx::shell
