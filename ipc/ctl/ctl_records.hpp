// The protocol's answers as the one photo record (cli_support's photo_record.hpp, sdk_docs/run-json.md),
// so `lightbox-ctl query` prints what `lightbox-engine query` and `run` print, from plain ipc/ data.
#pragma once

#include <lightbox/cli/photo_record.hpp>
#include <lightbox/ipc/library.hpp>
#include <lightbox/ipc/photo_info.hpp>

namespace lbx::ctl {

// A photo of a QueryReply; with `details` (GetPhoto's answer) also its size, EXIF summary, tags,
// regions with their persons, people and thumbnails.
cli::PhotoRecord query_record(const ipc::PhotoSummary& summary, const ipc::PhotoInfo* details, bool with_metadata = false);

}  // namespace lbx::ctl
