#include "views/bitmaps.hpp"

#include <wx/dcmemory.h>
#include <wx/image.h>
#include <wx/log.h>
#include <wx/mstream.h>

namespace lbx::shell {

std::shared_ptr<const DecodedThumbnail> decode_thumbnail(const std::string& mime, const std::vector<uint8_t>& bytes) {
    if (bytes.empty()) return nullptr;
    wxMemoryInputStream stream(bytes.data(), bytes.size());
    wxImage image;
    const wxBitmapType type = mime == "image/png" ? wxBITMAP_TYPE_PNG : wxBITMAP_TYPE_JPEG;
    wxLogNull quiet;  // a broken thumbnail is a placeholder, not a message box
    if (!image.LoadFile(stream, type) || !image.IsOk()) return nullptr;
    auto decoded = std::make_shared<DecodedThumbnail>();
    decoded->width = static_cast<uint32_t>(image.GetWidth());
    decoded->height = static_cast<uint32_t>(image.GetHeight());
    const unsigned char* rgb = image.GetData();
    decoded->rgb.assign(rgb, rgb + static_cast<std::size_t>(decoded->width) * decoded->height * 3);
    return decoded;
}

wxBitmap fixture_picture(int seed, int width, int height) {
    wxBitmap bitmap(width, height);
    wxMemoryDC dc(bitmap);
    const int hue = (seed * 37) % 100;
    dc.SetPen(*wxTRANSPARENT_PEN);
    dc.SetBrush(wxBrush(wxColour(90 + hue, 150 + hue / 2, 230)));
    dc.DrawRectangle(0, 0, width, height * 5 / 10);
    dc.SetBrush(wxBrush(wxColour(30, 90 + hue, 150)));
    dc.DrawRectangle(0, height * 5 / 10, width, height * 2 / 10);
    dc.SetBrush(wxBrush(wxColour(220, 200 - hue / 2, 140)));
    dc.DrawRectangle(0, height * 7 / 10, width, height * 3 / 10 + 1);
    dc.SetBrush(wxBrush(wxColour(255, 220, 90)));
    dc.DrawCircle(width * (20 + (seed * 13) % 60) / 100, height / 4, height / 9 + 1);
    dc.SelectObject(wxNullBitmap);
    return bitmap;
}

}  // namespace lbx::shell
