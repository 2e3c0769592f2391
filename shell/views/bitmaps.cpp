#include "views/bitmaps.hpp"

#include <wx/dcmemory.h>
#include <wx/graphics.h>
#include <wx/image.h>
#include <wx/log.h>
#include <wx/mstream.h>

#include <algorithm>
#include <numbers>

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

void draw_turned(wxGraphicsContext& gc, const wxBitmap& bitmap, double x, double y, double width, double height, uint32_t turns) {
    turns %= 4;
    if (turns == 0) {
        gc.DrawBitmap(bitmap, x, y, width, height);
        return;
    }
    // About the target's centre: the bitmap is drawn upright at the size it has before the turn.
    const double w = turns % 2 == 1 ? height : width, h = turns % 2 == 1 ? width : height;
    gc.PushState();
    gc.Translate(x + width / 2, y + height / 2);
    gc.Rotate(turns * std::numbers::pi / 2);  // positive angles turn clockwise on the screen (y grows downwards)
    gc.DrawBitmap(bitmap, -w / 2, -h / 2, w, h);
    gc.PopState();
}

wxBitmap fixture_picture(int seed, int width, int height) { return fixture_picture(seed, width, height, {}); }

wxBitmap fixture_picture(int seed, int width, int height, const std::vector<FixtureFigure>& figures) {
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
    for (const auto& f : figures) {
        const int x = static_cast<int>(f.x * width), y = static_cast<int>(f.y * height);
        const int w = std::max(4, static_cast<int>(f.width * width)), h = std::max(4, static_cast<int>(f.height * height));
        if (f.face) {
            // Hair, a face, eyes and a mouth: enough to read as a face when cropped.
            dc.SetBrush(wxBrush(wxColour(70 + (seed * 29) % 80, 45, 25)));
            dc.DrawEllipse(x - w / 10, y - h / 12, w + w / 5, h * 3 / 4);
            dc.SetBrush(wxBrush(wxColour(236 - (seed * 17) % 70, 190 - (seed * 11) % 60, 160 - (seed * 7) % 50)));
            dc.DrawEllipse(x, y + h / 10, w, h * 9 / 10);
            dc.SetBrush(wxBrush(wxColour(40, 40, 50)));
            dc.DrawCircle(x + w * 3 / 10, y + h * 45 / 100, std::max(1, w / 14));
            dc.DrawCircle(x + w * 7 / 10, y + h * 45 / 100, std::max(1, w / 14));
            dc.SetBrush(wxBrush(wxColour(170, 60, 60)));
            dc.DrawEllipse(x + w * 35 / 100, y + h * 72 / 100, w * 30 / 100, std::max(2, h / 12));
        } else {
            dc.SetBrush(wxBrush(wxColour(120 + (seed * 31) % 100, 80, 60 + (seed * 19) % 120)));
            dc.DrawRoundedRectangle(x + w / 8, y + h / 8, w * 3 / 4, h * 3 / 4, std::min(w, h) / 5);
        }
    }
    dc.SelectObject(wxNullBitmap);
    return bitmap;
}

}  // namespace lbx::shell
