#include "sample/sample_set.hpp"

#include "sample/exif_writer.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"

#include <array>
#include <fstream>
#include <stdexcept>
#include <string>

namespace lbx::sample {

namespace {

struct Camera {
    const char* make;
    const char* model;
    const char* lens;
};

struct Place {
    const char* name;
    double lat, lon, alt;
};

constexpr std::array<Camera, 6> kCameras{{
    {"Canon", "Canon EOS R6", "RF24-105mm F4 L IS USM"},
    {"Apple", "iPhone 13 Pro", "iPhone 13 Pro back triple camera 5.7mm f/1.5"},
    {"SONY", "ILCE-7M3", "FE 24-70mm F2.8 GM"},
    {"NIKON CORPORATION", "NIKON Z 6", "NIKKOR Z 24-70mm f/4 S"},
    {"FUJIFILM", "X-T4", "XF18-55mmF2.8-4 R LM OIS"},
    {"Google", "Pixel 7", "Pixel 7 back camera 6.81mm f/1.85"},
}};

constexpr std::array<Place, 6> kPlaces{{
    {"paris", 48.8566, 2.3522, 35},
    {"new-york", 40.7128, -74.0060, 10},
    {"tokyo", 35.6762, 139.6503, 40},
    {"sydney", -33.8568, 151.2153, 5},
    {"london", 51.5074, -0.1278, 11},
    {"bern", 46.9480, 7.4474, 540},
}};

void write_bytes(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write '" + path.string() + "'");
}

ExifSpec camera_spec(const Camera& cam, const char* date, int orientation) {
    ExifSpec spec;
    spec.make = cam.make;
    spec.model = cam.model;
    spec.lens = cam.lens;
    spec.date_time_original = date;
    spec.orientation = orientation;
    spec.exposure_time = 1.0 / 250;
    spec.f_number = 4.0;
    spec.focal_length = 35;
    spec.iso = 200;
    return spec;
}

void add_place(ExifSpec& spec, const Place& place) {
    spec.gps_lat = place.lat;
    spec.gps_lon = place.lon;
    spec.gps_alt = place.alt;
}

}  // namespace

std::vector<std::filesystem::path> write_sample_set(const std::filesystem::path& directory) {
    std::filesystem::create_directories(directory);
    std::vector<std::filesystem::path> written;
    auto save = [&](const std::string& name, const std::vector<uint8_t>& bytes) {
        written.push_back(directory / name);
        write_bytes(written.back(), bytes);
    };

    // Eight JPEGs, one per EXIF orientation: the stored pixels are turned as a camera would store them,
    // so every thumbnail must come out upright (red corner top-left, blue corner bottom-right).
    static const char* dates[8] = {"2023:01:14 09:12:05", "2023:04:02 13:45:30", "2023:06:21 18:03:11",
                                   "2023:07:14 21:30:00", "2023:09:30 07:15:42", "2023:10:31 16:20:00",
                                   "2023:12:24 23:05:59", "2024:02:29 12:00:00"};
    for (int o = 1; o <= 8; ++o) {
        const Camera& cam = kCameras[(o - 1) % kCameras.size()];
        const Place& place = kPlaces[(o - 1) % kPlaces.size()];
        RgbImage upright = make_marked_scene(960, 640, static_cast<uint32_t>(o));
        ExifSpec spec = camera_spec(cam, dates[o - 1], o);
        spec.sub_sec_time_original = "25";
        spec.offset_time_original = o % 2 ? "+02:00" : "-05:00";
        spec.iso = 100 << (o % 5);
        if (o != 8) add_place(spec, place);  // one photo without GPS
        save("jpeg-orientation-" + std::to_string(o) + "-" + place.name + ".jpg",
             with_exif(encode_jpeg(store_for_orientation(upright, o), 88), spec));
    }

    // A panorama, a night shot and a black-and-white photo: pixel-based tags.
    {
        ExifSpec spec = camera_spec(kCameras[2], "2023:08:05 11:00:00", 1);
        add_place(spec, kPlaces[5]);
        save("jpeg-panorama-bern.jpg", with_exif(encode_jpeg(make_scene(1800, 600, 11), 88), spec));
    }
    {
        RgbImage night = make_scene(800, 600, 12);
        for (auto& v : night.pixels) v = static_cast<uint8_t>(v / 8);
        ExifSpec spec = camera_spec(kCameras[5], "2023:11:11 02:10:00", 1);
        spec.iso = 6400;
        add_place(spec, kPlaces[4]);
        save("jpeg-night-london.jpg", with_exif(encode_jpeg(night, 88), spec));
    }
    {
        RgbImage bw = make_scene(800, 600, 13);
        for (std::size_t i = 0; i + 2 < bw.pixels.size(); i += 3) {
            uint8_t y = static_cast<uint8_t>((bw.pixels[i] * 77 + bw.pixels[i + 1] * 150 + bw.pixels[i + 2] * 29) >> 8);
            bw.pixels[i] = bw.pixels[i + 1] = bw.pixels[i + 2] = y;
        }
        ExifSpec spec = camera_spec(kCameras[4], "2023:03:18 15:30:00", 1);
        save("jpeg-black-and-white.jpg", with_exif(encode_jpeg(bw, 88), spec));
    }

    // A HEIC as an iPhone writes it: the container rotates the picture (irot) and EXIF says 6 too.
    {
        RgbImage upright = make_marked_scene(640, 480, 21);
        ExifSpec spec = camera_spec(kCameras[1], "2023:05:20 10:30:00", 6);
        add_place(spec, kPlaces[2]);
        std::vector<uint8_t> exif = exif_tiff_block(spec);
        save("heic-iphone-tokyo.heic", encode_heic(store_for_orientation(upright, 6), 50, 6, &exif));
    }
    // PNG (no EXIF), TIFF and WebP with EXIF.
    save("png-screenshot.png", encode_png(make_scene(640, 480, 31)));
    {
        ExifSpec spec = camera_spec(kCameras[3], "2022:12:01 08:00:00", 1);
        add_place(spec, kPlaces[1]);
        save("tiff-scan-new-york.tif", with_exif(encode_tiff(make_scene(640, 480, 41)), spec));
    }
    {
        ExifSpec spec = camera_spec(kCameras[0], "2023:02:14 19:45:00", 1);
        add_place(spec, kPlaces[0]);
        save("webp-paris.webp", with_exif(encode_webp(make_scene(640, 480, 51), 80), spec));
    }
    return written;
}

}  // namespace lbx::sample
