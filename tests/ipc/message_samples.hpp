// One filled-in sample of every request, reply and event (every field away from its default), for the
// round-trip and malformed-input tests of the ipc module.
#pragma once

#include "lightbox/ipc/envelope.hpp"

#include <vector>

namespace lbx::test {

inline ipc::JobProgress sample_progress(ipc::JobState state = ipc::JobState::running) {
    return ipc::JobProgress{42, state, 17, 120, 3, "/photos/2023/IMG_0042.jpg", 12.5, 8.25, 99, ipc::JobKind::analysis};
}

inline ipc::Error sample_error(ipc::Status status = ipc::Status::not_found) {
    return ipc::make_error(status, "job", "no_such_job", "no job 7", "jobs known: 1, 2");
}

inline ipc::PluginInfo sample_plugin() {
    return ipc::PluginInfo{"org.lightbox.jpegdec", "JPEG decoder", "1.0.0", "MIT",
                           "/usr/lib/lightbox/plugins/libjpegdec.so",
                           {{"jpegdec.decode", "decode"}, {"jpegdec.probe", "metadata"}},
                           {"jpeg", "jpg"}};
}

inline std::vector<ipc::Request> sample_requests() {
    return {
        ipc::Hello{ipc::kProtocolVersion, "lightbox-ctl 0.1.0"},
        ipc::ListPlugins{},
        ipc::StartScan{{"/photos/2023", "/photos/ünïcode dir"},
                       "fast.toml",
                       {{"thumbnail.size", "512"}, {"autotag.min_confidence", "0.5"}},
                       "holiday"},
        ipc::CancelJob{42},
        ipc::JobStatus{0xFFFF'FFFF'FFFF'FFFFull},
        ipc::ListJobs{},
        ipc::GetPhoto{"16132fa22a5cf57cd039841441ed1883"},
        ipc::GetThumbnail{"16132fa22a5cf57cd039841441ed1883", 256},
        ipc::Shutdown{},
        ipc::Query{"tag:beach -camera:\"Pixel 7\" year:2019", ipc::QuerySort::added, true, 200, 100},
        ipc::Facets{"date:2019-05..2019-08", 20},
        ipc::SetUserTags{"16132fa22a5cf57cd039841441ed1883", {"family", "ünïcode"}, {"todo"}},
        ipc::ListFailures{10, 50},
        ipc::Rescan{true},
        ipc::RemovePhotos{{"16132fa22a5cf57cd039841441ed1883", "a2"}},
        ipc::LibraryInfo{},
        ipc::OpenLibrary{"/home/ana/Pictures/holiday.lbx"},
        ipc::GetSettings{},
        ipc::SetSettings{{{"workers", "4"}, {"thumbnails.sizes", "256,1024"}}},
        ipc::GetAnalysis{},
        ipc::SetAnalysisPaused{false},
        ipc::ListPersons{20, 100},
        ipc::RenamePerson{7, "Ana Müller"},
        ipc::MergePersons{9, 7},
        ipc::RemoveFace{"16132fa22a5cf57cd039841441ed1883", "org.lightbox.vision", 2},
        ipc::GetMapClusters{"tag:beach", -20.5, 170.25, -10, -170, 6, 500},
        ipc::FindSimilar{12, 40, 20},
        ipc::ListFolders{},
        ipc::RemoveFolder{"/photos/ünïcode dir"},
        ipc::RejectTags{"16132fa22a5cf57cd039841441ed1883", {"dog", "ünïcode"}, {"cat"}},
        ipc::SetRotation{"16132fa22a5cf57cd039841441ed1883", 3},
    };
}

inline std::vector<ipc::Reply> sample_replies() {
    ipc::PhotoInfo photo{"16132fa22a5cf57cd039841441ed1883",
                         "/photos/a.jpg",
                         "jpeg",
                         125677,
                         640,
                         960,
                         {{"exif.model", "Pixel 7"}, {"exif.iso", "200"}},
                         {{"Bern", "place", 0.997026115457967, "org.lightbox.autotag"}},
                         {{256, 256, 171, "/cache/thumbs/256/16/16.jpg"}, {1024, 960, 640, "/cache/1024.jpg"}},
                         {{"org.lightbox.vision", 0, "object", "dog", 0.875, 0.125, 0.25, 0.5, 0.625, 0.0, false, 0, ""},
                          {"org.lightbox.vision", 1, "face", "", 0.96875, 0.5, 0.0625, 0.125, 0.1875, 0.75, true, 7, "Ana"}}};
    photo.rotation = 1;
    photo.rejected_tags = {"cat", "dog"};
    const ipc::Person ana{7, "Ana", 12, 9, "16132fa22a5cf57cd039841441ed1883", 0.5, 0.0625, 0.125, 0.1875};
    std::vector<uint8_t> thumb(3000);
    for (std::size_t i = 0; i < thumb.size(); ++i) thumb[i] = static_cast<uint8_t>(i * 7);
    ipc::JobSnapshot failed{sample_progress(ipc::JobState::failed), "default", "main",
                            sample_error(ipc::Status::internal)};
    ipc::JobSnapshot running{sample_progress(), "fast.toml", "", std::nullopt};
    running.progress.eta_seconds.reset();
    return {
        ipc::ErrorReply{sample_error()},
        ipc::HelloReply{ipc::kProtocolVersion, "0.1.0", true, {{sample_plugin()}, {"jpeg", "heif", "png"}}, "ipc:///run/user/1000/lightbox/engine.events"},
        ipc::PluginList{{sample_plugin(), sample_plugin()}, {{"/tmp/libbroken.so", "missing lbx_plugin symbol"}}},
        ipc::ScanStarted{7},
        ipc::JobCancelled{7, ipc::JobState::cancelled},
        ipc::JobStatusReply{failed},
        ipc::JobList{{failed, running}},
        ipc::PhotoReply{photo},
        ipc::ThumbnailReply{"16132fa22a5cf57cd039841441ed1883", 256, 171, "image/jpeg", thumb},
        ipc::ShutdownReply{},
        ipc::QueryReply{{{"16132fa22a5cf57cd039841441ed1883", "/photos/a.jpg", "jpeg", 640, 960, "2019-05-04T10:11:12",
                          "Google Pixel 7", "ok", "", 3},
                         {"", "/photos/bad.heic", "heif", 0, 0, "", "", "failed"}},
                        1234,
                        200},
        ipc::FacetsReply{{{"beach", 120}, {"Bern", 3}}, {{"Google Pixel 7", 99}}, {{"2019", 120}}, {{"Bern", 3}},
                         {{"2019-05", 4}},                   {{"animals", 8}},         {{"dog", 5}},     {{"Ana", 9}}},
        ipc::UserTagsReply{"16132fa22a5cf57cd039841441ed1883", {"family", "ünïcode"}},
        ipc::FailureList{{{"/photos/b.heic", "decode", "org.lightbox.heifdec", "1.0.0", "truncated",
                           "truncated HEIF", 1'700'000'000'000'000, 1'700'000'100'000'000}},
                         7},
        ipc::PhotosRemoved{2},
        ipc::LibraryInfoReply{"/home/ana/.local/share/lightbox/library.lbx", {"/photos/2023", "/photos/2024"}, 100'000,
                              12, 3, 1'500'000'000, 2ull << 30},
        ipc::SettingsReply{{{"workers", "4"}, {"thumbnails.cache_budget_mb", "2048"}}},
        ipc::AnalysisReply{true, true, 1234, 9, {"objects", "faces", "identity"}, {"identity: model file missing"}},
        ipc::PersonList{{ana, ipc::Person{8, "", 3, 3, "a2", 0.25, 0.25, 0.125, 0.125}}, 2},
        ipc::PersonReply{ana},
        ipc::MapClustersReply{{{48.85, 2.35, 3, 48.80, 2.12, 48.86, 2.36, "a2"}, {-16.8, -179.9, 1, -16.8, -179.9, -16.8, -179.9, "b7"}},
                              5,
                              true},
        ipc::SimilarGroups{{ipc::SimilarGroup{{ipc::SimilarPhoto{"16132fa22a5cf57cd039841441ed1883",
                                                                 {"/p/a.jpg", "/p/copy of a.jpg"}, "c3a1f00e9b7d5522", 0, "jpeg",
                                                                 4000, 3000, 2'500'000, "2023-06-01T08:00:00"},
                                               ipc::SimilarPhoto{"a2", {"/p/ünïcode small.webp"}, "c3a1f00e9b7d5523", 1, "webp",
                                                                 800, 600, 90'000, ""}}}},
                           3, 8},
        ipc::FolderList{{{"/photos/2023", 1200, true}, {"/media/usb/ünïcode", 0, false}}},
        ipc::FolderRemoved{"/photos/2023", 1199, 1203},
        ipc::TagsRejected{"16132fa22a5cf57cd039841441ed1883", 2, {"dog", "ünïcode"}},
        ipc::RotationSet{"16132fa22a5cf57cd039841441ed1883", 1},
    };
}

inline std::vector<ipc::Event> sample_events() {
    return {
        ipc::JobProgressEvent{sample_progress()},
        ipc::PhotoDone{42, "16132fa22a5cf57cd039841441ed1883", "/photos/a.jpg"},
        ipc::PhotoFailed{42, "/photos/b.heic", "decode", "org.lightbox.heifdec", "1.0.0",
                         ipc::make_error(ipc::Status::internal, "decode", "truncated",
                                         "truncated HEIF: ended at byte 40960 of 81920")},
        ipc::Heartbeat{3'600'000, 1.75, 2, 3600},
        ipc::Log{ipc::LogLevel::warning, "org.lightbox.exif", "ignoring malformed GPS block"},
        ipc::ThumbnailReady{"16132fa22a5cf57cd039841441ed1883", 256, false,
                            ipc::make_error(ipc::Status::not_found, "thumbnail", "file_missing", "/photos/a.jpg is gone")},
        ipc::LibraryChanged{ipc::changes::kRotation, {"16132fa22a5cf57cd039841441ed1883"}, ""},
    };
}

template <class Body>
ipc::Envelope<Body> envelope_of(Body body, uint64_t request_id = 0x0102030405060708ull, std::string token = {}) {
    ipc::Envelope<Body> envelope;
    envelope.request_id = request_id;
    envelope.token = std::move(token);
    envelope.body = std::move(body);
    return envelope;
}

}  // namespace lbx::test
